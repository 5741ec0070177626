package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigil admission serve}: exit codes at start (2 bad input, 3 environment), and SIGTERM ending in exit 0. */
class AdmissionCommandTest {
  @TempDir static Path dir;
  static Path policies;
  static Path cert;
  static Path key;

  @BeforeAll
  static void files() throws Exception {
    policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("p.yaml"),
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: p}\nspec:\n"
            + "  images: [{glob: \"127.0.0.1:5000/**\"}]\n  authorities:\n  - {name: deny, static: {action: fail}}\n");
    cert = dir.resolve("tls.crt");
    key = dir.resolve("tls.key");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
  }

  static String[] serve(String... extra) {
    List<String> a = new ArrayList<>(List.of("admission", "serve", "--address", "127.0.0.1", "--audit-log", "off"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void invalidPoliciesExit2NamingTheProblem() throws Exception {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("p.yaml"), "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nspec: {}\n");
    Cli.Run r = new Cli().run(serve("--policies", bad.toString(), "--tls-cert", cert.toString(), "--tls-key",
        key.toString(), "--port", "0")).expect(2);
    assertTrue(r.errorLine().contains("p.yaml"), r.err());
    Cli.Run missing = new Cli().run(serve("--policies", dir.resolve("nope").toString(), "--tls-cert", cert.toString(),
        "--tls-key", key.toString(), "--port", "0")).expect(2);
    assertTrue(missing.errorLine().contains("expected a directory of policy files"), missing.err());
  }

  @Test
  void unusableTlsFilesExit2WithoutPrintingThem() throws Exception {
    Path garbage = dir.resolve("garbage.key");
    Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Cli.Run r = new Cli().run(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key",
        garbage.toString(), "--port", "0")).expect(2);
    assertTrue(r.errorLine().contains("garbage.key"), r.err());
    assertFalse(r.err().contains("AAAA"), "never prints key material: " + r.err());
    Cli.Run swapped = new Cli().run(serve("--policies", policies.toString(), "--tls-cert", key.toString(), "--tls-key",
        cert.toString(), "--port", "0")).expect(2);
    assertTrue(swapped.errorLine().contains("TLS certificate"), swapped.err());
    assertFalse(swapped.err().contains("PRIVATE KEY"), swapped.err());
  }

  @Test
  void badFlagsExit2() {
    new Cli().run(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key", key.toString(),
        "--deadline", "soon")).expect(2);
    new Cli().run(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key", key.toString(),
        "--pull-secrets", "maybe")).expect(2);
  }

  @Test
  void tufRefreshIsCheckedBeforeServing() throws Exception {
    Cli.Run both = new Cli().run(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key",
        key.toString(), "--port", "0", "--tuf-refresh", "1h", "--trusted-root", cert.toString())).expect(2);
    assertTrue(both.errorLine().contains("--tuf-refresh and --trusted-root"), both.err());
    // another mirror with nothing cached needs its initial TUF root first: refused before listening, no network
    Path cache = Files.createDirectories(dir.resolve("tuf-cache"));
    Cli.Run noRoot = new Cli().env("SIGIL_TUF_CACHE", cache.toString()).run(serve("--policies", policies.toString(),
        "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--port", "0", "--tuf-refresh", "1h",
        "--tuf-mirror", "http://127.0.0.1:9/")).expect(2);
    assertTrue(noRoot.errorLine().toLowerCase(java.util.Locale.ROOT).contains("root"), noRoot.err());
  }

  @Test
  void portInUseExits3() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Run r = new Cli().run(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key",
          key.toString(), "--port", Integer.toString(taken.getLocalPort()))).expect(3);
      assertTrue(r.errorLine().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
    }
  }

  @Test
  void sigtermStopsTheServerWithExitCode0() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("serve.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.sigil.cli.Sigil"));
    cmd.addAll(List.of(serve("--policies", policies.toString(), "--tls-cert", cert.toString(), "--tls-key",
        key.toString(), "--port", Integer.toString(port))));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!read(log).contains("serving on https://127.0.0.1:" + port)) {
        assertTrue(p.isAlive(), () -> "the server exited: " + read(log));
        assertTrue(System.nanoTime() < end, () -> "the server did not start: " + read(log));
        Thread.sleep(100);
      }
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
      assertEquals(0, p.exitValue(), () -> read(log));
    } finally {
      p.destroyForcibly();
    }
  }

  static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
