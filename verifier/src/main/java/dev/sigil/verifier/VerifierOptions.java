package dev.sigil.verifier;

import java.time.Clock;
import java.util.Objects;

/**
 * Deployment facts, set once per {@link Verifier}: how many verified transparency-log entries and SCTs a bundle
 * needs, and the clock (used only to reject log times in the future, never as a signing time).
 */
public record VerifierOptions(int tlogThreshold, int ctlogThreshold, Clock clock) {
  public VerifierOptions {
    Objects.requireNonNull(clock, "clock");
    if (tlogThreshold < 1) {
      throw new IllegalArgumentException(
          "tlogThreshold: expected at least 1 (waive the log per call with withoutTransparencyLogUnsafe), found "
              + tlogThreshold);
    }
    if (ctlogThreshold < 1) {
      throw new IllegalArgumentException("ctlogThreshold: expected at least 1, found " + ctlogThreshold);
    }
  }

  /** One log entry, one SCT, the system clock: what the Sigstore public-good instance and its clients use. */
  public static VerifierOptions defaults() {
    return new VerifierOptions(1, 1, Clock.systemUTC());
  }

  public VerifierOptions withClock(Clock c) {
    return new VerifierOptions(tlogThreshold, ctlogThreshold, c);
  }
}
