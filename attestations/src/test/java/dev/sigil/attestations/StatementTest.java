package dev.sigil.attestations;

import static dev.sigil.attestations.Fixtures.statementJson;
import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatementTest {
  private static final String SHA256 = "ab".repeat(32);
  private static final String SHA512 = "cd".repeat(64);

  private static String subject(String digestJson) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"f\",\"digest\":"
        + digestJson
        + "}],\"predicateType\":\"https://example.com/p\",\"predicate\":{}}";
  }

  static List<Arguments> rejected() {
    String v1 = "https://in-toto.io/Statement/v1";
    return List.of(
        Arguments.of("_type of a future version", statementJson("x:y", "{}").replace(v1, "https://in-toto.io/Statement/v2"),
            Reason.UNSUPPORTED_STATEMENT_TYPE, "/_type"),
        Arguments.of("_type lookalike", statementJson("x:y", "{}").replace(v1, "https://in-toto.io/Statement/v1/"),
            Reason.UNSUPPORTED_STATEMENT_TYPE, "/_type"),
        Arguments.of("_type missing", "{\"subject\":[],\"predicateType\":\"x:y\"}", Reason.MISSING_FIELD, "/_type"),
        Arguments.of("_type a number", "{\"_type\":1}", Reason.WRONG_TYPE, "/_type"),
        Arguments.of("subject missing", "{\"_type\":\"" + v1 + "\",\"predicateType\":\"x:y\"}", Reason.MISSING_FIELD,
            "/subject"),
        Arguments.of("subject null", "{\"_type\":\"" + v1 + "\",\"subject\":null}", Reason.MISSING_FIELD, "/subject"),
        Arguments.of("subject an object", "{\"_type\":\"" + v1 + "\",\"subject\":{}}", Reason.WRONG_TYPE, "/subject"),
        Arguments.of("subject empty", "{\"_type\":\"" + v1 + "\",\"subject\":[]}", Reason.INVALID_VALUE, "/subject"),
        Arguments.of("subject a string", "{\"_type\":\"" + v1 + "\",\"subject\":[\"f\"]}", Reason.WRONG_TYPE,
            "/subject/0"),
        Arguments.of("digest missing", "{\"_type\":\"" + v1 + "\",\"subject\":[{\"name\":\"f\"}]}",
            Reason.MISSING_FIELD, "/subject/0/digest"),
        Arguments.of("digest empty", subject("{}"), Reason.INVALID_VALUE, "/subject/0/digest"),
        Arguments.of("digest an array", subject("[]"), Reason.WRONG_TYPE, "/subject/0/digest"),
        Arguments.of("digest value a number", subject("{\"sha256\":1}"), Reason.WRONG_TYPE, "/subject/0/digest/sha256"),
        Arguments.of("sha256 uppercase hex", subject("{\"sha256\":\"" + SHA256.toUpperCase() + "\"}"),
            Reason.INVALID_DIGEST, "/subject/0/digest/sha256"),
        Arguments.of("sha256 too short", subject("{\"sha256\":\"abcd\"}"), Reason.INVALID_DIGEST,
            "/subject/0/digest/sha256"),
        Arguments.of("sha256 with sha512 length", subject("{\"sha256\":\"" + SHA512 + "\"}"), Reason.INVALID_DIGEST,
            "/subject/0/digest/sha256"),
        Arguments.of("sha512 not hex", subject("{\"sha512\":\"" + "zz".repeat(64) + "\"}"), Reason.INVALID_DIGEST,
            "/subject/0/digest/sha512"),
        Arguments.of("gitCommit 41 digits", subject("{\"gitCommit\":\"" + "a".repeat(41) + "\"}"),
            Reason.INVALID_DIGEST, "/subject/0/digest/gitCommit"),
        Arguments.of("empty digest value", subject("{\"arn\":\"\"}"), Reason.INVALID_DIGEST, "/subject/0/digest/arn"),
        Arguments.of("name a number", subject("{\"sha256\":\"" + SHA256 + "\"}").replace("\"name\":\"f\"", "\"name\":7"),
            Reason.WRONG_TYPE, "/subject/0/name"),
        Arguments.of("predicateType missing", statementJson("x:y", null).replace(",\"predicateType\":\"x:y\"", ""),
            Reason.MISSING_FIELD, "/predicateType"),
        Arguments.of("predicateType empty", statementJson("", "{}"), Reason.INVALID_VALUE, "/predicateType"),
        Arguments.of("v1 predicate an array", statementJson("x:y", "[]"), Reason.WRONG_TYPE, "/predicate"),
        Arguments.of("v1 predicate a string", statementJson("x:y", "\"sbom\""), Reason.WRONG_TYPE, "/predicate"),
        Arguments.of("duplicate predicateType", statementJson("x:y", null).replace("\"predicateType\"",
            "\"predicateType\":\"z:z\",\"predicateType\""), Reason.DUPLICATE_KEY, "/predicateType"),
        Arguments.of("duplicate key inside the predicate", statementJson("x:y", "{\"k\":1,\"k\":2}"),
            Reason.DUPLICATE_KEY, "/predicate/k"),
        Arguments.of("root an array", "[]", Reason.WRONG_TYPE, ""),
        Arguments.of("not JSON", "hello", Reason.MALFORMED_JSON, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String name, String json, Reason reason, String pointer) {
    AttestationException e = assertThrows(AttestationException.class, () -> Statement.parse(utf8(json)));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(pointer, e.pointer(), e.getMessage());
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void rejectionMessagesSayExpectedAndFound() {
    AttestationException e =
        assertThrows(AttestationException.class, () -> Statement.parse(utf8(subject("{\"sha256\":\"ABCD\"}"))));
    assertEquals("/subject/0/digest/sha256: expected lowercase hex for sha256, found \"ABCD\"", e.getMessage());
    e = assertThrows(AttestationException.class, () -> Statement.parse(utf8(subject("{\"sha512\":\"abcd\"}"))));
    assertEquals("/subject/0/digest/sha512: expected 128 hex digits for sha512, found 4", e.getMessage());
  }

  @Test
  void rejectsOversizeStatements() {
    byte[] big = new byte[Statement.MAX_PAYLOAD_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    AttestationException e = assertThrows(AttestationException.class, () -> Statement.parse(big));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void readsAV1Statement() throws Exception {
    String json =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"pkg:npm/x@1\",\"digest\":{\"sha512\":\""
            + SHA512
            + "\",\"gitCommit\":\""
            + "0".repeat(40)
            + "\"}},{\"digest\":{\"arn\":\"arn:aws:ec2:region:123:image/ami-123\"}}],"
            + "\"predicateType\":\"https://example.com/p/v1\",\"predicate\":{\"k\":[1,2]},\"vendor_ext\":{\"a\":true}}";
    Statement s = Statement.parse(utf8(json));
    assertTrue(s.isV1());
    assertEquals(Statement.TYPE_V1, s.type());
    assertEquals(2, s.subjects().size());
    assertEquals("pkg:npm/x@1", s.subjects().get(0).name());
    assertEquals("", s.subjects().get(1).name());
    assertEquals(SHA512, s.subjects().get(0).digest().get(DigestAlgorithm.SHA512).orElseThrow());
    assertEquals("arn:aws:ec2:region:123:image/ami-123", s.subjects().get(1).digest().get("arn").orElseThrow());
    assertEquals("https://example.com/p/v1", s.predicateType());
    assertEquals(2, s.predicate().get("k").size());
    assertEquals(Map.of("vendor_ext", s.extensionFields().get("vendor_ext")), s.extensionFields());
    assertArrayEquals(utf8(json), s.payload());
    assertEquals(EnumSet.of(DigestAlgorithm.SHA512), s.subjectAlgorithms());
  }

  @Test
  void readsAV01StatementWhosePredicateIsAString() throws Exception {
    String json =
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://spdx.dev/Document\","
            + "\"subject\":[{\"name\":\"f\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\"}}],\"predicate\":\"SPDXVersion: SPDX-2.3\"}";
    Statement s = Statement.parse(utf8(json));
    assertFalse(s.isV1());
    assertTrue(s.predicate().isTextual());
    assertTrue(s.typedPredicate() instanceof GenericPredicate);
  }

  @Test
  void predicateMayBeAbsentOrNull() throws Exception {
    assertTrue(Statement.parse(utf8(statementJson("x:y", null))).predicate().isMissingNode());
    assertTrue(Statement.parse(utf8(statementJson("x:y", "null"))).predicate().isMissingNode());
  }

  @Test
  void predicateAccessorReturnsACopy() throws Exception {
    Statement s = Statement.parse(utf8(statementJson("x:y", "{\"k\":1}")));
    ((com.fasterxml.jackson.databind.node.ObjectNode) s.predicate()).put("k", 2);
    assertEquals(1, s.predicate().get("k").intValue());
    byte[] p = s.payload();
    p[0] = 'X';
    assertEquals('{', s.payload()[0]);
  }

  @Test
  void keepsTheExactPayloadBytes() throws Exception {
    String spaced = "  {\"predicateType\" : \"x:y\", \"subject\":[{\"digest\":{\"sha256\":\"" + SHA256
        + "\"}}], \"_type\":\"https://in-toto.io/Statement/v1\"}\n";
    Statement s = Statement.parse(utf8(spaced));
    assertEquals(spaced, new String(s.payload(), StandardCharsets.UTF_8));
    assertEquals(s, Statement.parse(utf8(spaced)));
    assertNotEquals(s, Statement.parse(utf8(spaced.trim())));
  }

  @Test
  void builderWritesSpecOrderAndRoundTrips() throws Exception {
    JsonNode predicate = StrictJson.parse(utf8("{\"note\":\"Grüße 🚀\"}"), 100);
    Statement s =
        Statement.builder()
            .subject("f.txt", DigestSet.of(DigestAlgorithm.SHA256, SHA256.toUpperCase()))
            .subject("g", new DigestSet(Map.of("sha512", SHA512, "sha256", SHA256)))
            .predicateType("https://slsa.dev/provenance/v1")
            .predicate(predicate)
            .build();
    String expected =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"f.txt\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\"}},{\"name\":\"g\",\"digest\":{\"sha256\":\""
            + SHA256
            + "\",\"sha512\":\""
            + SHA512
            + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"note\":\"Grüße 🚀\"}}";
    assertEquals(expected, new String(s.payload(), StandardCharsets.UTF_8));
    assertEquals(s, Statement.parse(s.payload()));
  }

  @Test
  void builderRefusesIncompleteStatementsAndNonObjectPredicates() {
    assertThrows(IllegalStateException.class, () -> Statement.builder().predicateType("x:y").build());
    assertThrows(
        IllegalStateException.class,
        () -> Statement.builder().subject("a", DigestSet.of(DigestAlgorithm.SHA256, SHA256)).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Statement.builder().predicate(StrictJson.parse(utf8("[1]"), 10)));
    AttestationException e =
        assertThrows(AttestationException.class, () -> Statement.builder().predicate(utf8("{\"a\":1,\"a\":1}")));
    assertEquals(Reason.DUPLICATE_KEY, e.reason());
  }

  // --- subject matching -------------------------------------------------------------------------------------------

  private static DigestSet d(String... kv) {
    Map<String, String> m = new java.util.TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new DigestSet(m);
  }

  static List<Arguments> matching() {
    String s256 = SHA256;
    String other256 = "ef".repeat(32);
    return List.of(
        Arguments.of("same sha256", d("sha256", s256), d("sha256", s256), true),
        Arguments.of("sha256, artifact hex given uppercase", d("sha256", s256),
            DigestSet.of(DigestAlgorithm.SHA256, s256.toUpperCase()), true),
        Arguments.of("different sha256", d("sha256", s256), d("sha256", other256), false),
        Arguments.of("sha512 subject, sha256 artifact", d("sha512", SHA512), d("sha256", s256), false),
        Arguments.of("same value under another algorithm", d("sha512", SHA512), d("sha384", SHA512.substring(0, 96)),
            false),
        Arguments.of("sha512 among others", d("sha512", SHA512, "gitCommit", "0".repeat(40)),
            d("sha256", s256, "sha512", SHA512), true),
        Arguments.of("gitCommit never matches", d("gitCommit", "0".repeat(40)), d("gitCommit", "0".repeat(40)), false),
        Arguments.of("sha1 never matches", d("sha1", "0".repeat(40)), d("sha1", "0".repeat(40)), false),
        Arguments.of("unknown algorithm never matches", d("arn", "x"), d("arn", "x"), false),
        Arguments.of("agree on sha256, disagree on sha512", d("sha256", s256, "sha512", SHA512),
            d("sha256", s256, "sha512", "00".repeat(64)), false),
        Arguments.of("artifact digest of the wrong length", d("sha256", s256), d("sha256x", s256), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matching")
  void subjectMatching(String name, DigestSet subject, DigestSet artifact, boolean matches) {
    assertEquals(matches, new Subject("s", subject).matches(artifact));
  }

  @Test
  void subjectsMatchingKeepsDocumentOrder() throws Exception {
    String json =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":["
            + "{\"name\":\"a\",\"digest\":{\"sha256\":\"" + SHA256 + "\"}},"
            + "{\"name\":\"b\",\"digest\":{\"sha384\":\"" + "12".repeat(48) + "\"}},"
            + "{\"name\":\"c\",\"digest\":{\"sha256\":\"" + SHA256 + "\"}}],\"predicateType\":\"x:y\"}";
    Statement s = Statement.parse(utf8(json));
    assertEquals(EnumSet.of(DigestAlgorithm.SHA256, DigestAlgorithm.SHA384), s.subjectAlgorithms());
    List<Subject> m = s.subjectsMatching(Digests.of(new byte[0], Set.of(DigestAlgorithm.SHA256)));
    assertTrue(m.isEmpty());
    m = s.subjectsMatching(d("sha256", SHA256));
    assertEquals(List.of("a", "c"), m.stream().map(Subject::name).toList());
  }

  @Test
  void parsesArtifactDigests() throws Exception {
    assertEquals(d("sha512", SHA512), DigestSet.parseArtifactDigest("sha512:" + SHA512.toUpperCase()));
    assertEquals(d("sha384", "12".repeat(48)), DigestSet.parseArtifactDigest("sha384:" + "12".repeat(48)));
    for (String bad :
        new String[] {"sha256", "sha256:", "sha1:" + "0".repeat(40), "md5:00", "sha256:" + SHA512, "SHA256:" + SHA256,
          "sha256:" + "g".repeat(64), SHA256}) {
      AttestationException e = assertThrows(AttestationException.class, () -> DigestSet.parseArtifactDigest(bad));
      assertEquals(Reason.INVALID_DIGEST, e.reason(), bad);
    }
  }

  @Test
  void digestSetConstructorChecksKnownAlgorithms() {
    assertThrows(IllegalArgumentException.class, () -> DigestSet.of("sha256", "ab"));
    assertThrows(IllegalArgumentException.class, () -> DigestSet.of("", "ab"));
    assertThrows(IllegalArgumentException.class, () -> new Subject("x", DigestSet.EMPTY));
    assertEquals("dirHash:" + SHA256, DigestSet.of("dirHash", SHA256).toString());
    assertEquals("gitCommit:" + SHA256, DigestSet.of("gitCommit", SHA256).toString());
  }
}
