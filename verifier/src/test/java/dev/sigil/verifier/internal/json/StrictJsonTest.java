package dev.sigil.verifier.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one JSON reader is strict UTF-8 and reads int64 only in protobuf JSON's form, for every format. */
class StrictJsonTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  /** {"a":"<bytes>"} */
  private static byte[] stringWith(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(raw);
    out.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String refused(byte[] json) {
    return assertThrows(JsonProcessingException.class, () -> JsonNode.parse(json)).getOriginalMessage();
  }

  @Test
  void validUtf8OfEveryLengthIsRead() throws Exception {
    String text = "a\u00e9\u20ac\ud83d\ude00"; // 1-, 2-, 3- and 4-byte sequences
    assertEquals(text, JsonNode.parse(stringWith(text.getBytes(StandardCharsets.UTF_8))).get("a").textValue());
    assertEquals("\ud83d\ude00", JsonNode.parse("{\"a\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.US_ASCII)).get("a").textValue());
    assertEquals("\uffff\u0000", JsonNode.parse(stringWith(bytes(0xEF, 0xBF, 0xBF, '\\', 'u', '0', '0', '0', '0'))).get("a").textValue());
  }

  @Test
  void byteOrderMarkIsRefused() {
    byte[] json = "\ufeff{}".getBytes(StandardCharsets.UTF_8);
    assertTrue(refused(json).contains("byte-order mark"));
  }

  @Test
  void overlongFormsAreRefused() {
    assertTrue(refused(stringWith(bytes(0xC0, 0xAF))).contains("overlong"), "2-byte '/'");
    assertTrue(refused(stringWith(bytes(0xC1, 0xBF))).contains("overlong"));
    assertTrue(refused(stringWith(bytes(0xE0, 0x80, 0xAF))).contains("overlong"), "3-byte '/'");
    assertTrue(refused(stringWith(bytes(0xF0, 0x80, 0x80, 0xAF))).contains("overlong"), "4-byte '/'");
    // an overlong quote must not end the string early either
    assertTrue(refused(bytes('{', '"', 'a', '"', ':', '"', 0xC0, 0xA2, '"', '}')).contains("overlong"));
  }

  @Test
  void invalidSequencesAreRefused() {
    assertTrue(refused(stringWith(bytes(0xED, 0xA0, 0x80))).contains("encoded surrogate"), "U+D800 as UTF-8");
    assertTrue(refused(stringWith(bytes(0xF4, 0x90, 0x80, 0x80))).contains("invalid continuation"), "above U+10FFFF");
    assertTrue(refused(stringWith(bytes(0xFF))).contains("starts no UTF-8 sequence"));
    assertTrue(refused(stringWith(bytes(0x80))).contains("starts no UTF-8 sequence"), "lone continuation byte");
    assertTrue(refused(stringWith(bytes(0xE2, 0x82))).contains("invalid continuation"), "truncated inside the string");
    assertTrue(refused(bytes('{', '}', 0xE2, 0x82)).contains("truncated"), "truncated at the end");
    assertTrue(refused(bytes('{', '}', ' ', 0xC3, 0x28)).contains("invalid continuation"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\ud800", "\\udc00", "x\\ud800y", "\\ud800\\ud800", "\\udc00\\ud800", "\\ud83d"})
  void unpairedSurrogateEscapesAreRefused(String escaped) {
    assertTrue(refused(("{\"a\":\"" + escaped + "\"}").getBytes(StandardCharsets.US_ASCII)).contains("unpaired surrogate"));
    // In a name, jackson-core 2.22 refuses some itself ("Broken surrogate pair in field name"); this reader the rest.
    String inName = refused(("{\"" + escaped + "\":1}").getBytes(StandardCharsets.US_ASCII));
    assertTrue(inName.toLowerCase(java.util.Locale.ROOT).contains("surrogate"), inName);
  }

  private static long int64(String jsonValue) throws Exception {
    JsonNode n = JsonNode.parse(("{\"v\":" + jsonValue + "}").getBytes(StandardCharsets.UTF_8));
    return JsonValue.root(n, JsonValue.Dialect.BUNDLE).required("v").int64();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "5", "-5", "\"5\"", "\"-5\"", "\"0\"", "9223372036854775807", "-9223372036854775808",
      "\"9223372036854775807\"", "\"-9223372036854775808\""})
  void int64InProtobufJsonForm(String v) throws Exception {
    long expected = Long.parseLong(v.replace("\"", ""));
    assertEquals(expected, int64(v));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"+5\"", "\"05\"", "\"-05\"", "\"00\"", "\"5.0\"", "\"5e0\"", "\"\"", "\"-\"", "\" 5\"",
      "\"5 \"", "\"9223372036854775808\"", "\"-9223372036854775809\"", "9223372036854775808", "5.0", "5e0", "-0.0",
      "1E3", "true", "\"0x10\"", "\"\u0665\""})
  void int64OtherwiseIsRefused(String v) {
    JsonFormatException e = assertThrows(JsonFormatException.class, () -> int64(v));
    assertTrue(e.getMessage().startsWith("$.v: expected a 64-bit integer, found "), e.getMessage());
  }

  @Test
  void numbersWithPlusOrLeadingZerosAreNotJson() {
    refused("{\"v\":+5}".getBytes(StandardCharsets.US_ASCII));
    refused("{\"v\":05}".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void objectsAreBoundedAndDuplicatesRefused() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i <= JsonNode.MAX_MEMBERS; i++) {
      sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
    }
    assertTrue(refused(sb.append('}').toString().getBytes(StandardCharsets.US_ASCII)).contains("more than 10000 members"));
    assertEquals("Duplicate field 'a'", refused("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.US_ASCII)));
  }

  // ---- every format reads through it ----

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = StrictJsonTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] replaceFirst(byte[] json, String from, String to) {
    String s = new String(json, StandardCharsets.UTF_8);
    assertTrue(s.contains(from), from);
    return s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bundlesAreStrict() throws Exception {
    byte[] good = resource("/verifier/happy-path-v0.3.json");
    new BundleParser().parse(good);
    for (String bad : List.of("\"+79571823\"", "\"079571823\"", "79571823.0", "7.9571823e7")) {
      byte[] json = replaceFirst(good, "\"79571823\"", bad);
      BundleParseException e = assertThrows(BundleParseException.class, () -> new BundleParser().parse(json));
      assertTrue(
          e.getMessage().startsWith("$.verificationMaterial.tlogEntries[0].logIndex: expected a 64-bit integer, found"),
          e.getMessage());
    }
    byte[] bom = new byte[good.length + 3];
    System.arraycopy(bytes(0xEF, 0xBB, 0xBF), 0, bom, 0, 3);
    System.arraycopy(good, 0, bom, 3, good.length);
    assertTrue(
        assertThrows(BundleParseException.class, () -> new BundleParser().parse(bom))
            .getMessage()
            .startsWith("bundle JSON: malformed (a byte-order mark"));
    byte[] surrogate = replaceFirst(good, "\"hashedrekord\"", "\"hashedrekord\\ud800\"");
    assertTrue(assertThrows(BundleParseException.class, () -> new BundleParser().parse(surrogate)).getMessage().contains("unpaired surrogate"));
    byte[] overlong = replaceFirst(good, "\"0.0.1\"", "\"0.0.1\u0000\"");
    overlong = new String(overlong, StandardCharsets.UTF_8).replace("\u0000", "##").getBytes(StandardCharsets.UTF_8);
    int at = new String(overlong, StandardCharsets.UTF_8).indexOf("##");
    overlong[at] = (byte) 0xC0;
    overlong[at + 1] = (byte) 0xAE;
    byte[] finalOverlong = overlong;
    assertTrue(assertThrows(BundleParseException.class, () -> new BundleParser().parse(finalOverlong)).getMessage().contains("overlong"));
  }

  @Test
  void trustedRootsAreStrict() throws Exception {
    byte[] good = resource("/trust/public-good-trusted_root.json");
    TrustedRoot.parse(good);
    byte[] surrogate = replaceFirst(good, "\"https://rekor.sigstore.dev\"", "\"https://rekor.sigstore.dev\\udc00\"");
    assertTrue(assertThrows(TrustedRootException.class, () -> TrustedRoot.parse(surrogate)).getMessage().contains("unpaired surrogate"));
    byte[] bom = new byte[good.length + 3];
    System.arraycopy(bytes(0xEF, 0xBB, 0xBF), 0, bom, 0, 3);
    System.arraycopy(good, 0, bom, 3, good.length);
    assertTrue(assertThrows(TrustedRootException.class, () -> TrustedRoot.parse(bom)).getMessage().contains("byte-order mark"));
    byte[] enumNumber = replaceFirst(good, "\"SHA2_256\"", "\"+1\"");
    assertTrue(assertThrows(TrustedRootException.class, () -> TrustedRoot.parse(enumNumber)).getMessage().contains("hashAlgorithm"));
  }
}
