package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.CertificateParsingException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verifier's unverified readings (what a certificate or timestamp claims, for display) and the choice of digest
 * algorithms for an entity: each agrees with what verification establishes where both apply, and refuses junk with
 * its declared exception rather than a library's.
 */
class UnverifiedReadingTest {
  static byte[] resource(String name) throws Exception {
    try (InputStream in = UnverifiedReadingTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void certificateReadUnverifiedEqualsTheVerifiedSigner() throws Exception {
    Bundle b = new BundleParser().parse(resource("/verifier/happy-path-v0.3.json"));
    VerificationResult.Verified v =
        Verifier.create(PublicGood.trustedRoot())
            .verify(
                b,
                VerificationPolicy.identity(
                    Artifact.ofContent(resource("/verifier/a.txt")),
                    IdentityMatcher.exact(VerifierTest.SAN, VerifierTest.ISSUER)))
            .requireVerified();
    CertificateSigner verified = (CertificateSigner) v.signer();
    CertificateSigner read = CertificateSigner.readUnverified(b.verificationMaterial().certificateChain().get(0));
    assertEquals(verified.subjectAlternativeNames(), read.subjectAlternativeNames());
    assertEquals(verified.issuer(), read.issuer());
    assertEquals(verified.claims(), read.claims());
    assertEquals(verified.notBefore(), read.notBefore());
    assertEquals(verified.certificateIssuer(), read.certificateIssuer());
  }

  @Test
  void certificateJunkIsOneCheckedException() {
    for (byte[] junk : new byte[][] {{}, {0x30}, {0x30, 0x03, 0x02, 0x01, 0x01}, "not a cert".getBytes(StandardCharsets.US_ASCII)}) {
      CertificateParsingException e =
          assertThrows(CertificateParsingException.class, () -> CertificateSigner.readUnverified(junk));
      assertTrue(e.getMessage().startsWith("expected"), e.getMessage());
    }
  }

  @Test
  void timestampReadUnverifiedEqualsTheVerifiedTime() throws Exception {
    Bundle b = new BundleParser().parse(resource("/timestamp/conformance/rekor2-happy-path/bundle.sigstore.json"));
    Optional<Instant> t = SigningTime.readTimestampUnverified(b.rfc3161Timestamps().get(0));
    assertTrue(t.isPresent());
    assertTrue(t.get().isAfter(Instant.parse("2024-01-01T00:00:00Z")), t.get().toString());
    assertEquals(Optional.empty(), SigningTime.readTimestampUnverified(new byte[] {0x30, 0x00}));
    assertEquals(Optional.empty(), SigningTime.readTimestampUnverified(new byte[0]));
  }

  private static Bundle dsse(String payloadType, String payload) {
    return new Bundle(
        BundleVersion.V0_3,
        "application/vnd.dev.sigstore.bundle.v0.3+json",
        new Bundle.VerificationMaterial(Optional.empty(), List.of(), List.of(), List.of()),
        Optional.empty(),
        Optional.of(
            new DsseEnvelope(
                payload.getBytes(StandardCharsets.UTF_8), payloadType, List.of(new DsseSignature(new byte[] {1}, "")))));
  }

  private static String statement(String digest) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":" + digest
        + "}],\"predicateType\":\"https://example.com/p\"}";
  }

  @Test
  void algorithmsForDsseAreTheSubjectsAlgorithms() {
    String h256 = "ab".repeat(32);
    String h384 = "cd".repeat(48);
    String h512 = "ef".repeat(64);
    String in = "application/vnd.in-toto+json";
    assertEquals(
        EnumSet.of(HashAlgorithm.SHA2_512),
        ArtifactDigests.algorithmsFor(dsse(in, statement("{\"sha512\":\"" + h512 + "\"}"))));
    assertEquals(
        EnumSet.of(HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_256),
        ArtifactDigests.algorithmsFor(dsse(in, statement("{\"sha256\":\"" + h256 + "\",\"sha384\":\"" + h384 + "\"}"))));
    // Nothing matchable, not a statement, or not in-toto: SHA-256, and the verifier reports the rest.
    assertEquals(
        EnumSet.of(HashAlgorithm.SHA2_256),
        ArtifactDigests.algorithmsFor(dsse(in, statement("{\"gitCommit\":\"" + "01".repeat(20) + "\"}"))));
    assertEquals(EnumSet.of(HashAlgorithm.SHA2_256), ArtifactDigests.algorithmsFor(dsse(in, "{not json")));
    assertEquals(
        EnumSet.of(HashAlgorithm.SHA2_256),
        ArtifactDigests.algorithmsFor(dsse("text/plain", statement("{\"sha512\":\"" + h512 + "\"}"))));
  }

  @Test
  void algorithmsForAMessageSignatureAreItsDigests() throws Exception {
    Bundle b = new BundleParser().parse(resource("/verifier/happy-path-v0.3.json"));
    assertEquals(EnumSet.of(HashAlgorithm.SHA2_256), ArtifactDigests.algorithmsFor(b));
  }

  @Test
  void aSubjectNamedInAnotherAlgorithmIsAMismatchThatSaysSo() throws Exception {
    String h512 = "ef".repeat(64);
    Bundle b = dsse("application/vnd.in-toto+json", statement("{\"sha512\":\"" + h512 + "\"}"));
    // Signed by a key the verifier trusts, so the subject check is reached.
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] payload = b.dsseEnvelope().get().payload();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(dev.sigil.attestations.dsse.DsseEnvelope.pae("application/vnd.in-toto+json", payload));
    Bundle signed =
        new Bundle(
            b.version(),
            b.mediaType(),
            b.verificationMaterial(),
            Optional.empty(),
            Optional.of(
                new DsseEnvelope(payload, "application/vnd.in-toto+json", List.of(new DsseSignature(s.sign(), "")))));
    Verifier v =
        Verifier.create(
            new PublicKeyMaterial(
                List.of(TrustedPublicKey.of(kp.getPublic()))));
    VerificationResult r =
        v.verify(
            signed,
            VerificationPolicy.builder()
                .artifact(Artifact.ofDigest(HashAlgorithm.SHA2_256, new byte[32]))
                .publicKey()
                .withoutTransparencyLogUnsafe()
                .build());
    VerificationResult.Rejected rej = (VerificationResult.Rejected) r;
    assertEquals(Reason.SUBJECT_MISMATCH, rej.reason());
    assertTrue(rej.failure().found().contains("named by sha512 only"), rej.failure().found());
  }
}
