package dev.sigil.verifier.internal.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SctVerifierTest {
  private static final String LOG_2022 = "3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=";
  private static final List<TrustedCtLog> PUBLIC_GOOD_LOGS = Fixtures.publicGoodCtLogs();
  private static final X509Certificate INTERMEDIATE = Fixtures.publicGoodAuthorities().get(1).chain().get(0);

  @Test
  void publicGoodLogIdsAreTheSha256OfTheirKeys() {
    assertEquals(2, PUBLIC_GOOD_LOGS.size());
    for (TrustedCtLog log : PUBLIC_GOOD_LOGS) {
      assertArrayEquals(TestPki.sha256(log.key().getEncoded()), log.logId(), log.toString());
    }
  }

  @Test
  void happyPathSctVerifies() {
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(Fixtures.happyLeaf(), INTERMEDIATE);
    assertTrue(v.verified(), v.summary());
    assertEquals(List.of(LOG_2022), v.verifiedLogIds());
    assertEquals(1, v.scts().size());
    assertEquals(Optional.of(Instant.parse("2024-03-19T17:26:26.470Z")), v.scts().get(0).timestamp());
  }

  @Test
  void chainResultFeedsTheSctVerifier() {
    X509Certificate leaf = Fixtures.leaf("bundle-with-root-cert_fail.sigstore.json");
    dev.sigil.verifier.internal.Outcome<VerifiedChain> chain =
        CertificateChainVerifier.of(Fixtures.publicGoodAuthorities()).verify(leaf, List.of(), Fixtures.signingTime(leaf));
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(chain.value());
    assertTrue(v.verified(), v.summary());
  }

  @Test
  void rsaCaAndItsOwnCtLog() {
    X509Certificate leaf = Fixtures.leaf("othername.sigstore.json");
    X509Certificate root = Fixtures.authorities("scaffolding-trusted_root.json").get(0).chain().get(0);
    SctVerification v = SctVerifier.of(Fixtures.ctLogs("scaffolding-trusted_root.json")).verify(leaf, root);
    assertTrue(v.verified(), v.summary());
  }

  @Test
  void tamperedSctSignature() {
    byte[] der = Fixtures.der(Fixtures.happyLeaf());
    // The SCT's ECDSA signature starts right after "... 04 03 00 47 30 45 02 20" (hash sha256, sig ecdsa, len).
    int at = Fixtures.indexOf(der, new byte[] {0x04, 0x03, 0x00, 0x47, 0x30, 0x45, 0x02, 0x20});
    assertTrue(at > 0);
    X509Certificate tampered = Fixtures.cert(Fixtures.flip(der, at + 10));
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(tampered, INTERMEDIATE);
    assertFalse(v.verified());
    assertTrue(v.summary().contains("signature: expected it to verify with log " + LOG_2022), v.summary());
  }

  @Test
  void wrongIssuerKeyHash() {
    X509Certificate root = Fixtures.publicGoodAuthorities().get(1).chain().get(1);
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(Fixtures.happyLeaf(), root);
    assertFalse(v.verified());
    assertTrue(v.summary().contains("signature"), v.summary());
  }

  @Test
  void sctFromUnknownLog() {
    // Trust only the 2021 "test" log.
    SctVerifier verifier = SctVerifier.of(List.of(PUBLIC_GOOD_LOGS.get(0)));
    SctVerification v = verifier.verify(Fixtures.happyLeaf(), INTERMEDIATE);
    assertFalse(v.verified());
    assertTrue(v.summary().contains("found unknown log " + LOG_2022), v.summary());
    assertTrue(v.summary().contains("expected valid SCTs from at least 1"), v.summary());
  }

  @Test
  void sctOutsideTheLogWindow() {
    TrustedCtLog log = PUBLIC_GOOD_LOGS.get(1);
    Instant sctTime = Instant.parse("2024-03-19T17:26:26.470Z");
    TrustedCtLog ended = new TrustedCtLog(log.logId(), log.key(), log.validFrom(), Optional.of(sctTime.minusMillis(1)));
    SctVerification v = SctVerifier.of(List.of(ended)).verify(Fixtures.happyLeaf(), INTERMEDIATE);
    assertFalse(v.verified());
    assertTrue(v.summary().contains("trusted window"), v.summary());
    // Closed interval: the end instant itself is inside.
    TrustedCtLog endsAtSct = new TrustedCtLog(log.logId(), log.key(), log.validFrom(), Optional.of(sctTime));
    assertTrue(SctVerifier.of(List.of(endsAtSct)).verify(Fixtures.happyLeaf(), INTERMEDIATE).verified());
  }

  @Test
  void noSct() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(h.leaf().build(), h.intermediate());
    assertFalse(v.verified());
    assertTrue(v.summary().contains("found none"), v.summary());
    assertEquals(List.of(), v.scts());
  }

  @Test
  void generatedSctsFromTwoLogsMeetAThresholdOfTwo() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    TestPki.Log ecLog = TestPki.Log.p256();
    TestPki.Log edLog = TestPki.Log.ed25519();
    X509Certificate leaf =
        h.leaf().buildWithScts(h.intermediate(), List.of(ecLog.sct(TestPki.T0), edLog.sct(TestPki.T0.plusMillis(5))));
    List<TrustedCtLog> logs = List.of(ecLog.trusted(TestPki.T0.minusSeconds(10)), edLog.trusted(TestPki.T0.minusSeconds(10)));

    SctVerification two = SctVerifier.of(logs, 2).verify(leaf, h.intermediate());
    assertTrue(two.verified(), two.summary());
    assertEquals(2, two.verifiedLogIds().size());

    SctVerification three = SctVerifier.of(logs, 3).verify(leaf, h.intermediate());
    assertFalse(three.verified());
    assertTrue(three.summary().contains("at least 3"), three.summary());

    // The chain verifier accepts the same leaf (the SCT extension is not critical).
    assertTrue(CertificateChainVerifier.of(List.of(h.authority())).verify(leaf, List.of(), TestPki.T0).isOk());
  }

  @Test
  void twoSctsFromOneLogCountOnce() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    TestPki.Log log = TestPki.Log.p256();
    X509Certificate leaf =
        h.leaf().buildWithScts(h.intermediate(), List.of(log.sct(TestPki.T0), log.sct(TestPki.T0.plusMillis(1))));
    SctVerification v = SctVerifier.of(List.of(log.trusted(TestPki.T0)), 2).verify(leaf, h.intermediate());
    assertFalse(v.verified(), v.summary());
    assertEquals(2, v.scts().size());
    assertTrue(v.scts().stream().allMatch(SctVerification.Sct::verified));
    assertEquals(1, v.verifiedLogIds().size());
  }

  @Test
  void sctBeforeTheLogWasTrusted() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    TestPki.Log log = TestPki.Log.p256();
    X509Certificate leaf = h.leaf().buildWithScts(h.intermediate(), List.of(log.sct(TestPki.T0)));
    assertFalse(SctVerifier.of(List.of(log.trusted(TestPki.T0.plusMillis(1)))).verify(leaf, h.intermediate()).verified());
    assertTrue(SctVerifier.of(List.of(log.trusted(TestPki.T0))).verify(leaf, h.intermediate()).verified());
  }

  @Test
  void removingTheSctExtensionGivesBackThePrecertificateTbs() throws Exception {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    X509Certificate plain = h.leaf().build();
    Precertificate none = Precertificate.of(plain);
    assertArrayEquals(plain.getTBSCertificate(), none.tbs());
    assertEquals(null, none.sctList());

    // The byte surgery agrees with an independent BouncyCastle re-encoding, on real and generated certificates.
    TestPki.Log log = TestPki.Log.p256();
    X509Certificate onlySct =
        TestPki.cert("CN=only-sct").issuedBy(h.intermediate(), h.intermediateKeys()).key(TestPki.p256().getPublic())
            .buildWithScts(h.intermediate(), List.of(log.sct(TestPki.T0)));
    for (X509Certificate c :
        List.of(Fixtures.happyLeaf(), Fixtures.leaf("othername.sigstore.json"), h.leaf().buildWithScts(h.intermediate(),
            List.of(log.sct(TestPki.T0))), onlySct)) {
      Precertificate pre = Precertificate.of(c);
      assertArrayEquals(bcWithoutSctExtension(c.getTBSCertificate()), pre.tbs());
      assertTrue(pre.tbs().length < c.getTBSCertificate().length);
      assertEquals(-1, Fixtures.indexOf(pre.tbs(), SCT_OID_DER));
      assertTrue(pre.sctList().length > 100);
    }
    // The issuer SPKI is cut out exactly.
    assertArrayEquals(INTERMEDIATE.getPublicKey().getEncoded(), Precertificate.subjectPublicKeyInfo(INTERMEDIATE));
  }

  private static final byte[] SCT_OID_DER = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0xd6, 0x79, 0x02, 0x04, 0x02};

  /** Reference: parse with BouncyCastle, drop the SCT extension, re-encode (and drop [3] if it becomes empty). */
  private static byte[] bcWithoutSctExtension(byte[] tbsDer) throws Exception {
    org.bouncycastle.asn1.ASN1Sequence tbs =
        org.bouncycastle.asn1.ASN1Sequence.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(tbsDer));
    org.bouncycastle.asn1.ASN1EncodableVector fields = new org.bouncycastle.asn1.ASN1EncodableVector();
    for (org.bouncycastle.asn1.ASN1Encodable field : tbs) {
      if (field instanceof org.bouncycastle.asn1.ASN1TaggedObject t && t.getTagNo() == 3) {
        org.bouncycastle.asn1.ASN1EncodableVector kept = new org.bouncycastle.asn1.ASN1EncodableVector();
        for (org.bouncycastle.asn1.ASN1Encodable ext :
            org.bouncycastle.asn1.ASN1Sequence.getInstance(t.getExplicitBaseObject())) {
          if (!SignedCertificateTimestamp.SCT_LIST_OID.equals(
              org.bouncycastle.asn1.ASN1Sequence.getInstance(ext).getObjectAt(0))) {
            kept.add(ext);
          }
        }
        if (kept.size() > 0) {
          fields.add(new org.bouncycastle.asn1.DERTaggedObject(true, 3, new org.bouncycastle.asn1.DERSequence(kept)));
        }
      } else {
        fields.add(field);
      }
    }
    return new org.bouncycastle.asn1.DERSequence(fields).getEncoded("DER");
  }

  @Test
  void malformedSctListIsAResultNotAnException() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    X509Certificate leaf =
        h.leaf()
            .ext(
                "1.3.6.1.4.1.11129.2.4.2",
                false,
                new org.bouncycastle.asn1.DEROctetString(new byte[] {0x00, 0x05, 0x00, 0x03, 0x00}))
            .build();
    SctVerification v = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(leaf, h.intermediate());
    assertFalse(v.verified());
    assertTrue(v.summary().startsWith("SCTs: SCT"), v.summary());

    X509Certificate notOctets =
        h.leaf().rawExt("1.3.6.1.4.1.11129.2.4.2", false, new byte[] {0x00, 0x01, 0x02}).build();
    SctVerification w = SctVerifier.of(PUBLIC_GOOD_LOGS).verify(notOctets, h.intermediate());
    assertFalse(w.verified());
    assertTrue(w.summary().contains("OCTET STRING"), w.summary());
  }

  @Test
  void sctListParserIsStrict() {
    assertThrows(MalformedCertificateException.class, () -> SignedCertificateTimestamp.parseList(new byte[] {0x00}));
    assertThrows(
        MalformedCertificateException.class, () -> SignedCertificateTimestamp.parseList(new byte[] {0x00, 0x00}));
    assertThrows(
        MalformedCertificateException.class,
        () -> SignedCertificateTimestamp.parseList(new byte[] {0x00, 0x02, 0x00, 0x00}));
    // An SCT of an unknown version is length-delimited and reported, not fatal.
    List<SignedCertificateTimestamp> scts =
        assertDoesNotThrowParse(new byte[] {0x00, 0x04, 0x00, 0x02, 0x01, 0x00});
    assertEquals(1, scts.size());
    assertEquals(1, scts.get(0).version());
  }

  private static List<SignedCertificateTimestamp> assertDoesNotThrowParse(byte[] list) {
    try {
      return SignedCertificateTimestamp.parseList(list);
    } catch (MalformedCertificateException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void thresholdMustBePositiveAndLogIdsAre32Bytes() {
    assertThrows(IllegalArgumentException.class, () -> SctVerifier.of(PUBLIC_GOOD_LOGS, 0));
    TrustedCtLog log = PUBLIC_GOOD_LOGS.get(0);
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrustedCtLog(new byte[31], log.key(), log.validFrom(), Optional.empty()));
    assertEquals(Base64.getEncoder().encodeToString(log.logId()), log.logIdBase64());
  }
}
