package dev.sigil.sandbox.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.rekor.LogEntry;
import dev.sigil.testkit.Peers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cosign 2.5 uploads a key-based blob signature to the sandbox's Rekor v1 API, and verifies the resulting bundle
 * offline against the sandbox's trusted root.
 *
 * <p>Offline by construction: cosign runs with only {@code PATH} inherited, {@code HOME} and {@code TUF_ROOT} in a
 * scratch directory, {@code SIGSTORE_REKOR_PUBLIC_KEY} set to the sandbox log's key (so {@code sign-blob} checks the
 * SET without a TUF refresh), and {@code verify-blob --new-bundle-format --trusted-root <sandbox trusted root>}
 * (without those two flags cosign 2.5 refreshes TUF from the public-good mirror and fails with no network). Skips
 * loudly without {@code $COSIGN_BIN}, fails instead under {@code SIGIL_REQUIRE_PEERS=1} ({@link Peers}).
 */
class CosignRekorHttpTest {
  @TempDir Path dir;

  @Test
  void cosignSignBlobUploadsToTheSandboxLog() throws Exception {
    Path cosign = Peers.cosign();
    try (Sandbox sandbox = Sandbox.start(dir.resolve("sandbox"), 0)) {
      String base = sandbox.uri().toString();
      Path work = Files.createDirectories(dir.resolve("work"));
      Map<String, String> env = Map.of(
          "COSIGN_PASSWORD", "",
          "SIGSTORE_REKOR_PUBLIC_KEY", sandbox.publicMaterialDir().resolve(Sandbox.REKOR_KEY_PEM).toString());
      Peers.Result gen = run(work, env,
          cosign.toString(), "generate-key-pair", "--output-key-prefix", work.resolve("ck").toString());
      assertEquals(0, gen.exitCode(), gen::describe);
      Path artifact = work.resolve("artifact.txt");
      Files.writeString(artifact, "hello from the sandbox\n", StandardCharsets.UTF_8);
      Path bundle = work.resolve("artifact.sigstore.json");
      assertEquals(1, sandbox.log().size(), "a fresh sandbox log holds its genesis entry only");

      Peers.Result sign = run(work, env, cosign.toString(), "sign-blob", "--yes",
          "--key", work.resolve("ck.key").toString(), "--new-bundle-format", "--tlog-upload=true",
          "--rekor-url", base, "--bundle", bundle.toString(), artifact.toString());
      assertEquals(0, sign.exitCode(), sign::describe);
      assertEquals(2, sandbox.log().size(), "cosign's entry should be at index 1");

      JsonNode b = new ObjectMapper().readTree(bundle.toFile());
      JsonNode tlog = b.at("/verificationMaterial/tlogEntries/0");
      assertEquals(1, tlog.get("logIndex").asLong(), b::toString);
      LogEntry e = sandbox.log().entry(1);
      assertEquals(e.bodyBase64(), tlog.get("canonicalizedBody").asText(), b::toString);

      String root = sandbox.trustedRootFile().toString();
      Peers.Result verify = run(work, env, cosign.toString(), "verify-blob", "--key",
          work.resolve("ck.pub").toString(), "--new-bundle-format", "--trusted-root", root,
          "--bundle", bundle.toString(), artifact.toString());
      assertEquals(0, verify.exitCode(), verify::describe);
      assertTrue(verify.stderr().contains("Verified OK"), verify::describe);

      // The check above can fail: another artifact is rejected.
      Path other = work.resolve("other.txt");
      Files.writeString(other, "not what was signed\n", StandardCharsets.UTF_8);
      Peers.Result bad = run(work, env, cosign.toString(), "verify-blob", "--key",
          work.resolve("ck.pub").toString(), "--new-bundle-format", "--trusted-root", root,
          "--bundle", bundle.toString(), other.toString());
      assertNotEquals(0, bad.exitCode(), bad::describe);
    }
  }

  /** Runs cosign with only PATH inherited, HOME and TUF_ROOT under {@code work}, plus {@code env}. */
  private static Peers.Result run(Path work, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(work.toFile());
    Map<String, String> e = pb.environment();
    e.clear();
    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    e.put("HOME", work.toString());
    e.put("TUF_ROOT", work.resolve("tuf").toString());
    e.putAll(env);
    Path out = Files.createTempFile(work, "peer", ".out");
    Path err = Files.createTempFile(work, "peer", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
        new File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out after 120 s: " + List.of(command));
    }
    return new Peers.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
