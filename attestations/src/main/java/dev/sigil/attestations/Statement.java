package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An in-toto Statement (in-toto attestation spec v1, {@code spec/v1/statement.md}; v0.1 statements are read too): the
 * subjects an attestation is about, the predicate type and the predicate, together with the exact bytes it was parsed
 * from ({@link #payload()}, what a DSSE signature covers). Immutable and thread-safe.
 *
 * <p>{@link #parse} is strict: at most {@link #MAX_PAYLOAD_BYTES}, UTF-8 JSON as {@link StrictJson} reads it (duplicate
 * keys refused), {@code _type} exactly {@value #TYPE_V1} or {@value #TYPE_V01}, at least one subject, each with a
 * non-empty DigestSet whose known hex algorithms are lowercase hex of the right length ({@link DigestSet}), a non-empty
 * {@code predicateType}. In a v1 statement the predicate, if present, must be an object; a v0.1 statement may carry
 * any JSON value (cosign's {@code attest --type spdx} writes the SBOM as a JSON string). Unknown top-level fields are
 * kept ({@link #extensionFields()}), not refused: the spec's parsing rules say consumers MUST ignore unrecognized
 * fields, and they stay covered by the signature through the payload bytes.
 *
 * <p>Parsing checks shape only. Whether the payload was signed, and by whom, is the verifier's business; the schema
 * checks of {@code schema.SchemaValidator} go further (URIs, the SLSA predicate).
 */
public final class Statement {
  /** The v1 statement type. */
  public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";
  /** The v0.1 statement type (read, never written). */
  public static final String TYPE_V01 = "https://in-toto.io/Statement/v0.1";
  /** The DSSE payload type of an in-toto statement in JSON. */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  /** The largest statement accepted, in bytes (16 MiB: SBOMs of large images reach a few MiB). */
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

  private final byte[] payload;
  private final String type;
  private final List<Subject> subjects;
  private final String predicateType;
  private final JsonNode predicate;
  private final Map<String, JsonNode> extensionFields;

  private Statement(
      byte[] payload,
      String type,
      List<Subject> subjects,
      String predicateType,
      JsonNode predicate,
      Map<String, JsonNode> extensionFields) {
    this.payload = payload;
    this.type = type;
    this.subjects = subjects;
    this.predicateType = predicateType;
    this.predicate = predicate;
    this.extensionFields = extensionFields;
  }

  /** Parses a statement from the exact bytes that were (or will be) signed. The bytes are copied. */
  public static Statement parse(byte[] payload) throws AttestationException {
    byte[] bytes = payload.clone();
    ObjectNode root = StrictJson.parseObject(bytes, MAX_PAYLOAD_BYTES);
    String type = Fields.requireString(root, "_type", "");
    if (!TYPE_V1.equals(type) && !TYPE_V01.equals(type)) {
      throw new AttestationException(
          Reason.UNSUPPORTED_STATEMENT_TYPE,
          "/_type",
          "/_type: expected " + TYPE_V1 + " or " + TYPE_V01 + ", found " + StrictJson.quote(type));
    }
    JsonNode subjectNode = root.get("subject");
    if (subjectNode == null || subjectNode.isNull()) {
      throw AttestationException.missing("/subject", "an array of subjects");
    }
    if (!subjectNode.isArray()) {
      throw AttestationException.wrongType("/subject", "an array of subjects", subjectNode);
    }
    if (subjectNode.isEmpty()) {
      throw AttestationException.invalid("/subject", "at least one subject", "an empty array");
    }
    List<Subject> subjects = new ArrayList<>(subjectNode.size());
    for (int i = 0; i < subjectNode.size(); i++) {
      String p = StrictJson.pointer("/subject", i);
      ObjectNode s = Fields.requireObject(subjectNode.get(i), p, "a subject object");
      String name = Fields.optionalString(s, "name", p).orElse("");
      DigestSet digest = Fields.digestSet(s.get("digest"), StrictJson.pointer(p, "digest"), true);
      subjects.add(new Subject(name, digest));
    }
    String predicateType = Fields.requireNonEmptyString(root, "predicateType", "");
    JsonNode predicate = root.get("predicate");
    if (predicate == null || predicate.isNull()) {
      predicate = MissingNode.getInstance();
    } else if (TYPE_V1.equals(type) && !predicate.isObject()) {
      throw AttestationException.wrongType("/predicate", "an object (in-toto Statement v1)", predicate);
    }
    Map<String, JsonNode> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      switch (e.getKey()) {
        case "_type":
        case "subject":
        case "predicateType":
        case "predicate":
          break;
        default:
          extensions.put(e.getKey(), e.getValue());
      }
    }
    return new Statement(
        bytes,
        type,
        Collections.unmodifiableList(subjects),
        predicateType,
        predicate,
        Collections.unmodifiableMap(extensions));
  }

  /** A builder of in-toto Statement v1 documents. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@value #TYPE_V1} or {@value #TYPE_V01}. */
  public String type() {
    return type;
  }

  /** Whether this is an in-toto Statement v1 (rather than v0.1). */
  public boolean isV1() {
    return TYPE_V1.equals(type);
  }

  /** The subjects, in document order; never empty. */
  public List<Subject> subjects() {
    return subjects;
  }

  /** The predicate type URI as written (no normalisation). */
  public String predicateType() {
    return predicateType;
  }

  /**
   * A copy of the predicate, or a {@code MissingNode} if the statement has none (in-toto v1: unset is treated as
   * set-but-empty). Callers may modify the copy.
   */
  public JsonNode predicate() {
    return predicate.deepCopy();
  }

  /** The top-level fields other than {@code _type}, {@code subject}, {@code predicateType}, {@code predicate}. */
  public Map<String, JsonNode> extensionFields() {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    extensionFields.forEach((k, v) -> copy.put(k, v.deepCopy()));
    return Collections.unmodifiableMap(copy);
  }

  /** A copy of the exact bytes this statement was parsed from. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The typed predicate: SLSA provenance v1 or v0.2 when the predicate type says so, otherwise untyped JSON. */
  public Predicate typedPredicate() throws AttestationException {
    return Predicate.of(predicateType, predicate, "/predicate");
  }

  /**
   * The SHA-2 algorithms that any subject names, i.e. what an artifact must be hashed with to be matched against this
   * statement (see {@link Digests#of(java.io.InputStream, Set)}). Empty if no subject has a SHA-2 digest, in which
   * case no artifact can match.
   */
  public Set<DigestAlgorithm> subjectAlgorithms() {
    EnumSet<DigestAlgorithm> s = EnumSet.noneOf(DigestAlgorithm.class);
    for (Subject subject : subjects) {
      s.addAll(subject.digest().matchableAlgorithms());
    }
    return s;
  }

  /** The subjects that name the artifact with these digests (see {@link DigestSet#matches}), in document order. */
  public List<Subject> subjectsMatching(DigestSet artifact) {
    List<Subject> out = new ArrayList<>();
    for (Subject s : subjects) {
      if (s.matches(artifact)) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Equal when the payload bytes are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Statement && Arrays.equals(payload, ((Statement) o).payload);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Statement[_type=" + type + ", predicateType=" + predicateType + ", subjects=" + subjects.size() + "]";
  }

  /**
   * Builds an in-toto Statement v1. {@link #build()} serialises it compactly in UTF-8 with the fields in spec order
   * ({@code _type}, {@code subject}, {@code predicateType}, {@code predicate}) and parses the result, so a built
   * statement is exactly what {@link Statement#parse} would read from its payload.
   */
  public static final class Builder {
    private final List<Subject> subjects = new ArrayList<>();
    private String predicateType;
    private JsonNode predicate;

    private Builder() {}

    public Builder subject(String name, DigestSet digest) {
      subjects.add(new Subject(name, digest));
      return this;
    }

    public Builder subjects(List<Subject> all) {
      subjects.addAll(all);
      return this;
    }

    public Builder predicateType(String uri) {
      this.predicateType = Objects.requireNonNull(uri, "predicateType");
      return this;
    }

    /** The predicate object (copied). */
    public Builder predicate(JsonNode object) {
      if (!object.isObject()) {
        throw new IllegalArgumentException("an in-toto v1 predicate is a JSON object, found " + StrictJson.describe(object));
      }
      this.predicate = object.deepCopy();
      return this;
    }

    /** The predicate from JSON bytes (for example a {@code --predicate} file), parsed by {@link StrictJson}. */
    public Builder predicate(byte[] json) throws AttestationException {
      this.predicate = StrictJson.parseObject(json, MAX_PAYLOAD_BYTES);
      return this;
    }

    /**
     * The statement.
     *
     * @throws IllegalStateException if there is no subject or no predicate type
     * @throws AttestationException if the result is not a valid statement (for example over the size bound)
     */
    public Statement build() throws AttestationException {
      if (subjects.isEmpty()) {
        throw new IllegalStateException("a statement needs at least one subject");
      }
      if (predicateType == null || predicateType.isEmpty()) {
        throw new IllegalStateException("a statement needs a predicate type");
      }
      ObjectNode root = StrictJson.newObject();
      root.put("_type", TYPE_V1);
      ArrayNode subj = root.putArray("subject");
      for (Subject s : subjects) {
        ObjectNode o = subj.addObject();
        if (!s.name().isEmpty()) {
          o.put("name", s.name());
        }
        ObjectNode d = o.putObject("digest");
        s.digest().entries().forEach(d::put);
      }
      root.put("predicateType", predicateType);
      if (predicate != null) {
        root.set("predicate", predicate.deepCopy());
      }
      return parse(StrictJson.write(root));
    }
  }
}
