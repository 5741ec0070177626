package dev.sigil.verifier.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.KeySigner;
import dev.sigil.verifier.Reason;
import dev.sigil.verifier.SigningTime;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cosign's legacy image signatures and attestations, made by cosign 2.5 against a real registry and Sigil's sandbox
 * ({@code verifier/src/build/make-cosign-fixtures.sh}), verified through the same checks as Sigstore bundles.
 */
class CosignSignatureTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final IdentityMatcher CI =
      IdentityMatcher.builder()
          .subjectAlternativeName("ci@example.com")
          .issuerRegex("http://127\\.0\\.0\\.1:[0-9]+/oidc/sigil-sandbox-local-testing-only")
          .build();
  static JsonNode layers;
  static TrustedRoot root;
  static TrustedMaterial withKey;
  static byte[] image1;
  static byte[] image2;

  record Layer(byte[] payload, Map<String, String> annotations) {}

  @BeforeAll
  static void load() throws Exception {
    layers = JSON.readTree(resource("layers.json"));
    root = TrustedRoot.parse(resource("trusted_root.json"));
    withKey =
        TrustedMaterial.combine(
            root,
            PublicKeyMaterial.of(TrustedPublicKey.parsePem(new String(resource("cosign.pub"), StandardCharsets.US_ASCII))));
    image1 = digest("image1");
    image2 = digest("image2");
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = CosignSignatureTest.class.getResourceAsStream("/cosign/" + name)) {
      return in.readAllBytes();
    }
  }

  static byte[] digest(String image) {
    return HexFormat.of().parseHex(layers.get(image).asText().substring("sha256:".length()));
  }

  static Layer layer(String tag, int i) {
    JsonNode l = layers.get(tag).get(i);
    Map<String, String> a = new HashMap<>();
    l.get("annotations").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
    return new Layer(Base64.getDecoder().decode(l.get("payload").asText()), a);
  }

  static VerificationResult.Verified verified(VerificationResult r) {
    return assertInstanceOf(
        VerificationResult.Verified.class, r, () -> r.firstFailure().map(Check::describe).orElse(""));
  }

  static VerificationResult.Rejected rejected(VerificationResult r) {
    return assertInstanceOf(VerificationResult.Rejected.class, r, r::toString);
  }

  @Test
  void keylessSignatureWithSetAndTimestampVerifies() throws Exception {
    Layer l = layer("image1.sig", 0);
    CosignSignature s = CosignSignature.ofSignatureLayer(l.payload(), l.annotations());
    VerificationResult.Verified v =
        verified(Verifier.create(root).verify(s, VerificationPolicy.identity(Artifact.ofContent(s.payload()), CI)));
    CertificateSigner signer = assertInstanceOf(CertificateSigner.class, v.signer());
    assertEquals("ci@example.com", signer.subjectAlternativeName());
    assertEquals(1, v.logEntries().size());
    assertTrue(v.signingTimes().stream().anyMatch(t -> t.source() == SigningTime.Source.TIMESTAMP_AUTHORITY));
    assertTrue(v.signingTimes().stream().anyMatch(t -> t.source() == SigningTime.Source.TRANSPARENCY_LOG));
    // The payload names the image it signs (what the images module checks after verification).
    assertTrue(new String(s.payload(), StandardCharsets.UTF_8).contains(layers.get("image1").asText()));
  }

  @Test
  void keylessSignatureForAnotherIdentityIsRejected() throws Exception {
    Layer l = layer("image1.sig", 0);
    CosignSignature s = CosignSignature.ofSignatureLayer(l.payload(), l.annotations());
    IdentityMatcher eve =
        IdentityMatcher.builder().subjectAlternativeName("eve@example.com").issuerRegex("http://127.*").build();
    assertEquals(
        Reason.IDENTITY_MISMATCH,
        rejected(Verifier.create(root).verify(s, VerificationPolicy.identity(Artifact.ofContent(s.payload()), eve))).reason());
  }

  @Test
  void keySignatureLoggedInRekorVerifies() throws Exception {
    Layer l = layer("image2.sig", 0);
    CosignSignature s = CosignSignature.ofSignatureLayer(l.payload(), l.annotations());
    VerificationResult.Verified v =
        verified(Verifier.create(withKey).verify(s, VerificationPolicy.publicKey(Artifact.ofContent(s.payload()))));
    assertInstanceOf(KeySigner.class, v.signer());
    assertEquals(1, v.logEntries().size());
  }

  @Test
  void keySignatureWithoutALogEntryNeedsTheWaiver() throws Exception {
    Layer l = layer("image1.sig", 1);
    CosignSignature s = CosignSignature.ofSignatureLayer(l.payload(), l.annotations());
    Artifact payload = Artifact.ofContent(s.payload());
    assertEquals(
        Reason.TLOG_THRESHOLD,
        rejected(Verifier.create(withKey).verify(s, VerificationPolicy.publicKey(payload))).reason());
    verified(
        Verifier.create(withKey)
            .verify(s, VerificationPolicy.builder().artifact(payload).publicKey().withoutTransparencyLogUnsafe().build()));
  }

  @Test
  void keylessAttestationVerifiesForItsImageOnly() throws Exception {
    Layer l = layer("image1.att", 0);
    CosignSignature s = CosignSignature.ofAttestationLayer(l.payload(), l.annotations());
    VerificationResult.Verified v =
        verified(
            Verifier.create(root)
                .verify(s, VerificationPolicy.identity(Artifact.ofDigest(HashAlgorithm.SHA2_256, image1), CI)));
    assertEquals("https://slsa.dev/provenance/v1", v.statement().orElseThrow().predicateType());
    assertEquals(1, v.logEntries().size());
    assertEquals(
        Reason.SUBJECT_MISMATCH,
        rejected(
                Verifier.create(root)
                    .verify(s, VerificationPolicy.identity(Artifact.ofDigest(HashAlgorithm.SHA2_256, image2), CI)))
            .reason());
  }

  @Test
  void keyAttestationWithoutALogEntryVerifiesWithTheWaiver() throws Exception {
    Layer l = layer("image2.att", 0);
    CosignSignature s = CosignSignature.ofAttestationLayer(l.payload(), l.annotations());
    verified(
        Verifier.create(withKey)
            .verify(
                s,
                VerificationPolicy.builder()
                    .artifact(Artifact.ofDigest(HashAlgorithm.SHA2_256, image2))
                    .publicKey()
                    .withoutTransparencyLogUnsafe()
                    .build()));
  }

  @Test
  void tamperedPayloadWrongKeyAndGraftedLogEntryAreRejected() throws Exception {
    Layer l = layer("image2.sig", 0);
    byte[] tampered = l.payload().clone();
    tampered[tampered.length / 2] ^= 1;
    CosignSignature t = CosignSignature.ofSignatureLayer(tampered, l.annotations());
    assertEquals(
        Reason.SIGNATURE_INVALID,
        rejected(Verifier.create(withKey).verify(t, VerificationPolicy.publicKey(Artifact.ofContent(tampered)))).reason());

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    CosignSignature s = CosignSignature.ofSignatureLayer(l.payload(), l.annotations());
    assertEquals(
        Reason.SIGNATURE_INVALID,
        rejected(
                Verifier.create(TrustedMaterial.combine(root, PublicKeyMaterial.of(g.generateKeyPair().getPublic())))
                    .verify(s, VerificationPolicy.publicKey(Artifact.ofContent(s.payload()))))
            .reason());

    // The keyless signature's Rekor entry put on the key signature: the entry's body names another signature.
    Map<String, String> grafted = new HashMap<>(l.annotations());
    grafted.put(CosignSignature.BUNDLE, layer("image1.sig", 0).annotations().get(CosignSignature.BUNDLE));
    CosignSignature g2 = CosignSignature.ofSignatureLayer(l.payload(), grafted);
    assertEquals(
        Reason.TLOG_BODY_MISMATCH,
        rejected(Verifier.create(withKey).verify(g2, VerificationPolicy.publicKey(Artifact.ofContent(l.payload())))).reason());

    // A flipped SET.
    Map<String, String> badSet = new HashMap<>(l.annotations());
    JsonNode bundle = JSON.readTree(badSet.get(CosignSignature.BUNDLE));
    byte[] set = Base64.getDecoder().decode(bundle.get("SignedEntryTimestamp").asText());
    set[set.length - 3] ^= 1;
    badSet.put(
        CosignSignature.BUNDLE,
        ((com.fasterxml.jackson.databind.node.ObjectNode) bundle)
            .put("SignedEntryTimestamp", Base64.getEncoder().encodeToString(set))
            .toString());
    assertEquals(
        Reason.TLOG_SET_INVALID,
        rejected(
                Verifier.create(withKey)
                    .verify(
                        CosignSignature.ofSignatureLayer(l.payload(), badSet),
                        VerificationPolicy.publicKey(Artifact.ofContent(l.payload()))))
            .reason());
  }

  @Test
  void malformedLayersAreRefusedWithTheAnnotationNamed() {
    Layer l = layer("image1.sig", 0);
    Map<String, String> noSig = new HashMap<>(l.annotations());
    noSig.remove(CosignSignature.SIGNATURE);
    assertTrue(
        assertThrows(CosignFormatException.class, () -> CosignSignature.ofSignatureLayer(l.payload(), noSig))
            .getMessage()
            .startsWith(CosignSignature.SIGNATURE));
    for (String name :
        new String[] {CosignSignature.CERTIFICATE, CosignSignature.BUNDLE, CosignSignature.RFC3161_TIMESTAMP}) {
      Map<String, String> bad = new HashMap<>(l.annotations());
      bad.put(name, "{not valid");
      String msg =
          assertThrows(CosignFormatException.class, () -> CosignSignature.ofSignatureLayer(l.payload(), bad))
              .getMessage();
      assertTrue(msg.startsWith(name), msg);
    }
    Map<String, String> badSig = new HashMap<>(l.annotations());
    badSig.put(CosignSignature.SIGNATURE, "***");
    assertThrows(CosignFormatException.class, () -> CosignSignature.ofSignatureLayer(l.payload(), badSig));
    assertThrows(
        CosignFormatException.class, () -> CosignSignature.ofAttestationLayer("{}".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertThrows(
        CosignFormatException.class,
        () -> CosignSignature.ofAttestationLayer("not json".getBytes(StandardCharsets.UTF_8), Map.of()));
    Map<String, String> huge = new HashMap<>(l.annotations());
    huge.put(CosignSignature.CHAIN, "x".repeat(CosignSignature.MAX_ANNOTATION_CHARS + 1));
    assertThrows(CosignFormatException.class, () -> CosignSignature.ofSignatureLayer(l.payload(), huge));
  }
}
