package dev.sigil.verifier;

import java.util.Objects;

/**
 * One check the verifier made: what it checked, what it expected, what it found, and the outcome. A result lists
 * every check, passing and failing, so a reader can see exactly what was and was not established.
 */
public record Check(String name, Outcome outcome, String expected, String found) {
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
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(found, "found");
  }

  public static Check passed(String name, String expected, String found) {
    return new Check(name, Outcome.PASSED, expected, found);
  }

  public static Check failed(String name, String expected, String found) {
    return new Check(name, Outcome.FAILED, expected, found);
  }

  public static Check skipped(String name, String why) {
    return new Check(name, Outcome.SKIPPED, "-", why);
  }

  /** One line: {@code <name>: expected <e>, found <f>}. */
  public String describe() {
    return switch (outcome) {
      case PASSED -> name + ": ok (" + found + ")";
      case FAILED -> name + ": expected " + expected + ", found " + found;
      case SKIPPED -> name + ": skipped (" + found + ")";
    };
  }
}
