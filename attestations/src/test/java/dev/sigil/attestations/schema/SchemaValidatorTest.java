package dev.sigil.attestations.schema;

import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import dev.sigil.attestations.Fixtures;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaValidatorTest {
  private static final String GOOD =
      "{\"buildDefinition\":{\"buildType\":\"https://example.com/bt\",\"externalParameters\":{},"
          + "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/o/r@refs/heads/main\",\"digest\":{\"gitCommit\":\""
          + "a".repeat(40)
          + "\"}}]},\"runDetails\":{\"builder\":{\"id\":\"https://builder.example/b\"},\"metadata\":{\"invocationId\":\"1\","
          + "\"startedOn\":\"2026-01-02T03:04:05Z\",\"finishedOn\":\"2026-01-02T03:04:06.5Z\"}}}";

  private static ValidationResult validate(String predicate) throws AttestationException {
    return SchemaValidator.validate(
        Statement.parse(utf8(Fixtures.statementJson(PredicateTypes.SLSA_PROVENANCE_V1, predicate))));
  }

  @Test
  void goodProvenanceIsValid() throws Exception {
    ValidationResult r = validate(GOOD);
    assertTrue(r.isValid(), r.violations().toString());
    assertEquals(List.of(SchemaValidator.STATEMENT_SCHEMA_ID, SchemaValidator.SLSA_PROVENANCE_V1_SCHEMA_ID), r.schemasApplied());
    r.requireValid();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "corpus/sigstore.js-2.0.0-provenance.sigstore.json",
        "corpus/sigstore.js-1.3.0-provenance-v02.sigstore.json",
        "corpus/sigstore.js-1.3.0-publish.sigstore.json",
        "corpus/dsse-2sigs.sigstore.json",
        "cosign/slsaprovenance1.sigstore.json",
        "cosign/slsaprovenance02.sigstore.json",
        "cosign/spdx.sigstore.json",
        "cosign/vuln.sigstore.json",
        "cosign/custom.sigstore.json",
      })
  void realStatementsAreValid(String bundle) throws Exception {
    ValidationResult r = SchemaValidator.validate(Fixtures.statement(bundle));
    assertTrue(r.isValid(), r.violations().toString());
  }

  private static String at(String from, String to) {
    assertTrue(GOOD.contains(from), from);
    return GOOD.replace(from, to);
  }

  static List<Arguments> violations() {
    return List.of(
        Arguments.of("buildType not a URI", at("https://example.com/bt", "bt"),
            "/predicate/buildDefinition/buildType", "format", "an absolute URI (RFC 3986, with a scheme)", "a string (\"bt\")"),
        Arguments.of("buildType missing", at("\"buildType\":\"https://example.com/bt\",", ""),
            "/predicate/buildDefinition/buildType", "required", "field \"buildType\"", "none"),
        Arguments.of("externalParameters a string", at("\"externalParameters\":{}", "\"externalParameters\":\"x\""),
            "/predicate/buildDefinition/externalParameters", "type", "an object", "a string (\"x\")"),
        Arguments.of("builder id missing", at("\"id\":\"https://builder.example/b\"", "\"name\":\"b\""),
            "/predicate/runDetails/builder/id", "required", "field \"id\"", "none"),
        Arguments.of("builder id a number", at("\"https://builder.example/b\"", "42"),
            "/predicate/runDetails/builder/id", "type", "a string", "a number (42)"),
        Arguments.of("startedOn with offset", at("03:04:05Z", "03:04:05+02:00"),
            "/predicate/runDetails/metadata/startedOn", "pattern", "an RFC 3339 timestamp in UTC, like 2025-01-31T12:00:00Z",
            "a string (\"2026-01-02T03:04:05+02:00\")"),
        Arguments.of("finishedOn not a date-time", at("2026-01-02T03:04:06.5Z", "2026-13-02T03:04:06Z"),
            "/predicate/runDetails/metadata/finishedOn", "format", "an RFC 3339 date-time", "a string (\"2026-13-02T03:04:06Z\")"),
        Arguments.of("gitCommit wrong length", at("a".repeat(40), "a".repeat(39)),
            "/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit", "pattern",
            "lowercase hex of 40 or 64 characters", "a string (\"" + "a".repeat(39) + "\")"),
        Arguments.of("dependency uri relative", at("git+https://github.com/o/r@refs/heads/main", "o/r"),
            "/predicate/buildDefinition/resolvedDependencies/0/uri", "format", "an absolute URI (RFC 3986, with a scheme)",
            "a string (\"o/r\")"),
        Arguments.of("dependency with nothing", at("{\"uri\":\"git+https://github.com/o/r@refs/heads/main\",\"digest\":{\"gitCommit\":\"" + "a".repeat(40) + "\"}}", "{\"name\":\"n\"}"),
            "/predicate/buildDefinition/resolvedDependencies/0", "anyOf",
            "at least one of the fields \"uri\", \"digest\", \"content\"", "none of them"),
        Arguments.of("version value not a string", at("\"id\":\"https://builder.example/b\"", "\"id\":\"https://builder.example/b\",\"version\":{\"x\":true}"),
            "/predicate/runDetails/builder/version/x", "type", "a string", "a boolean (true)"),
        Arguments.of("runDetails missing", at(",\"runDetails\":{\"builder\":{\"id\":\"https://builder.example/b\"},\"metadata\":{\"invocationId\":\"1\","
            + "\"startedOn\":\"2026-01-02T03:04:05Z\",\"finishedOn\":\"2026-01-02T03:04:06.5Z\"}}", ""),
            "/predicate/runDetails", "required", "field \"runDetails\"", "none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void pointsAtTheField(String name, String predicate, String pointer, String keyword, String expected, String found)
      throws Exception {
    ValidationResult r = validate(predicate);
    assertFalse(r.isValid());
    assertEquals(List.of(new Violation(pointer, keyword, expected, found)), r.violations());
    AttestationException e = assertThrows(AttestationException.class, r::requireValid);
    assertEquals(Reason.SCHEMA_VIOLATION, e.reason());
    assertEquals(pointer, e.pointer());
    assertEquals(pointer + ": expected " + expected + ", found " + found, e.getMessage());
  }

  @Test
  void statementSchemaViolations() throws Exception {
    String json =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"uri\":\"not a uri\",\"digest\":"
            + "{\"sha256\":\"" + "ab".repeat(32) + "\"}}],\"predicateType\":\"not-a-uri\",\"predicate\":{}}";
    ValidationResult r = SchemaValidator.validate(Statement.parse(utf8(json)));
    assertEquals(
        List.of(
            new Violation("/predicateType", "format", "an absolute URI (RFC 3986, with a scheme)", "a string (\"not-a-uri\")"),
            new Violation("/subject/0/uri", "format", "an absolute URI (RFC 3986, with a scheme)", "a string (\"not a uri\")")),
        r.violations());
    assertEquals(List.of(SchemaValidator.STATEMENT_SCHEMA_ID), r.schemasApplied());
  }

  @Test
  void reportsEveryViolationInPointerOrder() throws Exception {
    ValidationResult r = validate(at("https://example.com/bt", "bt").replace("\"https://builder.example/b\"", "1"));
    assertEquals(
        List.of("/predicate/buildDefinition/buildType", "/predicate/runDetails/builder/id"),
        r.violations().stream().map(Violation::pointer).toList());
  }

  @Test
  void typedChecksRunWhenTheSchemasPass() throws Exception {
    // SLSA v0.2 has no shipped schema: the statement schema passes and the typed parse finds the bad timestamp.
    String v02 =
        "{\"builder\":{\"id\":\"https://example.com/b\"},\"buildType\":\"https://example.com/bt\","
            + "\"metadata\":{\"buildStartedOn\":\"2026-01-02T03:04:05+01:00\"}}";
    ValidationResult r =
        SchemaValidator.validate(Statement.parse(utf8(Fixtures.statementJson(PredicateTypes.SLSA_PROVENANCE_V02, v02))));
    assertEquals(1, r.violations().size(), r.violations().toString());
    Violation v = r.violations().get(0);
    assertEquals("/predicate/metadata/buildStartedOn", v.pointer());
    assertEquals("typed", v.keyword());
    assertEquals("an RFC 3339 UTC timestamp like 2025-01-31T12:00:00Z", v.expected());
  }

  @Test
  void validatesAPredicateOnItsOwn() throws Exception {
    assertTrue(SchemaValidator.validateSlsaProvenanceV1(StrictJson.parse(utf8(GOOD), 1 << 20)).isValid());
    ValidationResult r = SchemaValidator.validateSlsaProvenanceV1(StrictJson.parse(utf8(at("https://example.com/bt", "bt")), 1 << 20));
    assertEquals("/buildDefinition/buildType", r.violations().get(0).pointer());
  }

  @Test
  void gitLabsOwnIntegerInvocationIdViolatesTheSchema() throws Exception {
    ValidationResult r = validate(at("\"invocationId\":\"1\"", "\"invocationId\":412"));
    assertEquals(
        List.of(new Violation("/predicate/runDetails/metadata/invocationId", "type", "a string", "a number (412)")),
        r.violations());
  }
}
