package dev.sigil.attestations.dsse;

import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import dev.sigil.attestations.Fixtures;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.TestCrypto;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DsseEnvelopeTest {

  // secure-systems-lab/dsse protocol.md "Test Vectors" (v1.0.2).
  private static final String SPEC_TYPE = "http://example.com/HelloWorld";
  private static final byte[] SPEC_BODY = utf8("hello world");
  private static final String SPEC_PAE = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
  private static final String SPEC_ENVELOPE =
      "{\"payload\": \"aGVsbG8gd29ybGQ=\",\n \"payloadType\": \"http://example.com/HelloWorld\",\n"
          + " \"signatures\": [{\"sig\": \"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"}]}";
  private static final BigInteger SPEC_X =
      new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160");
  private static final BigInteger SPEC_Y =
      new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820");

  @Test
  void paeMatchesTheSpecVector() {
    assertEquals(SPEC_PAE, new String(DsseEnvelope.pae(SPEC_TYPE, SPEC_BODY), StandardCharsets.UTF_8));
  }

  @Test
  void specEnvelopeParsesAndItsSignatureCoversOurPae() throws Exception {
    DsseEnvelope env = DsseEnvelope.parse(utf8(SPEC_ENVELOPE));
    assertEquals(SPEC_TYPE, env.payloadType());
    assertArrayEquals(SPEC_BODY, env.payload());
    assertEquals(1, env.signatures().size());
    assertEquals("", env.signatures().get(0).keyid());
    PublicKey key = TestCrypto.p256(SPEC_X, SPEC_Y);
    assertTrue(TestCrypto.verifiesRaw(key, env.pae(), env.signatures().get(0).sig()));
    assertFalse(TestCrypto.verifiesRaw(key, DsseEnvelope.pae(SPEC_TYPE, utf8("hello world!")), env.signatures().get(0).sig()));
  }

  @Test
  void paeCountsUtf8BytesNotCharacters() {
    byte[] body = utf8("{\"note\":\"Grüße 🚀\"}");
    assertEquals(19, "{\"note\":\"Grüße 🚀\"}".length());
    assertEquals(23, body.length);
    byte[] pae = DsseEnvelope.pae("application/vnd.in-toto+json", body);
    String head = "DSSEv1 28 application/vnd.in-toto+json 23 ";
    assertArrayEquals(utf8(head), java.util.Arrays.copyOf(pae, head.length()));
    assertEquals(head.length() + 23, pae.length);
    // A payload type outside ASCII: "tÿpe" is 4 characters and 5 bytes.
    assertTrue(new String(DsseEnvelope.pae("tÿpe", new byte[0]), StandardCharsets.UTF_8).startsWith("DSSEv1 5 tÿpe 0 "));
  }

  @Test
  void paeOfEmptyInputs() {
    assertEquals("DSSEv1 0  0 ", new String(DsseEnvelope.pae("", new byte[0]), StandardCharsets.US_ASCII));
  }

  @Test
  void paeRefusesAPayloadTypeWithoutUtf8Encoding() {
    assertThrows(IllegalArgumentException.class, () -> DsseEnvelope.pae("a\uD800b", new byte[0]));
    assertThrows(NullPointerException.class, () -> DsseEnvelope.pae((String) null, new byte[0]));
    assertThrows(NullPointerException.class, () -> DsseEnvelope.pae("t", null));
  }

  @Test
  void writesTheFormCosignAndSigstoreJsWrite() throws Exception {
    DsseEnvelope env =
        new DsseEnvelope(
            "application/vnd.in-toto+json",
            utf8("{\"a\":\"ü\"}"),
            List.of(new DsseSignature("", new byte[] {1, 2, (byte) 0xfb}), new DsseSignature("k2", new byte[] {(byte) 0xff})));
    String json = new String(env.toJson(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"payload\":\"eyJhIjoiw7wifQ==\",\"payloadType\":\"application/vnd.in-toto+json\","
            + "\"signatures\":[{\"sig\":\"AQL7\"},{\"keyid\":\"k2\",\"sig\":\"/w==\"}]}",
        json);
    assertEquals(env, DsseEnvelope.parse(env.toJson()));
  }

  @Test
  void acceptsUrlSafeAndUnpaddedBase64() throws Exception {
    DsseEnvelope env =
        DsseEnvelope.parse(utf8("{\"payload\":\"-_-_AQ\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"_w\",\"keyid\":null}]}"));
    assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 1}, env.payload());
    assertArrayEquals(new byte[] {(byte) 0xff}, env.signatures().get(0).sig());
    assertEquals("", env.signatures().get(0).keyid());
  }

  @Test
  void ignoresUnknownFields() throws Exception {
    DsseEnvelope env =
        DsseEnvelope.parse(utf8("{\"payload\":\"\",\"payloadType\":\"t\",\"x\":1,\"signatures\":[{\"sig\":\"AA==\",\"ext\":{}}]}"));
    assertEquals(0, env.payload().length);
  }

  static List<Arguments> rejected() {
    return List.of(
        Arguments.of("payload missing", "{\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\"}]}", Reason.MISSING_FIELD, "/payload"),
        Arguments.of("payload a number", "{\"payload\":1,\"payloadType\":\"t\",\"signatures\":[]}", Reason.WRONG_TYPE, "/payload"),
        Arguments.of("payload not base64", "{\"payload\":\"a b\",\"payloadType\":\"t\",\"signatures\":[]}", Reason.INVALID_BASE64, "/payload"),
        Arguments.of("payload non-canonical", "{\"payload\":\"aGVsbG9=\",\"payloadType\":\"t\",\"signatures\":[]}", Reason.INVALID_BASE64, "/payload"),
        Arguments.of("payloadType missing", "{\"payload\":\"\",\"signatures\":[{\"sig\":\"AA==\"}]}", Reason.MISSING_FIELD, "/payloadType"),
        Arguments.of("payloadType null", "{\"payload\":\"\",\"payloadType\":null}", Reason.MISSING_FIELD, "/payloadType"),
        Arguments.of("payloadType lone surrogate", "{\"payload\":\"\",\"payloadType\":\"\\ud800\"}", Reason.MALFORMED_JSON, "/payloadType"),
        Arguments.of("signatures missing", "{\"payload\":\"\",\"payloadType\":\"t\"}", Reason.MISSING_FIELD, "/signatures"),
        Arguments.of("signatures an object", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":{}}", Reason.WRONG_TYPE, "/signatures"),
        Arguments.of("signatures empty", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[]}", Reason.INVALID_VALUE, "/signatures"),
        Arguments.of("signature a string", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[\"AA==\"]}", Reason.WRONG_TYPE, "/signatures/0"),
        Arguments.of("sig missing", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\"}]}", Reason.MISSING_FIELD, "/signatures/0/sig"),
        Arguments.of("sig empty", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"\"}]}", Reason.INVALID_VALUE, "/signatures/0/sig"),
        Arguments.of("sig not base64", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\"},{\"sig\":\"%%\"}]}", Reason.INVALID_BASE64, "/signatures/1/sig"),
        Arguments.of("keyid a number", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\",\"keyid\":5}]}", Reason.WRONG_TYPE, "/signatures/0/keyid"),
        Arguments.of("duplicate sig", "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\",\"sig\":\"AQ==\"}]}", Reason.DUPLICATE_KEY, "/signatures/0/sig"),
        Arguments.of("duplicate payload", "{\"payload\":\"AA==\",\"payload\":\"AQ==\"}", Reason.DUPLICATE_KEY, "/payload"),
        Arguments.of("root an array", "[]", Reason.WRONG_TYPE, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String name, String json, Reason reason, String pointer) {
    AttestationException e = assertThrows(AttestationException.class, () -> DsseEnvelope.parse(utf8(json)));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(pointer, e.pointer(), e.getMessage());
  }

  @Test
  void rejectsTooManySignatures() {
    StringBuilder b = new StringBuilder("{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[");
    for (int i = 0; i <= DsseEnvelope.MAX_SIGNATURES; i++) {
      b.append(i == 0 ? "" : ",").append("{\"sig\":\"AA==\"}");
    }
    AttestationException e =
        assertThrows(AttestationException.class, () -> DsseEnvelope.parse(utf8(b.append("]}").toString())));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void rejectsOversizeEnvelopesAndPayloads() {
    byte[] big = new byte[DsseEnvelope.MAX_ENVELOPE_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertEquals(Reason.TOO_LARGE, assertThrows(AttestationException.class, () -> DsseEnvelope.parse(big)).reason());
    String payload = Base64.getEncoder().encodeToString(new byte[Statement.MAX_PAYLOAD_BYTES + 3]);
    String json = "{\"payload\":\"" + payload + "\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AA==\"}]}";
    AttestationException e = assertThrows(AttestationException.class, () -> DsseEnvelope.parse(utf8(json)));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("/payload", e.pointer());
  }

  @Test
  void acceptsAStatementOfExactlyTheMaximumSize() throws Exception {
    byte[] head = utf8(Fixtures.statementJson("x:y", "{}"));
    byte[] payload = new byte[Statement.MAX_PAYLOAD_BYTES];
    java.util.Arrays.fill(payload, (byte) ' ');
    System.arraycopy(head, 0, payload, 0, head.length);
    DsseEnvelope env = new DsseEnvelope(Statement.PAYLOAD_TYPE, payload, List.of(new DsseSignature("", new byte[] {1})));
    DsseEnvelope back = DsseEnvelope.parse(env.toJson());
    assertEquals(Statement.MAX_PAYLOAD_BYTES, back.payload().length);
    assertEquals("x:y", back.statement().predicateType());
  }

  @Test
  void constructorRefusesWhatParsingRefuses() {
    assertThrows(IllegalArgumentException.class, () -> new DsseEnvelope("t", new byte[0], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new DsseSignature("", new byte[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DsseEnvelope("\uDC00", new byte[0], List.of(new DsseSignature("", new byte[] {1}))));
  }

  @Test
  void multiSignatureEnvelopeByDifferentKeys() throws Exception {
    KeyPair k1 = TestCrypto.newP256();
    KeyPair k2 = TestCrypto.newP256();
    KeyPair k3 = TestCrypto.newP256();
    byte[] payload = utf8(Fixtures.statementJson("https://example.com/p", "{\"ü\":\"🚀\"}"));
    DsseEnvelope env =
        DsseEnvelope.sign(
            Statement.PAYLOAD_TYPE,
            payload,
            List.of(TestCrypto.signer(k1, "key-1"), TestCrypto.signer(k2, "key-2"), TestCrypto.signer(k3, "")));
    DsseEnvelope back = DsseEnvelope.parse(env.toJson());
    assertEquals(env, back);
    assertEquals(List.of("key-1", "key-2", ""), back.signatures().stream().map(DsseSignature::keyid).toList());
    assertTrue(TestCrypto.allVerify(back, k1.getPublic(), k2.getPublic(), k3.getPublic()));
    assertFalse(TestCrypto.allVerify(back, k2.getPublic()), "a signature verifies only with its own key");
    assertEquals("https://example.com/p", back.statement().predicateType());
  }

  @Test
  void signRefusesTwoSignersWithOneKeyId() throws Exception {
    KeyPair k = TestCrypto.newP256();
    assertThrows(
        IllegalArgumentException.class,
        () -> DsseEnvelope.sign("t", new byte[] {1}, List.of(TestCrypto.signer(k, "a"), TestCrypto.signer(k, "a"))));
    assertThrows(IllegalArgumentException.class, () -> DsseEnvelope.sign("t", new byte[] {1}, new ArrayList<DsseSigner>()));
  }

  @Test
  void statementNeedsTheInTotoPayloadType() throws Exception {
    DsseEnvelope env = DsseEnvelope.parse(utf8(SPEC_ENVELOPE));
    assertFalse(env.isInTotoStatement());
    AttestationException e = assertThrows(AttestationException.class, env::statement);
    assertEquals("/payloadType", e.pointer());
    assertEquals(Reason.INVALID_VALUE, e.reason());
  }

  @Test
  void realNpmProvenanceSignatureCoversOurPae() throws Exception {
    String path = "corpus/sigstore.js-2.0.0-provenance.sigstore.json";
    JsonNode bundle = StrictJson.parseObject(Fixtures.bytes(path), 1 << 24);
    DsseEnvelope env = Fixtures.envelope(path);
    PublicKey key = TestCrypto.bundleCertificate(bundle).getPublicKey();
    assertTrue(TestCrypto.verifiesDer(key, env.pae(), env.signatures().get(0).sig()));
    // The same envelope re-serialised by Sigil parses to an equal envelope.
    assertEquals(env, DsseEnvelope.parse(env.toJson()));
  }

  @Test
  void twoSignatureCorpusEnvelope() throws Exception {
    DsseEnvelope env = Fixtures.envelope("corpus/dsse-2sigs.sigstore.json");
    assertEquals(2, env.signatures().size());
    assertEquals(Statement.TYPE_V01, env.statement().type());
  }
}
