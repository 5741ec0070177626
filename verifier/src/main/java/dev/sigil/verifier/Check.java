package dev.sigil.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One check the verifier made: which step, its outcome, why it failed (a stable {@link Reason}) and what it expected
 * and found. A result lists every check, passing and failing, so a reader can see exactly what was and was not
 * established. Expected and found are for people; their wording may change, the {@link Step} and {@link Reason} not.
 *
 * @param step what was checked
 * @param outcome passed, failed, or skipped (not performed, or performed and not counted)
 * @param reason present exactly when the check failed or was skipped
 * @param expected what the check required
 * @param found what the entity held
 */
public record Check(Step step, Outcome outcome, Optional<Reason> reason, String expected, String found) {

  /** What a check is about. The order is the order in which the verifier makes its checks. */
  public enum Step {
    VERIFICATION_MATERIAL("verification material"),
    CERTIFICATE("certificate"),
    CERTIFICATE_KEY("certificate key"),
    PUBLIC_KEY("public key"),
    ARTIFACT_DIGEST("artifact digest"),
    SIGNATURE("signature"),
    DSSE_PAYLOAD_TYPE("DSSE payload type"),
    IN_TOTO_STATEMENT("in-toto statement"),
    IN_TOTO_SUBJECT("in-toto subject"),
    TIMESTAMP("timestamp"),
    TIMESTAMPS("timestamps"),
    TRANSPARENCY_LOG_ENTRY("transparency log entry"),
    TRANSPARENCY_LOG("transparency log"),
    SIGNING_TIME("signing time"),
    TRANSPARENCY_LOG_VALIDITY("transparency log validity"),
    CERTIFICATE_CHAIN("certificate chain"),
    CERTIFICATE_TRANSPARENCY("certificate transparency"),
    /** The certificate is a readable Fulcio certificate (or the identity check was waived). */
    IDENTITY("identity"),
    SUBJECT_ALTERNATIVE_NAME("certificate SAN"),
    OIDC_ISSUER("certificate OIDC issuer"),
    FULCIO_EXTENSION("certificate extension");

    private final String displayName;

    Step(String displayName) {
      this.displayName = displayName;
    }

    /** The step in words, e.g. {@code transparency log entry}. */
    public String displayName() {
      return displayName;
    }
  }

  /** Whether a check passed, failed or was skipped. */
  public enum Outcome {
    PASSED,
    FAILED,
    /**
     * Not performed, or performed but not counted; the text says why (an unsafe option the caller chose, or an
     * optional item such as one of several timestamps that did not verify). Reported as a warning.
     */
    SKIPPED
  }

  public Check {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(found, "found");
    if (reason.isPresent() == (outcome == Outcome.PASSED)) {
      throw new IllegalArgumentException("a reason goes with a failed or skipped check, and only with those");
    }
  }

  public static Check passed(Step step, String expected, String found) {
    return new Check(step, Outcome.PASSED, Optional.empty(), expected, found);
  }

  public static Check failed(Step step, Reason reason, String expected, String found) {
    return new Check(step, Outcome.FAILED, Optional.of(reason), expected, found);
  }

  public static Check skipped(Step step, Reason reason, String why) {
    return new Check(step, Outcome.SKIPPED, Optional.of(reason), "-", why);
  }

  /** The step in words (what the CLI prints). */
  public String name() {
    return step.displayName();
  }

  /** One line: {@code <step>: expected <e>, found <f>}. */
  public String describe() {
    return switch (outcome) {
      case PASSED -> name() + ": ok (" + found + ")";
      case FAILED -> name() + ": expected " + expected + ", found " + found;
      case SKIPPED -> name() + ": skipped (" + found + ")";
    };
  }

  /** The first check in {@code checks} with this outcome, or null. */
  static Check first(List<Check> checks, Outcome outcome) {
    for (Check c : checks) {
      if (c.outcome() == outcome) {
        return c;
      }
    }
    return null;
  }

  /** The checks in {@code checks} with this outcome, in order. */
  static List<Check> all(List<Check> checks, Outcome outcome) {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      if (c.outcome() == outcome) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }
}
