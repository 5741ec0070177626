package dev.sigil.verifier.trust;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trusted root's validity window ({@code TimeRange}), a closed interval: both end points are inside it. A null
 * {@code end} means open-ended; a null {@code start} means no lower bound, which only certificate and timestamp
 * authorities may have (a transparency log key without a start is refused when the trusted root is parsed).
 *
 * @param start the first valid instant, or null for no lower bound
 * @param end the last valid instant, or null for open-ended
 */
public record ValidityPeriod(Instant start, Instant end) {
  public ValidityPeriod {
    if (start != null && end != null && end.isBefore(start)) {
      throw new IllegalArgumentException(
          "validity period: expected start <= end, found start " + start + " after end " + end);
    }
  }

  /** The window with no bounds at all. */
  public static ValidityPeriod unbounded() {
    return new ValidityPeriod(null, null);
  }

  /** The open-ended window starting at {@code start}. */
  public static ValidityPeriod startingAt(Instant start) {
    return new ValidityPeriod(Objects.requireNonNull(start, "start"), null);
  }

  /** The closed window {@code [start, end]}. */
  public static ValidityPeriod between(Instant start, Instant end) {
    return new ValidityPeriod(
        Objects.requireNonNull(start, "start"), Objects.requireNonNull(end, "end"));
  }

  /** Whether {@code t} is inside the window; both end points count as inside. */
  public boolean contains(Instant t) {
    Objects.requireNonNull(t, "t");
    return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
  }

  public Optional<Instant> startInstant() {
    return Optional.ofNullable(start);
  }

  public Optional<Instant> endInstant() {
    return Optional.ofNullable(end);
  }

  public boolean hasStart() {
    return start != null;
  }

  public boolean isOpenEnded() {
    return end == null;
  }

  /** {@code [start, end]} with {@code -inf} / {@code +inf} for missing bounds. */
  public String describe() {
    return "[" + (start == null ? "-inf" : start.toString()) + ", " + (end == null ? "+inf" : end.toString()) + "]";
  }
}
