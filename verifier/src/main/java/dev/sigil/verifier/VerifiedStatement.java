package dev.sigil.verifier;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The in-toto Statement a verified DSSE envelope carries. Its bytes are exactly what was signed; the rest is read
 * from them (the attestations module gives the full typed view of the predicate).
 *
 * @param payloadType the DSSE payload type ({@code application/vnd.in-toto+json})
 * @param payload the statement, exactly as signed
 * @param statementType {@code _type}, e.g. {@code https://in-toto.io/Statement/v1}
 * @param predicateType {@code predicateType}, empty if absent
 * @param subjects the statement's subjects
 */
public record VerifiedStatement(
    String payloadType, byte[] payload, String statementType, String predicateType, List<Subject> subjects) {

  /** One subject: a name and its digests, algorithm name to lowercase hex. */
  public record Subject(String name, Map<String, String> digest) {
    public Subject {
      Objects.requireNonNull(name, "name");
      digest = Map.copyOf(digest);
    }
  }

  public VerifiedStatement {
    Objects.requireNonNull(payloadType, "payloadType");
    payload = payload.clone();
    Objects.requireNonNull(statementType, "statementType");
    Objects.requireNonNull(predicateType, "predicateType");
    subjects = List.copyOf(subjects);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
