package dev.sigil.attestations.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates statements and SLSA provenance against the JSON Schemas shipped with this module (draft 2020-12, as
 * resources beside this class; each names its sources in {@code $comment}):
 *
 * <ul>
 *   <li>{@value #STATEMENT_SCHEMA_ID}: in-toto Statement v1 (and v0.1), with DigestSet and ResourceDescriptor rules;
 *   <li>{@value #SLSA_PROVENANCE_V1_SCHEMA_ID}: the SLSA provenance v1 predicate.
 * </ul>
 *
 * <p>Formats ({@code uri}, {@code date-time}) are asserted, not just annotated. Schemas are loaded from the class path
 * once, on first use, and never fetched: remote references are disabled and the ids use the reserved {@code .invalid}
 * host. Every violation is reported with a JSON pointer from the statement root, what was expected and what was found.
 *
 * <p>{@link #validate(Statement)} goes on, when the schemas pass, to the typed parse of SLSA v1 and v0.2 predicates
 * ({@link Statement#typedPredicate()}: timestamps as instants, digest lengths, canonical base64), reported as
 * keyword {@code typed}. Thread-safe.
 *
 * <p>The validator is networknt json-schema-validator 3, which is built on Jackson 3 ({@code tools.jackson}); that
 * dependency stays inside this class. networknt logs through SLF4J: an application without an SLF4J provider gets
 * SLF4J's one-line "no providers" notice on stderr when this class is first used, so front ends should bundle one
 * (e.g. {@code slf4j-nop}).
 */
public final class SchemaValidator {
  /** The id of the in-toto statement schema. */
  public static final String STATEMENT_SCHEMA_ID = "https://schemas.sigil.invalid/in-toto/statement-v1.schema.json";
  /** The id of the SLSA provenance v1 predicate schema. */
  public static final String SLSA_PROVENANCE_V1_SCHEMA_ID =
      "https://schemas.sigil.invalid/slsa/provenance-v1.schema.json";

  private SchemaValidator() {}

  /** Loaded on first use; immutable afterwards. */
  private static final class Loaded {
    /** Reads what StrictJson has already accepted: the same depth, number and string bounds, so nothing it let in fails. */
    static final JsonMapper MAPPER =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(StrictJson.MAX_DEPTH + 1)
                            .maxNumberLength(1000)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .build();
    static final Schema STATEMENT;
    static final Schema SLSA_V1;

    static {
      Map<String, String> sources =
          Map.of(
              STATEMENT_SCHEMA_ID, resource("in-toto-statement-v1.schema.json"),
              SLSA_PROVENANCE_V1_SCHEMA_ID, resource("slsa-provenance-v1.schema.json"));
      SchemaRegistryConfig config =
          SchemaRegistryConfig.builder()
              .formatAssertionsEnabled(true)
              .pathType(PathType.JSON_POINTER)
              .typeLoose(false)
              .build();
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_2020_12,
              b -> b.schemaRegistryConfig(config).schemas(sources).schemaLoader(l -> l.fetchRemoteResources(false)));
      STATEMENT = registry.getSchema(SchemaLocation.of(STATEMENT_SCHEMA_ID));
      SLSA_V1 = registry.getSchema(SchemaLocation.of(SLSA_PROVENANCE_V1_SCHEMA_ID));
      STATEMENT.initializeValidators();
      SLSA_V1.initializeValidators();
    }

    private static String resource(String name) {
      try (InputStream in = SchemaValidator.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("schema resource missing from the class path: " + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("reading schema resource " + name, e);
      }
    }
  }

  /**
   * Validates {@code statement}: the in-toto statement schema on the whole document; if its predicate type is SLSA
   * provenance v1, that schema on the predicate; and if no schema was violated and the predicate is SLSA v1 or v0.2,
   * the typed parse.
   */
  public static ValidationResult validate(Statement statement) {
    JsonNode root;
    try {
      root = Loaded.MAPPER.readTree(statement.payload());
    } catch (JacksonException e) {
      return unreadable(STATEMENT_SCHEMA_ID, e);
    }
    List<String> applied = new ArrayList<>();
    List<Violation> out = new ArrayList<>();
    applied.add(STATEMENT_SCHEMA_ID);
    out.addAll(convert(Loaded.STATEMENT.validate(root), ""));
    boolean slsaV1 = PredicateTypes.SLSA_PROVENANCE_V1.equals(statement.predicateType());
    if (slsaV1) {
      applied.add(SLSA_PROVENANCE_V1_SCHEMA_ID);
      out.addAll(convert(Loaded.SLSA_V1.validate(root.path("predicate")), "/predicate"));
    }
    boolean typed = slsaV1 || PredicateTypes.SLSA_PROVENANCE_V02.equals(statement.predicateType());
    if (out.isEmpty() && typed) {
      try {
        statement.typedPredicate();
      } catch (AttestationException e) {
        out.add(typedViolation(e));
      }
    }
    return new ValidationResult(applied, out);
  }

  /** Validates a SLSA provenance v1 predicate on its own; pointers are relative to the predicate. */
  public static ValidationResult validateSlsaProvenanceV1(com.fasterxml.jackson.databind.JsonNode predicate) {
    JsonNode node;
    try {
      node = Loaded.MAPPER.readTree(StrictJson.write(predicate));
    } catch (JacksonException e) {
      return unreadable(SLSA_PROVENANCE_V1_SCHEMA_ID, e);
    }
    List<Violation> out = new ArrayList<>(convert(Loaded.SLSA_V1.validate(node), ""));
    if (out.isEmpty()) {
      try {
        dev.sigil.attestations.SlsaProvenanceV1.parse(predicate);
      } catch (AttestationException e) {
        out.add(typedViolation(e));
      }
    }
    return new ValidationResult(List.of(SLSA_PROVENANCE_V1_SCHEMA_ID), out);
  }

  /** StrictJson accepted what the schema library's parser refuses: reported, never thrown (should not happen). */
  private static ValidationResult unreadable(String schema, JacksonException e) {
    return new ValidationResult(
        List.of(schema), List.of(new Violation("", "json", "JSON the schema validator can read", e.getOriginalMessage())));
  }

  private static Violation typedViolation(AttestationException e) {
    String msg = e.getMessage();
    String prefix = e.pointer().isEmpty() ? "" : e.pointer() + ": ";
    String rest = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    int found = rest.lastIndexOf(", found ");
    if (rest.startsWith("expected ") && found > 0) {
      return new Violation(e.pointer(), "typed", rest.substring(9, found), rest.substring(found + 8));
    }
    return new Violation(e.pointer(), "typed", "a valid value", rest);
  }

  private static List<Violation> convert(List<Error> errors, String base) {
    Set<Violation> out = new LinkedHashSet<>();
    List<Error> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparing(e -> e.getInstanceLocation().toString()));
    Map<String, List<Error>> anyOfGroups = new LinkedHashMap<>();
    for (Error e : sorted) {
      String eval = e.getEvaluationPath().toString();
      int at = eval.lastIndexOf("/anyOf/");
      if (at >= 0) {
        String key = e.getInstanceLocation() + "|" + eval.substring(0, at);
        anyOfGroups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        continue;
      }
      out.add(convert(e, base));
    }
    for (List<Error> group : anyOfGroups.values()) {
      out.add(anyOf(group, base));
    }
    List<Violation> list = new ArrayList<>(out);
    list.sort(Comparator.comparing(Violation::pointer));
    return list;
  }

  /**
   * networknt reports a failed anyOf as the failures of each branch; they become one violation. When every branch
   * failed by a missing field (a ResourceDescriptor without uri, digest or content), it names the fields.
   */
  private static Violation anyOf(List<Error> branches, String base) {
    String pointer = base + branches.get(0).getInstanceLocation().toString();
    List<String> fields = new ArrayList<>();
    for (Error e : branches) {
      if (!"required".equals(e.getKeyword()) || e.getProperty() == null) {
        List<String> each = new ArrayList<>();
        for (Error b : branches) {
          each.add(convert(b, base).message());
        }
        return new Violation(pointer, "anyOf", "one of the allowed alternatives", String.join("; ", each));
      }
      fields.add("\"" + e.getProperty() + "\"");
    }
    return new Violation(pointer, "anyOf", "at least one of the fields " + String.join(", ", fields), "none of them");
  }

  private static Violation convert(Error e, String base) {
    String pointer = base + e.getInstanceLocation().toString();
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    JsonNode instance = e.getInstanceNode();
    JsonNode rule = e.getSchemaNode();
    switch (keyword) {
      case "required":
        String property = e.getProperty() != null ? e.getProperty() : String.valueOf(argument(e, 0));
        return new Violation(StrictJson.pointer(pointer, property), keyword, "field \"" + property + "\"", "none");
      case "type":
        return new Violation(pointer, keyword, typeNames(rule), describe(instance));
      case "format":
        return new Violation(pointer, keyword, formatName(rule), describe(instance));
      case "pattern":
        return new Violation(pointer, keyword, patternName(rule), describe(instance));
      case "const":
        return new Violation(pointer, keyword, rule == null ? "a fixed value" : rule.toString(), describe(instance));
      case "enum":
        return new Violation(pointer, keyword, "one of " + (rule == null ? "the allowed values" : rule), describe(instance));
      case "minItems":
        return new Violation(pointer, keyword, "at least " + ruleInt(rule) + " item(s)", countOf(instance, "item"));
      case "minProperties":
        return new Violation(pointer, keyword, "at least " + ruleInt(rule) + " field(s)", countOf(instance, "field"));
      case "minLength":
        return new Violation(pointer, keyword, "at least " + ruleInt(rule) + " character(s)", describe(instance));
      default:
        return new Violation(pointer, keyword, e.getMessage(), describe(instance));
    }
  }

  private static Object argument(Error e, int i) {
    Object[] args = e.getArguments();
    return args != null && args.length > i ? args[i] : "?";
  }

  private static String ruleInt(JsonNode rule) {
    return rule == null ? "?" : rule.asString();
  }

  private static String typeNames(JsonNode rule) {
    if (rule == null) {
      return "another type";
    }
    if (rule.isArray()) {
      List<String> names = new ArrayList<>();
      rule.forEach(t -> names.add(article(t.asString())));
      return String.join(" or ", names);
    }
    return article(rule.asString());
  }

  private static String article(String type) {
    switch (type) {
      case "object":
      case "array":
      case "integer":
        return "an " + type;
      case "null":
        return "null";
      default:
        return "a " + type;
    }
  }

  private static String formatName(JsonNode rule) {
    String f = rule == null ? "" : rule.asString();
    switch (f) {
      case "uri":
        return "an absolute URI (RFC 3986, with a scheme)";
      case "date-time":
        return "an RFC 3339 date-time";
      default:
        return "format " + f;
    }
  }

  /** The patterns of the shipped schemas in words; others are quoted. */
  private static String patternName(JsonNode rule) {
    String p = rule == null ? "" : rule.asString();
    if (p.startsWith("^[0-9]{4}-")) {
      return "an RFC 3339 timestamp in UTC, like 2025-01-31T12:00:00Z";
    }
    if (p.startsWith("^([a-f0-9]{40}|[a-f0-9]{64})$")) {
      return "lowercase hex of 40 or 64 characters";
    }
    if (p.startsWith("^[a-f0-9]{") && p.endsWith("}$")) {
      return "lowercase hex of " + p.substring(10, p.length() - 2) + " characters";
    }
    if (p.startsWith("^([A-Za-z0-9+/]*")) {
      return "base64";
    }
    return "a string matching " + p;
  }

  private static String countOf(JsonNode n, String unit) {
    if (n == null) {
      return "none";
    }
    int size = n.size();
    return size + " " + unit + (size == 1 ? "" : "s");
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "none";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isString()) {
      return "a string (" + StrictJson.quote(n.asString()) + ")";
    }
    if (n.isNumber()) {
      return "a number (" + n.toString() + ")";
    }
    if (n.isBoolean()) {
      return "a boolean (" + n.asBoolean() + ")";
    }
    if (n.isNull()) {
      return "null";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
