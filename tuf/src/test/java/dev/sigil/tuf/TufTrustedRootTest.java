package dev.sigil.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.testkit.TufRepository;
import dev.sigil.tuf.TrustException.Kind;
import dev.sigil.tuf.TrustException.Reason;
import dev.sigil.tuf.internal.CacheFiles;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TufTrustedRoot} against a TUF repository served from 127.0.0.1 ({@link TufRepository}): every verification
 * failure sigstore-java's client detects, every way the mirror or the cache can fail, each with its reason code and
 * message, and the cache left as it was. Offline: the only servers are the ones started here.
 */
class TufTrustedRootTest {
  static final String TARGET = "trusted_root.json";

  /** The public-good trusted root Sigil embeds. */
  static byte[] publicGood;
  /** The same without its certificate authorities: another valid trusted root. */
  static byte[] withoutCas;

  @TempDir Path tmp;
  TufRepository repo;
  Path cache;

  @BeforeAll
  static void roots() throws Exception {
    publicGood = PublicGood.json();
    withoutCas = withoutCas(publicGood);
    assertFalse(TrustedRoot.parse(publicGood).certificateAuthorities().isEmpty());
    assertTrue(TrustedRoot.parse(withoutCas).certificateAuthorities().isEmpty());
  }

  static byte[] withoutCas(byte[] root) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = (ObjectNode) m.readTree(root);
    n.putArray("certificateAuthorities");
    return m.writeValueAsBytes(n);
  }

  @BeforeEach
  void serve() throws Exception {
    repo = TufRepository.start();
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  TufTrustedRoot.Builder builder() throws TrustException {
    return TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache).tufRoot(TufRoot.parse(repo.root(1)));
  }

  TufTrustedRoot tuf() throws TrustException {
    return builder().build();
  }

  /** The normalised mirror URL, as messages name it. */
  String mirror() {
    return repo.url() + "/";
  }

  Path cached() {
    return cache.resolve(TARGET);
  }

  static TrustException fails(Reason reason, Executable call) {
    TrustException e = assertThrows(TrustException.class, call);
    assertEquals(reason, e.reason(), e::getMessage);
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  // ------------------------------------------------------------------------------------------------ positive path

  @Test
  void updateVerifiesThroughTufAndCachesTheRootAndItsOrigin() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    TufTrustedRoot tuf = tuf();
    assertEquals(URI.create(mirror()), tuf.mirror());
    assertFalse(tuf.hasTufRoot());
    Instant before = Instant.now();
    TufUpdate u = tuf.update();
    assertTrue(u.changed());
    assertTrue(u.startedFromInitialRoot());
    assertTrue(tuf.hasTufRoot());
    assertEquals(TrustedRootSnapshot.Origin.TUF_CACHE, u.snapshot().origin());
    assertEquals(cached(), u.snapshot().path().orElseThrow());
    assertEquals(new TufOrigin(URI.create(mirror()), u.origin().updated(), 1, 1), u.origin());
    assertFalse(u.origin().updated().isBefore(before.truncatedTo(ChronoUnit.MILLIS)));
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
    assertArrayEquals(publicGood, u.snapshot().json());
    assertEquals("sha256:" + CacheFiles.sha256(publicGood), u.snapshot().version());
    assertEquals(TrustedRoot.parse(publicGood), u.snapshot().root());
    // The target was fetched under its hash-prefixed name below URL/targets/.
    assertTrue(repo.requests().contains("targets/" + repo.targetPath(TARGET)), repo.requests()::toString);
    assertTrue(repo.requests().containsAll(List.of("2.root.json", "timestamp.json", "1.snapshot.json",
        "1.targets.json")), repo.requests()::toString);

    // The marker describes exactly these bytes, and current() reads the root back with it.
    CacheFiles.Marker marker = CacheFiles.readMarker(cache.resolve(TrustedRoots.CACHED_ORIGIN)).orElseThrow();
    assertEquals(u.snapshot().sha256(), marker.sha256());
    assertEquals(u.origin(), marker.origin());
    TrustedRootSnapshot current = tuf.current();
    assertEquals(u.snapshot().version(), current.version());
    assertEquals(u.origin(), current.tuf().orElseThrow());
    assertTrue(current.fallbackReason().isEmpty());
  }

  @Test
  void laterUpdatesFollowNewMetadataAndRootRotationWithoutTheInitialRoot() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();

    // Nothing new: the cached target is re-checked, not fetched again; no initial root needed now.
    repo.requests().clear();
    TufTrustedRoot later = TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache).build();
    assertTrue(later.hasTufRoot());
    TufUpdate same = later.update();
    assertFalse(same.changed());
    assertFalse(same.startedFromInitialRoot());
    assertFalse(repo.requests().stream().anyMatch(p -> p.startsWith("targets/")), repo.requests()::toString);

    // A new root key (root v2, signed by the old and the new key) and a new trusted root.
    repo.rotateRootKey();
    repo.publish(Map.of(TARGET, withoutCas));
    TufUpdate next = later.update();
    assertTrue(next.changed());
    assertEquals(2, next.origin().rootVersion());
    assertEquals(2, next.origin().targetsVersion());
    assertTrue(next.snapshot().root().certificateAuthorities().isEmpty());
    assertNotEquals(same.snapshot().version(), next.snapshot().version());
    assertArrayEquals(withoutCas, Files.readAllBytes(cached()));
  }

  @Test
  void anInitialRootIsIgnoredOnceTheCacheTrustsOne() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();
    repo.rotateRootKey();
    repo.publish(Map.of(TARGET, withoutCas));
    // Root v1 given again: the store's own root is what counts, and the rotation to v2 is followed from it.
    TufUpdate u = tuf().update();
    assertFalse(u.startedFromInitialRoot());
    assertEquals(2, u.origin().rootVersion());
  }

  @Test
  void eachMirrorHasItsOwnMetadataStore() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();
    try (TufRepository other = TufRepository.start()) {
      other.publish(Map.of(TARGET, withoutCas));
      TufTrustedRoot second = TufTrustedRoot.builder().mirror(URI.create(other.url())).cacheDir(cache)
          .tufRoot(TufRoot.parse(other.root(1))).build();
      TufUpdate u = second.update();
      assertTrue(u.startedFromInitialRoot(), "the first mirror's TUF root does not vouch for the second");
      assertArrayEquals(withoutCas, Files.readAllBytes(cached()));
      // The cached root is now the second mirror's: for the first mirror there is no current root of its own.
      TrustException e = fails(Reason.NOT_CACHED, () -> tuf().current());
      assertTrue(e.getMessage().contains("expected one fetched from " + mirror() + ", found one from " + other.url()),
          e.getMessage());
    }
  }

  // ------------------------------------------------------------------------- what TUF verification refuses: METADATA

  @Test
  void tamperedMetadataIsRefusedAndTheCachedRootKept() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();

    // The mirror now serves a new trusted root whose timestamp was altered after signing (a later expiry).
    repo.publish(Map.of(TARGET, withoutCas));
    String ts = new String(repo.files().get("timestamp.json"), StandardCharsets.UTF_8);
    String forged = ts.replace(repo.expires().toString(), repo.expires().plus(3650, ChronoUnit.DAYS).toString());
    assertNotEquals(ts, forged);
    repo.files().put("timestamp.json", forged.getBytes(StandardCharsets.UTF_8));

    TrustException e = fails(Reason.METADATA_SIGNATURES, () -> tuf().update());
    assertEquals(Kind.METADATA, e.kind());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().startsWith("TUF verification failed for mirror " + mirror() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("signed by enough keys"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; the cached trusted root is unchanged"), e.getMessage());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
    assertArrayEquals(publicGood, tuf().current().json());
  }

  @Test
  void metadataSignedByAKeyTheRootDoesNotTrustIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.signTargetsWithAnUntrustedKey();
    TrustException e = fails(Reason.METADATA_SIGNATURES, () -> tuf().update());
    assertTrue(e.getMessage().contains("[Theshold: 1, Actual: 0]"), e.getMessage());
    assertFalse(Files.exists(cached()));
  }

  @Test
  void substitutedTargetIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.files().put("targets/" + repo.targetPath(TARGET), withoutCas);
    TrustException e = fails(Reason.METADATA_HASH_MISMATCH, () -> tuf().update());
    assertTrue(e.getMessage().startsWith("TUF verification failed for mirror " + mirror() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("hashes for trusted_root.json did not match"), e.getMessage());
    assertFalse(Files.exists(cached()));
  }

  @Test
  void rollbackToAnOlderTimestampIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();
    // An attacker (or a stale mirror) replays timestamp version 1 after the client has seen version 2.
    repo.serveTimestampVersion(1);
    TrustException e = fails(Reason.METADATA_ROLLBACK, () -> tuf().update());
    assertTrue(e.getMessage().contains("(RollbackVersionException)"), e.getMessage());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
  }

  @Test
  void expiredMetadataIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    TrustException e = fails(Reason.METADATA_EXPIRED, () -> tuf().update());
    assertTrue(e.getMessage().startsWith("TUF verification failed for mirror " + mirror() + ": metadata expired:"
        + " expected an expiry after "), e.getMessage());
    assertFalse(Files.exists(cached()));
  }

  /** Expiry is checked against the builder's clock: metadata valid today is expired two years from now. */
  @Test
  void expiryFollowsTheClock() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Clock later = Clock.fixed(repo.expires().plus(1, ChronoUnit.DAYS), ZoneOffset.UTC);
    TrustException e = fails(Reason.METADATA_EXPIRED, () -> builder().clock(later).build().update());
    assertTrue(e.getMessage().contains("expected an expiry after " + later.instant() + ", found "), e.getMessage());
    TufUpdate u = builder().clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(30))).build().update();
    assertTrue(u.origin().updated().isAfter(Instant.now().plus(29, ChronoUnit.DAYS)), "updated by the given clock");
  }

  /** sigstore-java's own signed fixtures: root v1 -> v2 rotation is followed, then their 2023 expiry is refused. */
  @Test
  void expiredSigstoreJavaFixture() throws Exception {
    Path fixtures = Path.of(getClass().getResource("/tuf/sigstore-java-test-template").toURI());
    repo.files().clear();
    repo.files().put("2.root.json", Files.readAllBytes(fixtures.resolve("2.root.json")));
    TufTrustedRoot tuf = TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache)
        .tufRoot(TufRoot.parse(Files.readAllBytes(fixtures.resolve("1.root.json")))).build();
    TrustException e = fails(Reason.METADATA_EXPIRED, tuf::update);
    assertTrue(e.getMessage().contains("metadata expired: expected an expiry after "), e.getMessage());
    assertTrue(e.getMessage().contains("found 2023-05-13T14:35:58Z"), e.getMessage());
    // 3.root.json is asked for only once 2.root.json verified against root 1.
    assertTrue(repo.requests().contains("3.root.json"), repo.requests()::toString);
    assertFalse(Files.exists(cached()));
  }

  @Test
  void mirrorWithoutTheTarget() throws Exception {
    TrustException none = fails(Reason.MIRROR_FILE_MISSING, () -> tuf().update());
    assertEquals(Kind.REMOTE, none.kind());
    assertEquals("TUF mirror " + mirror() + ": expected timestamp.json, found none (HTTP 404); the cached trusted root"
        + " is unchanged", none.getMessage());

    repo.publish(Map.of("other.json", publicGood));
    TrustException unlisted = fails(Reason.TARGET_NOT_LISTED, () -> tuf().update());
    assertEquals("TUF mirror " + mirror() + ": expected its targets metadata to list trusted_root.json, found no such"
        + " target; the cached trusted root is unchanged", unlisted.getMessage());
  }

  @Test
  void targetListedButMissingOnTheMirror() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.files().remove("targets/" + repo.targetPath(TARGET));
    TrustException e = fails(Reason.MIRROR_FILE_MISSING, () -> tuf().update());
    assertTrue(e.getMessage().contains("found none (HTTP 404)"), e.getMessage());
  }

  @Test
  void verifiedTargetThatIsNotATrustedRootIsNotCached() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();
    repo.publish(Map.of(TARGET, "{\"mediaType\": \"something/else\"}".getBytes(StandardCharsets.UTF_8)));
    TrustException e = fails(Reason.TARGET_NOT_A_TRUSTED_ROOT, () -> tuf().update());
    assertTrue(e.getMessage().startsWith("trusted root from TUF mirror " + mirror() + " (target trusted_root.json):"
        + " expected a Sigstore trusted root Sigil can read, found: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; the cached copy is unchanged"), e.getMessage());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
  }

  /** The local TUF store is read back on each update: metadata broken on disk is reported as such, not as the mirror's. */
  @Test
  void corruptMetadataInTheLocalStore() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();
    Path store = CacheFiles.metadataDir(cache, URI.create(mirror()));
    Files.writeString(store.resolve("timestamp.json"), "{\"signed\": ");
    TrustException e = fails(Reason.METADATA_MALFORMED, () -> tuf().update());
    assertTrue(e.getMessage().startsWith("TUF verification failed for mirror " + mirror() + ": malformed metadata from"
        + " the mirror or in " + store + " ("), e.getMessage());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
  }

  // ---------------------------------------------------------------------------------- the mirror fails: REMOTE

  @Test
  void mirrorNotListening() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    String dead = "http://127.0.0.1:" + port + "/";
    TufTrustedRoot tuf = TufTrustedRoot.builder().mirror(URI.create(dead)).cacheDir(cache)
        .tufRoot(TufRoot.parse(repo.root(1))).build();
    TrustException e = fails(Reason.MIRROR_UNREACHABLE, tuf::update);
    assertTrue(e.retryable());
    assertTrue(e.getMessage().startsWith("TUF mirror " + dead + ": expected a reachable TUF repository, found "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(fetching " + dead + "2.root.json)"), e.getMessage());
    assertFalse(Files.exists(cached()));
  }

  @Test
  void mirrorAnsweringWithAnErrorStatus() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.failWith(503);
    TrustException e = fails(Reason.MIRROR_HTTP_STATUS, () -> tuf().update());
    assertEquals("TUF mirror " + mirror() + ": expected HTTP 200 for " + mirror() + "2.root.json, found HTTP 503; the"
        + " cached trusted root is unchanged", e.getMessage());
    repo.failWith(0);
    assertTrue(tuf().update().changed(), "recovers once the mirror does");
  }

  @Test
  void mirrorThatNeverAnswersTimesOut() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.hang();
    TufTrustedRoot tuf = builder().requestTimeout(Duration.ofMillis(300)).build();
    TrustException e = fails(Reason.MIRROR_UNREACHABLE, tuf::update);
    assertTrue(e.getMessage().endsWith(": expected a reachable TUF repository, found HttpTimeoutException: no answer"
        + " within 300 ms (fetching " + mirror() + "2.root.json); the cached trusted root is unchanged"), e.getMessage());
  }

  @Test
  void oversizedMetadataIsRefusedWithoutReadingItAll() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    repo.files().put("timestamp.json", new byte[4 << 20]);
    TrustException e = fails(Reason.METADATA_TOO_LARGE, () -> tuf().update());
    assertTrue(e.getMessage().contains("timestamp.json"), e.getMessage());
  }

  // -------------------------------------------------------------------------------- the caller's inputs: INPUT

  /** An unusable cache directory is found before the mirror is contacted. */
  @Test
  void unusableCacheDirectory() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");

    cache = file;
    TrustException notDir = fails(Reason.CACHE_DIRECTORY_UNUSABLE, () -> tuf().update());
    assertEquals(Kind.INPUT, notDir.kind());
    assertEquals("TUF cache " + file + ": expected a directory, found a file", notDir.getMessage());

    cache = file.resolve("sub");
    TrustException cannot = fails(Reason.CACHE_DIRECTORY_UNUSABLE, () -> tuf().update());
    assertTrue(cannot.getMessage().startsWith("TUF cache " + cache + ": expected a directory that exists or can be"
        + " created, found "), cannot.getMessage());
    assertTrue(repo.requests().isEmpty(), repo.requests()::toString);
  }

  @Test
  void readOnlyCacheDirectory() throws Exception {
    cache = tmp.resolve("ro");
    Files.createDirectory(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(cache), "running as root: permissions do not apply");
      TrustException e = fails(Reason.CACHE_DIRECTORY_UNUSABLE, () -> tuf().update());
      assertEquals("TUF cache " + cache + ": expected a writable directory, found no write permission", e.getMessage());
      assertTrue(repo.requests().isEmpty(), repo.requests()::toString);
    } finally {
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * Writing the cached root fails (here: a directory stands where the file goes, which works as root too): the update
   * fails as LOCAL, and nothing half-written is left.
   */
  @Test
  void cacheThatCannotBeWritten() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Files.createDirectories(cached().resolve("blocker"));
    TrustException e = fails(Reason.CACHE_IO, () -> tuf().update());
    assertEquals(Kind.LOCAL, e.kind());
    assertTrue(e.getMessage().startsWith("writing " + cached() + " failed: "), e.getMessage());
    try (var files = Files.list(cache)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    assertFalse(Files.exists(cache.resolve(TrustedRoots.CACHED_ORIGIN)));
  }

  @Test
  void aPrivateMirrorNeedsAnInitialRootOnFirstUse() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    TufTrustedRoot tuf = TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache).build();
    TrustException e = fails(Reason.TUF_ROOT_REQUIRED, tuf::update);
    assertEquals(Kind.INPUT, e.kind());
    assertEquals("TUF mirror " + mirror() + ": expected an initial TUF root (root.json) to trust for this mirror on"
        + " first use, found none", e.getMessage());
    assertTrue(repo.requests().isEmpty(), repo.requests()::toString);
  }

  @Test
  void tufRootsAreCheckedForShape() throws Exception {
    assertEquals(1, TufRoot.parse(repo.root(1)).version());
    String notJson =
        fails(Reason.TUF_ROOT_INVALID, () -> TufRoot.parse("{".getBytes(StandardCharsets.UTF_8))).getMessage();
    assertTrue(notJson.startsWith("expected JSON, found Unexpected end-of-input"), notJson);
    assertEquals("expected TUF root metadata ({\"signed\": {\"_type\": \"root\", ...}, \"signatures\": [...]}), found"
        + " other JSON", fails(Reason.TUF_ROOT_INVALID, () -> TufRoot.parse(publicGood)).getMessage());
    assertEquals("expected a positive integer at signed.version of the TUF root, found none",
        fails(Reason.TUF_ROOT_INVALID, () -> TufRoot.parse(
            "{\"signed\": {\"_type\": \"root\"}, \"signatures\": []}".getBytes(StandardCharsets.UTF_8))).getMessage());
    assertEquals("expected at most 1048576 bytes, found 1048577",
        fails(Reason.TUF_ROOT_INVALID, () -> TufRoot.parse(new byte[TufRoot.MAX_BYTES + 1])).getMessage());
  }

  @Test
  void mirrorsAreParsedAndBuildersChecked() throws Exception {
    assertEquals(URI.create("https://example.com/a/"), TufTrustedRoot.parseMirror("https://example.com/a"));
    assertEquals(URI.create("http://127.0.0.1:8080/"), TufTrustedRoot.parseMirror("HTTP://127.0.0.1:8080"));
    assertEquals("ftp://example.com/: expected an http(s) URL, found ftp:",
        fails(Reason.MIRROR_INVALID, () -> TufTrustedRoot.parseMirror("ftp://example.com/")).getMessage());
    assertEquals("example.com: expected an http(s) URL, found no scheme",
        fails(Reason.MIRROR_INVALID, () -> TufTrustedRoot.parseMirror("example.com")).getMessage());
    fails(Reason.MIRROR_INVALID, () -> TufTrustedRoot.parseMirror("https://example.com/?x=1"));
    fails(Reason.MIRROR_INVALID, () -> TufTrustedRoot.parseMirror("https://exa mple.com/"));

    assertThrows(IllegalArgumentException.class, () -> TufTrustedRoot.builder().cacheDir(cache).build());
    assertThrows(IllegalArgumentException.class, () -> TufTrustedRoot.builder().mirror(URI.create("ftp://x/"))
        .cacheDir(cache).build());
    assertThrows(IllegalArgumentException.class, () -> builder().requestTimeout(Duration.ZERO).build());
    IllegalArgumentException contradiction =
        assertThrows(IllegalArgumentException.class, () -> builder().embeddedSnapshotFallback(true).build());
    assertTrue(contradiction.getMessage().contains("cannot stand in for mirror " + mirror()), contradiction.getMessage());
    TufTrustedRoot pg = TufTrustedRoot.publicGood(cache).build();
    assertTrue(pg.isPublicGood());
    assertEquals(URI.create(TufTrustedRoot.PUBLIC_GOOD_MIRROR), pg.mirror());
    assertFalse(Files.exists(cache), "building does no I/O");
  }

  // ------------------------------------------------------------------------------------------------ current()

  @Test
  void currentWithoutAnUpdate() throws Exception {
    TrustException none = fails(Reason.NOT_CACHED, () -> tuf().current());
    assertEquals(Kind.LOCAL, none.kind());
    assertEquals("TUF cache " + cache + ": expected a trusted root fetched from " + mirror() + ", found none yet",
        none.getMessage());

    // The public-good preset falls back to the embedded snapshot, saying nothing when there simply is no cache.
    TrustedRootSnapshot embedded = TufTrustedRoot.publicGood(cache).build().current();
    assertEquals(TrustedRootSnapshot.Origin.EMBEDDED, embedded.origin());
    assertTrue(embedded.fallbackReason().isEmpty());
    assertArrayEquals(publicGood, embedded.json());
  }

  @Test
  void currentRefusesACachedRootItCannotVouchFor() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    tuf().update();

    // Replaced behind its back: the marker no longer describes the bytes.
    Files.write(cached(), withoutCas);
    TrustException other = fails(Reason.NOT_CACHED, () -> tuf().current());
    assertEquals("cached trusted root " + cached() + ": expected trusted_root.origin beside it to describe it, found a"
        + " marker for other content", other.getMessage());

    Files.delete(cache.resolve(TrustedRoots.CACHED_ORIGIN));
    assertTrue(fails(Reason.NOT_CACHED, () -> tuf().current()).getMessage().endsWith("found no usable marker"));

    Files.writeString(cached(), "{");
    TrustException broken = fails(Reason.NOT_CACHED, () -> tuf().current());
    assertTrue(broken.getMessage().startsWith("cached trusted root " + cached() + ": "), broken.getMessage());
  }

  @Test
  void publicGoodCurrentFallsBackToTheEmbeddedSnapshotAndSaysWhy() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cached(), "not json");
    TrustedRootSnapshot s = TufTrustedRoot.publicGood(cache).build().current();
    assertEquals(TrustedRootSnapshot.Origin.EMBEDDED, s.origin());
    String why = s.fallbackReason().orElseThrow();
    assertTrue(why.startsWith("cached trusted root " + cached() + ": "), why);
    assertTrue(why.endsWith("; using the embedded public-good snapshot instead"), why);
  }

  // --------------------------------------------------------------------------------------------- concurrency

  /** Updates of one cache from several threads and instances are serialised by its lock; every one succeeds. */
  @Test
  void concurrentUpdatesAreSerialised() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    TufTrustedRoot shared = tuf();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<TufUpdate>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TufTrustedRoot t = i % 2 == 0 ? shared : tuf();
        results.add(pool.submit((java.util.concurrent.Callable<TufUpdate>) t::update));
      }
      int changed = 0;
      for (Future<TufUpdate> f : results) {
        changed += f.get().changed() ? 1 : 0;
      }
      assertEquals(1, changed, "exactly the first update changes the cache");
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(publicGood, shared.current().json());
  }

  /** An update told to stop gives up at its next network wait, and the cache is as it was. */
  @Test
  void aStoppedUpdateLeavesTheCacheAsItWas() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    TufTrustedRoot tuf = tuf();
    tuf.update();
    repo.rotateRootKey();
    repo.publish(Map.of(TARGET, withoutCas));
    repo.requests().clear();
    repo.hang();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<TufUpdate> running = CompletableFuture.supplyAsync(() -> {
      try {
        return tuf.update(stop);
      } catch (TrustException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    while (repo.requests().isEmpty()) {
      Thread.sleep(5);
    }
    stop.complete(null);
    java.util.concurrent.ExecutionException e =
        assertThrows(java.util.concurrent.ExecutionException.class, running::get);
    TrustException cause = (TrustException) e.getCause();
    assertEquals(Reason.MIRROR_UNREACHABLE, cause.reason());
    assertTrue(cause.getMessage().contains("InterruptedIOException: stopped"), cause.getMessage());
    repo.release();
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
    assertEquals(2, tuf.update().origin().rootVersion(), "the store is intact: the next update goes on from it");
  }
}
