package dev.sigil.attestations;

import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {

  private static AttestationException refuse(byte[] json) {
    return assertThrows(AttestationException.class, () -> StrictJson.parse(json, 1 << 20));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate top-level key | {\"a\":1,\"a\":2}                 | DUPLICATE_KEY  | /a",
        "duplicate nested key    | {\"a\":{\"b\":[{\"c\":1,\"c\":1}]}} | DUPLICATE_KEY  | /a/b/0/c",
        "trailing content        | {} {}                             | MALFORMED_JSON | ''",
        "trailing garbage        | {}x                               | MALFORMED_JSON | ''",
        "comment                 | {/*c*/}                           | MALFORMED_JSON | ''",
        "NaN                     | {\"a\":NaN}                        | MALFORMED_JSON | /a",
        "leading zero            | {\"a\":01}                         | MALFORMED_JSON | /a",
        "single quotes           | {'a':1}                           | MALFORMED_JSON | ''",
        "unquoted key            | {a:1}                             | MALFORMED_JSON | ''",
        "raw control character   | {\"a\":\"\u0001\"}                 | MALFORMED_JSON | /a",
        "empty document          | '   '                             | MALFORMED_JSON | ''",
        "truncated               | {\"a\":[1,                         | MALFORMED_JSON | /a/1",
      })
  void refusesMalformedJson(String name, String json, Reason reason, String pointer) {
    AttestationException e = refuse(utf8(json));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(pointer, e.pointer(), e.getMessage());
  }

  @Test
  void duplicateKeyMessageNamesTheKey() {
    AttestationException e = refuse(utf8("{\"x\":{\"dup\":1,\"dup\":2}}"));
    assertTrue(e.getMessage().contains("/x/dup"), e.getMessage());
    assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
  }

  @Test
  void refusesInvalidUtf8() {
    byte[][] cases = {
      {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, // overlong '/'
      {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // encoded surrogate
      {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'}, // truncated sequence
      {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, // never valid
    };
    for (byte[] c : cases) {
      AttestationException e = refuse(c);
      assertEquals(Reason.MALFORMED_JSON, e.reason());
      assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
  }

  @Test
  void refusesUnpairedSurrogateEscapes() throws Exception {
    AttestationException e = refuse(utf8("{\"a\":[\"x\\ud800y\"]}"));
    assertEquals(Reason.MALFORMED_JSON, e.reason());
    assertEquals("/a/0", e.pointer());
    assertEquals(Reason.MALFORMED_JSON, refuse(utf8("{\"\\udc00\":1}")).reason());
    assertEquals(Reason.MALFORMED_JSON, refuse(utf8("{\"a\":\"\\ud83d\"}")).reason());
    assertEquals("🚀", StrictJson.parse(utf8("{\"a\":\"\\ud83d\\ude80\"}"), 100).get("a").textValue());
  }

  @Test
  void refusesByteOrderMarkAndNul() {
    assertTrue(refuse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}).getMessage().contains("byte-order"));
    // "{}" in UTF-16LE: Jackson would detect the encoding and read an empty object; Go and JS would not.
    assertTrue(refuse("{}".getBytes(StandardCharsets.UTF_16LE)).getMessage().contains("NUL"));
  }

  @Test
  void refusesOversizeBeforeParsing() {
    byte[] big = new byte[101];
    AttestationException e = assertThrows(AttestationException.class, () -> StrictJson.parse(big, 100));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("at most 100 bytes"), e.getMessage());
  }

  @Test
  void refusesNestingDeeperThanTheBound() throws Exception {
    String ok = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
    StrictJson.parse(utf8(ok), 1 << 20);
    String deep = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);
    assertEquals(Reason.MALFORMED_JSON, refuse(utf8(deep)).reason());
    String veryDeep = "[".repeat(100_000);
    assertEquals(Reason.MALFORMED_JSON, refuse(utf8(veryDeep)).reason());
  }

  @Test
  void refusesOverlongNumbers() {
    assertEquals(Reason.MALFORMED_JSON, refuse(utf8("{\"a\":" + "9".repeat(1001) + "}")).reason());
  }

  @Test
  void refusesExponentsBeyondIntRange() {
    AttestationException e = refuse(utf8("{\"a\":[0e4555555555555555555555555555555555555555555]}"));
    assertEquals(Reason.MALFORMED_JSON, e.reason());
    assertEquals("/a/0", e.pointer());
  }

  @Test
  void keepsNumbersExactlyAndWritesThemBack() throws Exception {
    String json = "{\"f\":0.1000,\"big\":123456789012345678901234567890,\"l\":9007199254740993,\"e\":1E+400}";
    JsonNode n = StrictJson.parse(utf8(json), 1 << 20);
    assertEquals(new BigDecimal("0.1000"), n.get("f").decimalValue());
    assertEquals("9007199254740993", n.get("l").asText());
    assertEquals(json, new String(StrictJson.write(n), StandardCharsets.UTF_8));
  }

  @Test
  void writesCompactUtf8InInsertionOrderWithoutEscapingNonAscii() throws Exception {
    String json = "{\"z\":\"Grüße 🚀\",\"a\":[true,false,null,\"\\\"\\\\\\n\"],\"m\":{}}";
    JsonNode n = StrictJson.parse(utf8(json), 1 << 20);
    byte[] out = StrictJson.write(n);
    assertArrayEquals(utf8(json), out);
  }

  @Test
  void rootMustBeAnObjectWhereAnObjectIsExpected() {
    AttestationException e =
        assertThrows(AttestationException.class, () -> StrictJson.parseObject(utf8("[1]"), 100));
    assertEquals(Reason.WRONG_TYPE, e.reason());
    assertEquals("expected a JSON object, found an array", e.getMessage());
  }

  @Test
  void base64Flavours() throws Exception {
    byte[] data = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x01};
    assertArrayEquals(data, StrictJson.decodeBase64("+/+/AQ==", ""));
    assertArrayEquals(data, StrictJson.decodeBase64("-_-_AQ==", ""));
    assertArrayEquals(data, StrictJson.decodeBase64("+/+/AQ", ""));
    assertArrayEquals(data, StrictJson.decodeBase64("-_-_AQ", ""));
    assertArrayEquals(new byte[0], StrictJson.decodeBase64("", ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mixed alphabets          | +/-_AQ==",
        "whitespace               | aGVs bG8=",
        "line break               | 'aGVs\nbG8='",
        "non-base64 character     | aGVs*G8=",
        "padding in the middle    | aG=sbG8=",
        "too much padding         | aGVsbG8===",
        "incomplete quantum       | aGVsb",
        "padded but not quantum   | aGVsbG8=A",
        "non-zero trailing bits   | aGVsbG9=",
        "unpadded trailing bits   | aGVsbG9",
      })
  void refusesNonCanonicalBase64(String name, String value) {
    AttestationException e =
        assertThrows(AttestationException.class, () -> StrictJson.decodeBase64(value, "/payload"));
    assertEquals(Reason.INVALID_BASE64, e.reason());
    assertEquals("/payload", e.pointer());
    assertTrue(e.getMessage().startsWith("/payload: expected "), e.getMessage());
  }

  @Test
  void pointersEscapeTildeAndSlash() {
    assertEquals("/a~1b/c~0d/3", StrictJson.pointer(StrictJson.pointer(StrictJson.pointer("", "a/b"), "c~d"), 3));
  }

  @Test
  void quoteEscapesAndShortens() {
    assertEquals("\"a\\\"b\\u0001\"", StrictJson.quote("a\"b\u0001"));
    assertEquals(122, StrictJson.quote("x".repeat(500)).length());
  }
}
