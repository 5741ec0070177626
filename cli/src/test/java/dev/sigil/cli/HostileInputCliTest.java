package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.testkit.HostileInputs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile bundle of {@link HostileInputs} is refused by {@code sigil verify-bundle} with exit 1 (verification
 * failed) or 2 (bad input) and one error line, in milliseconds; the few that are still valid bundles (junk in
 * ignored places) verify, in bounded time. The CPU times printed are for the record; the bound
 * asserted is a regression guard far above them (the 2,000-certificate bundle cost ~10 s of CPU before the caps).
 */
class HostileInputCliTest {
  private static final long GUARD_MS = 2_000;
  @TempDir static Path dir;
  static byte[] seed;
  static String artifact;

  @BeforeAll
  static void load() throws Exception {
    Path cases = ConformanceTest.casesDir();
    seed = Files.readAllBytes(cases.resolve("happy-path-v0.3/bundle.sigstore.json"));
    artifact = cases.resolve("a.txt").toString();
  }

  static Stream<HostileInputs.Case> cases() {
    return HostileInputs.cases().stream();
  }

  private static Cli.Run timedRun(String what, String... args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    Cli.Run r = new Cli().run(args);
    long cpuMs = (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000;
    System.out.println(
        "hostile input (CLI): " + what + ": exit " + r.code() + ", " + cpuMs + " ms CPU, "
            + (System.nanoTime() - wall) / 1_000_000 + " ms wall");
    assertTrue(cpuMs < GUARD_MS, what + " took " + cpuMs + " ms of CPU");
    return r;
  }

  private static void refusedWithOneLine(Cli.Run r) {
    assertTrue(r.code() == 1 || r.code() == 2, () -> "exit " + r.code() + "\n" + r.err());
    r.expect(r.code());
    r.errorLine();
    assertTrue(r.err().lines().count() <= 5, () -> "short output expected:\n" + r.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileBundlesAreRefusedWithOneLine(HostileInputs.Case c) throws Exception {
    byte[] bundle = c.build().apply(seed);
    assertTrue(bundle.length <= HostileInputs.MAX_BYTES, c.name() + ": " + bundle.length + " bytes");
    Path file = dir.resolve(c.name() + ".json");
    Files.write(file, bundle);
    Cli.Run r =
        timedRun(
            c.name() + " (" + bundle.length / 1024 + " KiB)",
            "verify-bundle", "--bundle", file.toString(),
            "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY,
            "--certificate-oidc-issuer", ConformanceTest.DEFAULT_ISSUER,
            artifact);
    if (c.valid()) {
      r.expect(0);
    } else {
      refusedWithOneLine(r);
    }
  }

  /**
   * A trusted root whose extra CA has a pathLenConstraint of 2^31 (BouncyCastle's getBasicConstraints throws on it):
   * read, prepared and used without anything escaping; the happy-path bundle still verifies against the public-good
   * CAs beside it, and a bundle whose leaf claims that CA as issuer is refused with one line.
   */
  @Test
  void aTrustedRootWithAHugePathLengthCaDoesNotCrash() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path cases = ConformanceTest.casesDir();
    ObjectNode root = (ObjectNode) json.readTree(
        Files.readAllBytes(Path.of(HostileInputCliTest.class.getResource("/hostile/public-good-trusted_root.json").toURI())));
    var keys = HostileInputs.ec();
    byte[] ca = HostileInputs.caWithPathLen("CN=huge-pathlen,O=hostile", BigInteger.ONE.shiftLeft(31), keys, null, null);
    ObjectNode extra = ((ArrayNode) root.get("certificateAuthorities")).addObject();
    extra.putObject("certChain").putArray("certificates").addObject().put("rawBytes", Base64.getEncoder().encodeToString(ca));
    extra.putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    Path rootFile = dir.resolve("trusted_root.json");
    Files.write(rootFile, json.writeValueAsBytes(root));

    Cli.Run ok = new Cli().run(
        "verify-bundle", "--trusted-root", rootFile.toString(),
        "--bundle", cases.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
        "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY,
        "--certificate-oidc-issuer", ConformanceTest.DEFAULT_ISSUER, artifact);
    ok.expect(0);

    byte[] leaf = HostileInputs.leaf("CN=leaf", HostileInputs.ec().getPublic(), "CN=huge-pathlen,O=hostile", keys);
    Path bundle = dir.resolve("under-huge-pathlen.json");
    Files.write(bundle, HostileInputs.withCertificateChain(seed, List.of(leaf)));
    Cli.Run r = timedRun(
        "leaf under a trusted CA with pathLen 2^31",
        "verify-bundle", "--trusted-root", rootFile.toString(), "--bundle", bundle.toString(),
        "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY,
        "--certificate-oidc-issuer", ConformanceTest.DEFAULT_ISSUER, artifact);
    refusedWithOneLine(r);
    assertEquals(1, r.code(), r.err());
  }
}
