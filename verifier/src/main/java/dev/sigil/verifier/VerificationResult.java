package dev.sigil.verifier;

import dev.sigil.attestations.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one entity: {@link Verified}, with what was established (who signed, when, where it is
 * logged, and the statement when there is one), or {@link Rejected}, with the failed check and its stable
 * {@link Reason}. Both list every check made, in order, passing, failing and skipped.
 */
public sealed interface VerificationResult permits VerificationResult.Verified, VerificationResult.Rejected {

  /** Every check made, in order. */
  List<Check> checks();

  boolean isVerified();

  /**
   * This result as {@link Verified}.
   *
   * @throws VerificationException if it is {@link Rejected}
   */
  Verified requireVerified() throws VerificationException;

  /** The failed check of a {@link Rejected} result. */
  default Optional<Check> firstFailure() {
    return Optional.ofNullable(Check.first(checks(), Check.Outcome.FAILED));
  }

  /** Checks that were deliberately skipped or not counted (each reported as a warning). */
  default List<Check> skipped() {
    return Check.all(checks(), Check.Outcome.SKIPPED);
  }

  /**
   * Every required check passed.
   *
   * @param mediaType what was verified (a bundle media type, or the name of another entity kind)
   * @param signer who signed
   * @param signingTimes the verified times at which the signature existed, and what vouches for each
   * @param logEntries the transparency-log entries that verified
   * @param statement the in-toto statement of a DSSE entity, exactly as signed ({@link Statement#payload()})
   * @param checks every check, in order
   */
  record Verified(
      String mediaType,
      Signer signer,
      List<SigningTime> signingTimes,
      List<VerifiedLogEntry> logEntries,
      Optional<Statement> statement,
      List<Check> checks)
      implements VerificationResult {
    public Verified {
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(signer, "signer");
      signingTimes = List.copyOf(signingTimes);
      logEntries = List.copyOf(logEntries);
      Objects.requireNonNull(statement, "statement");
      checks = List.copyOf(checks);
      if (Check.first(checks, Check.Outcome.FAILED) != null) {
        throw new IllegalArgumentException("a verified result cannot hold a failed check");
      }
    }

    @Override
    public boolean isVerified() {
      return true;
    }

    @Override
    public Verified requireVerified() {
      return this;
    }
  }

  /**
   * A check failed; checks after it were not made.
   *
   * @param failure the failed check
   * @param checks every check made, the failed one last
   */
  record Rejected(Check failure, List<Check> checks) implements VerificationResult {
    public Rejected {
      Objects.requireNonNull(failure, "failure");
      checks = List.copyOf(checks);
      if (failure.outcome() != Check.Outcome.FAILED || !checks.contains(failure)) {
        throw new IllegalArgumentException("a rejected result names its failed check, which it lists");
      }
    }

    /** The stable code of why the entity was rejected. */
    public Reason reason() {
      return failure.reason().orElseThrow();
    }

    @Override
    public boolean isVerified() {
      return false;
    }

    @Override
    public Verified requireVerified() throws VerificationException {
      throw new VerificationException(this);
    }
  }
}
