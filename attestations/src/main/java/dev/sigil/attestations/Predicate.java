package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A statement's predicate as a value: SLSA provenance v1 or v0.2 typed, anything else untyped JSON. Obtained with
 * {@link Statement#typedPredicate()} or {@link #of(String, JsonNode)}.
 */
public sealed interface Predicate permits SlsaProvenanceV1, SlsaProvenanceV02, GenericPredicate {

  /** The predicate type URI. */
  String predicateType();

  /**
   * The typed predicate for {@code predicateType}: {@link SlsaProvenanceV1} for {@value
   * PredicateTypes#SLSA_PROVENANCE_V1}, {@link SlsaProvenanceV02} for {@value PredicateTypes#SLSA_PROVENANCE_V02},
   * otherwise {@link GenericPredicate}. Error pointers are relative to the predicate.
   *
   * @throws AttestationException if a SLSA predicate does not have the shape its specification requires
   */
  static Predicate of(String predicateType, JsonNode predicate) throws AttestationException {
    return of(predicateType, predicate, "");
  }

  /** As {@link #of(String, JsonNode)}, with error pointers under {@code base} (e.g. {@code /predicate}). */
  static Predicate of(String predicateType, JsonNode predicate, String base) throws AttestationException {
    switch (predicateType) {
      case PredicateTypes.SLSA_PROVENANCE_V1:
        return SlsaProvenanceV1.parse(predicate, base);
      case PredicateTypes.SLSA_PROVENANCE_V02:
        return SlsaProvenanceV02.parse(predicate, base);
      default:
        return new GenericPredicate(predicateType, predicate);
    }
  }
}
