package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.trust.ValidityPeriod;
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
 * @param validFor when signatures may be made under this CA (trusted_root {@code validFor}), a closed window
 */
public record TrustedCertificateAuthority(List<X509Certificate> chain, ValidityPeriod validFor) {

  public TrustedCertificateAuthority {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("CA chain: expected at least one certificate, found none");
    }
    Objects.requireNonNull(validFor, "validFor");
  }

  /**
   * A CA trusted from {@code validFrom} ({@link Instant#MIN} for no start) until {@code validUntil}, inclusive (empty:
   * no end).
   *
   * @throws IllegalArgumentException if {@code validUntil} is before {@code validFrom}
   */
  public TrustedCertificateAuthority(List<X509Certificate> chain, Instant validFrom, Optional<Instant> validUntil) {
    this(chain, Windows.of(validFrom, validUntil));
  }

  /** A CA trusted from {@code validFrom} with no end. */
  public static TrustedCertificateAuthority openEnded(List<X509Certificate> chain, Instant validFrom) {
    return new TrustedCertificateAuthority(chain, ValidityPeriod.startingAt(validFrom));
  }

  /** The window's start, {@link Instant#MIN} when it has none. */
  public Instant validFrom() {
    return validFor.startInstant().orElse(Instant.MIN);
  }

  /** The window's end, inclusive; empty when open-ended. */
  public Optional<Instant> validUntil() {
    return validFor.endInstant();
  }

  /** Whether {@code t} is inside the window; both ends count as inside. */
  public boolean windowContains(Instant t) {
    return validFor.contains(t);
  }

  /** The last certificate of the chain, the trust anchor. */
  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }

  /** {@code [start, end]}, with {@code -inf} / {@code +inf} for open ends. */
  public String describeWindow() {
    return validFor.describe();
  }

  /** The root's subject, for messages. */
  public String describe() {
    return "\"" + root().getSubjectX500Principal().getName() + "\" " + describeWindow();
  }
}
