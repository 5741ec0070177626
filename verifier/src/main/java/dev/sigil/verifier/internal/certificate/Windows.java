package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.trust.ValidityPeriod;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The internals' old (validFrom, validUntil) pairs as the one validity-window type, {@link ValidityPeriod}. */
public final class Windows {
  private Windows() {}

  /**
   * {@code [validFrom, validUntil]}; {@link Instant#MIN} means no start, an empty {@code validUntil} no end.
   *
   * @throws IllegalArgumentException if {@code validUntil} is before {@code validFrom}
   */
  public static ValidityPeriod of(Instant validFrom, Optional<Instant> validUntil) {
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    return new ValidityPeriod(validFrom.equals(Instant.MIN) ? null : validFrom, validUntil.orElse(null));
  }
}
