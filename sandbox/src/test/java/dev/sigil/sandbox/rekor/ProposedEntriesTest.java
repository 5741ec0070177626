package dev.sigil.sandbox.rekor;

import static dev.sigil.sandbox.rekor.Fixtures.b64;
import static dev.sigil.sandbox.rekor.Fixtures.hex;
import static dev.sigil.sandbox.rekor.Fixtures.pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519phSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProposedEntriesTest {
  private static final byte[] ARTIFACT = "artifact".getBytes(StandardCharsets.UTF_8);
  private final ProposedEntries proposals = new ProposedEntries();

  private String canonical(String proposal) throws InvalidEntryException {
    return new String(proposals.canonicalize(proposal.getBytes(StandardCharsets.UTF_8)).body(), StandardCharsets.UTF_8);
  }

  private String refusal(String proposal) {
    return refusal(proposals, proposal.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(ProposedEntries p, byte[] proposal) {
    return assertThrows(InvalidEntryException.class, () -> p.canonicalize(proposal)).getMessage();
  }

  // ------------------------------------------------------------------------------------------- hashedrekord

  @Test
  void hashedRekordIsCanonicalizedWithSortedKeysAndAReencodedPemKey() throws Exception {
    KeyPair kp = Fixtures.p256();
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), ARTIFACT);
    String digest = hex(Fixtures.sha("SHA-256", ARTIFACT));
    // A PEM with CRLF line ends and 76-character lines is re-encoded as Go writes PEM.
    String mime = java.util.Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded());
    String sloppyPem = "\r\n-----BEGIN PUBLIC KEY-----\r\n" + mime + "\r\n-----END PUBLIC KEY-----\r\n";
    String body = canonical(
        "{\"spec\":{\"signature\":{\"publicKey\":{\"content\":\"" + b64(sloppyPem) + "\"},\"content\":\"" + b64(sig)
            + "\"},\"data\":{\"hash\":{\"value\":\"" + digest + "\",\"algorithm\":\"sha256\"}}},"
            + " \"kind\": \"hashedrekord\", \"apiVersion\": \"0.0.1\"}");
    assertEquals(
        "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\""
            + digest + "\"}},\"signature\":{\"content\":\"" + b64(sig) + "\",\"publicKey\":{\"content\":\""
            + b64(pem("PUBLIC KEY", kp.getPublic().getEncoded())) + "\"}}}}",
        body);
  }

  @Test
  void hashedRekordAcceptsCertificatesRsaSha384DigestsAndEd25519ph() throws Exception {
    // A certificate: stored as the certificate's PEM.
    KeyPair kp = Fixtures.p256();
    var cert = Fixtures.selfSigned(kp, "SHA256withECDSA");
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), ARTIFACT);
    String certPem = pem("CERTIFICATE", cert.getEncoded());
    assertTrue(canonical(Fixtures.hashedRekord("sha256", hex(Fixtures.sha("SHA-256", ARTIFACT)), sig, certPem))
        .contains(b64(certPem)));
    // ECDSA signs whatever digest it is given: a P-256 key over a SHA-384 digest.
    byte[] sig384 = Fixtures.sign("SHA384withECDSA", kp.getPrivate(), ARTIFACT);
    canonical(Fixtures.hashedRekord("sha384", hex(Fixtures.sha("SHA-384", ARTIFACT)), sig384,
        pem("PUBLIC KEY", kp.getPublic().getEncoded())));
    // RSA PKCS#1 v1.5 with the named hash.
    KeyPair rsa = Fixtures.keyPair("RSA", 2048);
    byte[] rsaSig = Fixtures.sign("SHA512withRSA", rsa.getPrivate(), ARTIFACT);
    canonical(Fixtures.hashedRekord("sha512", hex(Fixtures.sha("SHA-512", ARTIFACT)), rsaSig,
        pem("PUBLIC KEY", rsa.getPublic().getEncoded())));
    // Ed25519 is Ed25519ph over a SHA-512 digest, as Rekor verifies it.
    Ed25519PrivateKeyParameters ed = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    Ed25519phSigner signer = new Ed25519phSigner(new byte[0]);
    signer.init(true, ed);
    signer.update(ARTIFACT, 0, ARTIFACT.length);
    byte[] edSig = signer.generateSignature();
    byte[] edSpki = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519),
        ed.generatePublicKey().getEncoded()).getEncoded();
    canonical(Fixtures.hashedRekord("sha512", hex(Fixtures.sha("SHA-512", ARTIFACT)), edSig, pem("PUBLIC KEY", edSpki)));
    assertEquals("spec.data.hash.algorithm: expected \"sha512\" for an Ed25519 key (Ed25519ph signs a SHA-512 digest), found \"sha256\"",
        refusal(Fixtures.hashedRekord("sha256", hex(Fixtures.sha("SHA-256", ARTIFACT)), edSig, pem("PUBLIC KEY", edSpki))));
    edSig[5] ^= 1;
    assertTrue(refusal(Fixtures.hashedRekord("sha512", hex(Fixtures.sha("SHA-512", ARTIFACT)), edSig, pem("PUBLIC KEY", edSpki)))
        .endsWith("(Ed25519ph), found one that does not verify"));
  }

  @Test
  void malformedHashedRekordProposalsAreRefusedWithPreciseReasons() throws Exception {
    KeyPair kp = Fixtures.p256();
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), ARTIFACT);
    String digest = hex(Fixtures.sha("SHA-256", ARTIFACT));
    String keyPem = pem("PUBLIC KEY", kp.getPublic().getEncoded());
    String good = Fixtures.hashedRekord("sha256", digest, sig, keyPem);
    canonical(good);

    assertEquals("proposed entry: expected a JSON object, found an empty request", refusal(""));
    assertTrue(refusal("{\"kind\":").startsWith("proposed entry: expected JSON, found malformed content"));
    assertEquals("proposed entry: expected an object, found an array", refusal("[]"));
    assertTrue(refusal(good + "{}").startsWith("proposed entry: expected JSON, found malformed content"));
    assertTrue(refusal("{\"kind\":\"dsse\",\"kind\":\"hashedrekord\"}").contains("Duplicate field 'kind'"));
    assertEquals("kind: required, found nothing", refusal("{\"apiVersion\":\"0.0.1\",\"spec\":{}}"));
    assertEquals("kind: expected \"hashedrekord\" or \"dsse\", found \"rekord\"",
        refusal(good.replace("\"hashedrekord\"", "\"rekord\"")));
    assertEquals("apiVersion: expected \"0.0.1\" for hashedrekord, found \"0.0.2\"",
        refusal(good.replace("\"0.0.1\"", "\"0.0.2\"")));
    assertEquals("kind: expected a string, found a number", refusal(good.replace("\"hashedrekord\"", "7")));
    assertEquals("extra: unknown field (expected only apiVersion, kind, spec in proposed entry)",
        refusal(good.replace("{\"apiVersion\"", "{\"extra\":1,\"apiVersion\"")));
    assertEquals("spec.data.content: unknown field (expected only hash in spec.data)",
        refusal(good.replace("\"data\":{", "\"data\":{\"content\":\"eA==\",")));
    assertEquals("spec.data.hash.algorithm: expected \"sha256\", \"sha384\" or \"sha512\", found \"md5\"",
        refusal(Fixtures.hashedRekord("md5", digest, sig, keyPem)));
    assertEquals("spec.data.hash.value: expected 64 hex digits (sha256), found 63 hex digits",
        refusal(Fixtures.hashedRekord("sha256", digest.substring(1), sig, keyPem)));
    assertEquals("spec.data.hash.value: expected 64 hex digits (sha256), found \"xyz\"",
        refusal(Fixtures.hashedRekord("sha256", "xyz", sig, keyPem)));
    assertEquals("spec.data.hash.value: expected 96 hex digits (sha384), found 64 hex digits",
        refusal(Fixtures.hashedRekord("sha384", digest, sig, keyPem)));
    assertEquals("spec.signature: required, found nothing",
        refusal(good.replaceAll(",\"signature\":\\{.*\\}\\}\\}$", "}}")));
    assertEquals("spec.signature.content: expected non-empty base64, found an empty string",
        refusal(good.replace("\"content\":\"" + b64(sig) + "\"", "\"content\":\"\"")));
    assertEquals("spec.signature.content: expected standard padded base64, found \"YWI\"",
        refusal(good.replace(b64(sig), "YWI")));
    assertEquals("spec.signature.content: expected standard padded base64, found \"YWJ=\"", // stray bits
        refusal(good.replace(b64(sig), "YWJ=")));
    assertEquals("spec.signature.publicKey.content: expected base64 of one PEM block, found malformed PEM "
            + "(expected a \"-----BEGIN \" line at offset 0, found other text)",
        refusal(Fixtures.hashedRekord("sha256", digest, sig, "not a key")));
    assertEquals("spec.signature.publicKey.content: expected one PEM block (a public key or a certificate), found 2 "
            + "(certificate chains are not accepted)",
        refusal(Fixtures.hashedRekord("sha256", digest, sig, keyPem + keyPem)));
    assertEquals("spec.signature.publicKey.content: expected a \"PUBLIC KEY\" or \"CERTIFICATE\" PEM block, found \"PRIVATE KEY\"",
        refusal(Fixtures.hashedRekord("sha256", digest, sig, pem("PRIVATE KEY", kp.getPrivate().getEncoded()))));
    assertTrue(refusal(Fixtures.hashedRekord("sha256", digest, sig, pem("PUBLIC KEY", new byte[] {1, 2, 3})))
        .startsWith("spec.signature.publicKey.content: public key: malformed SubjectPublicKeyInfo"));
    KeyPair weak = Fixtures.keyPair("RSA", 1024);
    assertEquals("spec.signature.publicKey.content: public key: expected an RSA key of at least 2048 bits, found 1024 bits",
        refusal(Fixtures.hashedRekord("sha256", digest, sig, pem("PUBLIC KEY", weak.getPublic().getEncoded()))));
    // The signature must be over the digest given: another artifact's digest, or another key, fails.
    String otherDigest = hex(Fixtures.sha("SHA-256", "other".getBytes(StandardCharsets.UTF_8)));
    assertEquals("spec.signature.content: expected a signature over the sha256 digest that verifies with the ecdsa-p256 key, "
            + "found one that does not (ecdsa-p256 signature does not verify with the given key)",
        refusal(Fixtures.hashedRekord("sha256", otherDigest, sig, keyPem)));
    assertTrue(refusal(Fixtures.hashedRekord("sha256", digest, sig, pem("PUBLIC KEY", Fixtures.p256().getPublic().getEncoded())))
        .startsWith("spec.signature.content: expected a signature over the sha256 digest"));
    assertTrue(refusal(Fixtures.hashedRekord("sha256", digest, new byte[] {0x30, 0x01, 0x00}, keyPem))
        .contains("expected a DER SEQUENCE of two INTEGERs"));
  }

  @Test
  void sizeLimitsAreEnforcedOnTheProposalAndTheCanonicalBody() throws Exception {
    Fixtures.Signed s = Fixtures.signedArtifact(ARTIFACT);
    ProposedEntries small = new ProposedEntries(new ProposedEntries.Limits(100, 100));
    assertEquals("proposed entry: expected at most 100 bytes, found " + s.proposal().length, refusal(small, s.proposal()));
    ProposedEntries smallBody = new ProposedEntries(new ProposedEntries.Limits(1 << 20, 300));
    assertTrue(refusal(smallBody, s.proposal()).startsWith("canonicalized entry: expected at most 300 bytes, found "));
  }

  // --------------------------------------------------------------------------------------------------- dsse

  @Test
  void dsseIsCanonicalizedToHashesAndSignaturesSortedByTheirBase64Text() throws Exception {
    KeyPair a = Fixtures.p256();
    KeyPair b = Fixtures.keyPair("RSA", 2048);
    byte[] payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] pae = ProposedEntries.pae(type, payload);
    assertEquals("DSSEv1 28 application/vnd.in-toto+json " + payload.length + " " + new String(payload, StandardCharsets.UTF_8),
        new String(pae, StandardCharsets.UTF_8));
    byte[] sa = Fixtures.sign("SHA256withECDSA", a.getPrivate(), pae);
    byte[] sb = Fixtures.sign("SHA256withRSA", b.getPrivate(), pae);
    String env = Fixtures.envelope(type, payload, List.of(sa, sb));
    String pemA = pem("PUBLIC KEY", a.getPublic().getEncoded());
    String pemB = pem("PUBLIC KEY", b.getPublic().getEncoded());
    String body = canonical(Fixtures.dsse(env, List.of(pemB, pemA)));
    String first = b64(sa).compareTo(b64(sb)) < 0 ? b64(sa) : b64(sb);
    String second = first.equals(b64(sa)) ? b64(sb) : b64(sa);
    String firstPem = first.equals(b64(sa)) ? pemA : pemB;
    String secondPem = first.equals(b64(sa)) ? pemB : pemA;
    assertEquals("{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\""
            + hex(Fixtures.sha("SHA-256", env.getBytes(StandardCharsets.UTF_8))) + "\"},\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\""
            + hex(Fixtures.sha("SHA-256", payload)) + "\"},\"signatures\":[{\"signature\":\"" + first + "\",\"verifier\":\""
            + b64(firstPem) + "\"},{\"signature\":\"" + second + "\",\"verifier\":\"" + b64(secondPem) + "\"}]}}",
        body);
  }

  @Test
  void malformedDsseProposalsAreRefusedWithPreciseReasons() throws Exception {
    KeyPair a = Fixtures.p256();
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] sa = Fixtures.sign("SHA256withECDSA", a.getPrivate(), ProposedEntries.pae(type, payload));
    String env = Fixtures.envelope(type, payload, List.of(sa));
    String pemA = pem("PUBLIC KEY", a.getPublic().getEncoded());
    String good = Fixtures.dsse(env, List.of(pemA));
    canonical(good);

    assertEquals("spec.signatures: computed by the log; a proposed dsse entry carries only spec.proposedContent",
        refusal(good.replace("\"spec\":{", "\"spec\":{\"signatures\":[],")));
    // Go's unset slice: cosign 2.5's keyless attest sends "signatures": null, which real Rekor accepts.
    canonical(good.replace("\"spec\":{", "\"spec\":{\"signatures\":null,\"envelopeHash\":null,"));
    assertEquals("spec.proposedContent: required, found nothing",
        refusal("{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{}}"));
    assertEquals("spec.proposedContent.envelope: expected a string, found an object",
        refusal(good.replace("\"envelope\":" + Fixtures.jsonString(env), "\"envelope\":" + env)));
    assertTrue(refusal(Fixtures.dsse("{not json", List.of(pemA)))
        .startsWith("spec.proposedContent.envelope: expected JSON, found malformed content"));
    assertEquals("spec.proposedContent.envelope.signatures: expected a non-empty array, found an empty array",
        refusal(Fixtures.dsse(Fixtures.envelope(type, payload, List.of()), List.of(pemA))));
    assertEquals("spec.proposedContent.envelope.payload: expected standard padded base64, found \"***\"",
        refusal(Fixtures.dsse(env.replace(b64(payload), "***"), List.of(pemA))));
    assertEquals("spec.proposedContent.envelope.extra: unknown field (expected only payload, payloadType, signatures in "
            + "spec.proposedContent.envelope)",
        refusal(Fixtures.dsse(env.replace("{\"payloadType\"", "{\"extra\":1,\"payloadType\""), List.of(pemA))));
    assertEquals("spec.proposedContent.verifiers: expected a non-empty array of base64 PEM keys or certificates, found an empty array",
        refusal(Fixtures.dsse(env, List.of())));
    // A verifier that verifies nothing, and a signature nothing verifies.
    String pemOther = pem("PUBLIC KEY", Fixtures.p256().getPublic().getEncoded());
    assertEquals("spec.proposedContent.verifiers[0]: expected a key that verifies at least one envelope signature over "
            + "the DSSE PAE, found the ecdsa-p256 key, which verifies none",
        refusal(Fixtures.dsse(env, List.of(pemOther, pemA))));
    byte[] stranger = Fixtures.sign("SHA256withECDSA", Fixtures.p256().getPrivate(), ProposedEntries.pae(type, payload));
    String twoSigs = Fixtures.envelope(type, payload, List.of(sa, stranger));
    assertEquals("spec.proposedContent.envelope.signatures: expected every signature to verify with one of "
            + "spec.proposedContent.verifiers, found 1 that none verifies (first: \"" + b64(stranger).substring(0, 60) + "...\")",
        refusal(Fixtures.dsse(twoSigs, List.of(pemA))));
    // A signature over the payload rather than the PAE does not verify.
    byte[] overPayload = Fixtures.sign("SHA256withECDSA", a.getPrivate(), payload);
    assertTrue(refusal(Fixtures.dsse(Fixtures.envelope(type, payload, List.of(overPayload)), List.of(pemA)))
        .endsWith("which verifies none"));
  }

  // ------------------------------------------------------------------------------------------------ the log

  @Test
  void nothingIsWrittenWhenTheLogRefusesAProposal(@TempDir Path dir) throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      Path file = dir.resolve(TransparencyLog.LOG_FILE);
      long bytes = Files.size(file);
      byte[] root = log.rootHash();
      Fixtures.Signed s = Fixtures.signedArtifact(ARTIFACT);
      String bad = new String(s.proposal(), StandardCharsets.UTF_8).replace(hex(s.digest()), hex(new byte[32]));
      var e = assertThrows(InvalidEntryException.class, () -> log.submit(bad.getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().startsWith("spec.signature.content:"), e.getMessage());
      assertThrows(InvalidEntryException.class, () -> log.submit("{}".getBytes(StandardCharsets.UTF_8)));
      assertEquals(bytes, Files.size(file));
      assertEquals(1, log.size());
      assertTrue(java.util.Arrays.equals(root, log.rootHash()));
      assertEquals(1, log.submit(s.proposal()).logIndex());
    }
  }
}
