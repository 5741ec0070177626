package dev.sigil.verifier;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of verifying one bundle: every check made (in order), whether all required checks passed, and what was
 * established: who signed (a key, or a certificate identity with its issuer and Fulcio claims), when (verified times
 * and their sources), and which log entries were used.
 */
public record VerificationResult(
    boolean verified,
    List<Check> checks,
    Optional<String> signer,
    Optional<String> issuer,
    Map<String, String> claims,
    List<SigningTime> signingTimes,
    List<String> logEntries,
    Optional<String> statementType) {

  public VerificationResult {
    checks = List.copyOf(checks);
    claims = Map.copyOf(claims);
    signingTimes = List.copyOf(signingTimes);
    logEntries = List.copyOf(logEntries);
    boolean anyFailed = Check.first(checks, Check.Outcome.FAILED) != null;
    if (verified && anyFailed) {
      throw new IllegalArgumentException("a result with a failed check cannot be verified");
    }
    if (!verified && !anyFailed) {
      throw new IllegalArgumentException("a rejected result must name the failed check");
    }
  }

  /** The first failed check, which is what a one-line error reports. */
  public Optional<Check> firstFailure() {
    return Optional.ofNullable(Check.first(checks, Check.Outcome.FAILED));
  }

  /** Checks that were deliberately skipped (each one an unsafe choice the caller made). */
  public List<Check> skipped() {
    return Check.all(checks, Check.Outcome.SKIPPED);
  }
}
