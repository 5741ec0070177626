package dev.sigil.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * sigstore-js's {@code mock-services.mjs --real-tlog} (Fulcio v2, Rekor v1 with a real Merkle tree, a JSON TSA) as a
 * subprocess on 127.0.0.1, which writes its trusted root to {@link #trustedRoot} and serves at {@link #uri}.
 */
public final class SigstoreJsMock implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final URI uri;
  private final Path trustedRoot;

  private SigstoreJsMock(Process process, URI uri, Path trustedRoot) {
    this.process = process;
    this.uri = uri;
    this.trustedRoot = trustedRoot;
  }

  /** Where the mock serves every API (Fulcio, Rekor and the TSA share the base URL). */
  public URI uri() {
    return uri;
  }

  /** The trusted root the mock wrote for its own keys. */
  public Path trustedRoot() {
    return trustedRoot;
  }

  /**
   * Starts the mock in {@code dir} (its trusted root and stderr go there), without any {@code SIGSTORE_*} variable
   * of ours. Skips the test (or fails it under {@code SIGIL_REQUIRE_PEERS=1}) when sigstore-js or node is missing.
   */
  public static SigstoreJsMock start(Path dir) throws IOException, InterruptedException {
    requireSigstoreJs();
    Path js = Peers.sigstoreJs();
    Path trustedRoot = dir.resolve("mock-trusted_root.json");
    Path errFile = dir.resolve("mock.err");
    ProcessBuilder pb =
        new ProcessBuilder(
                "node", js.resolve("mock-services.mjs").toString(), "--port", "0", "--real-tlog",
                "--trusted-root", trustedRoot.toString())
            .directory(js.toFile())
            .redirectError(errFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("SIGSTORE_"));
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    return m.group(1);
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String found;
    try {
      found = url.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      found = null;
    }
    if (found == null) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      Assertions.fail("mock-services.mjs did not report its URL within 30 s; stderr: " + read(errFile));
    }
    // Keep draining stdout so the mock never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discard
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "mock-services-stdout");
    drain.setDaemon(true);
    drain.start();
    return new SigstoreJsMock(p, URI.create(found), trustedRoot);
  }

  /** Skips (or fails under {@code SIGIL_REQUIRE_PEERS=1}) unless sigstore-js and node are both present. */
  public static void requireSigstoreJs() throws InterruptedException {
    Peers.sigstoreJs();
    String why;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      p.destroyForcibly();
      why = "node --version failed";
    } catch (IOException e) {
      why = "node is not on PATH (" + e.getMessage() + ")";
    }
    String msg = "PEER MISSING: node for sigstore-js: " + why;
    if (Peers.required()) {
      Assertions.fail(msg + " [SIGIL_REQUIRE_PEERS=1]");
    }
    System.err.println("\n*** SKIPPING INTEROP TEST: " + msg + " ***\n");
    Assumptions.abort(msg);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
