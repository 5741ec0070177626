package dev.sigil.verifier.internal.certificate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate authority the caller trusts to issue signing certificates, as a trusted root lists it
 * ({@code certificateAuthorities[]} in {@code trusted_root.json}).
 *
 * @param chain the CA's certificates, intermediate(s) first and the root last, in trusted_root.json order. Never
 *     empty; a chain of one is a root that issues signing certificates directly.
 * @param validFrom the first instant signatures may be made under this CA (trusted_root {@code validFor.start}); use
 *     {@link Instant#MIN} if the trusted root gives none
 * @param validUntil the last instant signatures may be made under this CA ({@code validFor.end}), inclusive: the
 *     window is closed. Empty means open-ended.
 */
public record TrustedCertificateAuthority(
    List<X509Certificate> chain, Instant validFrom, Optional<Instant> validUntil) {

  public TrustedCertificateAuthority {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("CA chain: expected at least one certificate, found none");
    }
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    if (validUntil.isPresent() && validUntil.get().isBefore(validFrom)) {
      throw new IllegalArgumentException(
          "CA validity window: expected validFrom <= validUntil, found " + validFrom + " after " + validUntil.get());
    }
  }

  /** A CA trusted from {@code validFrom} with no end. */
  public static TrustedCertificateAuthority openEnded(List<X509Certificate> chain, Instant validFrom) {
    return new TrustedCertificateAuthority(chain, validFrom, Optional.empty());
  }

  /** Whether {@code t} is inside {@code [validFrom, validUntil]}; both ends count as inside. */
  public boolean windowContains(Instant t) {
    return !t.isBefore(validFrom) && (validUntil.isEmpty() || !t.isAfter(validUntil.get()));
  }

  /** The last certificate of the chain, the trust anchor. */
  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }

  /** {@code [validFrom, validUntil]}, with {@code +inf} for an open end. */
  public String describeWindow() {
    return "[" + validFrom + ", " + validUntil.map(Instant::toString).orElse("+inf") + "]";
  }

  /** The root's subject, for messages. */
  public String describe() {
    return "\"" + root().getSubjectX500Principal().getName() + "\" " + describeWindow();
  }
}
