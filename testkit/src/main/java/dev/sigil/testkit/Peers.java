package dev.sigil.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Independent peers for interop tests (cosign, skopeo, sigstore-js), located through the environment that
 * {@code ../shared/tools/peers env} prints, and a headless Chromium for tests of HTML output. A missing peer skips the test with a loud message, or fails it when
 * {@code SIGIL_REQUIRE_PEERS=1} (as CI sets).
 */
public final class Peers {
  private Peers() {}

  /** The cosign binary ({@code $COSIGN_BIN}). */
  public static Path cosign() {
    return require("COSIGN_BIN", "cosign 2.5");
  }

  /** The sigstore-enabled skopeo ({@code $SKOPEO_BIN}). */
  public static Path skopeo() {
    return require("SKOPEO_BIN", "skopeo 1.18");
  }

  /** The directory of the sigstore-js peer scripts ({@code $SIGSTORE_JS_DIR}). */
  public static Path sigstoreJs() {
    return require("SIGSTORE_JS_DIR", "sigstore-js");
  }

  /** umoci, which makes OCI image layouts ({@code $UMOCI_BIN}). */
  public static Path umoci() {
    return require("UMOCI_BIN", "umoci");
  }

  /**
   * A headless-capable Chromium: {@code $CHROMIUM_BIN}, else {@code chromium} (Debian's package, which {@code .ci/run}
   * installs) or {@code chromium-browser} on the {@code PATH}.
   */
  public static Path chromium() {
    String v = System.getenv("CHROMIUM_BIN");
    if (v != null && !v.isBlank()) {
      return require("CHROMIUM_BIN", "chromium");
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
          Path p = Path.of(dir.isEmpty() ? "." : dir, name);
          if (Files.isExecutable(p)) {
            return p;
          }
        }
      }
    }
    String msg =
        "PEER MISSING: chromium (not on PATH, $CHROMIUM_BIN unset); install it: apt-get install -y chromium"
            + " (.ci/run does)";
    if (required()) {
      Assertions.fail(msg + " [SIGIL_REQUIRE_PEERS=1]");
    }
    System.err.println("\n*** SKIPPING BROWSER TEST: " + msg + " ***\n");
    Assumptions.abort(msg);
    throw new AssertionError("unreachable");
  }

  public static boolean required() {
    return "1".equals(System.getenv("SIGIL_REQUIRE_PEERS"));
  }

  private static Path require(String var, String name) {
    String v = System.getenv(var);
    Path p = v == null || v.isBlank() ? null : Path.of(v);
    if (p != null && Files.exists(p)) {
      return p;
    }
    return missing(
        "PEER MISSING: "
            + name
            + " ($"
            + var
            + (v == null ? " unset" : "=" + v + " does not exist")
            + "); run ../shared/tools/peers install && eval \"$(../shared/tools/peers env)\"");
  }

  /**
   * A program from the system's packages, found on {@code PATH} (e.g. Debian's tmux, which .ci/run installs); missing,
   * it skips or fails the test as a missing peer does.
   */
  public static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, program);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return missing("PROGRAM MISSING: " + program + " is not on PATH; install it (apt-get install -y " + program
        + "), as .ci/run does");
  }

  private static Path missing(String msg) {
    if (required()) {
      Assertions.fail(msg + " [SIGIL_REQUIRE_PEERS=1]");
    }
    System.err.println("\n*** SKIPPING INTEROP TEST: " + msg + " ***\n");
    Assumptions.abort(msg);
    throw new AssertionError("unreachable");
  }

  /** The outcome of running a peer. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** Runs a command with extra environment variables, in {@code dir}, with a time limit. */
  public static Result run(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "peer", ".out");
    Path err = Files.createTempFile(dir, "peer", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      Assertions.fail("timed out after " + timeoutSeconds + " s: " + command);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }
}
