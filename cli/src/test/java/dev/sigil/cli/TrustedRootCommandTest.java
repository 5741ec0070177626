package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TufRepository;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line surface of {@code sigil trusted-root update|show} and of the trusted root verification picks:
 * output, flags, exit codes (one per kind of failure) and one-line messages. What TUF verification refuses, and why, is
 * the tuf module's to test ({@code dev.sigil.tuf.TufTrustedRootTest}); here one case of each kind shows how the CLI
 * reports it. Offline: the only server is the TUF repository started here on 127.0.0.1.
 */
class TrustedRootCommandTest {
  static final Path CASES = resource("/conformance/bundle-verify");
  static final String TARGET = "trusted_root.json";

  /** The public-good trusted root Sigil embeds. */
  static byte[] publicGood;
  /** The same without its certificate authorities: a keyless public-good bundle cannot verify against it. */
  static byte[] withoutCas;

  @TempDir Path tmp;
  TufRepository repo;
  /** The mirror URL (with a path prefix, to show targets are fetched from URL/targets/). */
  String mirror;
  Path tufRoot;
  Path cache;

  static Path resource(String name) {
    try {
      return Path.of(TrustedRootCommandTest.class.getResource(name).toURI());
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
  }

  @BeforeEach
  void serve() throws Exception {
    repo = TufRepository.start();
    mirror = repo.url();
    tufRoot = tmp.resolve("root.json");
    Files.write(tufRoot, repo.root(1));
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  Cli.Run update(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("trusted-root", "update", "--mirror", mirror, "--tuf-root", tufRoot.toString(),
            "--cache", cache.toString()));
    args.addAll(Arrays.asList(extra));
    return new Cli().run(args.toArray(String[]::new));
  }

  Path cached() {
    return cache.resolve(TARGET);
  }

  static String version(byte[] json) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
  }

  // ---------------------------------------------------------------------------------------------- positive path

  @Test
  void updateThenShow() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Cli.Run r = update().expect(0);
    assertTrue(r.out().startsWith("Trusted root updated: " + cached()), r.out());
    assertTrue(r.out().contains("from " + mirror + "/ (TUF root version 1, targets version 1)"), r.out());
    assertTrue(r.out().contains("media type application/vnd.dev.sigstore.trustedroot"), r.out());
    TrustedRoot expected = TrustedRoot.parse(publicGood);
    assertTrue(r.out().contains(TrustedRootCommand.Render.counts(expected)), r.out());
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));

    Cli.Run show = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(show.out().startsWith("Trusted root: TUF cache " + cached() + " (written by 'sigil trusted-root update')"),
        show.out());
    assertTrue(show.out().contains("fetched from " + mirror + "/ at "), show.out());
    assertTrue(show.out().contains("version " + version(publicGood)), show.out());
    assertTrue(show.out().contains("Certificate authorities (" + expected.certificateAuthorities().size() + "):"),
        show.out());
    assertTrue(show.out().contains("https://rekor.sigstore.dev  valid [20"), show.out());
  }

  @Test
  void laterUpdatesNeedNoTufRootAndSayWhenOneIsNotUsed() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    update().expect(0);
    Cli.Run same = new Cli().run("trusted-root", "update", "--mirror", mirror, "--cache", cache.toString()).expect(0);
    assertTrue(same.out().startsWith("Trusted root already up to date: "), same.out());

    repo.rotateRootKey();
    repo.publish(Map.of(TARGET, withoutCas));
    Cli.Run next = update("--verbose").expect(0);
    assertTrue(next.out().startsWith("Trusted root updated: "), next.out());
    assertTrue(next.out().contains("(TUF root version 2, targets version 2)"), next.out());
    assertTrue(next.out().contains("0 certificate authorities"), next.out());
    assertTrue(next.err().contains("TUF root " + tufRoot + " not used: the cache already trusts a TUF root for "
        + mirror + "/"), next.err());
  }

  @Test
  void cacheDirectoryFromTheEnvironment() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
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
    repo.publish(Map.of(TARGET, publicGood));
    JsonNode n = new ObjectMapper().readTree(update("--output", "json").expect(0).out());
    assertTrue(n.get("ok").asBoolean());
    assertTrue(n.get("changed").asBoolean());
    assertEquals(cached().toString(), n.get("path").asText());
    assertEquals(version(publicGood), n.get("version").asText());
    assertEquals(mirror + "/", n.get("mirror").asText());
    assertEquals(1, n.get("targetsVersion").asInt());
    TrustedRoot expected = TrustedRoot.parse(publicGood);
    assertEquals(expected.certificateAuthorities().size(), n.get("certificateAuthorities").asInt());
    assertEquals(expected.mediaType(), n.get("mediaType").asText());

    JsonNode s = new ObjectMapper().readTree(
        new Cli().run("trusted-root", "show", "--cache", cache.toString(), "--output", "json").expect(0).out());
    assertEquals("cache", s.get("origin").asText());
    assertEquals(cached().toString(), s.get("path").asText());
    assertEquals(version(publicGood), s.get("version").asText());
    assertEquals(mirror + "/", s.get("mirror").asText());
    assertTrue(Instant.parse(s.get("updated").asText()).isAfter(Instant.now().minus(1, ChronoUnit.HOURS)));

    JsonNode failed = new ObjectMapper().readTree(
        new Cli().run("trusted-root", "update", "--mirror", "ftp://x/", "--output", "json").expect(2).out());
    assertFalse(failed.get("ok").asBoolean());
    assertEquals(2, failed.get("exitCode").asInt());
  }

  // -------------------------------------------------------- each kind of failure: its exit code and one line

  @Test
  void mirrorUnreachableIsExit3() throws Exception {
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
  void failedTufVerificationIsExit3AndKeepsTheCachedRoot() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    update().expect(0);
    repo.publish(Map.of(TARGET, withoutCas));
    String ts = new String(repo.files().get("timestamp.json"), StandardCharsets.UTF_8);
    repo.files().put("timestamp.json",
        ts.replace(repo.expires().toString(), repo.expires().plus(3650, ChronoUnit.DAYS).toString())
            .getBytes(StandardCharsets.UTF_8));
    String line = update().expect(3).errorLine();
    assertTrue(line.startsWith("Error: TUF verification failed for mirror " + mirror + "/: "), line);
    assertTrue(line.endsWith("; the cached trusted root is unchanged"), line);
    assertArrayEquals(publicGood, Files.readAllBytes(cached()));

    repo.publish(Map.of(TARGET, publicGood), Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    assertTrue(update().expect(3).errorLine().contains(": metadata expired: expected an expiry after "));
  }

  @Test
  void cacheThatCannotBeWrittenIsExit3() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Files.createDirectories(cached().resolve("blocker"));
    assertTrue(update().expect(3).errorLine().startsWith("Error: writing " + cached() + " failed: "));
  }

  /**
   * An unusable cache directory is exit 2: like an unreadable input file it is a path the user chose (flag or
   * environment) and must change, it is found before the mirror is contacted, and retrying cannot help. Exit 3 stays
   * for the network, the mirror, and failures while writing.
   */
  @Test
  void unusableCacheDirectoryIsExit2() throws Exception {
    repo.publish(Map.of(TARGET, publicGood));
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    cache = file;
    assertEquals("Error: TUF cache " + file + ": expected a directory, found a file", update().expect(2).errorLine());
    assertTrue(repo.requests().isEmpty(), repo.requests()::toString);
  }

  @Test
  void badFlagsAreExit2BeforeAnyFetch() throws Exception {
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
    assertEquals("Error: TUF root " + notRoot + ": expected TUF root metadata ({\"signed\": {\"_type\": \"root\", ...},"
        + " \"signatures\": [...]}), found other JSON", wrong.errorLine());

    new Cli().run("trusted-root").expect(2);
    assertTrue(repo.requests().isEmpty(), repo.requests()::toString);
  }

  // ------------------------------------------------------------------------------------- which root verifies

  @Test
  void showWithoutACacheAndWithABrokenOne() throws Exception {
    Cli.Run none = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(none.out().startsWith("Trusted root: embedded public-good snapshot"), none.out());
    assertTrue(none.out().contains("version " + version(publicGood)), none.out());

    Files.createDirectories(cache);
    Files.writeString(cached(), "{");
    Cli.Run broken = new Cli().run("trusted-root", "show", "--cache", cache.toString()).expect(0);
    assertTrue(broken.out().startsWith("Trusted root: embedded public-good snapshot"), broken.out());
    assertTrue(broken.err().startsWith("WARNING: cached trusted root " + cached() + ": "), broken.err());
    assertTrue(broken.err().strip().endsWith("; using the embedded public-good snapshot instead (run 'sigil"
        + " trusted-root update')"), broken.err());

    Path file = tmp.resolve("tr.json");
    Files.write(file, withoutCas);
    Cli.Run given =
        new Cli().run("trusted-root", "show", "--cache", cache.toString(), "--trusted-root", file.toString()).expect(0);
    assertTrue(given.out().startsWith("Trusted root: file " + file + " (--trusted-root)"), given.out());
    assertTrue(given.out().contains("Certificate authorities (0):"), given.out());
    assertTrue(given.err().isEmpty(), "a file given is used, the broken cache not even looked at: " + given.err());
  }

  @Test
  void trustedRootFileErrorsAreExit2() throws Exception {
    Path bundle = CASES.resolve("happy-path-v0.3/bundle.sigstore.json");
    Path missing = tmp.resolve("missing.json");
    Cli.Run gone = new Cli().run("verify-blob", "--bundle", bundle.toString(), "--trusted-root", missing.toString(),
        "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY, "--certificate-oidc-issuer",
        ConformanceTest.DEFAULT_ISSUER, CASES.resolve("a.txt").toString()).expect(2);
    assertEquals("Error: trusted root " + missing + ": expected an existing file, found none", gone.errorLine());

    Path notRoot = tmp.resolve("not-root.json");
    Files.writeString(notRoot, "{\"mediaType\": \"something/else\"}");
    Cli.Run wrong = new Cli().run("trusted-root", "show", "--trusted-root", notRoot.toString()).expect(2);
    assertTrue(wrong.errorLine().startsWith("Error: trusted root " + notRoot + ": $.mediaType"), wrong.err());
  }

  /**
   * verify-blob in its own JVM (it finds the cache through the process environment): a public-good bundle verifies
   * with the embedded root, fails once the TUF-cached root lacks the public-good CAs, and verifies again with
   * --trusted-root. The same run shows verify-blob loads no sigstore-java class.
   */
  @Test
  void verifyBlobUsesTheCachedRootUnlessTrustedRootIsGiven() throws Exception {
    repo.publish(Map.of(TARGET, withoutCas));
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
    assertFalse(viaCache.stdout().contains(" dev.sigil.tuf.internal.SigstoreTuf "), "verify-blob loaded the TUF client");

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
}
