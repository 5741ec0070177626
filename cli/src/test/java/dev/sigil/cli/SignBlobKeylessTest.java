package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil sign-blob} keyless and with {@code --tlog-upload}, {@code sigil sandbox token} and {@code sigil
 * quickstart}, in-process against an in-process sandbox: the happy paths, and every refusal with its exit code, its
 * one-line reason, and no bundle written.
 */
class SignBlobKeylessTest {
  @TempDir static Path shared;
  static Sandbox sandbox;
  static String url;
  static String issuer;
  static Path root;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(shared.resolve("sandbox"), 0);
    url = sandbox.uri().toString();
    issuer = sandbox.oidcIssuerUrl().toString();
    root = sandbox.trustedRootFile();
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  Path artifact() throws Exception {
    Path f = dir.resolve("artifact.txt");
    Files.writeString(f, "keyless from the CLI\n", StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void keylessAgainstTheSandboxVerifiesWithTheIdentityAndRejectsOthers() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("a.sigstore.json");
    long before = sandbox.log().size();
    Cli.Run r = new Cli().run("sign-blob", "--sandbox", url, "--oidc-provider", "sandbox", "--sandbox-subject",
        "alice@example.com", "--bundle", b.toString(), f.toString()).expect(0);
    assertTrue(r.out().contains("as alice@example.com"), r.out());
    assertEquals(before + 1, sandbox.log().size());
    JsonNode bundle = new ObjectMapper().readTree(b.toFile());
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", bundle.get("mediaType").asText());
    assertTrue(bundle.at("/verificationMaterial/certificate/rawBytes").isTextual());
    assertEquals(1, bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").size());
    assertEquals(before, bundle.at("/verificationMaterial/tlogEntries/0/logIndex").asLong());

    new Cli().run("verify-blob", "--bundle", b.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", "alice@example.com", "--certificate-oidc-issuer", issuer, f.toString()).expect(0);
    String wrong = new Cli().run("verify-blob", "--bundle", b.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", "bob@example.com", "--certificate-oidc-issuer", issuer, f.toString())
        .expect(1).errorLine();
    assertTrue(wrong.contains("expected bob@example.com") && wrong.contains("alice@example.com"), wrong);
    // Against the public-good root (the default) the sandbox's CA is not trusted.
    new Cli().run("verify-blob", "--bundle", b.toString(), "--certificate-identity", "alice@example.com",
        "--certificate-oidc-issuer", issuer, f.toString()).expect(1);
  }

  @Test
  void explicitServiceUrlsAndATokenFromTheEnvironment() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("b.sigstore.json");
    String token = new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "ci@example.com").expect(0)
        .out().trim();
    assertEquals(3, token.split("\\.").length, "a compact JWT");
    Cli.Run r = new Cli().env("SIGSTORE_ID_TOKEN", token).run("sign-blob", "--fulcio-url", url, "--rekor-url", url,
        "--no-timestamp", "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(0);
    assertFalse(r.out().contains(token) || r.err().contains(token), "the token must never be printed");
    JsonNode bundle = new ObjectMapper().readTree(b.toFile());
    assertTrue(bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").isMissingNode()
        || bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").isEmpty());
    new Cli().run("verify-blob", "--bundle", b.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", issuer, f.toString()).expect(0);
  }

  @Test
  void keyWithLogUploadVerifiesWithoutWaivingTheLog() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("k.sigstore.json");
    new Cli().password("pw").run("generate-key-pair", "--output-key-prefix", dir.resolve("k").toString()).expect(0);
    long before = sandbox.log().size();
    new Cli().password("pw").run("sign-blob", "--key", dir.resolve("k.key").toString(), "--tlog-upload",
        "--sandbox", url, "--bundle", b.toString(), f.toString()).expect(0);
    assertEquals(before + 1, sandbox.log().size());
    new Cli().run("verify-blob", "--key", dir.resolve("k.pub").toString(), "--trusted-root", root.toString(),
        "--bundle", b.toString(), f.toString()).expect(0);
  }

  @Test
  void refusalsSayWhyAndWriteNothing() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("never.sigstore.json");
    long before = sandbox.log().size();

    assertTrue(new Cli().run("sign-blob", "--tlog-upload", "--sandbox", url, "--bundle", b.toString(), f.toString())
        .expect(2).errorLine().contains("--tlog-upload: only with --key"));
    assertTrue(new Cli().run("sign-blob", "--sandbox", url, "--oidc-provider", "google", "--bundle", b.toString(),
        f.toString()).expect(2).errorLine().contains("expected 'sandbox', found 'google'"));
    assertTrue(new Cli().run("sign-blob", "--oidc-provider", "sandbox", "--bundle", b.toString(), f.toString())
        .expect(2).errorLine().contains("needs --sandbox"));
    assertTrue(new Cli().run("sign-blob", "--fulcio-url", url, "--rekor-url", url, "--identity-token", "x.y.z",
        "--bundle", b.toString(), f.toString()).expect(2).errorLine().contains("--trusted-root"));
    String noToken = new Cli().run("sign-blob", "--sandbox", url, "--bundle", b.toString(), f.toString())
        .expect(2).errorLine();
    assertTrue(noToken.contains("SIGSTORE_ID_TOKEN"), noToken);
    new Cli().run("sign-blob", "--sandbox", url, "--identity-token", "not-a-jwt", "--bundle", b.toString(),
        f.toString()).expect(2);

    // A token for another audience: Fulcio refuses it (401), the CLI says so (exit 3), nothing reaches the log.
    String other = new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "eve@example.com",
        "--audience", "not-sigstore").expect(0).out().trim();
    String aud = new Cli().run("sign-blob", "--sandbox", url, "--identity-token", other, "--bundle", b.toString(),
        f.toString()).expect(3).errorLine();
    assertTrue(aud.contains("401") && aud.contains("aud: expected to contain \"sigstore\""), aud);
    assertFalse(aud.contains(other), "the token must never be printed");

    // Nothing listens on port 1.
    String down = new Cli().run("sign-blob", "--sandbox", "http://127.0.0.1:1", "--oidc-provider", "sandbox",
        "--bundle", b.toString(), f.toString()).expect(3).errorLine();
    assertTrue(down.contains("nothing answers"), down);

    assertFalse(Files.exists(b), "no bundle may be written by a refused signing");
    assertEquals(before, sandbox.log().size(), "no refused signing may reach the log");
  }

  @Test
  void sandboxTokenRefusesBadFlags() {
    new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "a@example.com", "--lifetime", "0").expect(2);
    new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "a@example.com", "--lifetime", "7200")
        .expect(2);
    String bad = new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "a@example.com", "--claim",
        "iss=https://evil.example").expect(2).errorLine();
    assertTrue(bad.contains("iss"), bad);
    new Cli().run("sandbox", "token", "--sandbox", "http://127.0.0.1:1", "--subject", "a@example.com").expect(3);
  }

  @Test
  void quickstartRunsKeylessEndToEnd() {
    Cli.Run r = new Cli().run("quickstart").expect(0);
    assertTrue(r.out().contains("Quickstart OK"), r.out());
    assertTrue(r.out().contains("A tampered copy is rejected"), r.out());
    assertTrue(r.out().contains("expected mallory@example.com, found email dev@example.com"), r.out());
  }
}
