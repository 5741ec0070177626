package dev.sigil.verifier.trust;

import static dev.sigil.verifier.trust.TrustFixtures.bytes;
import static dev.sigil.verifier.trust.TrustFixtures.ca;
import static dev.sigil.verifier.trust.TrustFixtures.publicGoodWith;
import static dev.sigil.verifier.trust.TrustFixtures.publicKey;
import static dev.sigil.verifier.trust.TrustFixtures.tlog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Providers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedRootTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] REKOR_V1_LOG_ID =
      HEX.parseHex("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
  private static final byte[] REKOR_V2_LOG_ID =
      HEX.parseHex("cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0");

  @Test
  void parsesThePublicGoodRoot() throws Exception {
    TrustedRoot r = TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD));
    assertEquals(TrustedRoot.MEDIA_TYPE_0_1, r.mediaType());
    assertEquals(2, r.tlogs().size());
    assertEquals(2, r.ctlogs().size());
    assertEquals(2, r.certificateAuthorities().size());
    assertEquals(1, r.timestampAuthorities().size());
    assertFalse(r.isEmpty());

    TransparencyLogInstance v1 = r.tlogByLogId(REKOR_V1_LOG_ID).orElseThrow();
    assertEquals("https://rekor.sigstore.dev", v1.baseUrl());
    assertEquals(HashAlgorithm.SHA2_256, v1.hashAlgorithm());
    assertEquals(PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, v1.keyDetails());
    assertTrue(v1.publicKey() instanceof ECPublicKey);
    assertEquals(ValidityPeriod.startingAt(Instant.parse("2021-01-12T11:53:27Z")), v1.validFor());
    assertTrue(v1.validFor().isOpenEnded());
    assertArrayEquals(REKOR_V1_LOG_ID, v1.logId());
    assertEquals(Optional.empty(), v1.checkpointKeyId());
    assertEquals("", v1.operator());
    assertEquals(Optional.of("rekor.sigstore.dev"), v1.checkpointKeyName());
    assertTrue(v1.validAt(Instant.parse("2021-01-12T11:53:27Z")));
    assertFalse(v1.validAt(Instant.parse("2021-01-12T11:53:26.999999999Z")));

    TransparencyLogInstance v2 = r.tlogByLogId(REKOR_V2_LOG_ID).orElseThrow();
    assertEquals(PublicKeyDetails.PKIX_ED25519, v2.keyDetails());
    assertEquals("Ed25519", dev.sigil.verifier.internal.crypto.PublicKeys.describeType(v2.publicKey()));
    assertEquals(Optional.of("log2025-1.rekor.sigstore.dev"), v2.checkpointKeyName());

    // Lookups are per list: a Rekor log ID is not a CT log ID.
    assertEquals(Optional.empty(), r.ctlogByLogId(REKOR_V1_LOG_ID));
    byte[] ctLogId = HEX.parseHex("086092f02852ff6845d1d16b27849c456718ac163dc338d26de6bc2206366f72");
    TransparencyLogInstance ct = r.ctlogByLogId(ctLogId).orElseThrow();
    assertEquals("https://ctfe.sigstore.dev/test", ct.baseUrl());
    assertEquals(Instant.parse("2022-10-31T23:59:59.999Z"), ct.validFor().end());
    assertEquals(Optional.empty(), r.tlogByLogId(new byte[32]));
    assertEquals(Optional.empty(), r.tlogByLogId(null));
    assertEquals(Optional.empty(), r.tlogByLogId(java.util.Arrays.copyOf(REKOR_V1_LOG_ID, 4)));

    CertificateAuthority fulcioOld = r.certificateAuthorities().get(0);
    assertEquals(new DistinguishedName("sigstore.dev", "sigstore"), fulcioOld.subject());
    assertEquals("https://fulcio.sigstore.dev", fulcioOld.uri());
    assertEquals(1, fulcioOld.certChain().size());
    assertEquals(
        ValidityPeriod.between(Instant.parse("2021-03-07T03:20:29Z"), Instant.parse("2022-12-31T23:59:59.999Z")),
        fulcioOld.validFor());
    CertificateAuthority fulcio = r.certificateAuthorities().get(1);
    assertEquals(2, fulcio.certChain().size());
    assertEquals(1, fulcio.certificatesBelowAnchor().size());
    assertEquals(
        fulcio.trustAnchor().getSubjectX500Principal(), fulcio.trustAnchor().getIssuerX500Principal());
    fulcio.certificatesBelowAnchor().get(0).verify(fulcio.trustAnchor().getPublicKey(), Providers.bouncyCastle());

    CertificateAuthority tsa = r.timestampAuthorities().get(0);
    assertEquals(new DistinguishedName("sigstore.dev", "sigstore-tsa-selfsigned"), tsa.subject());
    assertEquals("https://timestamp.sigstore.dev/api/v1/timestamp", tsa.uri());
    assertEquals(2, tsa.certChain().size());
    assertEquals(ValidityPeriod.startingAt(Instant.parse("2025-07-04T00:00:00Z")), tsa.validFor());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/trust/conformance/intoto-with-custom-trust-root.trusted_root.json",
        "/trust/conformance/rekor2-happy-path.trusted_root.json",
        "/trust/conformance/rekor2-dsse-happy-path.trusted_root.json",
        "/trust/conformance/rekor2-timestamp-outside-trust-root-tsa-validity_fail.trusted_root.json",
        "/trust/conformance/rekor2-timestamp-outside-tsa-cert-validity_fail.trusted_root.json",
        "/trust/conformance/trust-root-tlog-validity-end-inclusive.trusted_root.json",
        "/trust/sigstore-go/public-good.json",
        "/trust/sigstore-go/public-key-validity.json",
        "/trust/sigstore-go/scaffolding.json",
        "/trust/sigstore-python/trustedroot.v1.json",
        "/trust/sigstore-python/trustedroot.v1.local_tlog_ed25519_rekor-tiles.json",
      })
  void parsesRealRoots(String resource) throws Exception {
    TrustedRoot r = TrustedRoot.parse(bytes(resource));
    for (TransparencyLogInstance t : r.tlogs()) {
      assertTrue(t.validFor().hasStart(), t.toString());
      assertTrue(t.publicKey().getEncoded().length > 0);
    }
    for (CertificateAuthority ca : r.certificateAuthorities()) {
      assertFalse(ca.certChain().isEmpty());
    }
  }

  @Test
  void parsesTheStagingRootWithItsPkcs1RsaCtLog() throws Exception {
    TrustedRoot r = TrustedRoot.parse(bytes("/trust/conformance/rekor2-happy-path.trusted_root.json"));
    TransparencyLogInstance rsa = r.ctlogs().get(0);
    assertEquals(PublicKeyDetails.PKCS1_RSA_PKCS1V5, rsa.keyDetails());
    assertEquals(4096, ((RSAPublicKey) rsa.publicKey()).getModulus().bitLength());
    assertEquals(
        ValidityPeriod.between(Instant.parse("2021-03-14T00:00:00Z"), Instant.parse("2022-07-31T00:00:00Z")),
        rsa.validFor());
    TransparencyLogInstance alpha1 = r.tlogs().get(1);
    assertEquals(Optional.of("log2025-alpha1.rekor.sigstage.dev"), alpha1.checkpointKeyName());
  }

  @Test
  void readsNullsAsAbsentAndEndInstantsAsInside() throws Exception {
    TrustedRoot r =
        TrustedRoot.parse(bytes("/trust/conformance/trust-root-tlog-validity-end-inclusive.trusted_root.json"));
    TransparencyLogInstance v1 = r.tlogByLogId(REKOR_V1_LOG_ID).orElseThrow();
    Instant end = Instant.parse("2023-07-12T15:56:36Z");
    assertEquals(end, v1.validFor().end());
    assertTrue(v1.validAt(end));
    assertFalse(v1.validAt(end.plusNanos(1)));
    assertTrue(r.tlogByLogId(REKOR_V2_LOG_ID).orElseThrow().validFor().isOpenEnded());
    assertEquals(Optional.empty(), v1.checkpointKeyId());
  }

  @Test
  void keepsNanosecondTimestamps() throws Exception {
    TrustedRoot r = TrustedRoot.parse(bytes("/trust/sigstore-go/public-key-validity.json"));
    ValidityPeriod p = r.timestampAuthorities().get(0).validFor();
    assertEquals(Instant.parse("2026-06-04T12:43:29.186617431Z"), p.start());
    assertEquals(Instant.parse("2026-06-04T18:43:29.186617501Z"), p.end());
  }

  @Test
  void parsesTheMinimalDocumentAndTheNewerMediaTypes() throws Exception {
    TrustedRoot min =
        TrustedRoot.parse(
            "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(TrustedRoot.empty(), min);
    assertTrue(min.isEmpty());
    for (String mt : TrustedRoot.MEDIA_TYPES) {
      TrustedRoot r = TrustedRoot.parse(("{\"mediaType\":\"" + mt + "\",\"tlogs\":[]}").getBytes(StandardCharsets.UTF_8));
      assertEquals(mt, r.mediaType());
    }
  }

  @Test
  void readsProtobufJsonVariants() throws Exception {
    // snake_case field names, enums by number, URL-safe unpadded base64, unknown fields, offsets in timestamps
    byte[] doc =
        publicGoodWith(
            root -> {
              ObjectNode t = tlog(root, 0);
              t.set("base_url", t.remove("baseUrl"));
              t.put("hashAlgorithm", 1);
              ObjectNode pk = publicKey(root, 0);
              pk.put("keyDetails", 5);
              String raw = pk.get("rawBytes").asText();
              pk.put("rawBytes", Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(raw)));
              ((ObjectNode) pk.get("validFor")).put("start", "2021-01-12T12:53:27+01:00");
              t.put("futureField", "ignored");
              root.put("somethingNew", 1);
            });
    TrustedRoot r = TrustedRoot.parse(doc);
    TransparencyLogInstance v1 = r.tlogs().get(0);
    assertEquals("https://rekor.sigstore.dev", v1.baseUrl());
    assertEquals(PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, v1.keyDetails());
    assertEquals(Instant.parse("2021-01-12T11:53:27Z"), v1.validFor().start());
    assertEquals(TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD)).tlogs().get(0), v1);
  }

  @Test
  void readsCheckpointKeyIdAndOperator() throws Exception {
    TrustedRoot r =
        TrustedRoot.parse(
            publicGoodWith(
                root -> {
                  tlog(root, 1).putObject("checkpointKeyId").put("keyId", "zxGZFQ==");
                  tlog(root, 1).put("operator", "sigstore.dev");
                  ca(root, 0).put("operator", "sigstore.dev");
                }));
    TransparencyLogInstance v2 = r.tlogs().get(1);
    assertArrayEquals(HEX.parseHex("cf119915"), v2.checkpointKeyId().orElseThrow());
    assertEquals("sigstore.dev", v2.operator());
    assertEquals("sigstore.dev", r.certificateAuthorities().get(0).operator());
    assertTrue(v2.toString().contains("checkpointKeyId=cf119915"));
  }

  // ---- malformed documents: every error names the path, what was expected and what was found ----

  @Test
  void rejectsDocumentsThatAreNotTrustedRoots() {
    assertError("trusted root: missing (null)", (byte[]) null);
    assertErrorStartsWith("trusted root JSON: malformed (", "{".getBytes(StandardCharsets.UTF_8));
    assertErrorStartsWith("trusted root JSON: malformed (", "not json".getBytes(StandardCharsets.UTF_8));
    assertErrorStartsWith(
        "trusted root JSON: malformed (",
        "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"} {}".getBytes(StandardCharsets.UTF_8));
    assertErrorStartsWith(
        "trusted root JSON: malformed (Duplicate field 'mediaType'",
        "{\"mediaType\":\"a\",\"mediaType\":\"b\"}".getBytes(StandardCharsets.UTF_8));
    assertError("trusted root JSON: expected an object, found an empty document", new byte[0]);
    assertError("$: expected an object, found array", "[]".getBytes(StandardCharsets.UTF_8));
    assertError("$.mediaType: required field is missing", "{}".getBytes(StandardCharsets.UTF_8));
    assertError("$.mediaType: expected a string, found number", "{\"mediaType\":1}".getBytes(StandardCharsets.UTF_8));
    assertErrorStartsWith(
        "$.mediaType: expected a trusted root media type (application/vnd.dev.sigstore.trustedroot+json;version=0.1,",
        bytes("/trust/sigstore-python/trustedroot.badtype.json"));
    assertTrue(
        message(bytes("/trust/sigstore-python/trustedroot.badtype.json")).endsWith("found \"bad-media-type\""));
    assertErrorStartsWith(
        "trusted root size: expected at most 8388608 bytes, found 8388609", new byte[TrustedRoot.MAX_TRUSTED_ROOT_BYTES + 1]);
    String deep = "{\"mediaType\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertErrorStartsWith("trusted root JSON: malformed (", deep.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsMalformedStructure() {
    assertError("$.tlogs: expected an array, found object", with(root -> root.putObject("tlogs")));
    assertError("$.tlogs[0]: expected an object, found the string \"x\"", with(root -> ((ArrayNode) root.get("tlogs")).set(0, "x")));
    assertError(
        "$.certificateAuthorities: expected an array, found number", with(root -> root.put("certificateAuthorities", 3)));
    assertError(
        "$.tlogs[1]: expected one of baseUrl and base_url (the same field), found both",
        with(root -> tlog(root, 1).put("base_url", "https://x")));
    assertError("$.tlogs[0].baseUrl: expected a string, found boolean", with(root -> tlog(root, 0).put("baseUrl", true)));
  }

  @Test
  void rejectsBadLogHashAlgorithms() {
    assertError("$.tlogs[0].hashAlgorithm: required field is missing", with(root -> tlog(root, 0).remove("hashAlgorithm")));
    assertError(
        "$.tlogs[0].hashAlgorithm: expected SHA2_256 (the only Merkle tree hash Sigil implements), found SHA2_384",
        with(root -> tlog(root, 0).put("hashAlgorithm", "SHA2_384")));
    assertError(
        "$.ctlogs[1].hashAlgorithm: expected SHA2_256 (the only Merkle tree hash Sigil implements), found"
            + " HASH_ALGORITHM_UNSPECIFIED",
        with(root -> ((ObjectNode) root.get("ctlogs").get(1)).put("hashAlgorithm", 0)));
    assertErrorStartsWith(
        "$.tlogs[0].hashAlgorithm: expected one of [HASH_ALGORITHM_UNSPECIFIED, SHA2_256,",
        with(root -> tlog(root, 0).put("hashAlgorithm", "MD5")));
    assertError(
        "$.tlogs[0].hashAlgorithm: expected an enum number from 0 to 5, found 9",
        with(root -> tlog(root, 0).put("hashAlgorithm", 9)));
    assertError(
        "$.tlogs[0].hashAlgorithm: expected an enum name or number, found array",
        with(root -> tlog(root, 0).putArray("hashAlgorithm")));
  }

  @Test
  void rejectsBadLogKeys() throws Exception {
    assertError("$.tlogs[0].publicKey: required field is missing", with(root -> tlog(root, 0).remove("publicKey")));
    assertError("$.tlogs[0].publicKey: expected an object, found number", with(root -> tlog(root, 0).put("publicKey", 1)));
    assertError(
        "$.tlogs[0].publicKey.keyDetails: required field is missing", with(root -> publicKey(root, 0).remove("keyDetails")));
    assertError(
        "$.tlogs[0].publicKey.keyDetails: expected a PublicKeyDetails name, found unknown \"PKIX_DSA\"",
        with(root -> publicKey(root, 0).put("keyDetails", "PKIX_DSA")));
    assertError(
        "$.tlogs[0].publicKey.keyDetails: expected a PublicKeyDetails number, found unknown 99",
        with(root -> publicKey(root, 0).put("keyDetails", 99)));
    assertError(
        "$.tlogs[0].publicKey.keyDetails: expected a PublicKeyDetails name or number, found boolean",
        with(root -> publicKey(root, 0).put("keyDetails", false)));
    List<String> unsupportedSchemes =
        List.of("PKIX_RSA_PSS_2048_SHA256", "ML_DSA_65", "PKIX_ECDSA_P384_SHA_256", "PUBLIC_KEY_DETAILS_UNSPECIFIED");
    for (String unsupported : unsupportedSchemes) {
      assertErrorStartsWith(
          "$.tlogs[0].publicKey.keyDetails: expected a log key scheme Sigil supports (",
          with(root -> publicKey(root, 0).put("keyDetails", unsupported)));
      assertTrue(message(with(root -> publicKey(root, 0).put("keyDetails", unsupported))).endsWith("found " + unsupported));
    }
    assertError(
        "$.tlogs[0].publicKey.rawBytes: required field is missing", with(root -> publicKey(root, 0).remove("rawBytes")));
    assertErrorStartsWith(
        "$.tlogs[0].publicKey.rawBytes: expected base64, found invalid base64 (",
        with(root -> publicKey(root, 0).put("rawBytes", "not*base64")));
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected base64 text, found number",
        with(root -> publicKey(root, 0).put("rawBytes", 12)));
    assertErrorStartsWith(
        "$.tlogs[0].publicKey.rawBytes: expected a PKIX_ECDSA_P256_SHA_256 key, found an unparseable one (",
        with(root -> publicKey(root, 0).put("rawBytes", "AAAA")));
    // keys that parse but are not what keyDetails declares
    String ed25519 = publicKey(json(), 1).get("rawBytes").asText();
    String p256 = publicKey(json(), 0).get("rawBytes").asText();
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected a key matching PKIX_ECDSA_P256_SHA_256, found a key of type Ed25519",
        with(root -> publicKey(root, 0).put("rawBytes", ed25519)));
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected a key matching PKIX_ECDSA_P384_SHA_384, found an ECDSA key on the"
            + " curve with OID 1.2.840.10045.3.1.7",
        with(root -> publicKey(root, 0).put("keyDetails", "PKIX_ECDSA_P384_SHA_384")));
    assertError(
        "$.tlogs[1].publicKey.rawBytes: expected a key matching PKIX_ED25519, found a key of type EC",
        with(root -> publicKey(root, 1).put("rawBytes", p256)));
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected a key matching PKIX_RSA_PKCS1V15_2048_SHA256, found a key of type EC",
        with(root -> publicKey(root, 0).put("keyDetails", "PKIX_RSA_PKCS1V15_2048_SHA256")));
    assertErrorStartsWith(
        "$.tlogs[0].publicKey.rawBytes: expected a PKCS1_RSA_PKCS1V5 key, found an unparseable one (PKCS#1 RSA public key:",
        with(root -> publicKey(root, 0).put("keyDetails", "PKCS1_RSA_PKCS1V5")));
    // a secp256k1 key has a 256-bit field but is not P-256
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
    g.initialize(new ECGenParameterSpec("secp256k1"));
    String k1 = Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected a key matching PKIX_ECDSA_P256_SHA_256, found an ECDSA key on the"
            + " curve with OID 1.3.132.0.10",
        with(root -> publicKey(root, 0).put("rawBytes", k1)));
    // an RSA key of another size than declared
    PublicKey small = dev.sigil.testkit.TestKeys.rsaFromResource("/tlog/rsa1024-test-key.pk8.b64").getPublic();
    String smallB64 = Base64.getEncoder().encodeToString(small.getEncoded());
    assertError(
        "$.tlogs[0].publicKey.rawBytes: expected a key matching PKIX_RSA_PKCS1V15_2048_SHA256, found a 1024-bit RSA key",
        with(
            root -> {
              publicKey(root, 0).put("keyDetails", "PKIX_RSA_PKCS1V15_2048_SHA256");
              publicKey(root, 0).put("rawBytes", smallB64);
            }));
  }

  @Test
  void rejectsLogKeysWithoutAValidityStart() {
    assertError(
        "$.tlogs[0].publicKey.validFor: required field is missing (a transparency log key needs a validity period with"
            + " a start)",
        with(root -> publicKey(root, 0).remove("validFor")));
    assertError(
        "$.tlogs[1].publicKey.validFor.start: required field is missing (a transparency log key with no start of"
            + " validity cannot be trusted)",
        with(root -> ((ObjectNode) publicKey(root, 1).get("validFor")).remove("start")));
    assertError(
        "$.ctlogs[0].publicKey.validFor.start: required field is missing (a transparency log key with no start of"
            + " validity cannot be trusted)",
        with(root -> ((ObjectNode) root.get("ctlogs").get(0).get("publicKey").get("validFor")).putNull("start")));
    assertError(
        "$.tlogs[0].publicKey.validFor: expected an object, found the string \"always\"",
        with(root -> publicKey(root, 0).put("validFor", "always")));
  }

  @Test
  void rejectsBadTimestamps() {
    assertError(
        "$.tlogs[0].publicKey.validFor.start: expected an RFC 3339 timestamp such as 2021-01-12T11:53:27Z, found"
            + " \"2021-01-12\"",
        with(root -> ((ObjectNode) publicKey(root, 0).get("validFor")).put("start", "2021-01-12")));
    assertError(
        "$.tlogs[0].publicKey.validFor.start: expected an RFC 3339 timestamp such as 2021-01-12T11:53:27Z, found"
            + " \"2021-01-12T11:53:27\"",
        with(root -> ((ObjectNode) publicKey(root, 0).get("validFor")).put("start", "2021-01-12T11:53:27")));
    assertError(
        "$.tlogs[0].publicKey.validFor.end: expected an RFC 3339 timestamp string, found number",
        with(root -> ((ObjectNode) publicKey(root, 0).get("validFor")).put("end", 1700000000)));
    assertError(
        "$.tlogs[0].publicKey.validFor: expected start <= end, found start 2021-01-12T11:53:27Z after end"
            + " 2020-01-01T00:00:00Z",
        with(root -> ((ObjectNode) publicKey(root, 0).get("validFor")).put("end", "2020-01-01T00:00:00Z")));
    assertError(
        "$.certificateAuthorities[1].validFor: expected start <= end, found start 2022-04-13T20:06:15Z after end"
            + " 2022-04-13T20:06:14Z",
        with(root -> ((ObjectNode) ca(root, 1).get("validFor")).put("end", "2022-04-13T20:06:14Z")));
  }

  @Test
  void rejectsBadLogIds() {
    assertError("$.tlogs[0].logId: required field is missing", with(root -> tlog(root, 0).remove("logId")));
    assertError(
        "$.tlogs[0].logId.keyId: required field is missing", with(root -> ((ObjectNode) tlog(root, 0).get("logId")).remove("keyId")));
    assertError(
        "$.tlogs[0].logId.keyId: expected a non-empty key ID, found 0 bytes",
        with(root -> ((ObjectNode) tlog(root, 0).get("logId")).put("keyId", "")));
    assertError(
        "$.tlogs[0].logId.keyId: expected a 32-byte log ID (a SHA-256 hash), found 4 bytes",
        with(root -> ((ObjectNode) tlog(root, 0).get("logId")).put("keyId", "AAAAAA==")));
    assertError(
        "$.tlogs[1].checkpointKeyId: expected an object, found the string \"abc\"",
        with(root -> tlog(root, 1).put("checkpointKeyId", "abc")));
    assertError(
        "$.tlogs[1].logId.keyId: expected a log ID unique among tlogs, found"
            + " c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d, already used by $.tlogs[0]",
        with(root -> tlog(root, 1).set("logId", tlog(root, 0).get("logId").deepCopy())));
  }

  @Test
  void rejectsBadAuthorities() {
    assertError(
        "$.certificateAuthorities[0].certChain: required field is missing", with(root -> ca(root, 0).remove("certChain")));
    assertError(
        "$.certificateAuthorities[0].certChain.certificates: expected at least one certificate, found none",
        with(root -> ((ObjectNode) ca(root, 0).get("certChain")).putArray("certificates")));
    assertError(
        "$.certificateAuthorities[0].certChain.certificates: expected at least one certificate, found none",
        with(root -> ((ObjectNode) ca(root, 0).get("certChain")).remove("certificates")));
    assertError(
        "$.certificateAuthorities[1].certChain.certificates[1].rawBytes: required field is missing",
        with(root -> ((ObjectNode) ca(root, 1).get("certChain").get("certificates").get(1)).remove("rawBytes")));
    assertErrorStartsWith(
        "$.certificateAuthorities[1].certChain.certificates[0].rawBytes: expected a DER X.509 certificate, found an"
            + " unparseable one (",
        with(root -> ((ObjectNode) ca(root, 1).get("certChain").get("certificates").get(0)).put("rawBytes", "AAAA")));
    assertError(
        "$.timestampAuthorities[0].certChain.certificates[0].rawBytes: expected exactly one DER X.509 certificate,"
            + " found extra or non-DER bytes",
        with(
            root -> {
              ObjectNode c =
                  (ObjectNode) root.get("timestampAuthorities").get(0).get("certChain").get("certificates").get(0);
              byte[] der = Base64.getDecoder().decode(c.get("rawBytes").asText());
              byte[] padded = java.util.Arrays.copyOf(der, der.length + 2);
              c.put("rawBytes", Base64.getEncoder().encodeToString(padded));
            }));
    assertError(
        "$.certificateAuthorities[0].subject: expected an object, found the string \"CN=x\"",
        with(root -> ca(root, 0).put("subject", "CN=x")));
    assertError(
        "$.certificateAuthorities[0].subject.commonName: expected a string, found number",
        with(root -> ((ObjectNode) ca(root, 0).get("subject")).put("commonName", 5)));
    assertError(
        "$.certificateAuthorities[0].validFor.end: expected an RFC 3339 timestamp such as 2021-01-12T11:53:27Z,"
            + " found \"soon\"",
        with(root -> ((ObjectNode) ca(root, 0).get("validFor")).put("end", "soon")));
  }

  @Test
  void authoritiesMayOmitOptionalFields() throws Exception {
    TrustedRoot r =
        TrustedRoot.parse(
            publicGoodWith(
                root -> {
                  ca(root, 0).remove("validFor");
                  ca(root, 0).remove("subject");
                  ca(root, 0).remove("uri");
                }));
    CertificateAuthority ca = r.certificateAuthorities().get(0);
    assertEquals(ValidityPeriod.unbounded(), ca.validFor());
    assertEquals(DistinguishedName.empty(), ca.subject());
    assertEquals("", ca.uri());
  }

  @Test
  void valuesAreImmutableAndValidated() throws Exception {
    TrustedRoot r = TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD));
    assertThrows(UnsupportedOperationException.class, () -> r.tlogs().clear());
    assertThrows(UnsupportedOperationException.class, () -> r.certificateAuthorities().get(1).certChain().clear());
    TransparencyLogInstance t = r.tlogs().get(0);
    t.logId()[0] ^= 1;
    assertArrayEquals(REKOR_V1_LOG_ID, t.logId());
    assertEquals(t, TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD)).tlogs().get(0));
    assertEquals(t.hashCode(), TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD)).tlogs().get(0).hashCode());
    assertNotEquals(t, r.tlogs().get(1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransparencyLogInstance(
            t.baseUrl(), t.hashAlgorithm(), t.keyDetails(), t.publicKey(), ValidityPeriod.unbounded(), t.logId(),
            Optional.empty(), ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransparencyLogInstance(
            t.baseUrl(), t.hashAlgorithm(), t.keyDetails(), t.publicKey(), t.validFor(), new byte[0], Optional.empty(), ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrustedRoot(TrustedRoot.MEDIA_TYPE_0_1, List.of(), List.of(t, t), List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CertificateAuthority(DistinguishedName.empty(), "", List.of(), ValidityPeriod.unbounded(), ""));
  }

  @Test
  void derivesCheckpointKeyNamesFromBaseUrls() throws Exception {
    TransparencyLogInstance t = TrustedRoot.parse(bytes(TrustFixtures.PUBLIC_GOOD)).tlogs().get(0);
    assertEquals(Optional.of("localhost:8000"), withBaseUrl(t, "http://localhost:8000").checkpointKeyName());
    assertEquals(Optional.of("rekor.example.com"), withBaseUrl(t, "rekor.example.com").checkpointKeyName());
    assertEquals(Optional.of("rekor.example.com"), withBaseUrl(t, "https://rekor.example.com/api/").checkpointKeyName());
    assertEquals(Optional.empty(), withBaseUrl(t, "").checkpointKeyName());
    assertEquals(Optional.empty(), withBaseUrl(t, "https://").checkpointKeyName());
    assertEquals(Optional.empty(), withBaseUrl(t, "http://bad host/").checkpointKeyName());
  }

  // ---- helpers ----

  private static TransparencyLogInstance withBaseUrl(TransparencyLogInstance t, String url) {
    return new TransparencyLogInstance(
        url, t.hashAlgorithm(), t.keyDetails(), t.publicKey(), t.validFor(), t.logId(), t.checkpointKeyId(), t.operator());
  }

  private static ObjectNode json() {
    try {
      return (ObjectNode) TrustFixtures.JSON.readTree(bytes(TrustFixtures.PUBLIC_GOOD));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] with(Consumer<ObjectNode> edit) {
    return publicGoodWith(edit);
  }

  private static String message(byte[] doc) {
    return assertThrows(TrustedRootException.class, () -> TrustedRoot.parse(doc)).getMessage();
  }

  private static void assertError(String expected, byte[] doc) {
    assertEquals(expected, message(doc));
  }

  private static void assertErrorStartsWith(String prefix, byte[] doc) {
    String m = message(doc);
    assertTrue(m.startsWith(prefix), m);
  }
}
