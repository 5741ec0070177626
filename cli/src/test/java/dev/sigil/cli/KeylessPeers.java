package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sigil.testkit.Peers;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the keyless interop peers (cosign, node + sigstore-js) with a controlled environment: nothing is inherited but
 * {@code PATH}, and {@code HOME} and {@code TUF_ROOT} point into a scratch directory, so no peer can read the real
 * home, a stray {@code SIGSTORE_*} variable or the network's TUF repository.
 */
final class KeylessPeers {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final Path home;

  /** Peers whose home ({@code HOME}, {@code TUF_ROOT}) is under {@code scratch}. */
  KeylessPeers(Path scratch) throws IOException {
    this.home = Files.createDirectories(scratch.resolve("peer-home"));
    Files.createDirectories(home.resolve("tuf"));
  }

  /** Runs {@code command} in {@code dir} with only PATH, HOME, TUF_ROOT and {@code env} set. */
  Peers.Result run(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    e.clear();
    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    e.put("HOME", home.toString());
    e.put("TUF_ROOT", home.resolve("tuf").toString());
    e.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    e.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    e.putAll(env);
    Path out = Files.createTempFile(dir, "peer", ".out");
    Path err = Files.createTempFile(dir, "peer", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      Assertions.fail("timed out after " + timeoutSeconds + " s: " + command);
    }
    return new Peers.Result(
        p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** {@code cosign ARGS} with {@code env}. */
  Peers.Result cosign(Map<String, String> env, Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.cosign().toString());
    cmd.addAll(List.of(args));
    return run(cmd, env, dir, 120);
  }

  /** {@code node $SIGSTORE_JS_DIR/SCRIPT ARGS}. */
  Peers.Result node(String script, Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("node");
    cmd.add(Peers.sigstoreJs().resolve(script).toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of(), dir, 120);
  }

  /** Skips (or fails under {@code SIGIL_REQUIRE_PEERS=1}) unless sigstore-js and node are both present. */
  static void requireSigstoreJs() throws InterruptedException {
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

  /**
   * sigstore-js's {@code mock-services.mjs --real-tlog} (Fulcio v2, Rekor v1 with a real Merkle tree, a JSON TSA) as
   * a subprocess, which writes its trusted root to {@code trustedRoot} and prints "listening on URL".
   */
  static final class MockServices implements AutoCloseable {
    final Process process;
    final URI uri;
    final Path trustedRoot;

    private MockServices(Process process, URI uri, Path trustedRoot) {
      this.process = process;
      this.uri = uri;
      this.trustedRoot = trustedRoot;
    }

    static MockServices start(Path dir) throws IOException, InterruptedException {
      requireSigstoreJs();
      Path js = Peers.sigstoreJs();
      Path trustedRoot = dir.resolve("mock-trusted_root.json");
      Path errFile = dir.resolve("mock.err");
      ProcessBuilder pb = new ProcessBuilder(
              "node", js.resolve("mock-services.mjs").toString(), "--port", "0", "--real-tlog",
              "--trusted-root", trustedRoot.toString())
          .directory(js.toFile())
          .redirectError(errFile.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(devNull()));
      pb.environment().keySet().removeIf(k -> k.startsWith("SIGSTORE_"));
      Process p = pb.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
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
      }
      assertNotNull(found, () -> "mock-services.mjs did not report its URL within 30 s; stderr: " + read(errFile));
      // Keep draining stdout so the mock never blocks on a full pipe.
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // discard
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "mock-services-stdout");
      drain.setDaemon(true);
      drain.start();
      return new MockServices(p, URI.create(found), trustedRoot);
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
  }

  /** An unsigned token as sign.mjs makes up: the mock Fulcio only decodes it. */
  static String unsignedToken(String subject, String issuer) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String payload = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":\"sigstore\",\"iat\":" + now
        + ",\"exp\":" + (now + 600) + "}";
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static File devNull() {
    return new File("/dev/null");
  }
}
