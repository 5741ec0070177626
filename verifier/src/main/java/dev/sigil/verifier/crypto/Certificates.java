package dev.sigil.verifier.crypto;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Parses DER X.509 certificates. The JDK's parser is used first because it loads in milliseconds; certificates it
 * refuses but BouncyCastle reads are retried there. The known case: the JDK rejects a certificate with an empty
 * subject and no subjectAltName ("X.509 Certificate is incomplete"), which some test TSAs in Sigstore trusted roots
 * have. Signature and validity checks happen elsewhere either way.
 */
public final class Certificates {
  private Certificates() {}

  public static X509Certificate parse(byte[] der) throws CertificateException {
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
}
