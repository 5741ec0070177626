package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.oidc.TokenRequest;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.SigstoreJsMock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless (and key-based, logged) signatures interoperate between Sigil, cosign 2.5 and sigstore-js, against Sigil's
 * embedded private Sigstore ({@link Sandbox}) and against sigstore-js's mock services. Everything is offline: the
 * peers run with {@code HOME} and {@code TUF_ROOT} in a scratch directory and are given the sandbox's trust material
 * explicitly (cosign: {@code --trusted-root} to verify, {@code SIGSTORE_*} files to sign).
 *
 * <p>Every check is paired with a negative one (tampered artifact, wrong identity), so none can pass vacuously.
 */
class KeylessInteropTest {
  private static final String IDENTITY = "dev@example.com";
  private static final String PW = "keyless-interop";

  @TempDir static Path dir;
  private static Sandbox sandbox;
  private static String url;
  private static String issuer;
  private static Path trustedRoot;
  private static Map<String, String> cosignSignEnv;

  @BeforeAll
  static void startSandbox() throws Exception {
    sandbox = Sandbox.start(dir.resolve("sandbox"), 0);
    url = sandbox.uri().toString();
    issuer = sandbox.oidcIssuer().issuer();
    trustedRoot = sandbox.trustedRootFile();
    Path pub = sandbox.publicMaterialDir();
    cosignSignEnv = Map.of(
        "SIGSTORE_ROOT_FILE", pub.resolve(Sandbox.FULCIO_CHAIN_PEM).toString(),
        "SIGSTORE_REKOR_PUBLIC_KEY", pub.resolve(Sandbox.REKOR_KEY_PEM).toString(),
        "SIGSTORE_CT_LOG_PUBLIC_KEY_FILE", pub.resolve(Sandbox.CTLOG_KEY_PEM).toString());
  }

  @AfterAll
  static void stopSandbox() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static Path work(String name) throws Exception {
    return Files.createDirectories(dir.resolve(name));
  }

  private static Path artifact(Path work, String content) throws Exception {
    Path a = work.resolve("artifact.txt");
    Files.writeString(a, content, StandardCharsets.UTF_8);
    return a;
  }

  private static Path tampered(Path work) throws Exception {
    Path t = work.resolve("tampered.txt");
    Files.writeString(t, "not what was signed\n", StandardCharsets.UTF_8);
    return t;
  }

  private static String token() {
    return sandbox.oidcIssuer().mint(TokenRequest.of(IDENTITY).withEmail(IDENTITY));
  }

  private static Cli.Run sigilVerify(Path bundle, Path root, String identity, String iss, Path file) {
    return new Cli().run("verify-blob", "--bundle", bundle.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", identity, "--certificate-oidc-issuer", iss, file.toString());
  }

  private static Peers.Result cosignVerify(KeylessPeers peers, Path work, Path bundle, Path root, String identity,
      String iss, Path file) throws Exception {
    return peers.cosign(Map.of(), work, "verify-blob", "--new-bundle-format", "--trusted-root", root.toString(),
        "--certificate-identity", identity, "--certificate-oidc-issuer", iss, "--bundle", bundle.toString(),
        file.toString());
  }

  private static Peers.Result jsVerify(KeylessPeers peers, Path work, Path bundle, Path root, String identity,
      String iss, Path file) throws Exception {
    return peers.node("verify.mjs", work, "--bundle", bundle.toString(), "--artifact", file.toString(),
        "--trusted-root", root.toString(), "--identity", identity, "--issuer", iss);
  }

  private static void assertRejected(Peers.Result r, String what) {
    assertNotEquals(0, r.exitCode(), () -> what + " was accepted: " + r.describe());
  }

  private static void ok(String check) {
    System.out.println("interop: " + check + ": OK");
  }

  /** 1. cosign signs keyless against the sandbox; cosign and Sigil verify it. */
  @Test
  void cosignSignsAgainstTheSandbox() throws Exception {
    Peers.cosign();
    Path work = work("cosign-sign");
    KeylessPeers peers = new KeylessPeers(work);
    Path a = artifact(work, "signed by cosign against the Sigil sandbox\n");
    Path bundle = work.resolve("cosign.sigstore.json");
    Peers.Result sign = peers.cosign(cosignSignEnv, work, "sign-blob", "--yes", "--fulcio-url", url,
        "--rekor-url", url, "--identity-token", token(), "--new-bundle-format", "--bundle", bundle.toString(),
        a.toString());
    assertEquals(0, sign.exitCode(), () -> "cosign sign-blob against the sandbox: " + sign.describe());
    JsonNode b = new ObjectMapper().readTree(bundle.toFile());
    assertEquals(1, b.at("/verificationMaterial/tlogEntries").size(), b::toString);
    long index = b.at("/verificationMaterial/tlogEntries/0/logIndex").asLong();
    assertTrue(index >= 1 && index < sandbox.log().size(), () -> "cosign's entry is not in the sandbox log: " + b);

    Peers.Result v = cosignVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, a);
    assertEquals(0, v.exitCode(), () -> "cosign verify-blob: " + v.describe());
    assertTrue(v.stderr().contains("Verified OK"), v::describe);
    sigilVerify(bundle, trustedRoot, IDENTITY, issuer, a).expect(0);

    sigilVerify(bundle, trustedRoot, "eve@example.com", issuer, a).expect(1);
    sigilVerify(bundle, trustedRoot, IDENTITY, "https://accounts.example.com", a).expect(1);
    Path t = tampered(work);
    sigilVerify(bundle, trustedRoot, IDENTITY, issuer, t).expect(1);
    assertRejected(cosignVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, t), "cosign: tampered artifact");
    assertRejected(cosignVerify(peers, work, bundle, trustedRoot, "eve@example.com", issuer, a),
        "cosign: wrong identity");
    ok("cosign sign-blob -> sandbox -> cosign+sigil verify");
  }

  /** 2. Sigil signs keyless against the sandbox; cosign and sigstore-js verify it. */
  @Test
  void sigilSignsAgainstTheSandbox() throws Exception {
    Peers.cosign();
    SigstoreJsMock.requireSigstoreJs();
    Path work = work("sigil-sign");
    KeylessPeers peers = new KeylessPeers(work);
    Path a = artifact(work, "signed by Sigil against the Sigil sandbox\n");
    Path bundle = work.resolve("sigil.sigstore.json");
    new Cli().run("sign-blob", "--sandbox", url, "--oidc-provider", "sandbox", "--bundle", bundle.toString(),
        a.toString()).expect(0);
    JsonNode b = new ObjectMapper().readTree(bundle.toFile());
    assertEquals(1, b.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").size(),
        () -> "the sandbox's TSA was used: " + b);

    Peers.Result c = cosignVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, a);
    assertEquals(0, c.exitCode(), () -> "cosign verify-blob of Sigil's sandbox bundle: " + c.describe());
    Peers.Result js = jsVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, a);
    assertEquals(0, js.exitCode(), () -> "sigstore-js verify.mjs of Sigil's sandbox bundle: " + js.describe());
    sigilVerify(bundle, trustedRoot, IDENTITY, issuer, a).expect(0);

    Path t = tampered(work);
    assertRejected(cosignVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, t), "cosign: tampered artifact");
    assertRejected(jsVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, t), "sigstore-js: tampered artifact");
    assertRejected(jsVerify(peers, work, bundle, trustedRoot, "eve@example.com", issuer, a),
        "sigstore-js: wrong identity");
    ok("sigil sign-blob --sandbox -> cosign+sigstore-js+sigil verify");
  }

  /** 3. sigstore-js signs against the sandbox (Fulcio v2 + Rekor v1); sigstore-js and Sigil verify it. */
  @Test
  void sigstoreJsSignsAgainstTheSandbox() throws Exception {
    SigstoreJsMock.requireSigstoreJs();
    Path work = work("js-sign");
    KeylessPeers peers = new KeylessPeers(work);
    Path a = artifact(work, "signed by sigstore-js against the Sigil sandbox\n");
    Path bundle = work.resolve("js.sigstore.json");
    Path ignoredRoot = work.resolve("ignored-trusted_root.json");
    Peers.Result sign = peers.node("sign.mjs", work, a.toString(), "--url", url, "--identity-token", token(),
        "--bundle", bundle.toString(), "--trusted-root", ignoredRoot.toString());
    assertEquals(0, sign.exitCode(), () -> "sigstore-js sign.mjs against the sandbox: " + sign.describe());

    Peers.Result js = jsVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, a);
    assertEquals(0, js.exitCode(), () -> "sigstore-js verify.mjs: " + js.describe());
    sigilVerify(bundle, trustedRoot, IDENTITY, issuer, a).expect(0);

    Path t = tampered(work);
    sigilVerify(bundle, trustedRoot, IDENTITY, issuer, t).expect(1);
    sigilVerify(bundle, trustedRoot, "eve@example.com", issuer, a).expect(1);
    assertRejected(jsVerify(peers, work, bundle, trustedRoot, IDENTITY, issuer, t), "sigstore-js: tampered artifact");
    ok("sigstore-js sign.mjs -> sandbox -> sigstore-js+sigil verify");
  }

  /**
   * 4. Sigil signs keyless against sigstore-js's mock services (no TSA: the mock's speaks JSON, not RFC 3161); cosign,
   * sigstore-js and Sigil verify it.
   *
   * <p>cosign 2.5 (sigstore-go {@code tlog.ParseEntry}) rejects any entry whose {@code logIndex} is 0 with "validation
   * error: nil value in transaction log entry": it reads the protobuf zero value as "missing". The mock's log is
   * empty at start, so the first signature lands at index 0; it is checked with Sigil and sigstore-js only, and a
   * second one (at index &gt; 0, as on every real log, and in the sandbox, which has a genesis entry) with all three.
   */
  @Test
  void sigilSignsAgainstSigstoreJsMocks() throws Exception {
    Peers.cosign();
    SigstoreJsMock.requireSigstoreJs();
    Path work = work("mock-sign");
    KeylessPeers peers = new KeylessPeers(work);
    String subject = "https://example.com/sigil-keyless-interop";
    String mockIssuer = "https://oidc.example.com";
    try (SigstoreJsMock mock = SigstoreJsMock.start(work)) {
      String base = mock.uri().toString();
      Path root = mock.trustedRoot();
      Path a = artifact(work, "signed by Sigil against the sigstore-js mocks\n");
      Path t = tampered(work);
      Path bundle = null;
      for (int attempt = 0; attempt < 2; attempt++) {
        bundle = work.resolve("sigil-mock-" + attempt + ".sigstore.json");
        new Cli().run("sign-blob", "--fulcio-url", base, "--rekor-url", base, "--no-timestamp", "--trusted-root",
            root.toString(), "--identity-token", KeylessPeers.unsignedToken(subject, mockIssuer), "--bundle",
            bundle.toString(), a.toString()).expect(0);
        sigilVerify(bundle, root, subject, mockIssuer, a).expect(0);
        sigilVerify(bundle, root, subject, mockIssuer, t).expect(1);
        sigilVerify(bundle, root, subject + "/other", mockIssuer, a).expect(1);
        Path signed = bundle;
        Peers.Result js = jsVerify(peers, work, signed, root, subject, mockIssuer, a);
        assertEquals(0, js.exitCode(), () -> "sigstore-js verify.mjs of Sigil's mock bundle: " + js.describe());
        assertRejected(jsVerify(peers, work, bundle, root, subject, mockIssuer, t), "sigstore-js: tampered artifact");
        long index = new ObjectMapper().readTree(bundle.toFile()).at("/verificationMaterial/tlogEntries/0/logIndex")
            .asLong(-1);
        assertTrue(index >= 0, "the bundle has a log index");
        if (index > 0) {
          break;
        }
        System.out.println("interop: note: the mock log put Sigil's entry at index 0, which cosign 2.5 rejects "
            + "(sigstore-go reads logIndex 0 as unset); signing again for the cosign check");
      }
      Path signed = bundle;
      assertTrue(new ObjectMapper().readTree(signed.toFile()).at("/verificationMaterial/tlogEntries/0/logIndex")
          .asLong() > 0, "second entry is past index 0");
      Peers.Result c = cosignVerify(peers, work, signed, root, subject, mockIssuer, a);
      assertEquals(0, c.exitCode(), () -> "cosign verify-blob of Sigil's mock bundle: " + c.describe());
      assertTrue(c.stderr().contains("Verified OK"), c::describe);
      assertRejected(cosignVerify(peers, work, signed, root, subject, mockIssuer, t), "cosign: tampered artifact");
      assertRejected(cosignVerify(peers, work, signed, root, subject + "/other", mockIssuer, a),
          "cosign: wrong identity");
    }
    ok("sigil sign-blob -> sigstore-js mocks -> cosign+sigstore-js+sigil verify");
  }

  /** 5. A Sigil key signature uploaded to the sandbox log verifies in cosign against the sandbox's trusted root. */
  @Test
  void sigilKeyBasedUploadVerifiesInCosign() throws Exception {
    Peers.cosign();
    Path work = work("key-upload");
    KeylessPeers peers = new KeylessPeers(work);
    String prefix = work.resolve("k").toString();
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", prefix).expect(0);
    Path a = artifact(work, "key-based, logged in the Sigil sandbox\n");
    Path bundle = work.resolve("key.sigstore.json");
    new Cli().password(PW).run("sign-blob", "--key", prefix + ".key", "--tlog-upload", "--sandbox", url,
        "--bundle", bundle.toString(), a.toString()).expect(0);
    JsonNode b = new ObjectMapper().readTree(bundle.toFile());
    assertEquals(1, b.at("/verificationMaterial/tlogEntries").size(), b::toString);

    Map<String, String> env = Map.of("SIGSTORE_REKOR_PUBLIC_KEY", cosignSignEnv.get("SIGSTORE_REKOR_PUBLIC_KEY"));
    Peers.Result v = peers.cosign(env, work, "verify-blob", "--key", prefix + ".pub", "--new-bundle-format",
        "--trusted-root", trustedRoot.toString(), "--bundle", bundle.toString(), a.toString());
    assertEquals(0, v.exitCode(), () -> "cosign verify-blob of Sigil's logged key bundle: " + v.describe());
    assertTrue(v.stderr().contains("Verified OK"), v::describe);
    new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", bundle.toString(), "--trusted-root",
        trustedRoot.toString(), a.toString()).expect(0);

    Path t = tampered(work);
    Peers.Result bad = peers.cosign(env, work, "verify-blob", "--key", prefix + ".pub", "--new-bundle-format",
        "--trusted-root", trustedRoot.toString(), "--bundle", bundle.toString(), t.toString());
    assertRejected(bad, "cosign: tampered artifact");
    new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", bundle.toString(), "--trusted-root",
        trustedRoot.toString(), t.toString()).expect(1);
    ok("sigil sign-blob --key --tlog-upload -> sandbox -> cosign+sigil verify");
  }
}
