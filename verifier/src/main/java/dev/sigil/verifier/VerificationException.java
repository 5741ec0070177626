package dev.sigil.verifier;

import java.util.Objects;

/** Thrown by {@link VerificationResult#requireVerified()}: the entity was rejected, for the reason it carries. */
public final class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient VerificationResult.Rejected rejected;

  public VerificationException(VerificationResult.Rejected rejected) {
    super("verification failed: " + rejected.failure().describe());
    this.rejected = Objects.requireNonNull(rejected, "rejected");
  }

  /** The rejection, with every check that was made. */
  public VerificationResult.Rejected rejected() {
    return rejected;
  }

  /** The stable reason code of the failed check. */
  public Reason reason() {
    return rejected.reason();
  }
}
