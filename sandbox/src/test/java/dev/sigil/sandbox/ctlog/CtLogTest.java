package dev.sigil.sandbox.ctlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtLogTest {
  static KeyPair issuerKeys;
  static X509Certificate issuer;
  static X500Name issuerName = new X500Name("CN=test issuer");

  @TempDir Path dir;

  @BeforeAll
  static void issuer() throws Exception {
    issuerKeys = p256();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuerName, BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 3_600_000), issuerName,
            issuerKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    issuer = cert(b, issuerKeys);
  }

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static X509Certificate cert(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
    byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  /** A leaf builder with keyUsage; {@code extra} extensions are appended. */
  static X509Certificate leaf(KeyPair signer, X500Name issuedBy, Extension... extra) throws Exception {
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuedBy, BigInteger.TEN, new Date(), new Date(System.currentTimeMillis() + 600_000),
            new X500Name("CN=leaf"), p256().getPublic());
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    for (Extension e : extra) {
      b.addExtension(e);
    }
    return cert(b, signer);
  }

  static Extension poison(boolean critical) throws Exception {
    return new Extension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(CtLog.POISON_OID), critical,
        DERNull.INSTANCE.getEncoded());
  }

  @Test
  void sctSignsTheRfc6962PrecertStructure() throws Exception {
    CtLog log = CtLog.open(dir);
    X509Certificate pre = leaf(issuerKeys, issuerName, poison(true));
    Instant t = Instant.now();
    Sct sct = log.addPreChain(pre, issuer, t);
    assertArrayEquals(log.logId(), sct.logId());
    assertEquals(t.toEpochMilli(), sct.timestamp());

    // The TBS without the poison is the TBS of the same certificate built without it.
    byte[] tbs = CtLog.tbsWithoutPoison(pre.getTBSCertificate());
    var parsed = org.bouncycastle.asn1.x509.TBSCertificate.getInstance(ASN1Primitive.fromByteArray(tbs));
    assertEquals(1, parsed.getExtensions().getExtensionOIDs().length);
    assertEquals(Extension.keyUsage, parsed.getExtensions().getExtensionOIDs()[0]);

    // Rebuild the signed structure by hand and check the signature with the log's public key.
    byte[] spki = Certificate.getInstance(issuer.getEncoded()).getSubjectPublicKeyInfo().getEncoded();
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    m.write(new byte[] {0, 0});
    m.write(java.nio.ByteBuffer.allocate(8).putLong(sct.timestamp()).array());
    m.write(new byte[] {0, 1});
    m.write(MessageDigest.getInstance("SHA-256").digest(spki));
    m.write(new byte[] {(byte) (tbs.length >>> 16), (byte) (tbs.length >>> 8), (byte) tbs.length});
    m.write(tbs);
    m.write(new byte[] {0, 0});
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(log.publicKey());
    v.update(m.toByteArray());
    assertTrue(v.verify(sct.signature()));

    // Log ID is SHA-256 of the SPKI.
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(log.publicKey().getEncoded()), log.logId());
  }

  @Test
  void tlsEncodingAndExtensionValue() throws Exception {
    CtLog log = CtLog.open(dir);
    Sct sct = log.addPreChain(leaf(issuerKeys, issuerName, poison(true)), issuer, Instant.ofEpochMilli(0x0102030405L));
    byte[] one = sct.encode();
    assertEquals(0, one[0]);
    assertArrayEquals(log.logId(), java.util.Arrays.copyOfRange(one, 1, 33));
    assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5}, java.util.Arrays.copyOfRange(one, 33, 41));
    assertArrayEquals(new byte[] {0, 0, 4, 3}, java.util.Arrays.copyOfRange(one, 41, 45));
    int sigLen = ((one[45] & 0xff) << 8) | (one[46] & 0xff);
    assertEquals(one.length - 47, sigLen);

    byte[] list = Sct.encodeList(List.of(sct));
    assertEquals(one.length + 2, ((list[0] & 0xff) << 8) | (list[1] & 0xff));
    assertEquals(one.length, ((list[2] & 0xff) << 8) | (list[3] & 0xff));

    byte[] extValue = Sct.extensionValue(List.of(sct));
    assertArrayEquals(list, ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extValue)).getOctets());
    // As an X.509 extension, extnValue is itself an OCTET STRING around that one.
    Extension ext = new Extension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(Sct.SCT_LIST_OID), false, extValue);
    assertArrayEquals(new DEROctetString(extValue).getEncoded(), ext.getExtnValue().getEncoded());
    assertThrows(IllegalArgumentException.class, () -> Sct.encodeList(List.of()));
  }

  @Test
  void reopenKeepsKeyIdAndCreationTime() throws Exception {
    Instant t0 = Instant.parse("2031-05-06T07:08:09.123Z");
    CtLog first = CtLog.open(dir, Clock.fixed(t0, ZoneOffset.UTC));
    assertEquals(Instant.parse("2031-05-06T07:03:09Z"), first.createdAt());
    CtLog again = CtLog.open(dir, Clock.systemUTC());
    assertArrayEquals(first.logId(), again.logId());
    assertEquals(first.publicKey(), again.publicKey());
    assertEquals(first.createdAt(), again.createdAt());
    assertEquals(first.logIdBase64(), again.trusted().logIdBase64());
    assertEquals(first.createdAt(), again.trusted().validFrom());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(CtLog.KEY_FILE))));
    assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
  }

  @Test
  void missingCreationTimeOrLooseKeyIsRefused() throws Exception {
    CtLog.open(dir);
    Files.setPosixFilePermissions(dir.resolve(CtLog.KEY_FILE), PosixFilePermissions.fromString("rw-rw-rw-"));
    var e = assertThrows(java.io.IOException.class, () -> CtLog.open(dir));
    assertTrue(e.getMessage().contains("expected mode 0600"), e.getMessage());
    Files.setPosixFilePermissions(dir.resolve(CtLog.KEY_FILE), PosixFilePermissions.fromString("rw-------"));
    Files.delete(dir.resolve(CtLog.CREATED_AT_FILE));
    var e2 = assertThrows(java.io.IOException.class, () -> CtLog.open(dir));
    assertTrue(e2.getMessage().contains("incomplete"), e2.getMessage());
  }

  @Test
  void refusesWhatIsNotAPrecertificateOfTheIssuer() throws Exception {
    CtLog log = CtLog.open(dir);
    var none = assertThrows(InvalidPrecertificateException.class,
        () -> log.addPreChain(leaf(issuerKeys, issuerName), issuer, Instant.now()));
    assertTrue(none.getMessage().contains("found none"), none.getMessage());
    var nonCritical = assertThrows(InvalidPrecertificateException.class,
        () -> log.addPreChain(leaf(issuerKeys, issuerName, poison(false)), issuer, Instant.now()));
    assertTrue(nonCritical.getMessage().contains("expected critical"), nonCritical.getMessage());
    Extension sctList = new Extension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(Sct.SCT_LIST_OID), false,
        new DEROctetString(new byte[] {0, 0}).getEncoded());
    var withScts = assertThrows(InvalidPrecertificateException.class,
        () -> log.addPreChain(leaf(issuerKeys, issuerName, poison(true), sctList), issuer, Instant.now()));
    assertTrue(withScts.getMessage().contains("no SCT list"), withScts.getMessage());
    var otherSigner = assertThrows(InvalidPrecertificateException.class,
        () -> log.addPreChain(leaf(p256(), issuerName, poison(true)), issuer, Instant.now()));
    assertTrue(otherSigner.getMessage().contains("signature"), otherSigner.getMessage());
    var otherName = assertThrows(InvalidPrecertificateException.class,
        () -> log.addPreChain(leaf(issuerKeys, new X500Name("CN=someone else"), poison(true)), issuer, Instant.now()));
    assertTrue(otherName.getMessage().contains("issuer"), otherName.getMessage());
  }
}
