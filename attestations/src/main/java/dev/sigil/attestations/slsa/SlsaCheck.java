package dev.sigil.attestations.slsa;

import java.util.Objects;

/**
 * One SLSA check: a stable {@code name} (see {@link SlsaChecks} for the list), what was expected, what the provenance
 * (or certificate) says, and whether they agree.
 */
public record SlsaCheck(String name, String expected, String found, boolean passed) {
  public SlsaCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(found, "found");
  }

  static SlsaCheck of(String name, String expected, String found) {
    return new SlsaCheck(name, expected, found, expected.equals(found));
  }

  static SlsaCheck fail(String name, String expected, String found) {
    return new SlsaCheck(name, expected, found, false);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ") + name + ": expected " + expected + ", found " + found;
  }
}
