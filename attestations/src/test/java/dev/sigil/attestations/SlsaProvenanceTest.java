package dev.sigil.attestations;

import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlsaProvenanceTest {

  @Test
  void readsNpmProvenanceV1() throws Exception {
    Statement s = Fixtures.statement("corpus/sigstore.js-2.0.0-provenance.sigstore.json");
    assertEquals(Statement.TYPE_V1, s.type());
    assertEquals("pkg:npm/sigstore@2.0.0", s.subjects().get(0).name());
    SlsaProvenanceV1 p = assertInstanceOf(SlsaProvenanceV1.class, s.typedPredicate());
    assertEquals(
        "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1", p.buildDefinition().buildType());
    assertEquals(
        "https://github.com/sigstore/sigstore-js",
        p.buildDefinition().externalParameters().get("workflow").get("repository").textValue());
    assertEquals("495574555", p.buildDefinition().internalParameters().at("/github/repository_id").textValue());
    ResourceDescriptor dep = p.buildDefinition().resolvedDependencies().get(0);
    assertEquals(Optional.of("git+https://github.com/sigstore/sigstore-js@refs/heads/main"), dep.uri());
    assertEquals(Optional.of("f0b49a04e5a62250e0f60fb128004a73110fe311"), dep.digest().get("gitCommit"));
    assertEquals("https://github.com/actions/runner/github-hosted", p.runDetails().builder().id());
    assertEquals(
        Optional.of("https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/1"),
        p.runDetails().metadata().invocationId());
    assertTrue(p.runDetails().metadata().startedOn().isEmpty());
    // Written back by Sigil, the predicate is the same JSON as npm's.
    assertEquals(s.predicate(), p.toJson());
    // The artifact as shared/acceptance/attestations.sh gives it (npm-sha512-digest): a sha512 digest matches.
    DigestSet artifact =
        DigestSet.parseArtifactDigest(
            "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c");
    assertEquals(s.subjects(), s.subjectsMatching(artifact));
    assertEquals(java.util.Set.of(DigestAlgorithm.SHA512), s.subjectAlgorithms());
    assertTrue(s.subjectsMatching(DigestSet.parseArtifactDigest("sha256:" + "46".repeat(32))).isEmpty());
  }

  @Test
  void readsNpmProvenanceV02() throws Exception {
    Statement s = Fixtures.statement("corpus/sigstore.js-1.3.0-provenance-v02.sigstore.json");
    assertEquals(Statement.TYPE_V01, s.type());
    SlsaProvenanceV02 p = assertInstanceOf(SlsaProvenanceV02.class, s.typedPredicate());
    assertEquals("https://github.com/actions/runner", p.builder().id());
    assertEquals("https://github.com/npm/cli/gha/v2", p.buildType());
    SlsaProvenanceV02.ConfigSource cs = p.invocation().configSource().orElseThrow();
    assertEquals(Optional.of("git+https://github.com/sigstore/sigstore-js@refs/heads/main"), cs.uri());
    assertEquals(Optional.of(".github/workflows/release.yml"), cs.entryPoint());
    assertEquals(Optional.of("dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1"), cs.digest().get("sha1"));
    assertEquals("push", p.invocation().environment().get("GITHUB_EVENT_NAME").textValue());
    assertEquals(Optional.of("4735384265-1"), p.metadata().buildInvocationId());
    assertFalse(p.metadata().reproducible());
    assertEquals(new SlsaProvenanceV02.Completeness(false, false, false), p.metadata().completeness());
    assertEquals(1, p.materials().size());
  }

  @Test
  void readsCosignsV02SpellingOfBuildInvocationId() throws Exception {
    Statement s = Fixtures.statement("cosign/slsaprovenance02.sigstore.json");
    SlsaProvenanceV02 p = assertInstanceOf(SlsaProvenanceV02.class, s.typedPredicate());
    assertEquals(Optional.of("42-1"), p.metadata().buildInvocationId());
    assertEquals(Optional.of(Instant.parse("2026-01-02T03:04:05Z")), p.metadata().buildStartedOn());
    assertTrue(p.metadata().completeness().parameters());
  }

  private static final String GOOD_V1 =
      "{\"buildDefinition\":{\"buildType\":\"https://example.com/bt\",\"externalParameters\":{}},"
          + "\"runDetails\":{\"builder\":{\"id\":\"https://builder.example/b\"}}}";

  private static String v1(String from, String to) {
    assertTrue(GOOD_V1.contains(from), from);
    return GOOD_V1.replace(from, to);
  }

  static List<Arguments> rejectedV1() {
    return List.of(
        Arguments.of("not an object", "[]", Reason.WRONG_TYPE, ""),
        Arguments.of("buildDefinition missing", v1("\"buildDefinition\":", "\"x\":"), Reason.MISSING_FIELD, "/buildDefinition"),
        Arguments.of("buildType missing", v1("\"buildType\"", "\"x\""), Reason.MISSING_FIELD, "/buildDefinition/buildType"),
        Arguments.of("buildType not a URI", v1("https://example.com/bt", "bt"), Reason.INVALID_VALUE, "/buildDefinition/buildType"),
        Arguments.of("buildType a number", v1("\"https://example.com/bt\"", "1"), Reason.WRONG_TYPE, "/buildDefinition/buildType"),
        Arguments.of("externalParameters missing", v1(",\"externalParameters\":{}", ""), Reason.MISSING_FIELD,
            "/buildDefinition/externalParameters"),
        Arguments.of("externalParameters an array", v1("\"externalParameters\":{}", "\"externalParameters\":[]"),
            Reason.WRONG_TYPE, "/buildDefinition/externalParameters"),
        Arguments.of("internalParameters a string", v1("{}}", "{},\"internalParameters\":\"x\"}"), Reason.WRONG_TYPE,
            "/buildDefinition/internalParameters"),
        Arguments.of("dependency without uri, digest, content", v1("{}}", "{},\"resolvedDependencies\":[{\"name\":\"n\"}]}"),
            Reason.MISSING_FIELD, "/buildDefinition/resolvedDependencies/0"),
        Arguments.of("dependency digest bad", v1("{}}", "{},\"resolvedDependencies\":[{\"digest\":{\"gitCommit\":\"xyz\"}}]}"),
            Reason.INVALID_DIGEST, "/buildDefinition/resolvedDependencies/0/digest/gitCommit"),
        Arguments.of("dependency content not base64", v1("{}}", "{},\"resolvedDependencies\":[{\"content\":\"%\"}]}"),
            Reason.INVALID_BASE64, "/buildDefinition/resolvedDependencies/0/content"),
        Arguments.of("runDetails missing", v1(",\"runDetails\":{\"builder\":{\"id\":\"https://builder.example/b\"}}", ""),
            Reason.MISSING_FIELD, "/runDetails"),
        Arguments.of("builder id missing", v1("\"id\":\"https://builder.example/b\"", "\"x\":1"), Reason.MISSING_FIELD,
            "/runDetails/builder/id"),
        Arguments.of("builder id relative", v1("https://builder.example/b", "/b"), Reason.INVALID_VALUE, "/runDetails/builder/id"),
        Arguments.of("builder id not a URI", v1("https://builder.example/b", "https://exa mple.com/"), Reason.INVALID_VALUE,
            "/runDetails/builder/id"),
        Arguments.of("version value a number", v1("\"id\":\"https://builder.example/b\"", "\"id\":\"https://builder.example/b\",\"version\":{\"v\":1}"),
            Reason.WRONG_TYPE, "/runDetails/builder/version/v"),
        Arguments.of("startedOn with an offset", v1("}}}", "},\"metadata\":{\"startedOn\":\"2026-01-01T00:00:00+01:00\"}}}"),
            Reason.INVALID_VALUE, "/runDetails/metadata/startedOn"),
        Arguments.of("finishedOn not a date", v1("}}}", "},\"metadata\":{\"finishedOn\":\"2026-02-30T00:00:00Z\"}}}"),
            Reason.INVALID_VALUE, "/runDetails/metadata/finishedOn"),
        Arguments.of("finishedOn date only", v1("}}}", "},\"metadata\":{\"finishedOn\":\"2026-02-01\"}}}"),
            Reason.INVALID_VALUE, "/runDetails/metadata/finishedOn"),
        Arguments.of("invocationId a number", v1("}}}", "},\"metadata\":{\"invocationId\":412}}}"), Reason.WRONG_TYPE,
            "/runDetails/metadata/invocationId"),
        Arguments.of("byproducts an object", v1("}}}", "},\"byproducts\":{}}}"), Reason.WRONG_TYPE, "/runDetails/byproducts"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedV1")
  void rejectsMalformedV1(String name, String predicate, Reason reason, String pointer) throws Exception {
    JsonNode node = StrictJson.parse(utf8(predicate), 1 << 20);
    AttestationException e = assertThrows(AttestationException.class, () -> SlsaProvenanceV1.parse(node));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(pointer, e.pointer(), e.getMessage());
    // Inside a statement the pointers are under /predicate.
    Statement s = Statement.parse(utf8(Fixtures.statementJson(PredicateTypes.SLSA_PROVENANCE_V1, node.isObject() ? predicate : "{}")));
    if (node.isObject()) {
      AttestationException inStatement = assertThrows(AttestationException.class, s::typedPredicate);
      assertEquals("/predicate" + pointer, inStatement.pointer());
    }
  }

  @Test
  void readsEveryV1Field() throws Exception {
    String json =
        "{\"buildDefinition\":{\"buildType\":\"https://example.com/bt\",\"externalParameters\":{\"a\":{\"b\":[1]}},"
            + "\"internalParameters\":{\"i\":true},\"resolvedDependencies\":[{\"name\":\"src\",\"uri\":\"git+https://h/o/r@refs/heads/m\","
            + "\"digest\":{\"gitCommit\":\"" + "a".repeat(40) + "\"},\"content\":\"aGk=\",\"downloadLocation\":\"https://h/d\","
            + "\"mediaType\":\"text/plain\",\"annotations\":{\"x\":null},\"vendor_ext\":1}],\"vendor_ext\":2},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\",\"version\":{\"b\":\"1.0\",\"a\":\"2\"},"
            + "\"builderDependencies\":[{\"uri\":\"https://example.com/tool\"}]},\"metadata\":{\"invocationId\":\"inv\","
            + "\"startedOn\":\"2026-01-02T03:04:05.123456789Z\",\"finishedOn\":\"2026-01-02t03:04:06z\"},"
            + "\"byproducts\":[{\"name\":\"log\",\"digest\":{\"sha256\":\"" + "b".repeat(64) + "\"}}]}}";
    SlsaProvenanceV1 p = SlsaProvenanceV1.parse(StrictJson.parse(utf8(json), 1 << 20));
    ResourceDescriptor d = p.buildDefinition().resolvedDependencies().get(0);
    assertEquals(Optional.of("src"), d.name());
    assertEquals("hi", new String(d.contentBytes().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Optional.of("https://h/d"), d.downloadLocation());
    assertEquals(Optional.of("text/plain"), d.mediaType());
    assertTrue(d.annotations().get("x").isNull());
    assertEquals(Map.of("a", "2", "b", "1.0"), p.runDetails().builder().version());
    assertEquals(Optional.of("https://example.com/tool"), p.runDetails().builder().builderDependencies().get(0).uri());
    assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z"), p.runDetails().metadata().startedOn().orElseThrow());
    assertEquals(Instant.parse("2026-01-02T03:04:06Z"), p.runDetails().metadata().finishedOn().orElseThrow());
    assertEquals("log", p.runDetails().byproducts().get(0).name().orElseThrow());
    assertTrue(p.buildDefinition().internalParameters().get("i").booleanValue());
    // Round trip through toJson keeps every modelled field (extension fields are not modelled).
    SlsaProvenanceV1 again = SlsaProvenanceV1.parse(p.toJson());
    assertEquals(p.buildDefinition().resolvedDependencies(), again.buildDefinition().resolvedDependencies());
    assertEquals(p.runDetails().builder(), again.runDetails().builder());
    assertEquals(p.runDetails().byproducts(), again.runDetails().byproducts());
  }

  @Test
  void parameterObjectsAreCopiedInAndOut() throws Exception {
    SlsaProvenanceV1 p = SlsaProvenanceV1.parse(StrictJson.parse(utf8(GOOD_V1), 1000));
    p.buildDefinition().externalParameters().put("added", true);
    assertFalse(p.buildDefinition().externalParameters().has("added"));
  }

  static List<Arguments> rejectedV02() {
    String good = "{\"builder\":{\"id\":\"https://example.com/b\"},\"buildType\":\"https://example.com/bt\"}";
    return List.of(
        Arguments.of("builder missing", "{\"buildType\":\"https://example.com/bt\"}", Reason.MISSING_FIELD, "/builder"),
        Arguments.of("builder id not a URI", good.replace("https://example.com/b\"", "b\""), Reason.INVALID_VALUE, "/builder/id"),
        Arguments.of("buildType missing", "{\"builder\":{\"id\":\"https://example.com/b\"}}", Reason.MISSING_FIELD, "/buildType"),
        Arguments.of("material digest bad", good.substring(0, good.length() - 1) + ",\"materials\":[{\"digest\":{\"sha1\":\"1\"}}]}",
            Reason.INVALID_DIGEST, "/materials/0/digest/sha1"),
        Arguments.of("reproducible a string", good.substring(0, good.length() - 1) + ",\"metadata\":{\"reproducible\":\"no\"}}",
            Reason.WRONG_TYPE, "/metadata/reproducible"),
        Arguments.of("buildStartedOn bad", good.substring(0, good.length() - 1) + ",\"metadata\":{\"buildStartedOn\":\"yesterday\"}}",
            Reason.INVALID_VALUE, "/metadata/buildStartedOn"),
        Arguments.of("both invocation id spellings",
            good.substring(0, good.length() - 1) + ",\"metadata\":{\"buildInvocationId\":\"a\",\"buildInvocationID\":\"b\"}}",
            Reason.INVALID_VALUE, "/metadata/buildInvocationID"),
        Arguments.of("configSource a string", good.substring(0, good.length() - 1) + ",\"invocation\":{\"configSource\":\"x\"}}",
            Reason.WRONG_TYPE, "/invocation/configSource"),
        Arguments.of("environment an array", good.substring(0, good.length() - 1) + ",\"invocation\":{\"environment\":[]}}",
            Reason.WRONG_TYPE, "/invocation/environment"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedV02")
  void rejectsMalformedV02(String name, String predicate, Reason reason, String pointer) throws Exception {
    JsonNode node = StrictJson.parse(utf8(predicate), 1 << 20);
    AttestationException e = assertThrows(AttestationException.class, () -> SlsaProvenanceV02.parse(node));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(pointer, e.pointer(), e.getMessage());
  }

  @Test
  void v02NullsReadAsUnset() throws Exception {
    String json =
        "{\"builder\":{\"id\":\"https://example.com/b\"},\"buildType\":\"https://example.com/bt\",\"invocation\":null,"
            + "\"buildConfig\":null,\"metadata\":{\"buildInvocationId\":null,\"completeness\":null},\"materials\":null}";
    SlsaProvenanceV02 p = SlsaProvenanceV02.parse(StrictJson.parse(utf8(json), 1000));
    assertTrue(p.invocation().configSource().isEmpty());
    assertTrue(p.buildConfig().isEmpty());
    assertTrue(p.metadata().buildInvocationId().isEmpty());
    assertTrue(p.materials().isEmpty());
  }

  @Test
  void otherPredicatesStayUntyped() throws Exception {
    Statement s = Fixtures.statement("corpus/sigstore.js-1.3.0-publish.sigstore.json");
    GenericPredicate g = assertInstanceOf(GenericPredicate.class, s.typedPredicate());
    assertEquals("https://github.com/npm/attestation/tree/main/specs/publish/v0.1", g.predicateType());
    assertEquals("sigstore", g.body().get("name").textValue());
    assertEquals(Optional.empty(), g.knownName());
  }
}
