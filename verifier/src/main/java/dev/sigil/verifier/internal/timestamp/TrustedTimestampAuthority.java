package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.trust.ValidityPeriod;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A timestamp authority (TSA) the caller trusts, as listed in a Sigstore trusted root
 * ({@code timestampAuthorities[]}).
 *
 * <p>This record only holds the material; it checks nothing cryptographic. {@link TimestampVerifier} checks the chain
 * once when it is built.
 *
 * @param chain the certificate chain: the TSA signing (leaf) certificate first, then any intermediates, the root last,
 *     as in {@code timestampAuthorities[].certChain.certificates}; never empty
 * @param validFor when timestamps from this authority are accepted ({@code validFor}), a closed window
 */
public record TrustedTimestampAuthority(List<X509Certificate> chain, ValidityPeriod validFor) {

  /**
   * @throws NullPointerException if an argument or a chain element is null
   * @throws IllegalArgumentException if the chain is empty
   */
  public TrustedTimestampAuthority {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(validFor, "validFor");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "trusted timestamp authority: expected a certificate chain with the TSA leaf first, found an empty chain");
    }
  }

  /**
   * An authority trusted from {@code validFrom} ({@link Instant#MIN}: no start) until {@code validUntil}, inclusive
   * (empty: no end).
   *
   * @throws IllegalArgumentException if {@code validUntil} is before {@code validFrom}
   */
  public TrustedTimestampAuthority(List<X509Certificate> chain, Instant validFrom, Optional<Instant> validUntil) {
    this(chain, dev.sigil.verifier.internal.certificate.Windows.of(validFrom, validUntil));
  }

  /** An authority valid from {@code validFrom} with no end. */
  public static TrustedTimestampAuthority openEnded(List<X509Certificate> chain, Instant validFrom) {
    return new TrustedTimestampAuthority(chain, ValidityPeriod.startingAt(validFrom));
  }

  /** The window's start, {@link Instant#MIN} when it has none. */
  public Instant validFrom() {
    return validFor.startInstant().orElse(Instant.MIN);
  }

  /** The window's end, inclusive; empty when open-ended. */
  public Optional<Instant> validUntil() {
    return validFor.endInstant();
  }

  /** The TSA signing certificate, {@code chain().get(0)}. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Whether {@code time} lies in the window (both ends included). */
  public boolean isValidAt(Instant time) {
    return validFor.contains(time);
  }

  /** The window as text, for messages: {@code [start, end]}, with {@code -inf} / {@code +inf} for open ends. */
  String describeWindow() {
    return validFor.describe();
  }
}
