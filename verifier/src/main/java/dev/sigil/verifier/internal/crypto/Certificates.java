package dev.sigil.verifier.internal.crypto;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Parses DER X.509 certificates with the JDK's factory, and what the JDK refuses but BouncyCastle's provider reads
 * with BouncyCastle's. The known case: the JDK rejects a certificate with an empty subject and no subjectAltName
 * ("X.509 Certificate is incomplete"), which some test TSAs in Sigstore trusted roots have. Signature and validity
 * checks happen elsewhere either way.
 */
public final class Certificates {
  private Certificates() {}

  /** As {@link JcaBackend#parseCertificate}. */
  public static X509Certificate parse(byte[] der) throws CertificateException {
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

  /** The subject name's DER encoding (without building an X500Principal when the certificate keeps it encoded). */
  public static byte[] subjectDer(X509Certificate c) {
    return c instanceof EncodedNames n ? n.subjectDer() : c.getSubjectX500Principal().getEncoded();
  }

  /** The issuer name's DER encoding (without building an X500Principal when the certificate keeps it encoded). */
  public static byte[] issuerDer(X509Certificate c) {
    return c instanceof EncodedNames n ? n.issuerDer() : c.getIssuerX500Principal().getEncoded();
  }

  /** A certificate that keeps its names' DER encodings and can answer with copies of them. */
  public interface EncodedNames {
    byte[] subjectDer();

    byte[] issuerDer();
  }
}
