package dev.sigil.policy;

import dev.sigil.attestations.slsa.SlsaExpectations;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An attestation an authority must have made: of this predicate type, and satisfying the SLSA shorthand (the same
 * checks as {@code verify-blob-attestation --source-uri/--source-ref/--builder-id}) and every CEL condition. One
 * attestation must satisfy all of them.
 *
 * @param name the requirement's name, for reports
 * @param predicateType the predicate type URI (short names resolved at load)
 */
public record AttestationRequirement(
    String name, String predicateType, Optional<SlsaExpectations> slsa, List<Condition> conditions) {
  public AttestationRequirement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(predicateType, "predicateType");
    Objects.requireNonNull(slsa, "slsa");
    conditions = List.copyOf(conditions);
  }
}
