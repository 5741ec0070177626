package dev.sigil.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Digests;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.oidc.TokenRequest;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSSE and message signing through a {@link SigningSession}: with a key (no log), a key logged in Rekor, and keyless,
 * against an in-process sandbox (real Fulcio, Rekor v1 with dsse entries, CT log and TSA over HTTP on 127.0.0.1).
 * Every result is checked by the verifier as a third party would, and every refusal has its reason.
 */
class SigningSessionTest {
  private static final String EMAIL = "signer@example.com";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path shared;
  static Sandbox sandbox;
  static TrustedRoot root;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(shared.resolve("sandbox"), 0);
    root = TrustedRoot.parse(sandbox.trustedRootBytes());
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  static final byte[] ARTIFACT = "artifact\n".getBytes(StandardCharsets.UTF_8);

  static Statement statement(String note) throws Exception {
    String predicate = "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{\"note\":"
        + MAPPER.writeValueAsString(note) + "}},\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}";
    return Statement.builder()
        .subject("f.txt", Digests.of(ARTIFACT, Set.of(DigestAlgorithm.SHA256)))
        .predicateType("https://slsa.dev/provenance/v1")
        .predicate(predicate.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  static Artifact artifact() {
    return Artifact.ofContent(ARTIFACT);
  }

  SigningSession keyless() throws Exception {
    String jwt = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    return SigningSession.startKeyless(
        new FulcioClient(sandbox.uri()), IdToken.parse(jwt), new RekorClient(sandbox.uri()),
        Optional.of(new TimestampClient(sandbox.tsaUrl())), root, new SecureRandom());
  }

  @Test
  void aKeySignsANonAsciiStatementOverItsBytesAndAThirdPartyVerifiesTheWrittenBundle() throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    SigningSession s = SigningSession.withKey(key);
    Statement st = statement("Grüße 🚀 — Zoë");
    SignedStatement signed = s.signStatement(st, true);
    assertTrue(signed.logEntry().isEmpty());
    assertTrue(signed.timestamps().isEmpty());
    assertArrayEquals(st.payload(), signed.envelope().payload());
    assertEquals(Statement.PAYLOAD_TYPE, signed.envelope().payloadType());
    // The PAE counts bytes: the emoji is 4 bytes, each umlaut 2.
    byte[] pae = DsseEnvelope.pae(Statement.PAYLOAD_TYPE, st.payload());
    String header = "DSSEv1 28 application/vnd.in-toto+json " + st.payload().length + " ";
    assertArrayEquals(header.getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(pae, header.length()));
    assertTrue(st.payload().length > new String(st.payload(), StandardCharsets.UTF_8).length());

    Bundle b = signed.toBundle();
    s.requireVerified(b, artifact(), "bundle");
    // Written and read back, verified by a verifier that knows only the public key.
    Bundle back = new BundleParser().parse(new BundleWriter().write(b));
    VerificationResult r = Verifier.create(PublicKeyMaterial.of(key.publicKey()))
        .verify(back, VerificationPolicy.builder().artifact(artifact()).publicKey().withoutTransparencyLogUnsafe().build());
    assertTrue(r instanceof VerificationResult.Verified, r::toString);
    JsonNode json = MAPPER.readTree(new BundleWriter().write(b));
    assertEquals("application/vnd.in-toto+json", json.at("/dsseEnvelope/payloadType").asText());
    assertTrue(json.at("/verificationMaterial/publicKey/hint").isTextual());
  }

  @Test
  void theSelfCheckRefusesAStatementAboutAnotherArtifact() throws Exception {
    SigningSession s = SigningSession.withKey(SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom()));
    Bundle b = s.signStatement(statement("x"), true).toBundle();
    SigningException e = assertThrows(SigningException.class,
        () -> s.requireVerified(b, Artifact.ofContent("other".getBytes(StandardCharsets.UTF_8)), "bundle"));
    assertTrue(e.getMessage().startsWith("self-check of the new bundle failed, nothing written: "), e.getMessage());
    assertTrue(e.getMessage().contains("subject"), e.getMessage());
  }

  @Test
  void ed25519SignsStatementsButRefusesToLogAMessage() throws Exception {
    SigningKey ed = SigningKey.generate(SigningKey.Type.ED25519, new SecureRandom());
    SigningSession s = SigningSession.withKey(ed);
    s.requireVerified(s.signStatement(statement("ed"), true).toBundle(), artifact(), "bundle");
    SigningSession logged =
        SigningSession.withLoggedKey(ed, new RekorClient(sandbox.uri()), Optional.empty(), root);
    long before = sandbox.log().size();
    SigningException e = assertThrows(SigningException.class, () -> logged.signMessage(new byte[] {1}));
    assertTrue(e.getMessage().contains("found Ed25519"), e.getMessage());
    assertEquals(before, sandbox.log().size());
  }

  @Test
  void aLoggedKeyGetsADsseEntryAndATimestampThatVerifyAgainstTheRoot() throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    SigningSession s = SigningSession.withLoggedKey(
        key, new RekorClient(sandbox.uri()), Optional.of(new TimestampClient(sandbox.tsaUrl())), root);
    SignedStatement signed = s.signStatement(statement("logged"), true);
    assertEquals("dsse", signed.logEntry().orElseThrow().kind());
    assertEquals(1, signed.timestamps().size());
    VerificationResult.Verified v = s.requireVerified(signed.toBundle(), artifact(), "bundle");
    assertEquals(1, v.logEntries().size());
    // The logged body names the key and the payload hash.
    JsonNode body = MAPPER.readTree(signed.logEntry().get().canonicalizedBody());
    assertEquals(Digests.of(signed.envelope().payload(), Set.of(DigestAlgorithm.SHA256))
        .get(DigestAlgorithm.SHA256).orElseThrow(), body.at("/spec/payloadHash/value").asText());
    assertEquals(Base64.getEncoder().encodeToString(signed.envelope().signatures().get(0).sig()),
        body.at("/spec/signatures/0/signature").asText());
  }

  @Test
  void keylessSignsStatementsAndMessagesWithOneCertificate() throws Exception {
    SigningSession s = keyless();
    assertTrue(s.isKeyless());
    assertEquals(EMAIL, s.identity().orElseThrow().subjectAlternativeName());
    long before = sandbox.log().size();
    SignedStatement st = s.signStatement(statement("keyless"), true);
    SignedMessage msg = s.signMessage("payload".getBytes(StandardCharsets.UTF_8));
    assertEquals(before + 2, sandbox.log().size());
    assertEquals("dsse", st.logEntry().orElseThrow().kind());
    assertEquals("hashedrekord", msg.logEntry().orElseThrow().kind());
    assertEquals(HashAlgorithm.SHA2_256, msg.hash());
    SigningSession.CertificateMaterial c1 = (SigningSession.CertificateMaterial) st.material();
    SigningSession.CertificateMaterial c2 = (SigningSession.CertificateMaterial) msg.material();
    assertArrayEquals(c1.leafDer(), c2.leafDer());
    assertTrue(c1.chainPem().orElseThrow().contains("BEGIN CERTIFICATE"));

    Bundle b = st.toBundle();
    Verifier third = Verifier.create(root);
    VerificationResult ok = third.verify(b, VerificationPolicy.identity(artifact(),
        IdentityMatcher.exact(EMAIL, sandbox.oidcIssuerUrl().toString())));
    assertTrue(ok instanceof VerificationResult.Verified, ok::toString);
    VerificationResult wrong = third.verify(b, VerificationPolicy.identity(artifact(),
        IdentityMatcher.exact("eve@example.com", sandbox.oidcIssuerUrl().toString())));
    assertFalse(wrong instanceof VerificationResult.Verified);
    s.requireVerified(msg.toBundle(), Artifact.ofContent("payload".getBytes(StandardCharsets.UTF_8)), "bundle");
  }

  @Test
  void aSelfCheckAgainstAnotherRootRefusesWhatTheServicesMade() throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    SigningSession s = SigningSession.withLoggedKey(key, new RekorClient(sandbox.uri()), Optional.empty(),
        TrustedRoot.empty());
    SignedStatement signed = s.signStatement(statement("other root"), true);
    SigningException e = assertThrows(SigningException.class,
        () -> s.requireVerified(signed.toBundle(), artifact(), "bundle"));
    assertTrue(e.getMessage().contains("is the trusted root the one of these services?"), e.getMessage());
  }

  @Test
  void statementSubjectsMatchByDigest() throws Exception {
    DigestSet d = Digests.of(ARTIFACT, Set.of(DigestAlgorithm.SHA256));
    assertEquals(1, statement("x").subjectsMatching(d).size());
  }
}
