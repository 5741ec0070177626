package dev.sigil.verifier.trust;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate authority (Fulcio) or timestamp authority from a trusted root ({@code CertificateAuthority}).
 *
 * @param subject the authority's name, informational
 * @param uri the authority's URI, empty when absent
 * @param certChain the chain, parsed; the last certificate is the trust anchor. Never empty.
 * @param validFor when the whole chain may be trusted (closed interval); unbounded when the root gives none
 * @param operator the operator (a scheme-less URI), empty when absent
 */
public record CertificateAuthority(
    DistinguishedName subject,
    String uri,
    List<X509Certificate> certChain,
    ValidityPeriod validFor,
    String operator) {
  public CertificateAuthority {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(validFor, "validFor");
    Objects.requireNonNull(operator, "operator");
    certChain = List.copyOf(certChain);
    if (certChain.isEmpty()) {
      throw new IllegalArgumentException("certChain: expected at least one certificate, found none");
    }
  }

  /** The last certificate of the chain, which the trusted root designates as the trust anchor. */
  public X509Certificate trustAnchor() {
    return certChain.get(certChain.size() - 1);
  }

  /** The certificates before the trust anchor (intermediates, and for a timestamp authority possibly its leaf). */
  public List<X509Certificate> certificatesBelowAnchor() {
    return certChain.subList(0, certChain.size() - 1);
  }
}
