package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.testkit.Peers;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil trusted-root update|show} against a TUF repository served from 127.0.0.1, and the effect of the cached
 * root on {@code verify-blob}. Offline: the only server is the one started here.
 *
 * <p>The repository is built by {@link TufRepo} (sigstore-java's fixtures have all expired and carry no Sigstore
 * trusted root; see {@code src/test/resources/tuf/README.md}); two of those fixtures serve the expired-root test.
 */
class TrustedRootUpdateTest {
  static final Path CASES = resource("/conformance/bundle-verify");
  static final String TARGET = "trusted_root.json";

  /** The public-good trusted root Sigil embeds. */
  static byte[] publicGood;
  /** The same without its certificate authorities: a keyless public-good bundle cannot verify against it. */
  static byte[] withoutCas;

  @TempDir Path tmp;
  TufRepo repo;
  HttpServer server;
  /** The mirror URL (with a path prefix, to show targets are fetched from URL/targets/). */
  String mirror;
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  Path tufRoot;
  Path cache;

  static Path resource(String name) {
    try {
      return Path.of(TrustedRootUpdateTest.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void roots() throws Exception {
    publicGood = PublicGood.json();
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = (ObjectNode) m.readTree(publicGood);
    root.putArray("certificateAuthorities");
    withoutCas = m.writeValueAsBytes(root);
    assertFalse(TrustedRoot.parse(publicGood).certificateAuthorities().isEmpty());
    assertTrue(TrustedRoot.parse(withoutCas).certificateAuthorities().isEmpty());
    assertFalse(TrustedRoot.parse(withoutCas).tlogs().isEmpty());
  }

  @BeforeEach
  void serve() throws Exception {
    repo = new TufRepo();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/repo/",
        ex -> {
          String path = ex.getRequestURI().getPath().substring("/repo/".length());
          requests.add(path);
          byte[] body = repo.files.get(path);
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
    mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo";
    tufRoot = tmp.resolve("root.json");
    Files.write(tufRoot, repo.root(1));
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  Cli.Run update(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("trusted-root", "update", "--mirror", mirror, "--tuf-root", tufRoot.toString(),
            "--cache", cache.toString()));
    args.addAll(Arrays.asList(extra));
    return new Cli().run(args.toArray(String[]::new));
  }

  Path cached() {
    return cache.resolve("trusted_root.json");
  }

  // ---------------------------------------------------------------------------------------------- positive path

  @Test
  void updateVerifiesThroughTufAndCachesTheRoot() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    Cli.Run r = update().expect(0);
    assertTrue(r.out().startsWith("Trusted root updated: " + cached()), r.out());
    assertTrue(r.out().contains("media type application/vnd.dev.sigstore.trustedroot"), r.out());
    TrustedRoot expected = TrustedRoot.parse(publicGood);
    assertTrue(r.out().contains(TrustedRootCommand.Render.counts(expected)), r.out());
    assertTrue(r.out().contains("from " + mirror + "/ (TUF root version 1, targets version 1)"), r.out());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
    // The target was fetched under its hash-prefixed name below URL/targets/.
    assertTrue(requests.contains("targets/" + repo.targetPath(TARGET)), requests::toString);
    assertTrue(requests.containsAll(List.of("2.root.json", "timestamp.json", "1.snapshot.json", "1.targets.json")),
        requests::toString);

    Cli.Run show = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(show.out().startsWith("Trusted root: TUF cache " + cached()), show.out());
    assertTrue(show.out().contains("fetched from " + mirror + "/ at "), show.out());
    assertTrue(show.out().contains("Certificate authorities (" + expected.certificateAuthorities().size() + "):"),
        show.out());
    assertTrue(show.out().contains("https://rekor.sigstore.dev  valid [20"), show.out());
  }

  @Test
  void laterUpdatesFollowNewMetadataAndRootRotationWithoutTufRoot() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    update().expect(0);

    // Nothing new on the mirror: the cached target is re-checked, not fetched again. No --tuf-root needed now.
    requests.clear();
    Cli.Run same =
        new Cli().run("trusted-root", "update", "--mirror", mirror, "--cache", cache.toString()).expect(0);
    assertTrue(same.out().startsWith("Trusted root already up to date: "), same.out());
    assertFalse(requests.stream().anyMatch(p -> p.startsWith("targets/")), requests::toString);

    // A new root key (root v2, signed by the old and the new key) and a new trusted root.
    repo.rotateRootKey();
    repo.publish(Map.of(TARGET, withoutCas), repo.expires);
    Cli.Run next =
        new Cli().run("trusted-root", "update", "--mirror", mirror, "--cache", cache.toString()).expect(0);
    assertTrue(next.out().startsWith("Trusted root updated: "), next.out());
    assertTrue(next.out().contains("(TUF root version 2, targets version 2)"), next.out());
    assertTrue(next.out().contains("0 certificate authorities"), next.out());
    assertArrayEquals(withoutCas, Files.readAllBytes(cached()));
  }

  @Test
  void cacheDirectoryFromTheEnvironment() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    String[] args = {"trusted-root", "update", "--mirror", mirror, "--tuf-root", tufRoot.toString()};

    Path explicit = tmp.resolve("explicit");
    new Cli().env("SIGIL_TUF_CACHE", explicit.toString()).env("XDG_CACHE_HOME", tmp.resolve("xdg").toString())
        .run(args).expect(0);
    assertTrue(Files.isRegularFile(explicit.resolve("trusted_root.json")));
    assertFalse(Files.exists(tmp.resolve("xdg")));

    new Cli().env("XDG_CACHE_HOME", tmp.resolve("xdg").toString()).env("HOME", tmp.resolve("home").toString())
        .run(args).expect(0);
    assertTrue(Files.isRegularFile(tmp.resolve("xdg/sigil/tuf/trusted_root.json")));

    new Cli().env("HOME", tmp.resolve("home").toString()).run(args).expect(0);
    assertTrue(Files.isRegularFile(tmp.resolve("home/.cache/sigil/tuf/trusted_root.json")));

    Cli.Run none = new Cli().run(args).expect(2);
    assertEquals(
        "Error: TUF cache directory: expected --cache DIR, $SIGIL_TUF_CACHE, $XDG_CACHE_HOME or $HOME, found none set",
        none.errorLine());

    Cli.Run show = new Cli().env("HOME", tmp.resolve("home").toString()).run("trusted-root", "show").expect(0);
    assertTrue(show.out().startsWith("Trusted root: TUF cache " + tmp.resolve("home/.cache/sigil/tuf")), show.out());
  }

  @Test
  void jsonOutput() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    JsonNode n = new ObjectMapper().readTree(update("--output", "json").expect(0).out());
    assertTrue(n.get("ok").asBoolean());
    assertEquals(cached().toString(), n.get("path").asText());
    TrustedRoot expected = TrustedRoot.parse(publicGood);
    assertEquals(expected.certificateAuthorities().size(), n.get("certificateAuthorities").asInt());
    assertEquals(expected.mediaType(), n.get("mediaType").asText());
  }

  // ---------------------------------------------------------------------------------------- remote failures: 3

  @Test
  void mirrorNotListening() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    String dead = "http://127.0.0.1:" + port + "/";
    Cli.Run r =
        new Cli().run("trusted-root", "update", "--mirror", dead, "--tuf-root", tufRoot.toString(), "--cache",
            cache.toString()).expect(3);
    String line = r.errorLine();
    assertTrue(line.startsWith("Error: TUF mirror " + dead + ": expected a reachable TUF repository, found "), line);
    assertTrue(line.contains("(fetching " + dead + "2.root.json)"), line);
    assertFalse(Files.exists(cached()));
  }

  @Test
  void tamperedMetadataIsRefusedAndTheCachedRootKept() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    update().expect(0);

    // The mirror now serves a new trusted root whose timestamp was altered after signing (a later expiry).
    repo.publish(Map.of(TARGET, withoutCas), repo.expires);
    String ts = new String(repo.files.get("timestamp.json"), StandardCharsets.UTF_8);
    String forged = ts.replace(repo.expires.toString(), repo.expires.plus(3650, ChronoUnit.DAYS).toString());
    assertFalse(forged.equals(ts));
    repo.files.put("timestamp.json", forged.getBytes(StandardCharsets.UTF_8));

    Cli.Run r = update().expect(3);
    String line = r.errorLine();
    assertTrue(line.startsWith("Error: TUF verification failed for mirror " + mirror + "/: "), line);
    assertTrue(line.contains("signed by enough keys"), line);
    assertTrue(line.endsWith("; the cached trusted root is unchanged"), line);
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
  }

  @Test
  void substitutedTargetIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    repo.files.put("targets/" + repo.targetPath(TARGET), withoutCas);
    String line = update().expect(3).errorLine();
    assertTrue(line.startsWith("Error: TUF verification failed for mirror " + mirror + "/: "), line);
    assertTrue(line.contains("hashes for trusted_root.json did not match"), line);
    assertFalse(Files.exists(cached()));
  }

  @Test
  void expiredMetadataIsRefused() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    String line = update().expect(3).errorLine();
    assertTrue(line.startsWith("Error: TUF verification failed for mirror " + mirror + "/: metadata expired"), line);
    assertFalse(Files.exists(cached()));
  }

  /** sigstore-java's own signed fixtures: root v1 -> v2 rotation is followed, then their 2023 expiry is refused. */
  @Test
  void expiredSigstoreJavaFixture() throws Exception {
    Path fixtures = resource("/tuf/sigstore-java-test-template");
    repo.files.clear();
    repo.files.put("2.root.json", Files.readAllBytes(fixtures.resolve("2.root.json")));
    Cli.Run r =
        new Cli().run("trusted-root", "update", "--mirror", mirror, "--tuf-root",
            fixtures.resolve("1.root.json").toString(), "--cache", cache.toString()).expect(3);
    String line = r.errorLine();
    assertTrue(line.contains("metadata expired: expected an expiry after "), line);
    assertTrue(line.contains("found 2023-05-13T14:35:58Z"), line);
    // 3.root.json is asked for only once 2.root.json verified against root 1.
    assertTrue(requests.contains("3.root.json"), requests::toString);
    assertFalse(Files.exists(cached()));
  }

  @Test
  void mirrorWithoutTheTarget() throws Exception {
    assertEquals(
        "Error: TUF mirror " + mirror + "/: expected timestamp.json, found none (HTTP 404); the cached trusted root is"
            + " unchanged",
        update().expect(3).errorLine());

    repo.publish(Map.of("other.json", publicGood), repo.expires);
    String line = update().expect(3).errorLine();
    assertEquals(
        "Error: TUF mirror " + mirror + "/: expected its targets metadata to list trusted_root.json, found no such"
            + " target; the cached trusted root is unchanged",
        line);
  }

  @Test
  void verifiedTargetThatIsNotATrustedRootIsNotCached() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    update().expect(0);
    repo.publish(Map.of(TARGET, "{\"mediaType\": \"something/else\"}".getBytes(StandardCharsets.UTF_8)), repo.expires);
    String line = update().expect(3).errorLine();
    assertTrue(line.startsWith("Error: trusted root from TUF mirror " + mirror + "/ (target trusted_root.json):"
        + " expected a Sigstore trusted root Sigil can read, found: "), line);
    assertTrue(line.endsWith("; the cached copy is unchanged"), line);
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));
  }

  // ------------------------------------------------------------------------------------------ local problems: 2

  /**
   * An unusable cache directory is exit 2: like an unreadable input file it is a path the user chose (flag or
   * environment) and must change, it is found before the mirror is contacted, and retrying cannot help. Exit 3 stays
   * for the network, the mirror, and failures while writing.
   */
  @Test
  void unusableCacheDirectory() throws Exception {
    repo.publish(Map.of(TARGET, publicGood), repo.expires);
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");

    cache = file;
    assertEquals("Error: TUF cache " + file + ": expected a directory, found a file", update().expect(2).errorLine());

    cache = file.resolve("sub");
    String line = update().expect(2).errorLine();
    assertTrue(line.startsWith("Error: TUF cache " + cache + ": expected a directory that exists or can be created,"
        + " found "), line);
    assertTrue(requests.isEmpty(), requests::toString);
  }

  @Test
  void readOnlyCacheDirectory() throws Exception {
    cache = tmp.resolve("ro");
    Files.createDirectory(cache);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(cache), "running as root: permissions do not apply");
      assertEquals("Error: TUF cache " + cache + ": expected a writable directory, found no write permission",
          update().expect(2).errorLine());
      assertTrue(requests.isEmpty(), requests::toString);
    } finally {
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void badFlags() throws Exception {
    String c = cache.toString();
    Cli.Run noRoot = new Cli().run("trusted-root", "update", "--mirror", mirror, "--cache", c).expect(2);
    assertEquals("Error: --mirror " + mirror + "/: expected --tuf-root FILE (the initial TUF root.json to trust for"
        + " this mirror) on first use, found none", noRoot.errorLine());

    Cli.Run ftp = new Cli().run("trusted-root", "update", "--mirror", "ftp://example.com/", "--cache", c).expect(2);
    assertEquals("Error: --mirror ftp://example.com/: expected an http(s) URL, found ftp:", ftp.errorLine());

    Path missing = tmp.resolve("missing.json");
    Cli.Run gone =
        new Cli().run("trusted-root", "update", "--mirror", mirror, "--tuf-root", missing.toString(), "--cache", c)
            .expect(2);
    assertEquals("Error: TUF root " + missing + ": expected an existing file, found none", gone.errorLine());

    Path notRoot = tmp.resolve("not-root.json");
    Files.write(notRoot, publicGood);
    Cli.Run wrong =
        new Cli().run("trusted-root", "update", "--mirror", mirror, "--tuf-root", notRoot.toString(), "--cache", c)
            .expect(2);
    assertTrue(wrong.errorLine().startsWith("Error: TUF root " + notRoot + ": expected TUF root metadata"),
        wrong.err());

    new Cli().run("trusted-root").expect(2);
    assertTrue(requests.isEmpty(), requests::toString);
  }

  // ------------------------------------------------------------------------------------- which root verifies

  @Test
  void showWithoutACacheAndWithABrokenOne() throws Exception {
    Cli.Run none = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(none.out().startsWith("Trusted root: embedded public-good snapshot"), none.out());

    Files.createDirectories(cache);
    Files.writeString(cached(), "{");
    Cli.Run broken = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(broken.out().startsWith("Trusted root: embedded public-good snapshot"), broken.out());
    assertTrue(broken.err().startsWith("WARNING: cached trusted root " + cached() + ": "), broken.err());

    Path file = tmp.resolve("tr.json");
    Files.write(file, withoutCas);
    Cli.Run given =
        new Cli().run("trusted-root", "show", "--cache", cache.toString(), "--trusted-root", file.toString()).expect(0);
    assertTrue(given.out().startsWith("Trusted root: file " + file + " (--trusted-root)"), given.out());
    assertTrue(given.out().contains("Certificate authorities (0):"), given.out());
  }

  @Test
  void cacheDirectoryPrecedence() throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("SIGIL_TUF_CACHE", "/a");
    all.put("XDG_CACHE_HOME", "/x");
    all.put("HOME", "/h");
    assertEquals(Optional.of(Path.of("/a")), TrustedRoots.defaultCacheDir(all));
    all.put("SIGIL_TUF_CACHE", "");
    assertEquals(Optional.of(Path.of("/x/sigil/tuf")), TrustedRoots.defaultCacheDir(all));
    all.put("XDG_CACHE_HOME", "relative/ignored");
    assertEquals(Optional.of(Path.of("/h/.cache/sigil/tuf")), TrustedRoots.defaultCacheDir(all));
    assertEquals(Optional.empty(), TrustedRoots.defaultCacheDir(Map.of()));

    Files.createDirectories(cache);
    assertEquals(TrustedRoots.Origin.EMBEDDED, TrustedRoots.resolve(null, Optional.of(cache)).origin());
    Files.write(cached(), withoutCas);
    TrustedRoots.Active a = TrustedRoots.resolve(null, Map.of("SIGIL_TUF_CACHE", cache.toString()));
    assertEquals(TrustedRoots.Origin.CACHE, a.origin());
    assertTrue(a.root().certificateAuthorities().isEmpty());
    Path file = tmp.resolve("tr.json");
    Files.write(file, publicGood);
    assertEquals(TrustedRoots.Origin.FILE, TrustedRoots.resolve(file, Optional.of(cache)).origin());
    Files.writeString(cached(), "not json");
    a = TrustedRoots.resolve(null, Optional.of(cache));
    assertEquals(TrustedRoots.Origin.EMBEDDED, a.origin());
    assertTrue(a.cacheProblem().orElseThrow().contains(cached().toString()));
  }

  /**
   * verify-blob in its own JVM (it finds the cache through the process environment): a public-good bundle verifies
   * with the embedded root, fails once the TUF-cached root lacks the public-good CAs, and verifies again with
   * --trusted-root. The same run shows verify-blob loads no sigstore-java class.
   */
  @Test
  void verifyBlobUsesTheCachedRootUnlessTrustedRootIsGiven() throws Exception {
    repo.publish(Map.of(TARGET, withoutCas), repo.expires);
    update().expect(0);
    Path pg = tmp.resolve("public-good.json");
    Files.write(pg, publicGood);
    Path empty = Files.createDirectory(tmp.resolve("empty-cache"));

    Peers.Result embedded = verifyBlob(empty);
    assertEquals(0, embedded.exitCode(), embedded::describe);

    Peers.Result viaCache = verifyBlob(cache, "-verbose:class");
    assertEquals(1, viaCache.exitCode(), viaCache::describe);
    assertTrue(viaCache.stderr().contains("Verification failed: "), viaCache::describe);
    assertTrue(viaCache.stdout().contains(" dev.sigil.cli.VerifyBlobCommand "), "class loading is logged");
    assertFalse(viaCache.stdout().contains(" dev.sigstore."), "verify-blob loaded sigstore-java classes");

    Peers.Result overridden = verifyBlob(cache, "--trusted-root", pg.toString());
    assertEquals(0, overridden.exitCode(), overridden::describe);
  }

  private Peers.Result verifyBlob(Path cacheDir, String... extra) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    List<String> sigilArgs = new ArrayList<>();
    for (String e : extra) {
      if (e.startsWith("-verbose")) {
        cmd.add(e);
      } else {
        sigilArgs.add(e);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sigil.cli.Sigil", "verify-blob",
        "--bundle", CASES.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
        "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY,
        "--certificate-oidc-issuer", ConformanceTest.DEFAULT_ISSUER));
    cmd.addAll(sigilArgs);
    cmd.add(CASES.resolve("a.txt").toString());
    return Peers.run(cmd, Map.of("SIGIL_TUF_CACHE", cacheDir.toString()), tmp, 120);
  }

  // ------------------------------------------------------------------------------------------- test repository

  /**
   * A TUF repository in memory, as a mirror lays it out: {@code N.root.json}, {@code timestamp.json},
   * {@code N.snapshot.json}, {@code N.targets.json} and {@code targets/<sha512>.<name>}. One Ed25519 key per role,
   * threshold 1; metadata is TUF canonical JSON (sorted keys, no whitespace; all strings here are plain ASCII, where
   * the TUF and RFC 8785 canonical forms coincide), signed over the canonical {@code signed} object.
   */
  static final class TufRepo {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Instant expires = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, KeyPair> keys = new TreeMap<>();
    private final Map<String, String> targetPaths = new ConcurrentHashMap<>();
    private int rootVersion;
    private int targetsVersion;
    private int snapshotVersion;
    private int timestampVersion;

    TufRepo() throws GeneralSecurityException {
      for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
        keys.put(role, ed25519());
      }
      publishRoot(List.of(keys.get("root")));
    }

    byte[] root(int version) {
      return files.get(version + ".root.json");
    }

    String targetPath(String name) {
      return targetPaths.get(name);
    }

    /** Root version + 1 with a new root key, signed by the old root key and the new one (TUF 5.3.4). */
    void rotateRootKey() throws GeneralSecurityException {
      KeyPair old = keys.get("root");
      keys.put("root", ed25519());
      publishRoot(List.of(old, keys.get("root")));
    }

    private void publishRoot(List<KeyPair> signers) throws GeneralSecurityException {
      rootVersion++;
      Map<String, Object> keyObjects = new TreeMap<>();
      Map<String, Object> roles = new TreeMap<>();
      for (Map.Entry<String, KeyPair> e : keys.entrySet()) {
        keyObjects.put(keyId(e.getValue()), keyObject(e.getValue()));
        roles.put(e.getKey(), map("keyids", List.of(keyId(e.getValue())), "threshold", 1));
      }
      Map<String, Object> signed =
          map("_type", "root", "spec_version", "1.0", "version", rootVersion, "expires", expires.toString(),
              "consistent_snapshot", true, "keys", keyObjects, "roles", roles);
      files.put(rootVersion + ".root.json", envelope(signed, signers));
    }

    /** New targets, snapshot and timestamp metadata listing exactly {@code targets}, expiring at {@code expiry}. */
    void publish(Map<String, byte[]> targets, Instant expiry) throws GeneralSecurityException {
      Map<String, Object> listed = new TreeMap<>();
      for (Map.Entry<String, byte[]> t : targets.entrySet()) {
        String sha512 = hex("SHA-512", t.getValue());
        String path = sha512 + "." + t.getKey();
        files.put("targets/" + path, t.getValue());
        targetPaths.put(t.getKey(), path);
        listed.put(t.getKey(), map("length", t.getValue().length, "hashes",
            map("sha256", hex("SHA-256", t.getValue()), "sha512", sha512)));
      }
      targetsVersion++;
      byte[] targetsJson =
          envelope(meta("targets", targetsVersion, expiry, "targets", listed), List.of(keys.get("targets")));
      files.put(targetsVersion + ".targets.json", targetsJson);
      snapshotVersion++;
      byte[] snapshotJson =
          envelope(
              meta("snapshot", snapshotVersion, expiry, "meta",
                  map("targets.json", fileMeta(targetsVersion, targetsJson))),
              List.of(keys.get("snapshot")));
      files.put(snapshotVersion + ".snapshot.json", snapshotJson);
      timestampVersion++;
      byte[] timestampJson =
          envelope(
              meta("timestamp", timestampVersion, expiry, "meta",
                  map("snapshot.json", fileMeta(snapshotVersion, snapshotJson))),
              List.of(keys.get("timestamp")));
      files.put("timestamp.json", timestampJson);
    }

    private static Map<String, Object> meta(String type, int version, Instant expiry, String key, Object value) {
      return map("_type", type, "spec_version", "1.0", "version", version, "expires", expiry.toString(), key, value);
    }

    private static Map<String, Object> fileMeta(int version, byte[] file) throws GeneralSecurityException {
      return map("version", version, "length", file.length, "hashes", map("sha256", hex("SHA-256", file)));
    }

    private static byte[] envelope(Map<String, Object> signed, List<KeyPair> signers) throws GeneralSecurityException {
      byte[] canonical = canonical(signed).getBytes(StandardCharsets.UTF_8);
      List<Object> signatures = new ArrayList<>();
      for (KeyPair k : signers) {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k.getPrivate());
        s.update(canonical);
        signatures.add(map("keyid", keyId(k), "sig", HexFormat.of().formatHex(s.sign())));
      }
      return canonical(map("signed", signed, "signatures", signatures)).getBytes(StandardCharsets.UTF_8);
    }

    private static KeyPair ed25519() throws GeneralSecurityException {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static Map<String, Object> keyObject(KeyPair k) {
      byte[] spki = k.getPublic().getEncoded();
      String raw = HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
      return map("keytype", "ed25519", "scheme", "ed25519", "keyid_hash_algorithms", List.of("sha256", "sha512"),
          "keyval", map("public", raw));
    }

    private static String keyId(KeyPair k) {
      try {
        return hex("SHA-256", canonical(keyObject(k)).getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String hex(String alg, byte[] data) throws GeneralSecurityException {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
    }

    private static Map<String, Object> map(Object... kv) {
      Map<String, Object> m = new TreeMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put((String) kv[i], kv[i + 1]);
      }
      return m;
    }

    /** Canonical JSON of maps (keys sorted), lists, ASCII strings, integers and booleans. */
    static String canonical(Object o) {
      StringBuilder sb = new StringBuilder();
      write(o, sb);
      return sb.toString();
    }

    private static void write(Object o, StringBuilder sb) {
      if (o instanceof Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          write(e.getKey(), sb);
          sb.append(':');
          write(e.getValue(), sb);
        }
        sb.append('}');
      } else if (o instanceof List<?> l) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(l.get(i), sb);
        }
        sb.append(']');
      } else if (o instanceof String s) {
        for (char c : s.toCharArray()) {
          if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
            throw new IllegalArgumentException("this encoder handles plain ASCII only: " + s);
          }
        }
        sb.append('"').append(s).append('"');
      } else if (o instanceof Integer || o instanceof Long || o instanceof Boolean) {
        sb.append(o);
      } else {
        throw new IllegalArgumentException("not encodable: " + o);
      }
    }
  }
}
