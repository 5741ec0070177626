package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.internal.crypto.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates small CA hierarchies, leaves and embedded SCTs with BouncyCastle, for cases the corpus lacks. */
final class TestPki {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestPki() {}

  static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair p256() {
    return ec("secp256r1");
  }

  static KeyPair p384() {
    return ec("secp384r1");
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519", Providers.bouncyCastle()).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsa2048() {
    try {
      // The JDK's generator: BouncyCastle's is several times slower for RSA.
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signatureAlgorithm(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
    if ("RSA".equals(key.getAlgorithm())) {
      return "SHA256withRSA";
    }
    return "Ed25519";
  }

  /** A certificate under construction. Defaults: a non-CA P-256 leaf valid for 10 minutes from {@link #T0}. */
  static final class Cert {
    private final String subject;
    private X500Name issuerName;
    private KeyPair issuerKeys;
    private PublicKey subjectKey;
    private Instant notBefore = T0;
    private Instant notAfter = T0.plusSeconds(600);
    private final BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet());
    private Boolean ca;
    private Integer pathLen;
    private Integer keyUsage;
    private KeyPurposeId[] eku;
    private final List<Object[]> extensions = new ArrayList<>();

    Cert(String subject) {
      this.subject = subject;
    }

    Cert issuedBy(X509Certificate issuer, KeyPair keys) {
      this.issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      this.issuerKeys = keys;
      return this;
    }

    /** Self-signed with these keys (also the subject key). */
    Cert selfSigned(KeyPair keys) {
      this.issuerName = new X500Name(subject);
      this.issuerKeys = keys;
      this.subjectKey = keys.getPublic();
      return this;
    }

    Cert issuerName(String name, KeyPair keys) {
      this.issuerName = new X500Name(name);
      this.issuerKeys = keys;
      return this;
    }

    Cert key(PublicKey key) {
      this.subjectKey = key;
      return this;
    }

    Cert validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    Cert ca(Boolean isCa) {
      this.ca = isCa;
      return this;
    }

    Cert pathLen(int n) {
      this.ca = true;
      this.pathLen = n;
      return this;
    }

    Cert keyUsage(Integer bits) {
      this.keyUsage = bits;
      return this;
    }

    Cert eku(KeyPurposeId... purposes) {
      this.eku = purposes;
      return this;
    }

    Cert ext(String oid, boolean critical, ASN1Encodable value) {
      extensions.add(new Object[] {oid, critical, value});
      return this;
    }

    Cert rawExt(String oid, boolean critical, byte[] value) {
      extensions.add(new Object[] {oid, critical, value});
      return this;
    }

    /** A CA: basicConstraints cA and keyCertSign. */
    Cert asCa() {
      return ca(true).keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
    }

    /** A Fulcio-like leaf: digitalSignature, codeSigning. */
    Cert asLeaf() {
      return keyUsage(KeyUsage.digitalSignature).eku(KeyPurposeId.id_kp_codeSigning);
    }

    X509Certificate build() {
      return build(null);
    }

    private X509Certificate build(byte[] sctList) {
      try {
        X509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                issuerName,
                serial,
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name(subject),
                subjectKey);
        if (ca != null) {
          b.addExtension(
              Extension.basicConstraints,
              true,
              ca && pathLen != null ? new BasicConstraints(pathLen) : new BasicConstraints(ca));
        }
        if (keyUsage != null) {
          b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        if (eku != null) {
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        for (Object[] e : extensions) {
          ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier((String) e[0]);
          if (e[2] instanceof byte[] raw) {
            b.addExtension(oid, (Boolean) e[1], raw);
          } else {
            b.addExtension(oid, (Boolean) e[1], (ASN1Encodable) e[2]);
          }
        }
        if (sctList != null) {
          b.addExtension(
              new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"), false, new DEROctetString(sctList));
        }
        byte[] der =
            b.build(
                    new JcaContentSignerBuilder(signatureAlgorithm(issuerKeys.getPublic()))
                        .setProvider(Providers.bouncyCastle())
                        .build(issuerKeys.getPrivate()))
                .getEncoded();
        return Fixtures.cert(der);
      } catch (IOException | OperatorCreationException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The certificate with embedded SCTs: builds it once without them (its TBS is what the logs sign), has each log
     * sign, then builds it again with the SCT list as the last extension.
     */
    X509Certificate buildWithScts(X509Certificate issuer, List<Sct> scts) {
      X509Certificate pre = build(null);
      byte[] tbs;
      try {
        tbs = pre.getTBSCertificate();
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
      byte[] issuerKeyHash = sha256(issuer.getPublicKey().getEncoded());
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      for (Sct s : scts) {
        byte[] one = s.encode(tbs, issuerKeyHash);
        u16(list, one.length);
        list.writeBytes(one);
      }
      ByteArrayOutputStream outer = new ByteArrayOutputStream();
      u16(outer, list.size());
      outer.writeBytes(list.toByteArray());
      return build(outer.toByteArray());
    }
  }

  static Cert cert(String subject) {
    return new Cert(subject);
  }

  /** A CT log for tests: its keys, and the TLS algorithm bytes it signs with. */
  record Log(KeyPair keys, String jcaAlgorithm, int hashAlg, int sigAlg) {
    static Log p256() {
      return new Log(TestPki.p256(), "SHA256withECDSA", 4, 3);
    }

    static Log ed25519() {
      return new Log(TestPki.ed25519(), "Ed25519", 8, 7);
    }

    byte[] logId() {
      return sha256(keys.getPublic().getEncoded());
    }

    TrustedCtLog trusted(Instant from) {
      return new TrustedCtLog(logId(), keys.getPublic(), from, java.util.Optional.empty());
    }

    Sct sct(Instant at) {
      return new Sct(this, at.toEpochMilli());
    }
  }

  /** One SCT to embed. */
  record Sct(Log log, long timestamp) {
    byte[] encode(byte[] tbs, byte[] issuerKeyHash) {
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      signed.write(0);
      signed.write(0);
      u64(signed, timestamp);
      u16(signed, 1);
      signed.writeBytes(issuerKeyHash);
      signed.write(tbs.length >>> 16);
      signed.write((tbs.length >>> 8) & 0xff);
      signed.write(tbs.length & 0xff);
      signed.writeBytes(tbs);
      u16(signed, 0);
      byte[] sig;
      try {
        Signature s = Signature.getInstance(log.jcaAlgorithm(), Providers.bouncyCastle());
        s.initSign(log.keys().getPrivate());
        s.update(signed.toByteArray());
        sig = s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.writeBytes(log.logId());
      u64(out, timestamp);
      u16(out, 0);
      out.write(log.hashAlg());
      out.write(log.sigAlg());
      u16(out, sig.length);
      out.writeBytes(sig);
      return out.toByteArray();
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static void u16(ByteArrayOutputStream out, int v) {
    out.write((v >>> 8) & 0xff);
    out.write(v & 0xff);
  }

  static void u64(ByteArrayOutputStream out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xff);
    }
  }

  /** A root (P-256 unless keys given) and an intermediate under it, both CAs valid for years around T0. */
  record Hierarchy(KeyPair rootKeys, X509Certificate root, KeyPair intermediateKeys, X509Certificate intermediate) {
    static Hierarchy create() {
      return create(p256(), p384());
    }

    static Hierarchy create(KeyPair rootKeys, KeyPair intermediateKeys) {
      X509Certificate root =
          cert("O=sigil-test,CN=root")
              .selfSigned(rootKeys)
              .asCa()
              .validity(T0.minusSeconds(86400L * 365), T0.plusSeconds(86400L * 365))
              .build();
      X509Certificate intermediate =
          cert("O=sigil-test,CN=intermediate")
              .issuedBy(root, rootKeys)
              .key(intermediateKeys.getPublic())
              .asCa()
              .pathLen(0)
              .validity(T0.minusSeconds(86400L * 30), T0.plusSeconds(86400L * 30))
              .build();
      return new Hierarchy(rootKeys, root, intermediateKeys, intermediate);
    }

    TrustedCertificateAuthority authority() {
      return new TrustedCertificateAuthority(
          List.of(intermediate, root), T0.minusSeconds(86400L * 365), java.util.Optional.empty());
    }

    Cert leaf() {
      return cert("CN=leaf").issuedBy(intermediate, intermediateKeys).key(p256().getPublic()).asLeaf();
    }
  }
}
