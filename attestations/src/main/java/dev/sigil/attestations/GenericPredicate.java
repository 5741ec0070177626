package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A predicate Sigil does not type (SPDX, CycloneDX, vulnerability scans, OpenVEX, SLSA VSA, custom ones): its type URI
 * and its JSON, which may be a {@code MissingNode} (no predicate) or, in a v0.1 statement, any JSON value.
 */
public record GenericPredicate(String predicateType, JsonNode body) implements Predicate {
  public GenericPredicate {
    Objects.requireNonNull(predicateType, "predicateType");
    body = body == null ? MissingNode.getInstance() : body.deepCopy();
  }

  /** A copy of the predicate JSON. */
  @Override
  public JsonNode body() {
    return body.deepCopy();
  }

  /** The well-known name of the predicate type (e.g. "SPDX document"), if Sigil knows it. */
  public Optional<String> knownName() {
    return PredicateTypes.describe(predicateType);
  }
}
