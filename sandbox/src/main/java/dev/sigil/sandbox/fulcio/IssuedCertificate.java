package dev.sigil.sandbox.fulcio;

import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.sandbox.ctlog.Sct;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A signing certificate issued by {@link CertificateAuthority#issue}.
 *
 * @param chain the leaf (with its embedded SCT), then the intermediate, then the root, as Fulcio returns them
 * @param sct the SCT embedded in the leaf
 */
public record IssuedCertificate(List<X509Certificate> chain, Sct sct) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
    Objects.requireNonNull(sct, "sct");
    if (chain.size() < 2) {
      throw new IllegalArgumentException("chain: expected a leaf and its CA certificates, found " + chain.size());
    }
  }

  /** The signing certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Each certificate of {@link #chain()} as a PEM {@code CERTIFICATE} block, in order. */
  public List<String> pemChain() {
    return chain.stream().map(IssuedCertificate::pem).toList();
  }

  static String pem(X509Certificate c) {
    try {
      return KeyFiles.pemString("CERTIFICATE", c.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate this CA built cannot fail to encode", e);
    }
  }
}
