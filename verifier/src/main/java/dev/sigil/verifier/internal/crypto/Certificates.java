package dev.sigil.verifier.internal.crypto;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;

/**
 * Parses DER X.509 certificates. {@link DerCertificate} (BouncyCastle's ASN.1 classes, no JCA) reads the usual ones;
 * what it refuses goes to the JDK's parser, and what the JDK refuses but BouncyCastle's provider reads is retried
 * there. The known case: the JDK rejects a certificate with an empty
 * subject and no subjectAltName ("X.509 Certificate is incomplete"), which some test TSAs in Sigstore trusted roots
 * have. Signature and validity checks happen elsewhere either way.
 */
public final class Certificates {
  private Certificates() {}

  public static X509Certificate parse(byte[] der) throws CertificateException {
    try {
      return DerCertificate.parse(der);
    } catch (CertificateParsingException notForUs) {
      // refused by the JCA-free reader: the JDK, then BouncyCastle's provider, decide as they always did
    }
    return viaProviders(der);
  }

  /** The JDK's parse of {@code der}, or BouncyCastle's provider's when the JDK refuses it. */
  static X509Certificate viaProviders(byte[] der) throws CertificateException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException jdk) {
      try {
        return (X509Certificate)
            CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                .generateCertificate(new ByteArrayInputStream(der));
      } catch (CertificateException | RuntimeException bc) {
        CertificateException e = new CertificateException(bc.getMessage() == null ? jdk.getMessage() : bc.getMessage());
        e.addSuppressed(jdk);
        throw e;
      }
    }
  }

  /** The subject name's DER encoding, without building an X500Principal when the certificate was read here. */
  public static byte[] subjectDer(X509Certificate c) {
    return c instanceof DerCertificate d ? d.subjectDer() : c.getSubjectX500Principal().getEncoded();
  }

  /** The issuer name's DER encoding, without building an X500Principal when the certificate was read here. */
  public static byte[] issuerDer(X509Certificate c) {
    return c instanceof DerCertificate d ? d.issuerDer() : c.getIssuerX500Principal().getEncoded();
  }
}
