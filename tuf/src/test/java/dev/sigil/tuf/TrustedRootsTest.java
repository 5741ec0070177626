package dev.sigil.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.TufRepository;
import dev.sigil.tuf.TrustException.Kind;
import dev.sigil.tuf.TrustException.Reason;
import dev.sigil.tuf.TrustedRootSnapshot.Origin;
import dev.sigil.tuf.internal.CacheFiles;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which trusted root one-shot verification uses ({@link TrustedRoots}): precedence, fallbacks and file errors. */
class TrustedRootsTest {
  @TempDir Path tmp;

  @Test
  void cacheDirectoryPrecedence() {
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
    assertEquals(Optional.empty(), TrustedRoots.defaultCacheDir(Map.of("HOME", "\0")));
  }

  @Test
  void fileThenCacheThenEmbedded() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path cached = cache.resolve(TrustedRoots.CACHED_ROOT);
    byte[] withoutCas = TufTrustedRootTest.withoutCas(PublicGood.json());

    TrustedRootSnapshot none = TrustedRoots.resolve(Optional.empty(), Optional.of(cache));
    assertEquals(Origin.EMBEDDED, none.origin());
    assertTrue(none.path().isEmpty());
    assertTrue(none.fallbackReason().isEmpty());
    assertArrayEquals(PublicGood.json(), none.json());
    assertEquals(Origin.EMBEDDED, TrustedRoots.resolve(Optional.empty(), Optional.empty()).origin());

    Files.write(cached, withoutCas);
    TrustedRootSnapshot fromCache = TrustedRoots.resolve(Optional.empty(), Optional.of(cache));
    assertEquals(Origin.TUF_CACHE, fromCache.origin());
    assertEquals(cached, fromCache.path().orElseThrow());
    assertTrue(fromCache.root().certificateAuthorities().isEmpty());
    assertTrue(fromCache.tuf().isEmpty(), "resolve does not read the origin marker");

    Path file = tmp.resolve("tr.json");
    Files.write(file, PublicGood.json());
    TrustedRootSnapshot given = TrustedRoots.resolve(Optional.of(file), Optional.of(cache));
    assertEquals(Origin.FILE, given.origin());
    assertEquals(file, given.path().orElseThrow());
    assertEquals(none.version(), given.version(), "same bytes, same version, wherever they came from");
    assertNotEquals(fromCache.version(), given.version());

    Files.writeString(cached, "not json");
    TrustedRootSnapshot broken = TrustedRoots.resolve(Optional.empty(), Optional.of(cache));
    assertEquals(Origin.EMBEDDED, broken.origin());
    String why = broken.fallbackReason().orElseThrow();
    assertTrue(why.startsWith("cached trusted root " + cached + ": "), why);
    assertTrue(why.endsWith("; using the embedded public-good snapshot instead"), why);
  }

  @Test
  void oversizedCachedRootIsPassedOver() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Files.write(cache.resolve(TrustedRoots.CACHED_ROOT), new byte[TrustedRoot.MAX_TRUSTED_ROOT_BYTES + 1]);
    String why = TrustedRoots.resolve(Optional.empty(), Optional.of(cache)).fallbackReason().orElseThrow();
    assertTrue(why.contains(": expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found more;"), why);
  }

  @Test
  void unreadableCachedRootIsPassedOver() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path cached = cache.resolve(TrustedRoots.CACHED_ROOT);
    Files.write(cached, PublicGood.json());
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(cached), "running as root: permissions do not apply");
    String why = TrustedRoots.resolve(Optional.empty(), Optional.of(cache)).fallbackReason().orElseThrow();
    assertTrue(why.startsWith("cached trusted root " + cached + ": expected a readable file, found AccessDeniedException"),
        why);
  }

  @Test
  void fileErrorsSayWhichFileAndWhatWasWrong() throws Exception {
    Path missing = tmp.resolve("missing.json");
    assertEquals("trusted root " + missing + ": expected an existing file, found none",
        fileFails(Reason.TRUSTED_ROOT_FILE_UNREADABLE, missing));
    assertEquals("trusted root " + tmp + ": expected a file, found a directory",
        fileFails(Reason.TRUSTED_ROOT_FILE_UNREADABLE, tmp));
    Path big = tmp.resolve("big.json");
    Files.write(big, new byte[TrustedRoot.MAX_TRUSTED_ROOT_BYTES + 1]);
    assertEquals("trusted root " + big + ": expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found"
        + " more", fileFails(Reason.TRUSTED_ROOT_FILE_UNREADABLE, big));
    Path notRoot = tmp.resolve("not-root.json");
    Files.writeString(notRoot, "{\"mediaType\": \"something/else\"}");
    String m = fileFails(Reason.TRUSTED_ROOT_FILE_INVALID, notRoot);
    assertTrue(m.startsWith("trusted root " + notRoot + ": $.mediaType"), m);
    // A broken file is never passed over for the cache: the caller asked for that file.
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Files.write(cache.resolve(TrustedRoots.CACHED_ROOT), PublicGood.json());
    assertThrows(TrustException.class, () -> TrustedRoots.resolve(Optional.of(notRoot), Optional.of(cache)));
  }

  private static String fileFails(Reason reason, Path file) {
    TrustException e = assertThrows(TrustException.class, () -> TrustedRoots.readFile(file));
    assertEquals(reason, e.reason());
    assertEquals(Kind.INPUT, e.kind());
    return e.getMessage();
  }

  /** The origin marker is believed only when it describes exactly the bytes beside it. */
  @Test
  void cachedOriginMustDescribeTheseBytes() throws Exception {
    try (TufRepository repo = TufRepository.start()) {
      repo.publish(Map.of("trusted_root.json", PublicGood.json()));
      Path cache = tmp.resolve("cache");
      TufUpdate u = TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache)
          .tufRoot(TufRoot.parse(repo.root(1))).build().update();

      TrustedRootSnapshot s = TrustedRoots.resolve(Optional.empty(), Optional.of(cache));
      assertEquals(u.snapshot().version(), s.version());
      assertEquals(Optional.of(u.origin()), TrustedRoots.cachedOrigin(s));

      // Another root written in its place without a new marker (as between the two renames of an update).
      Files.write(cache.resolve(TrustedRoots.CACHED_ROOT), TufTrustedRootTest.withoutCas(PublicGood.json()));
      TrustedRootSnapshot replaced = TrustedRoots.resolve(Optional.empty(), Optional.of(cache));
      assertEquals(Origin.TUF_CACHE, replaced.origin());
      assertEquals(Optional.empty(), TrustedRoots.cachedOrigin(replaced));

      Files.writeString(cache.resolve(TrustedRoots.CACHED_ORIGIN), "garbage\n");
      assertEquals(Optional.empty(), TrustedRoots.cachedOrigin(s));
      assertEquals(Optional.empty(), TrustedRoots.cachedOrigin(TrustedRoots.embedded()));
    }
  }

  @Test
  void markerRoundTrip() {
    TufOrigin o = new TufOrigin(URI.create("https://example.com/tuf/"), Instant.parse("2026-01-02T03:04:05.678Z"), 3, 9);
    Path f = tmp.resolve("m");
    assertTrue(CacheFiles.readMarker(f).isEmpty());
    try {
      Files.write(f, CacheFiles.marker(o, "ab"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(new CacheFiles.Marker(o, "ab"), CacheFiles.readMarker(f).orElseThrow());
  }

  @Test
  void fixedSourceAndSnapshotText() {
    TrustedRootSnapshot s = TrustedRoots.embedded();
    assertEquals(s, TrustedRootSource.fixed(s).current());
    assertEquals("TrustedRootSnapshot[EMBEDDED, " + s.version() + "]", s.toString());
    assertEquals(64 + "sha256:".length(), s.version().length());
    byte[] json = s.json();
    json[0] = 'x';
    assertFalse(json[0] == s.json()[0], "json() is a copy");
  }
}
