package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.Check;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of {@link IdentityMatcher#match(FulcioCertificate)}: one {@link Check} per constraint, each with what
 * was expected and what the certificate holds, and whether all of them passed.
 *
 * @param matched whether every constraint passed
 * @param checks every constraint, passing and failing, in the matcher's order
 */
public record IdentityMatch(boolean matched, List<Check> checks) {
  public IdentityMatch {
    checks = List.copyOf(checks);
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("an identity match must list at least one check");
    }
    boolean anyFailed = false;
    for (Check c : checks) {
      anyFailed |= c.outcome() == Check.Outcome.FAILED;
    }
    if (matched == anyFailed) {
      throw new IllegalArgumentException(
          "matched=" + matched + " contradicts the checks (" + (anyFailed ? "some" : "none") + " failed)");
    }
  }

  /** The failed checks, in order. */
  public List<Check> failures() {
    List<Check> out = new java.util.ArrayList<>();
    for (Check c : checks) {
      if (c.outcome() == Check.Outcome.FAILED) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /** The first failed check, which is what a one-line error reports. */
  public Optional<Check> firstFailure() {
    List<Check> f = failures();
    return f.isEmpty() ? Optional.empty() : Optional.of(f.get(0));
  }

  /** Every check on its own line. */
  public String describe() {
    return checks.stream().map(Check::describe).collect(Collectors.joining("\n"));
  }
}
