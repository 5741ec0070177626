package dev.sigil.verifier.internal.timestamp;

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
 * @param validFrom first instant at which a timestamp from this authority is accepted ({@code validFor.start})
 * @param validUntil last instant at which a timestamp from this authority is accepted ({@code validFor.end}); the
 *     window is a closed interval, so {@code validUntil} itself is still valid; empty means no end
 */
public record TrustedTimestampAuthority(
    List<X509Certificate> chain, Instant validFrom, Optional<Instant> validUntil) {

  /**
   * @throws NullPointerException if an argument or a chain element is null
   * @throws IllegalArgumentException if the chain is empty or {@code validUntil} is before {@code validFrom}
   */
  public TrustedTimestampAuthority {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "trusted timestamp authority: expected a certificate chain with the TSA leaf first, found an empty chain");
    }
    if (validUntil.isPresent() && validUntil.get().isBefore(validFrom)) {
      throw new IllegalArgumentException(
          "trusted timestamp authority: validity window ends ("
              + validUntil.get()
              + ") before it starts ("
              + validFrom
              + ")");
    }
  }

  /** An authority valid from {@code validFrom} with no end. */
  public static TrustedTimestampAuthority openEnded(List<X509Certificate> chain, Instant validFrom) {
    return new TrustedTimestampAuthority(chain, validFrom, Optional.empty());
  }

  /** The TSA signing certificate, {@code chain().get(0)}. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Whether {@code time} lies in {@code [validFrom, validUntil]} (both ends included). */
  public boolean isValidAt(Instant time) {
    return !time.isBefore(validFrom) && (validUntil.isEmpty() || !time.isAfter(validUntil.get()));
  }

  /** The window as text, for messages: {@code [start, end]} or {@code [start, no end]}. */
  String describeWindow() {
    return "[" + validFrom + ", " + validUntil.map(Instant::toString).orElse("no end") + "]";
  }
}
