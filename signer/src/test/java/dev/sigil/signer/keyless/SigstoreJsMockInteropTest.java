package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.SigstoreJsMock;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless and key-based signing against the real sigstore-js mock services (Fulcio v2 REST, Rekor v1 with a real
 * Merkle log, TSA), verified with Sigil's {@link Verifier} and with sigstore-js's {@code verify.mjs}.
 */
class SigstoreJsMockInteropTest {
  private static final String SUBJECT = "https://example.com/sigil-signer";
  private static final String ISSUER = "https://oidc.example.com";

  @TempDir static Path dir;
  private static SigstoreJsMock mock;
  private static Path jsDir;
  private static URI base;
  private static Path trustedRootFile;
  private static TrustedRoot trustedRoot;

  @BeforeAll
  static void startMock() throws Exception {
    mock = SigstoreJsMock.start(dir);
    jsDir = Peers.sigstoreJs();
    base = mock.uri();
    trustedRootFile = mock.trustedRoot();
    trustedRoot = TrustedRoot.parse(Files.readAllBytes(trustedRootFile));
  }

  @AfterAll
  static void stopMock() {
    if (mock != null) {
      mock.close();
    }
  }

  /** An unsigned, made-up token as sign.mjs builds: the mock Fulcio only decodes it. */
  static String token(String subject, String issuer) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String payload =
        "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":\"sigstore\",\"iat\":" + now
            + ",\"exp\":" + (now + 600) + "}";
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
  }

  private static Timeouts timeouts() {
    return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  private static KeylessSigner keyless(boolean withTsa, Verifier verifier) {
    Optional<TimestampClient> tsa =
        withTsa
            ? Optional.of(
                new TimestampClient(
                    URI.create(base + "/api/v1/timestamp"),
                    TimestampClient.Encoding.SIGSTORE_JSON,
                    timeouts(),
                    new SecureRandom()))
            : Optional.empty();
    return new KeylessSigner(
        new FulcioClient(base, timeouts()), new RekorClient(base, timeouts()), tsa, verifier, new SecureRandom());
  }

  private static final Pattern JS_PARSABLE_TIME = Pattern.compile("^\\d{14}(\\.\\d{3})?Z$");

  /**
   * Whether sigstore-js can read the TSA's genTime. The mock TSA (pkijs) drops trailing zeros of the milliseconds
   * ("...12.5Z") and @sigstore/core's time regex then throws "invalid time": a peer quirk about one time in ten that
   * is unrelated to Sigil. Tests that timestamp re-sign until the time is one sigstore-js can read.
   */
  static boolean timesReadableBySigstoreJs(Bundle bundle) throws Exception {
    for (byte[] ts : bundle.verificationMaterial().rfc3161Timestamps()) {
      String t =
          new org.bouncycastle.tsp.TimeStampResponse(ts)
              .getTimeStampToken()
              .getTimeStampInfo()
              .toASN1Structure()
              .getGenTime()
              .getTimeString();
      if (!JS_PARSABLE_TIME.matcher(t).matches()) {
        System.err.println("mock TSA genTime " + t + " is unreadable by sigstore-js (peer quirk); signing again");
        return false;
      }
    }
    return true;
  }

  private static Peers.Result jsVerify(Path bundle, Path artifact, List<String> extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        "node", jsDir.resolve("verify.mjs").toString(), "--bundle", bundle.toString(), "--artifact",
        artifact.toString(), "--trusted-root", trustedRootFile.toString()));
    cmd.addAll(extra);
    return Peers.run(cmd, Map.of(), dir, 60);
  }

  /** Writes the bundle, reads it back with Sigil's parser and verifies it with a fresh verifier. */
  private static Path writeAndReverify(Bundle bundle, TrustedMaterial trusted, VerificationPolicy policy, String name)
      throws Exception {
    byte[] json = new BundleWriter().write(bundle);
    Path file = dir.resolve(name);
    Files.write(file, json);
    VerificationResult r = Verifier.create(trusted).verify(new BundleParser().parse(json), policy);
    assertTrue(r.isVerified(), () -> "Sigil rejects its own bundle: " + r.firstFailure().orElseThrow().describe());
    return file;
  }

  private void signKeylessAndVerify(boolean withTsa) throws Exception {
    byte[] content = ("hello keyless " + withTsa + "\n").getBytes(StandardCharsets.UTF_8);
    Path artifact = dir.resolve("artifact-" + withTsa + ".txt");
    Files.write(artifact, content);
    IdToken token = IdToken.parse(token(SUBJECT, ISSUER));

    KeylessSigner.Signed s;
    int attempts = 0;
    do {
      s = keyless(withTsa, Verifier.create(trustedRoot)).sign(token, new ByteArrayInputStream(content));
    } while (!timesReadableBySigstoreJs(s.bundle()) && ++attempts < 5);

    assertEquals(new KeylessSigner.Identity(SUBJECT, ISSUER), s.identity());
    Bundle.VerificationMaterial m = s.bundle().verificationMaterial();
    assertEquals(1, m.certificateChain().size(), "v0.3: the leaf only");
    assertEquals(1, m.tlogEntries().size());
    assertEquals(withTsa ? 1 : 0, m.rfc3161Timestamps().size());
    assertEquals(s.logIndex(), m.tlogEntries().get(0).logIndex());
    assertEquals("hashedrekord", m.tlogEntries().get(0).kind());
    assertEquals("0.0.1", m.tlogEntries().get(0).kindVersion());

    Path bundleFile =
        writeAndReverify(
            s.bundle(),
            trustedRoot,
            VerificationPolicy.identity(Artifact.ofContent(content), IdentityMatcher.exact(SUBJECT, ISSUER)),
            "keyless-" + withTsa + ".sigstore.json");

    Peers.Result js = jsVerify(bundleFile, artifact, List.of("--identity", SUBJECT, "--issuer", ISSUER));
    assertEquals(0, js.exitCode(), () -> "sigstore-js rejects Sigil's keyless bundle: " + js.describe());

    // Negative: a tampered artifact is rejected by both verifiers.
    byte[] tampered = content.clone();
    tampered[0] ^= 1;
    Path tamperedFile = dir.resolve("tampered-" + withTsa + ".txt");
    Files.write(tamperedFile, tampered);
    VerificationResult bad =
        Verifier.create(trustedRoot)
            .verify(s.bundle(),
                VerificationPolicy.identity(Artifact.ofContent(tampered), IdentityMatcher.exact(SUBJECT, ISSUER)));
    assertFalse(bad.isVerified());
    Peers.Result jsBad = jsVerify(bundleFile, tamperedFile, List.of("--identity", SUBJECT, "--issuer", ISSUER));
    assertEquals(1, jsBad.exitCode(), () -> "sigstore-js accepts a tampered artifact: " + jsBad.describe());
    // ... and a wrong identity is rejected by sigstore-js too.
    Peers.Result jsWrongId =
        jsVerify(bundleFile, artifact, List.of("--identity", SUBJECT + "/other", "--issuer", ISSUER));
    assertEquals(1, jsWrongId.exitCode(), () -> "sigstore-js accepts another identity: " + jsWrongId.describe());
  }

  @Test
  void keylessWithoutTimestamp() throws Exception {
    signKeylessAndVerify(false);
  }

  @Test
  void keylessWithTimestamp() throws Exception {
    signKeylessAndVerify(true);
  }

  @Test
  void selfCheckRejectsABundleItsVerifierCannotTrust() throws Exception {
    // A verifier built on another root (the public-good one) cannot verify the mock's CA or log: the signer must
    // refuse to return the bundle.
    Verifier wrong = Verifier.create(dev.sigil.verifier.trust.PublicGood.trustedRoot());
    SigningException e =
        assertThrows(
            SigningException.class,
            () ->
                keyless(false, wrong)
                    .sign(IdToken.parse(token(SUBJECT, ISSUER)), new ByteArrayInputStream(new byte[] {1, 2, 3})));
    assertTrue(e.getMessage().startsWith("self-check of the new keyless bundle failed"), e.getMessage());
  }

  @Test
  void keyBasedLogUploadVerifiesWithBoth() throws Exception {
    byte[] content = "hello key-based\n".getBytes(StandardCharsets.UTF_8);
    Path artifact = dir.resolve("artifact-key.txt");
    Files.write(artifact, content);
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    LoggedKeySigner signer =
        new LoggedKeySigner(
            new RekorClient(base, timeouts()),
            Optional.of(new TimestampClient(URI.create(base + "/api/v1/timestamp"),
                TimestampClient.Encoding.SIGSTORE_JSON, timeouts(), new SecureRandom())),
            trustedRoot);
    LoggedKeySigner.Signed s;
    int attempts = 0;
    do {
      s = signer.sign(key, new ByteArrayInputStream(content));
    } while (!timesReadableBySigstoreJs(s.bundle()) && ++attempts < 5);
    assertTrue(s.bundle().verificationMaterial().isKeyBased());
    assertEquals(1, s.bundle().verificationMaterial().tlogEntries().size());
    Path bundleFile =
        writeAndReverify(
            s.bundle(),
            TrustedMaterial.combine(trustedRoot, PublicKeyMaterial.of(key.publicKey())),
            VerificationPolicy.publicKey(Artifact.ofContent(content)),
            "key.sigstore.json");
    Path pub = dir.resolve("key.pub.pem");
    Files.writeString(pub, PublicKeys.toPem(key.publicKey()));
    Peers.Result js = jsVerify(bundleFile, artifact, List.of("--key", pub.toString()));
    assertEquals(0, js.exitCode(), () -> "sigstore-js rejects Sigil's key-based bundle: " + js.describe());
  }
}
