package dev.sigil.verifier.internal.timestamp;

import java.util.Objects;

/** Thrown by {@link TimestampResult#requireVerified()} for a rejected timestamp; carries the reason code. */
public final class TimestampVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final TimestampResult.Reason reason;

  public TimestampVerificationException(TimestampResult.Reason reason, String detail) {
    super("timestamp rejected (" + Objects.requireNonNull(reason, "reason") + "): " + detail);
    this.reason = reason;
  }

  /** The stable reason code. */
  public TimestampResult.Reason reason() {
    return reason;
  }
}
