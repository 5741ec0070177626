package dev.sigil.signer.keyless;

import dev.sigil.verifier.internal.crypto.Providers;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway keys and self-signed certificates for the client tests. */
final class TestPki {
  private TestPki() {}

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A self-signed certificate for the key pair; with the critical timeStamping EKU if {@code tsa}. */
  static X509Certificate selfSigned(KeyPair kp, String cn, boolean tsa) throws Exception {
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=" + cn), BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 3_600_000),
            new X500Name("CN=" + cn), kp.getPublic());
    if (tsa) {
      b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
    }
    return new JcaX509CertificateConverter()
        .setProvider(Providers.bouncyCastle())
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle())
                .build(kp.getPrivate())));
  }

  /** A certificate for {@code key} signed by {@code issuer}, without SAN or Fulcio extensions. */
  static X509Certificate issuedTo(java.security.PublicKey key, KeyPair issuer, String cn) throws Exception {
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=issuer"), BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 600_000),
            new X500Name("CN=" + cn), key);
    return new JcaX509CertificateConverter()
        .setProvider(Providers.bouncyCastle())
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle())
                .build(issuer.getPrivate())));
  }

  static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /** An unsigned JWT with these JSON claims. */
  static String jwt(String claimsJson) {
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    return e.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "." + e.encodeToString(claimsJson.getBytes()) + "."
        + e.encodeToString("sig".getBytes());
  }
}
