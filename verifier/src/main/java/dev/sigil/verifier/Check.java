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

  /**
   * The first check in {@code checks} with this outcome, or null. (A loop rather than a stream: results are built on
   * every verification, and a stream pipeline's first use costs milliseconds of a one-shot CLI run.)
   */
  static Check first(java.util.List<Check> checks, Outcome outcome) {
    for (Check c : checks) {
      if (c.outcome() == outcome) {
        return c;
      }
    }
    return null;
  }

  /** The checks in {@code checks} with this outcome, in order. */
  static java.util.List<Check> all(java.util.List<Check> checks, Outcome outcome) {
    java.util.List<Check> out = new java.util.ArrayList<>();
    for (Check c : checks) {
      if (c.outcome() == outcome) {
        out.add(c);
      }
    }
    return java.util.List.copyOf(out);
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
