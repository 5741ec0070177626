package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sigil.testkit.Peers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Runs the keyless interop peers (cosign, node + sigstore-js) with a controlled environment: nothing is inherited but
 * {@code PATH}, and {@code HOME} and {@code TUF_ROOT} point into a scratch directory, so no peer can read the real
 * home, a stray {@code SIGSTORE_*} variable or the network's TUF repository.
 */
final class KeylessPeers {
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

  private static File devNull() {
    return new File("/dev/null");
  }
}
