package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's Rekor v2 bodies have exactly the bytes Sigstore's staging Rekor v2 (rekor-tiles) wrote: each real
 * entry's request is rebuilt from its body's fields, and the sandbox must canonicalize it to the identical body.
 */
class RekorV2EntriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {
      "conformance-rekor2-happy-path.sigstore.json",
      "conformance-rekor2-dsse-happy-path.sigstore.json",
      "sigstore-python-staging-rekor-v2.sigstore.json"})
  void bodiesAreByteForByteWhatStagingRekorV2Wrote(String bundle) throws Exception {
    JsonNode entry;
    try (InputStream in = getClass().getResourceAsStream("/rekor2/" + bundle)) {
      entry = JSON.readTree(in).path("verificationMaterial").path("tlogEntries").get(0);
    }
    byte[] real = Base64.getDecoder().decode(entry.path("canonicalizedBody").textValue());
    JsonNode spec = JSON.readTree(real).path("spec").path("hashedRekordV002");
    ObjectNode req = JSON.createObjectNode();
    ObjectNode hr = req.putObject("hashedRekordRequestV002");
    hr.put("digest", spec.path("data").path("digest").textValue());
    hr.set("signature", spec.path("signature").deepCopy());

    CanonicalEntry ours = RekorV2Entries.canonicalize(JSON.writeValueAsBytes(req));

    assertEquals(new String(real, StandardCharsets.UTF_8), new String(ours.body(), StandardCharsets.UTF_8));
    assertArrayEquals(real, ours.body());
    assertEquals("hashedrekord", ours.kind());
    assertEquals("0.0.2", ours.apiVersion());
    assertEquals(entry.path("kindVersion").path("kind").textValue(), ours.kind());
  }

  @Test
  void aHashedRekordWithAPublicKeyHasTheProtobufJsonShape() throws Exception {
    KeyPair kp = Fixtures.p256();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("artifact".getBytes(StandardCharsets.UTF_8));
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), "artifact".getBytes(StandardCharsets.UTF_8));
    CanonicalEntry e = RekorV2Entries.canonicalize(hashedRekordRequest(digest, sig, "publicKey",
        kp.getPublic().getEncoded(), "PKIX_ECDSA_P256_SHA_256"));
    assertEquals("{\"apiVersion\":\"0.0.2\",\"kind\":\"hashedrekord\",\"spec\":{\"hashedRekordV002\":{\"data\":"
        + "{\"algorithm\":\"SHA2_256\",\"digest\":\"" + Fixtures.b64(digest) + "\"},\"signature\":{\"content\":\""
        + Fixtures.b64(sig) + "\",\"verifier\":{\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\",\"publicKey\":{\"rawBytes\":\""
        + Fixtures.b64(kp.getPublic().getEncoded()) + "\"}}}}}}", new String(e.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aDsseRequestBecomesADsse002BodyWithThePayloadHashAndEachSignatureWithItsVerifier() throws Exception {
    KeyPair kp = Fixtures.p256();
    byte[] payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), RekorV2Entries.pae("application/vnd.in-toto+json", payload));
    String req = "{\"dsseRequestV002\":{\"envelope\":{\"payload\":\"" + Fixtures.b64(payload)
        + "\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"" + Fixtures.b64(sig)
        + "\",\"keyid\":\"\"}]},\"verifiers\":[{\"publicKey\":{\"rawBytes\":\"" + Fixtures.b64(kp.getPublic().getEncoded())
        + "\"},\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\"}]}}";
    CanonicalEntry e = RekorV2Entries.canonicalize(req.getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"apiVersion\":\"0.0.2\",\"kind\":\"dsse\",\"spec\":{\"dsseV002\":{\"payloadHash\":{\"algorithm\":"
        + "\"SHA2_256\",\"digest\":\"" + Fixtures.b64(MessageDigest.getInstance("SHA-256").digest(payload))
        + "\"},\"signatures\":[{\"content\":\"" + Fixtures.b64(sig) + "\",\"verifier\":{\"keyDetails\":"
        + "\"PKIX_ECDSA_P256_SHA_256\",\"publicKey\":{\"rawBytes\":\"" + Fixtures.b64(kp.getPublic().getEncoded())
        + "\"}}}]}}}", new String(e.body(), StandardCharsets.UTF_8));
  }

  @Test
  void refusesWhatRekorV2Refuses() throws Exception {
    KeyPair kp = Fixtures.p256();
    byte[] data = "artifact".getBytes(StandardCharsets.UTF_8);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), data);
    byte[] spki = kp.getPublic().getEncoded();
    byte[] otherSig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), "other".getBytes(StandardCharsets.UTF_8));
    List<byte[]> bad = List.of(
        hashedRekordRequest(digest, otherSig, "publicKey", spki, "PKIX_ECDSA_P256_SHA_256"),
        hashedRekordRequest(digest, sig, "publicKey", spki, "PKIX_ECDSA_P384_SHA_384"),
        hashedRekordRequest(digest, sig, "publicKey", spki, "PKIX_ED25519"),
        hashedRekordRequest(new byte[31], sig, "publicKey", spki, "PKIX_ECDSA_P256_SHA_256"),
        hashedRekordRequest(digest, sig, "x509Certificate", spki, "PKIX_ECDSA_P256_SHA_256"),
        hashedRekordRequest(digest, sig, "publicKey", new byte[] {1, 2, 3}, "PKIX_ECDSA_P256_SHA_256"),
        "{}".getBytes(StandardCharsets.UTF_8),
        "[]".getBytes(StandardCharsets.UTF_8),
        "{\"hashedRekordRequestV002\":{},\"dsseRequestV002\":{}}".getBytes(StandardCharsets.UTF_8),
        "{\"hashedRekordRequestV002\":{\"digest\":\"AA==\",\"extra\":1}}".getBytes(StandardCharsets.UTF_8),
        "{\"dsseRequestV002\":{\"envelope\":{\"payload\":\"AA==\",\"payloadType\":\"t\",\"signatures\":[]},\"verifiers\":[]}}"
            .getBytes(StandardCharsets.UTF_8),
        "not json".getBytes(StandardCharsets.UTF_8));
    for (byte[] b : bad) {
      InvalidEntryException e = assertThrows(InvalidEntryException.class, () -> RekorV2Entries.canonicalize(b),
          new String(b, StandardCharsets.UTF_8));
      assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
  }

  static byte[] hashedRekordRequest(byte[] digest, byte[] sig, String verifierKind, byte[] raw, String keyDetails) {
    return ("{\"hashedRekordRequestV002\":{\"digest\":\"" + Fixtures.b64(digest) + "\",\"signature\":{\"content\":\""
        + Fixtures.b64(sig) + "\",\"verifier\":{\"" + verifierKind + "\":{\"rawBytes\":\"" + Fixtures.b64(raw)
        + "\"},\"keyDetails\":\"" + keyDetails + "\"}}}}").getBytes(StandardCharsets.UTF_8);
  }
}
