package dev.sigil.attestations.slsa;

import java.util.ArrayList;
import java.util.List;

/** The checks of one {@link SlsaChecks} call, in the order they ran. Passed only if there is a check and none failed. */
public record SlsaReport(List<SlsaCheck> checks) {
  public SlsaReport {
    checks = List.copyOf(checks);
  }

  public boolean passed() {
    return !checks.isEmpty() && failures().isEmpty();
  }

  public List<SlsaCheck> failures() {
    List<SlsaCheck> out = new ArrayList<>();
    for (SlsaCheck c : checks) {
      if (!c.passed()) {
        out.add(c);
      }
    }
    return out;
  }

  /** This report followed by {@code other}'s checks. */
  public SlsaReport and(SlsaReport other) {
    List<SlsaCheck> all = new ArrayList<>(checks);
    all.addAll(other.checks);
    return new SlsaReport(all);
  }
}
