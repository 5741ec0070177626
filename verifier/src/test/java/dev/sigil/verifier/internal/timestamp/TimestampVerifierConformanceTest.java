package dev.sigil.verifier.internal.timestamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The timestamp part of sigstore-conformance {@code bundle-verify} cases, on their real bytes. A {@code _fail} case
 * can fail for reasons outside the timestamp; each such case says what this component must return and why.
 */
class TimestampVerifierConformanceTest {

  private static Outcome<VerifiedTimestamp> verify(ConformanceCase c) {
    return new TimestampVerifier(c.timestampAuthorities()).verify(c.signedTimestamp(), c.signatureBytes());
  }

  private static VerifiedTimestamp verified(Outcome<VerifiedTimestamp> r) {
    assertInstanceOf(Outcome.Ok.class, r, () -> "expected Verified, got " + r);
    return r.value();
  }

  private static Outcome.Failed<VerifiedTimestamp> rejected(Outcome<VerifiedTimestamp> r, Reason reason) {
    assertInstanceOf(Outcome.Failed.class, r, () -> "expected Rejected(" + reason + "), got " + r);
    Outcome.Failed<VerifiedTimestamp> rej = (Outcome.Failed<VerifiedTimestamp>) r;
    assertEquals(reason, rej.reason(), rej::detail);
    return rej;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case,                                     genTime,                TSA leaf subject
    "rekor2-happy-path,                          2025-06-12T12:02:20Z, 'CN=sigstore-tsa,O=sigstore.dev'",
    "rekor2-timestamp-with-embedded-cert,        2025-08-06T18:51:36Z, 'CN=sigstore-tsa,O=sigstore.dev'",
    "rekor2-timestamp-without-embedded-cert,     2025-08-06T19:03:51Z, 'CN=sigstore-tsa,O=sigstore.dev'",
    // Uses the public-good trusted root (the case has none of its own).
    "managed-key-happy-path,                     2025-12-18T17:04:39Z, 'CN=sigstore-tsa,O=sigstore.dev'",
  })
  void passingCasesVerify(String name, String genTime, String subject) {
    VerifiedTimestamp ts = verified(verify(ConformanceCase.load(name)));
    assertEquals(Instant.parse(genTime), ts.genTime());
    assertEquals(0, ts.authorityIndex());
    assertEquals(subject, ts.authoritySubject());
    assertEquals(HashAlgorithm.SHA2_256, ts.hashAlgorithm());
    assertEquals("1.3.6.1.4.1.57264.2", ts.policy());
  }

  @Test
  void tsaChainExpiredBeforeGenTimeIsRejected() {
    // The local TSA's chain expired at 15:37:08 and the token says 15:38:32.
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        verify(ConformanceCase.load("rekor2-timestamp-outside-tsa-cert-validity_fail")),
        Reason.TIMESTAMP_CERTIFICATE_NOT_VALID);
    assertTrue(r.detail().contains("2025-08-07T15:38:32Z"), r.detail());
    assertTrue(r.detail().contains("2025-08-07T15:37:08Z"), r.detail());
  }

  @Test
  void genTimeAfterTrustRootWindowIsRejected() {
    // Trusted root window is [2025-04-09, 2025-06-01]; the token says 2025-06-12.
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        verify(ConformanceCase.load("rekor2-timestamp-outside-trust-root-tsa-validity_fail")),
        Reason.TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY);
    assertTrue(r.detail().contains("2025-06-12T12:02:20Z"), r.detail());
  }

  @Test
  void untrustedTsaWithEmbeddedCertificatesIsRejected() {
    // FreeTSA signed it and embeds its own chain; the trusted root lists only the Sigstore staging TSA.
    Outcome.Failed<VerifiedTimestamp> r = rejected(
        verify(ConformanceCase.load("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail")),
        Reason.TIMESTAMP_UNTRUSTED);
    assertTrue(r.detail().contains("freetsa"), r.detail());
  }

  @Test
  void untrustedTsaStaysUntrustedWhenItsOwnEmbeddedChainIsAllThereIs() {
    // Even a verifier with no authorities at all must not fall back to the embedded certificates.
    ConformanceCase c = ConformanceCase.load("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail");
    rejected(new TimestampVerifier(List.of()).verify(c.signedTimestamp(), c.signatureBytes()), Reason.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void timestampOutsideSigningCertificateValidityIsTheCallersCheck() {
    // intoto-tsa-timestamp-outside-cert-validity_fail fails because genTime (2023-02-02) is after the *signing
    // certificate* expired (2023-02-01T00:10Z). The timestamp itself is sound: a trusted TSA, valid chain, and an
    // imprint over the DSSE signature. So this component must return Verified, and the caller must compare genTime
    // with the signing certificate, which is shown here.
    ConformanceCase c = ConformanceCase.load("intoto-tsa-timestamp-outside-cert-validity_fail");
    VerifiedTimestamp ts = verified(verify(c));
    assertEquals(Instant.parse("2023-02-02T00:00:00Z"), ts.genTime());
    X509Certificate signing = c.signingCertificate().orElseThrow();
    assertTrue(
        ts.genTime().isAfter(signing.getNotAfter().toInstant()), "genTime should be after the signing cert expired");
  }

  @Test
  void stagingTimestampIsUntrustedUnderThePublicGoodRoot() {
    ConformanceCase staging = ConformanceCase.load("rekor2-happy-path");
    ConformanceCase publicGood = ConformanceCase.load("managed-key-happy-path");
    TimestampVerifier prod = new TimestampVerifier(publicGood.timestampAuthorities());
    rejected(prod.verify(staging.signedTimestamp(), staging.signatureBytes()), Reason.TIMESTAMP_UNTRUSTED);
  }

  @Test
  void realTimestampOverOtherDataIsRejected() {
    ConformanceCase c = ConformanceCase.load("rekor2-happy-path");
    byte[] sig = c.signatureBytes();
    sig[sig.length - 1] ^= 1;
    rejected(
        new TimestampVerifier(c.timestampAuthorities()).verify(c.signedTimestamp(), sig),
        Reason.TIMESTAMP_IMPRINT_MISMATCH);
  }

  @Test
  void realTokenWithFlippedSignatureByteIsRejected() {
    ConformanceCase c = ConformanceCase.load("rekor2-timestamp-without-embedded-cert");
    byte[] ts = c.signedTimestamp();
    ts[ts.length - 3] ^= 0x01; // inside the ECDSA signature value, the last field of the SignerInfo
    rejected(new TimestampVerifier(c.timestampAuthorities()).verify(ts, c.signatureBytes()), Reason.TIMESTAMP_INVALID);
  }

  @Test
  void realTokenWithAlteredTstInfoIsRejected() {
    ConformanceCase c = ConformanceCase.load("rekor2-timestamp-without-embedded-cert");
    byte[] ts = c.signedTimestamp();
    // The TSTInfo serial number (0x9971...) sits in the encapsulated content; change one of its bytes.
    int at = indexOf(ts, new byte[] {(byte) 0x99, 0x71, 0x77, 0x05});
    assertTrue(at > 0);
    ts[at + 2] ^= 0x01;
    Outcome<VerifiedTimestamp> r = new TimestampVerifier(c.timestampAuthorities()).verify(ts, c.signatureBytes());
    Outcome.Failed<VerifiedTimestamp> rej = rejected(r, Reason.TIMESTAMP_INVALID);
    assertFalse(rej.detail().isBlank());
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
