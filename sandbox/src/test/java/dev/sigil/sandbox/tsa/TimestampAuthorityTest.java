package dev.sigil.sandbox.tsa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.timestamp.VerifiedTimestamp;
import dev.sigil.verifier.internal.timestamp.TimestampVerifier;
import dev.sigil.verifier.internal.timestamp.TrustedTimestampAuthority;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestampAuthorityTest {
  static final byte[] SIGNATURE = "pretend these are ECDSA signature bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  static byte[] request(ASN1ObjectIdentifier alg, byte[] digest, boolean certReq, BigInteger nonce) throws Exception {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(certReq);
    return (nonce == null ? g.generate(alg, digest) : g.generate(alg, digest, nonce)).getEncoded();
  }

  static TimestampVerifier verifierFor(TimestampAuthority tsa) {
    List<X509Certificate> chain = tsa.chain();
    return new TimestampVerifier(
        List.of(new TrustedTimestampAuthority(chain, chain.get(0).getNotBefore().toInstant(), Optional.empty())));
  }

  @Test
  void grantedResponseVerifiesWithCertReq() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    BigInteger nonce = new BigInteger("1234567890123456789");
    byte[] resp = tsa.respond(request(TSPAlgorithms.SHA256, sha256(SIGNATURE), true, nonce));

    Outcome<VerifiedTimestamp> result = verifierFor(tsa).verify(resp, SIGNATURE);
    assertInstanceOf(Outcome.Ok.class, result, result::toString);
    assertEquals(tsa.policy(), result.value().policy());

    TimeStampResponse parsed = new TimeStampResponse(resp);
    assertEquals(PKIStatus.GRANTED, parsed.getStatus());
    assertEquals(nonce, parsed.getTimeStampToken().getTimeStampInfo().getNonce());
    assertEquals(1, parsed.getTimeStampToken().getCertificates().getMatches(null).size());
    assertArrayEquals(
        tsa.leaf().getEncoded(),
        parsed.getTimeStampToken().getCertificates().getMatches(null).iterator().next().getEncoded());
    // ESSCertIDv2 (RFC 5816), not the SHA-1 ESSCertID.
    assertNotNull(parsed.getTimeStampToken().getSignedAttributes()
        .get(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2));
    assertNull(parsed.getTimeStampToken().getSignedAttributes()
        .get(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificate));
    assertTrue(parsed.getTimeStampToken().getTimeStampInfo().getSerialNumber().signum() >= 0);
  }

  @Test
  void grantedResponseVerifiesWithoutCertReqAndOtherSha2() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    byte[] resp = tsa.respond(request(TSPAlgorithms.SHA256, sha256(SIGNATURE), false, null));
    Outcome<VerifiedTimestamp> result = verifierFor(tsa).verify(resp, SIGNATURE);
    assertInstanceOf(Outcome.Ok.class, result, result::toString);
    assertTrue(new TimeStampResponse(resp).getTimeStampToken().getCertificates().getMatches(null).isEmpty());

    for (var alg : List.of(TSPAlgorithms.SHA384, TSPAlgorithms.SHA512)) {
      String name = alg.equals(TSPAlgorithms.SHA384) ? "SHA-384" : "SHA-512";
      byte[] digest = MessageDigest.getInstance(name).digest(SIGNATURE);
      Outcome<VerifiedTimestamp> r = verifierFor(tsa).verify(tsa.respond(request(alg, digest, true, BigInteger.TEN)), SIGNATURE);
      assertInstanceOf(Outcome.Ok.class, r, r::toString);
    }
  }

  @Test
  void serialNumbersDiffer() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    byte[] req = request(TSPAlgorithms.SHA256, sha256(SIGNATURE), false, null);
    BigInteger a = new TimeStampResponse(tsa.respond(req)).getTimeStampToken().getTimeStampInfo().getSerialNumber();
    BigInteger b = new TimeStampResponse(tsa.respond(req)).getTimeStampToken().getTimeStampInfo().getSerialNumber();
    assertNotEquals(a, b);
  }

  @Test
  void tamperedDataFailsVerification() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    byte[] resp = tsa.respond(request(TSPAlgorithms.SHA256, sha256(SIGNATURE), true, BigInteger.ONE));
    byte[] other = SIGNATURE.clone();
    other[0] ^= 1;
    Outcome<VerifiedTimestamp> result = verifierFor(tsa).verify(resp, other);
    assertInstanceOf(Outcome.Failed.class, result);
    assertEquals(dev.sigil.verifier.Reason.TIMESTAMP_IMPRINT_MISMATCH, result.reason());
  }

  @Test
  void restartReusesKeysAndCertificates() throws Exception {
    TimestampAuthority first = TimestampAuthority.open(dir);
    byte[] resp = first.respond(request(TSPAlgorithms.SHA256, sha256(SIGNATURE), false, null));
    TimestampAuthority second = TimestampAuthority.open(dir);
    assertEquals(2, second.chain().size());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(first.chain().get(i).getEncoded(), second.chain().get(i).getEncoded());
    }
    // A token from before the restart verifies against the reloaded chain, and one from after against the old chain.
    assertTrue(verifierFor(second).verify(resp, SIGNATURE).isOk());
    byte[] resp2 = second.respond(request(TSPAlgorithms.SHA256, sha256(SIGNATURE), false, null));
    assertTrue(verifierFor(first).verify(resp2, SIGNATURE).isOk());
  }

  @Test
  void incompleteOrLooseKeySetIsRefused() throws Exception {
    TimestampAuthority.open(dir);
    Files.delete(dir.resolve(TimestampAuthority.ROOT_CERT));
    org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> TimestampAuthority.open(dir));

    Path other = dir.resolve("other");
    TimestampAuthority.open(other);
    if (Files.getFileStore(other).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(
          other.resolve(TimestampAuthority.LEAF_KEY), PosixFilePermissions.fromString("rw-r--r--"));
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> TimestampAuthority.open(other));
    }
  }

  @Test
  void keyFilesAreOwnerOnlyAndCertificatesAreAsSpecified() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      for (String f : List.of(TimestampAuthority.ROOT_KEY, TimestampAuthority.LEAF_KEY)) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))));
        assertTrue(Files.readString(dir.resolve(f)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
      }
    }
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
    X509Certificate leaf = tsa.leaf();
    X509Certificate root = tsa.root();
    assertEquals(-1, leaf.getBasicConstraints());
    assertTrue(leaf.getKeyUsage()[0]); // digitalSignature
    assertEquals(List.of(KeyPurposeId.id_kp_timeStamping.getId()), leaf.getExtendedKeyUsage());
    assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.37"));
    assertTrue(root.getBasicConstraints() >= 0);
    assertTrue(root.getKeyUsage()[5]); // keyCertSign
    leaf.verify(root.getPublicKey());
    root.verify(root.getPublicKey());
    assertEquals("EC", leaf.getPublicKey().getAlgorithm());
  }

  @Test
  void sha1RequestIsRejectedWithBadAlg() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(SIGNATURE);
    TimeStampResponse resp = new TimeStampResponse(tsa.respond(request(TSPAlgorithms.SHA1, digest, true, null)));
    assertEquals(PKIStatus.REJECTION, resp.getStatus());
    assertNotNull(resp.getFailInfo());
    assertEquals(PKIFailureInfo.badAlg, resp.getFailInfo().intValue());
    assertNull(resp.getTimeStampToken());
  }

  @Test
  void wrongDigestLengthAndForeignPolicyAreRejected() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    TimeStampResponse shortDigest =
        new TimeStampResponse(tsa.respond(request(TSPAlgorithms.SHA256, new byte[20], false, null)));
    assertEquals(PKIStatus.REJECTION, shortDigest.getStatus());

    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setReqPolicy(new ASN1ObjectIdentifier("1.2.3.4.5"));
    TimeStampResponse policy = new TimeStampResponse(tsa.respond(g.generate(TSPAlgorithms.SHA256, sha256(SIGNATURE)).getEncoded()));
    assertEquals(PKIStatus.REJECTION, policy.getStatus());
    assertEquals(PKIFailureInfo.unacceptedPolicy, policy.getFailInfo().intValue());
  }

  @Test
  void garbageIsRejectedWithoutException() throws Exception {
    TimestampAuthority tsa = TimestampAuthority.open(dir);
    byte[] valid = request(TSPAlgorithms.SHA256, sha256(SIGNATURE), false, null);
    byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
    List<byte[]> inputs =
        List.of(
            new byte[0],
            "not DER at all".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x30, (byte) 0x80},
            new byte[] {0x30, 0x03, 0x02, 0x01, 0x01},
            new byte[] {0x04, 0x02, 0x01, 0x02},
            java.util.Arrays.copyOf(valid, valid.length - 3),
            trailing);
    for (byte[] in : inputs) {
      TimestampAuthority.Outcome outcome = tsa.process(in);
      assertFalse(outcome.wellFormed());
      TimeStampResponse resp = new TimeStampResponse(outcome.response());
      assertEquals(PKIStatus.REJECTION, resp.getStatus());
      assertEquals(PKIFailureInfo.badRequest, resp.getFailInfo().intValue());
    }
    TimeStampResponse nullResp = new TimeStampResponse(tsa.respond(null));
    assertEquals(PKIStatus.REJECTION, nullResp.getStatus());
    // The rejection is itself rejected by the verifier, not thrown.
    assertFalse(verifierFor(tsa).verify(tsa.respond(new byte[] {1, 2, 3}), SIGNATURE).isOk());
    // The valid request still parses as one (sanity check of the fixtures).
    assertEquals(1, new TimeStampRequest(valid).getVersion());
  }
}
