package dev.sigil.attestations.schema;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import java.util.List;

/**
 * The outcome of {@link SchemaValidator}: which schemas were applied and every violation found (in document order).
 * Valid only when at least one schema was applied and nothing was found.
 */
public record ValidationResult(List<String> schemasApplied, List<Violation> violations) {
  public ValidationResult {
    schemasApplied = List.copyOf(schemasApplied);
    violations = List.copyOf(violations);
  }

  public boolean isValid() {
    return !schemasApplied.isEmpty() && violations.isEmpty();
  }

  /**
   * Returns normally if valid.
   *
   * @throws AttestationException ({@link Reason#SCHEMA_VIOLATION}, pointing at the first violation, its message
   *     listing up to ten) otherwise
   */
  public void requireValid() throws AttestationException {
    if (isValid()) {
      return;
    }
    if (violations.isEmpty()) {
      throw new AttestationException(Reason.SCHEMA_VIOLATION, "", "no schema was applied");
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < violations.size() && i < 10; i++) {
      b.append(i == 0 ? "" : "; ").append(violations.get(i).message());
    }
    if (violations.size() > 10) {
      b.append("; and ").append(violations.size() - 10).append(" more");
    }
    throw new AttestationException(Reason.SCHEMA_VIOLATION, violations.get(0).pointer(), b.toString());
  }
}
