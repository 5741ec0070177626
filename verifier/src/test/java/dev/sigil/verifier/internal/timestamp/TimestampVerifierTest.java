package dev.sigil.verifier.internal.timestamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.timestamp.TestTimestampAuthority.SigningCertificateAttribute;
import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Timestamps minted by a throwaway TSA ({@link TestTimestampAuthority}), well-formed and deliberately wrong. */
class TimestampVerifierTest {
  private static final byte[] DATA = "the artifact signature bytes".getBytes(StandardCharsets.UTF_8);
  private static final Instant GEN = TestTimestampAuthority.DEFAULT_GEN_TIME;

  // One TSA for the tests that do not shape the chain; minting keys is the slowest part of these tests.
  private static final TestTimestampAuthority TSA = TestTimestampAuthority.create();
  private static final TimestampVerifier VERIFIER = new TimestampVerifier(List.of(TSA.trusted()));

  private static VerifiedTimestamp verified(Outcome<VerifiedTimestamp> r) {
    assertInstanceOf(Outcome.Ok.class, r, () -> "expected Verified, got " + r);
    return r.value();
  }

  private static Outcome.Failed<VerifiedTimestamp> rejected(Outcome<VerifiedTimestamp> r, Reason reason) {
    assertInstanceOf(Outcome.Failed.class, r, () -> "expected Rejected(" + reason + "), got " + r);
    Outcome.Failed<VerifiedTimestamp> rej = (Outcome.Failed<VerifiedTimestamp>) r;
    assertEquals(reason, rej.reason(), rej::detail);
    assertTrue(rej.detail().length() > 20, rej::detail);
    return rej;
  }

  // ---- accepted shapes ----

  @Test
  void defaultStampVerifies() {
    VerifiedTimestamp ts = verified(VERIFIER.verify(TSA.stamp(DATA).build(), DATA));
    assertEquals(GEN, ts.genTime());
    assertEquals(0, ts.authorityIndex());
    assertSame(VERIFIER.authorities().get(0), ts.authority());
    assertEquals(HashAlgorithm.SHA2_256, ts.hashAlgorithm());
    assertEquals(TSA.leaf().getSubjectX500Principal().getName(), ts.authoritySubject());
    assertEquals(TestTimestampAuthority.SIGSTORE_POLICY, ts.policy());
    assertNotNull(ts.serialNumber());
  }

  @Test
  void bouncyCastleGeneratedResponseVerifies() {
    Instant t = Instant.parse("2026-03-04T05:06:07Z");
    assertEquals(t, verified(VERIFIER.verify(TSA.bcGeneratedResponse(DATA, t), DATA)).genTime());
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void everySha2ImprintVerifies(HashAlgorithm h) {
    assertEquals(h, verified(VERIFIER.verify(TSA.stamp(DATA).hash(h).build(), DATA)).hashAlgorithm());
  }

  @Test
  void genTimeKeepsFractionalSeconds() {
    Instant t = Instant.parse("2025-06-01T12:00:00.123456789Z");
    assertEquals(t, verified(VERIFIER.verify(TSA.stamp(DATA).genTime(t).build(), DATA)).genTime());
  }

  @Test
  void embeddedChainIsAcceptedWhenItsLeafIsTheTrustedLeaf() {
    verified(VERIFIER.verify(TSA.stamp(DATA).includeCertificates().build(), DATA));
  }

  @Test
  void signerIdentifiedBySubjectKeyIdentifierVerifies() {
    verified(VERIFIER.verify(TSA.stamp(DATA).signerBySubjectKeyId().build(), DATA));
  }

  @Test
  void essCertIdVersion1Verifies() {
    verified(VERIFIER.verify(TSA.stamp(DATA).signingCertificate(SigningCertificateAttribute.V1).build(), DATA));
  }

  @Test
  void grantedWithModsVerifies() {
    // RFC 3161 §2.4.2: status 0 or 1 carries a token. (digitorus/timestamp, under sigstore-go, rejects status 1.)
    verified(VERIFIER.verify(TSA.stamp(DATA).status(PKIStatus.GRANTED_WITH_MODS).build(), DATA));
  }

  @Test
  void chainThatExpiredAfterGenTimeStillVerifies() {
    TestTimestampAuthority old = TestTimestampAuthority.builder()
        .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"))
        .build();
    TimestampVerifier v =
        new TimestampVerifier(List.of(old.trusted(Instant.parse("2020-01-01T00:00:00Z"), Optional.empty())));
    Instant t = Instant.parse("2020-06-01T00:00:00Z");
    assertEquals(t, verified(v.verify(old.stamp(DATA).genTime(t).build(), DATA)).genTime());
  }

  @Test
  void chainWithoutIntermediateVerifies() {
    TestTimestampAuthority direct = TestTimestampAuthority.builder().withoutIntermediate().build();
    verified(new TimestampVerifier(List.of(direct.trusted())).verify(direct.stamp(DATA).build(), DATA));
  }

  @Test
  void picksTheAuthorityWhoseLeafSigned() {
    TestTimestampAuthority other = TestTimestampAuthority.builder().name("Other TSA").build();
    TimestampVerifier v = new TimestampVerifier(List.of(other.trusted(), TSA.trusted()));
    assertEquals(1, verified(v.verify(TSA.stamp(DATA).build(), DATA)).authorityIndex());
    assertEquals(0, verified(v.verify(other.stamp(DATA).build(), DATA)).authorityIndex());
  }

  @Test
  void sameLeafInTwoWindowsUsesTheWindowThatContainsGenTime() {
    Instant a = Instant.parse("2025-01-01T00:00:00Z");
    Instant b = Instant.parse("2025-03-01T00:00:00Z");
    Instant c = Instant.parse("2025-05-01T00:00:00Z");
    TimestampVerifier v =
        new TimestampVerifier(List.of(TSA.trusted(a, Optional.of(b)), TSA.trusted(c, Optional.empty())));
    assertEquals(1, verified(v.verify(TSA.stamp(DATA).genTime(GEN).build(), DATA)).authorityIndex());
    assertEquals(0, verified(v.verify(TSA.stamp(DATA).genTime(b).build(), DATA)).authorityIndex());
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        v.verify(TSA.stamp(DATA).genTime(Instant.parse("2025-04-01T00:00:00Z")).build(), DATA),
        Reason.TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY);
    assertTrue(r.detail().contains("#0") && r.detail().contains("#1"), r.detail());
  }

  // ---- authority window and certificate validity, with their boundaries ----

  @Test
  void authorityWindowIsClosedAtBothEnds() {
    Instant from = Instant.parse("2025-05-01T00:00:00Z");
    Instant until = Instant.parse("2025-07-01T00:00:00Z");
    TimestampVerifier v = new TimestampVerifier(List.of(TSA.trusted(from, Optional.of(until))));
    verified(v.verify(TSA.stamp(DATA).genTime(from).build(), DATA));
    verified(v.verify(TSA.stamp(DATA).genTime(until).build(), DATA));
    rejected(v.verify(TSA.stamp(DATA).genTime(from.minusMillis(1)).build(), DATA), Reason.TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY);
    rejected(v.verify(TSA.stamp(DATA).genTime(until.plusMillis(1)).build(), DATA), Reason.TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY);
  }

  @Test
  void genTimeOutsideLeafValidityIsRejectedAndNotAfterIsInclusive() {
    Instant leafEnd = Instant.parse("2025-06-30T00:00:00Z");
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().leafNotAfter(leafEnd).build();
    TimestampVerifier v = new TimestampVerifier(List.of(tsa.trusted()));
    verified(v.verify(tsa.stamp(DATA).genTime(leafEnd).build(), DATA));
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        v.verify(tsa.stamp(DATA).genTime(leafEnd.plusSeconds(1)).build(), DATA),
        Reason.TIMESTAMP_CERTIFICATE_NOT_VALID);
    assertTrue(r.detail().contains("chain certificate #0"), r.detail());
    rejected(
        v.verify(tsa.stamp(DATA).genTime(TestTimestampAuthority.DEFAULT_NOT_BEFORE.minusSeconds(1)).build(), DATA),
        Reason.TIMESTAMP_CERTIFICATE_NOT_VALID);
  }

  // ---- tampering ----

  @Test
  void tamperedSignedDataIsRejected() {
    byte[] other = DATA.clone();
    other[0] ^= 1;
    Outcome.Failed<VerifiedTimestamp> r = rejected(VERIFIER.verify(TSA.stamp(DATA).build(), other), Reason.TIMESTAMP_IMPRINT_MISMATCH);
    assertTrue(r.detail().contains("SHA-256"), r.detail());
  }

  @Test
  void wrongImprintIsRejected() {
    byte[] zeros = new byte[32];
    rejected(VERIFIER.verify(TSA.stamp(DATA).imprint(zeros).build(), DATA), Reason.TIMESTAMP_IMPRINT_MISMATCH);
  }

  @Test
  void imprintOfWrongLengthIsMalformed() {
    rejected(VERIFIER.verify(TSA.stamp(DATA).imprint(new byte[20]).build(), DATA), Reason.TIMESTAMP_MALFORMED);
  }

  @Test
  void tamperedSignatureIsRejected() {
    byte[] resp = TSA.stamp(DATA).build();
    resp[resp.length - 2] ^= 0x04; // inside the ECDSA signature, the last field of the response
    rejected(VERIFIER.verify(resp, DATA), Reason.TIMESTAMP_INVALID);
  }

  @Test
  void tamperedGenTimeIsRejected() {
    byte[] resp = TSA.stamp(DATA).build();
    byte[] text = "20250601120000Z".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(resp, text);
    assertTrue(at > 0);
    resp[at + 13] = '9'; // nine seconds later: within BouncyCastle's signing-time tolerance, so the signature decides
    rejected(VERIFIER.verify(resp, DATA), Reason.TIMESTAMP_INVALID);
  }

  @Test
  void signingCertificateAttributeNotMatchingTheLeafIsRejected() {
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        VERIFIER.verify(TSA.stamp(DATA).signingCertificate(SigningCertificateAttribute.WRONG_HASH).build(), DATA),
        Reason.TIMESTAMP_INVALID);
    assertTrue(r.detail().contains("certID"), r.detail());
  }

  @Test
  void missingSigningCertificateAttributeIsMalformed() {
    // RFC 3161 §2.4.1 requires the attribute; BouncyCastle refuses such a token when parsing it.
    rejected(
        VERIFIER.verify(TSA.stamp(DATA).signingCertificate(SigningCertificateAttribute.NONE).build(), DATA),
        Reason.TIMESTAMP_MALFORMED);
  }

  @Test
  void signingTimeFarFromGenTimeIsRefusedByBouncyCastle() {
    // BouncyCastle 1.87 checks the CMS signing-time attribute against genTime (60 s plus accuracy) while parsing.
    rejected(VERIFIER.verify(TSA.stamp(DATA).signingTime(GEN.plusSeconds(3600)).build(), DATA), Reason.TIMESTAMP_MALFORMED);
    verified(VERIFIER.verify(TSA.stamp(DATA).signingTime(GEN.plusSeconds(30)).build(), DATA));
  }

  @Test
  void twoSignersAreMalformedAndDoNotThrow() {
    // BouncyCastle signals this with IllegalArgumentException; it must come back as a result.
    rejected(VERIFIER.verify(TSA.stamp(DATA).secondSigner().build(), DATA), Reason.TIMESTAMP_MALFORMED);
  }

  // ---- status ----

  @ParameterizedTest
  @ValueSource(
      ints = {PKIStatus.REJECTION, PKIStatus.WAITING, PKIStatus.REVOCATION_WARNING, PKIStatus.REVOCATION_NOTIFICATION})
  void nonGrantedStatusFromBouncyCastleGeneratorIsRejected(int status) {
    byte[] resp = TSA.failResponse(status, PKIFailureInfo.badAlg, "no thanks");
    Outcome.Failed<VerifiedTimestamp> r = rejected(VERIFIER.verify(resp, DATA), Reason.TIMESTAMP_NOT_GRANTED);
    assertTrue(r.detail().contains("(" + status + ")") && r.detail().contains("no thanks"), r.detail());
  }

  @Test
  void nonGrantedStatusWithATokenIsStillRejected() {
    rejected(VERIFIER.verify(TSA.stamp(DATA).status(PKIStatus.REJECTION).build(), DATA), Reason.TIMESTAMP_NOT_GRANTED);
  }

  @Test
  void grantedWithoutTokenIsMalformed() {
    Outcome.Failed<VerifiedTimestamp> r = rejected(VERIFIER.verify(TSA.stamp(DATA).withoutToken().build(), DATA), Reason.TIMESTAMP_MALFORMED);
    assertTrue(r.detail().contains("timeStampToken"), r.detail());
  }

  // ---- algorithms ----

  @Test
  void sha1ImprintIsRejected() {
    Outcome.Failed<VerifiedTimestamp> r = rejected(VERIFIER.verify(TSA.stamp(DATA).sha1Imprint().build(), DATA), Reason.TIMESTAMP_ALGORITHM_UNSUPPORTED);
    assertTrue(r.detail().contains("SHA-1"), r.detail());
  }

  // ---- trust ----

  @Test
  void tokenFromUntrustedTsaIsRejectedEvenWithItsChainEmbedded() {
    TestTimestampAuthority stranger = TestTimestampAuthority.builder().name("Stranger TSA").build();
    rejected(VERIFIER.verify(stranger.stamp(DATA).build(), DATA), Reason.TIMESTAMP_UNTRUSTED);
    Outcome.Failed<VerifiedTimestamp> r =
        rejected(VERIFIER.verify(stranger.stamp(DATA).includeCertificates().build(), DATA), Reason.TIMESTAMP_UNTRUSTED);
    assertTrue(r.detail().contains("Stranger TSA"), r.detail());
  }

  @Test
  void embeddedCertificateDifferentFromTheTrustedLeafIsRejected() {
    // The token is genuinely signed by the trusted leaf, but embeds a look-alike with the same issuer and serial
    // (and another key). Verification never uses embedded certificates; a contradicting one is still refused.
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        VERIFIER.verify(TSA.stamp(DATA).embed(List.of(TSA.leafLookalike())).build(), DATA), Reason.TIMESTAMP_UNTRUSTED);
    assertTrue(r.detail().contains("byte for byte"), r.detail());
  }

  @Test
  void unrelatedEmbeddedCertificatesAreIgnored() {
    TestTimestampAuthority other = TestTimestampAuthority.builder().name("Other TSA").build();
    verified(VERIFIER.verify(TSA.stamp(DATA).embed(List.of(other.leaf(), TSA.leaf())).build(), DATA));
  }

  @Test
  void emptyAuthorityListRejectsEverything() {
    Outcome.Failed<VerifiedTimestamp> r =
        rejected(new TimestampVerifier(List.of()).verify(TSA.stamp(DATA).build(), DATA), Reason.TIMESTAMP_UNTRUSTED);
    assertTrue(r.detail().contains("0 trusted"), r.detail());
  }

  // ---- unusable chains: found at construction, reported when the signer matches ----

  @Test
  void leafWithWrongEkuIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder()
        .leafExtendedKeyUsage(true, KeyPurposeId.id_kp_codeSigning).build();
    TimestampVerifier v = new TimestampVerifier(List.of(tsa.trusted()));
    assertTrue(v.problemWith(0).orElseThrow().contains("id-kp-timeStamping"));
    Outcome.Failed<VerifiedTimestamp> r = rejected(v.verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
    assertTrue(r.detail().contains("1.3.6.1.5.5.7.3.3"), r.detail());
  }

  @Test
  void leafWithTimestampingPlusAnotherEkuIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder()
        .leafExtendedKeyUsage(true, KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_codeSigning).build();
    rejected(new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void leafWithNonCriticalEkuIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder()
        .leafExtendedKeyUsage(false, KeyPurposeId.id_kp_timeStamping).build();
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
    assertTrue(r.detail().contains("critical"), r.detail());
  }

  @Test
  void leafWithoutEkuIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().leafExtendedKeyUsage(true).build();
    rejected(new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void caLeafIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().leafIsCa().build();
    rejected(new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void chainWithBrokenSignatureLinkIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().brokenSignature().build();
    TimestampVerifier v = new TimestampVerifier(List.of(tsa.trusted()));
    assertTrue(v.problemWith(0).orElseThrow().contains("signature does not verify"), v.problemWith(0)::get);
    rejected(v.verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void chainWithBrokenNameLinkIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().brokenIssuerName().build();
    rejected(new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void intermediateThatIsNotACaIsRejected() {
    TestTimestampAuthority tsa = TestTimestampAuthority.builder().intermediateNotCa().build();
    rejected(new TimestampVerifier(List.of(tsa.trusted())).verify(tsa.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void intermediateEkuMustAllowTimestamping() {
    TestTimestampAuthority bad = TestTimestampAuthority.builder()
        .intermediateExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
    rejected(new TimestampVerifier(List.of(bad.trusted())).verify(bad.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
    TestTimestampAuthority good = TestTimestampAuthority.builder()
        .intermediateExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping).build();
    verified(new TimestampVerifier(List.of(good.trusted())).verify(good.stamp(DATA).build(), DATA));
  }

  @Test
  void leafOnlyChainIsUnusable() {
    TimestampVerifier v = new TimestampVerifier(
        List.of(TrustedTimestampAuthority.openEnded(List.of(TSA.leaf()), TestTimestampAuthority.DEFAULT_NOT_BEFORE)));
    assertTrue(v.problemWith(0).isPresent());
    rejected(v.verify(TSA.stamp(DATA).build(), DATA), Reason.TIMESTAMP_AUTHORITY_UNUSABLE);
  }

  @Test
  void unusableAuthorityDoesNotSpoilTheOthers() {
    TestTimestampAuthority broken = TestTimestampAuthority.builder().name("Broken").brokenSignature().build();
    TimestampVerifier v = new TimestampVerifier(List.of(broken.trusted(), TSA.trusted()));
    assertEquals(1, verified(v.verify(TSA.stamp(DATA).build(), DATA)).authorityIndex());
  }

  // ---- malformed input never throws ----

  @Test
  void garbageIsMalformed() {
    rejected(VERIFIER.verify(new byte[0], DATA), Reason.TIMESTAMP_MALFORMED);
    rejected(VERIFIER.verify(new byte[] {0x30}, DATA), Reason.TIMESTAMP_MALFORMED);
    rejected(VERIFIER.verify("not a timestamp at all".getBytes(StandardCharsets.UTF_8), DATA), Reason.TIMESTAMP_MALFORMED);
    rejected(VERIFIER.verify(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}, DATA), Reason.TIMESTAMP_MALFORMED);
    rejected(VERIFIER.verify(new byte[] {0x04, 0x01, 0x00}, DATA), Reason.TIMESTAMP_MALFORMED);
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] resp = TSA.stamp(DATA).build();
    byte[] longer = Arrays.copyOf(resp, resp.length + 1);
    rejected(VERIFIER.verify(longer, DATA), Reason.TIMESTAMP_MALFORMED);
  }

  @Test
  void bareTokenIsMalformed() {
    Outcome.Failed<VerifiedTimestamp> r = rejected(VERIFIER.verify(TSA.stamp(DATA).buildBareToken(), DATA), Reason.TIMESTAMP_MALFORMED);
    assertTrue(r.detail().contains("bare"), r.detail());
  }

  @ParameterizedTest
  @ValueSource(strings = {"20250601120000", "20250601120000+0100", "20251301120000Z"})
  void genTimeNotInRfc3161FormIsMalformed(String text) {
    rejected(VERIFIER.verify(TSA.stamp(DATA).genTimeText(text).build(), DATA), Reason.TIMESTAMP_MALFORMED);
  }

  @Test
  void mutatedResponsesNeverThrow() {
    byte[] good = TSA.stamp(DATA).includeCertificates().build();
    Random rnd = new Random(3161);
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    for (int i = 0; i < 1500 && System.nanoTime() < deadline; i++) {
      byte[] m = good.clone();
      switch (i % 3) {
        case 0 -> m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        default -> m = Arrays.copyOf(m, rnd.nextInt(m.length));
      }
      Outcome<VerifiedTimestamp> r = VERIFIER.verify(m, DATA);
      assertNotNull(r);
      if (r.isOk()) {
        // Only unsigned parts can change without rejection (status, embedded certificates' unsigned wrappers).
        assertEquals(GEN, r.value().genTime());
      }
    }
  }

  // ---- API contracts ----

  @Test
  void valueOfAFailureThrowsWithTheReason() throws Exception {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> VERIFIER.verify(new byte[] {1}, DATA).value());
    assertEquals(Reason.TIMESTAMP_MALFORMED, VERIFIER.verify(new byte[] {1}, DATA).reason());
    assertTrue(e.getMessage().contains("TIMESTAMP_MALFORMED"), e.getMessage());
    assertEquals(GEN, VERIFIER.verify(TSA.stamp(DATA).build(), DATA).value().genTime());
  }

  @Test
  void authorityRecordValidatesItsArguments() {
    assertThrows(IllegalArgumentException.class, () -> TrustedTimestampAuthority.openEnded(List.of(), GEN));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrustedTimestampAuthority(TSA.chain(), GEN, Optional.of(GEN.minusSeconds(1))));
    assertThrows(NullPointerException.class, () -> new TrustedTimestampAuthority(TSA.chain(), null, Optional.empty()));
    TrustedTimestampAuthority a = TSA.trusted(GEN, Optional.of(GEN));
    assertTrue(a.isValidAt(GEN));
    assertArrayEquals(TSA.chain().toArray(), a.chain().toArray());
  }

  @Test
  void parseGenTimeHandlesPrecisionAndRejectsOtherForms() {
    assertEquals(Optional.of(Instant.parse("2025-06-12T12:02:20Z")), TimestampVerifier.parseGenTime("20250612120220Z"));
    assertEquals(
        Optional.of(Instant.parse("2025-06-12T12:02:20.5Z")), TimestampVerifier.parseGenTime("20250612120220.5Z"));
    assertEquals(
        Optional.of(Instant.parse("2025-06-12T12:02:20.123456789Z")),
        TimestampVerifier.parseGenTime("20250612120220.1234567891Z"));
    assertTrue(TimestampVerifier.parseGenTime("20250612120220.Z").isEmpty());
    assertTrue(TimestampVerifier.parseGenTime("20250230120220Z").isEmpty());
    assertTrue(TimestampVerifier.parseGenTime("2025061212022Z").isEmpty());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
