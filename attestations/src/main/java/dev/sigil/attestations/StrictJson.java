package dev.sigil.attestations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The one strict JSON codec of this module: reads RFC 8259 JSON in UTF-8 into Jackson databind trees, and writes
 * trees back as compact UTF-8.
 *
 * <p>Reading refuses: input over the caller's byte bound; bytes that are not UTF-8 (including overlong forms and
 * encoded surrogates), a byte-order mark or a NUL byte (so Jackson's UTF-16/32 detection can never see another
 * document than a Go or JavaScript parser would); backslash-u escapes that leave a surrogate unpaired (I-JSON);
 * syntax errors, comments, NaN, leading zeros, trailing content;
 * duplicate keys at any depth; nesting deeper than {@link #MAX_DEPTH}; numbers longer than 1000 characters.
 * Floating-point numbers are kept exactly ({@code BigDecimal}). Errors are {@link AttestationException}s whose pointer
 * names the offending value.
 *
 * <p>The tree is built from jackson-core's streaming parser rather than with an {@code ObjectMapper}: the verifier
 * parses statements on its cold start-up path and an {@code ObjectMapper}'s first use costs tens of milliseconds of
 * class loading (figures in the module's README section of the report). Thread-safe; holds no mutable state.
 */
public final class StrictJson {
  /** Deepest nesting accepted (real statements, SBOMs and provenance nest far less). */
  public static final int MAX_DEPTH = 256;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH + 1)
                  .maxNumberLength(1000)
                  // Strings are bounded by the caller's byte bound; Jackson's default (20M chars) is below a
                  // base64 DSSE payload of Statement.MAX_PAYLOAD_BYTES.
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  /** Keeps decimals exactly as written (Jackson 2.15 and later no longer strip trailing zeros). */
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrictJson() {}

  /** Parses one JSON document of at most {@code maxBytes} bytes whose root must be an object. */
  public static ObjectNode parseObject(byte[] json, int maxBytes) throws AttestationException {
    JsonNode root = parse(json, maxBytes);
    if (!root.isObject()) {
      throw AttestationException.wrongType("", "a JSON object", root);
    }
    return (ObjectNode) root;
  }

  /** Parses one JSON document of at most {@code maxBytes} bytes. */
  public static JsonNode parse(byte[] json, int maxBytes) throws AttestationException {
    if (json.length > maxBytes) {
      throw new AttestationException(
          Reason.TOO_LARGE, "", "expected at most " + maxBytes + " bytes of JSON, found " + json.length);
    }
    String text = decodeUtf8(json);
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new AttestationException(Reason.MALFORMED_JSON, "", "expected a JSON document, found no content");
      }
      JsonNode root = read(p, first, 0);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new AttestationException(
            Reason.MALFORMED_JSON, "", "expected the end of the document, found trailing content (" + extra + ")");
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw new AttestationException(Reason.MALFORMED_JSON, "", "JSON exceeds a parsing bound: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      String pointer = pointerOf(e);
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        throw new AttestationException(
            Reason.DUPLICATE_KEY,
            pointer,
            AttestationException.at(pointer) + "expected each key once per object, found a duplicate key"
                + locationOf(e),
            e);
      }
      throw new AttestationException(
          Reason.MALFORMED_JSON, pointer, AttestationException.at(pointer) + "expected well-formed JSON, found a syntax error: " + msg + locationOf(e),
          e);
    } catch (IOException e) {
      throw new AttestationException(Reason.MALFORMED_JSON, "", "expected readable JSON, found: " + e.getMessage(), e);
    }
  }

  private static String decodeUtf8(byte[] json) throws AttestationException {
    if (json.length >= 3 && (json[0] & 0xff) == 0xEF && (json[1] & 0xff) == 0xBB && (json[2] & 0xff) == 0xBF) {
      throw new AttestationException(Reason.MALFORMED_JSON, "", "expected JSON without a byte-order mark, found one");
    }
    for (int i = 0; i < json.length; i++) {
      if (json[i] == 0) {
        throw new AttestationException(Reason.MALFORMED_JSON, "", "expected UTF-8 JSON, found a NUL byte at offset " + i);
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(json));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new AttestationException(Reason.MALFORMED_JSON, "", "expected UTF-8 JSON, found invalid UTF-8", e);
    }
  }

  // Pointers are computed from the parser's context only when there is an error, so reading allocates nothing per
  // node beyond the node itself.
  private static JsonNode read(JsonParser p, JsonToken t, int depth) throws IOException, AttestationException {
    switch (t) {
      case START_OBJECT:
        return readObject(p, depth + 1);
      case START_ARRAY:
        return readArray(p, depth + 1);
      case VALUE_STRING:
        return NODES.textNode(checkUnicode(p.getText(), p));
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        try {
          return NODES.numberNode(p.getDecimalValue());
        } catch (NumberFormatException | ArithmeticException e) {
          // An exponent beyond int range, which BigDecimal (and so exact reading) cannot hold.
          String pointer = pointerOf(p);
          throw new AttestationException(
              Reason.MALFORMED_JSON,
              pointer,
              AttestationException.at(pointer) + "expected a number with an exponent in int range, found "
                  + quote(p.getText()),
              e);
        }
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        String pointer = pointerOf(p);
        throw new AttestationException(
            Reason.MALFORMED_JSON, pointer, AttestationException.at(pointer) + "expected a JSON value, found " + t);
    }
  }

  private static ObjectNode readObject(JsonParser p, int depth) throws IOException, AttestationException {
    checkDepth(depth, p);
    ObjectNode o = NODES.objectNode();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = checkUnicode(p.currentName(), p);
      JsonNode value = read(p, p.nextToken(), depth);
      if (o.has(name)) {
        String pointer = pointerOf(p);
        throw new AttestationException(Reason.DUPLICATE_KEY, pointer, pointer + ": duplicate key \"" + name + "\"");
      }
      o.set(name, value);
    }
    return o;
  }

  private static ArrayNode readArray(JsonParser p, int depth) throws IOException, AttestationException {
    checkDepth(depth, p);
    ArrayNode a = NODES.arrayNode();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      a.add(read(p, t, depth));
    }
    return a;
  }

  /**
   * Refuses strings with an unpaired surrogate (only possible through backslash-u escapes, since the bytes were
   * valid UTF-8): I-JSON (RFC 7493 section 2.1) forbids them, they have no UTF-8 form, and JSON parsers disagree
   * about them (Go substitutes U+FFFD, Jackson 3 refuses, Jackson 2 and JavaScript keep them).
   */
  private static String checkUnicode(String s, JsonParser p) throws AttestationException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        String pointer = pointerOf(p);
        throw new AttestationException(
            Reason.MALFORMED_JSON,
            pointer,
            AttestationException.at(pointer) + "expected Unicode text, found an unpaired surrogate (\\u"
                + Integer.toHexString(c) + ") at character " + i);
      }
    }
    return s;
  }

  private static void checkDepth(int depth, JsonParser p) throws AttestationException {
    if (depth > MAX_DEPTH) {
      String pointer = pointerOf(p);
      throw new AttestationException(
          Reason.MALFORMED_JSON,
          pointer,
          AttestationException.at(pointer) + "expected nesting of at most " + MAX_DEPTH + " levels, found deeper");
    }
  }

  private static String pointerOf(JsonProcessingException e) {
    return e.getProcessor() instanceof JsonParser ? pointerOf((JsonParser) e.getProcessor()) : "";
  }

  private static String pointerOf(JsonParser p) {
    JsonStreamContext ctx = p.getParsingContext();
    return ctx == null ? "" : ctx.pathAsPointer().toString();
  }

  private static String locationOf(JsonProcessingException e) {
    if (e.getLocation() == null) {
      return "";
    }
    return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  /** A new empty object node of the kind this codec builds. */
  public static ObjectNode newObject() {
    return NODES.objectNode();
  }

  /** A new empty array node of the kind this codec builds. */
  public static ArrayNode newArray() {
    return NODES.arrayNode();
  }

  /**
   * Writes {@code node} as compact JSON in UTF-8, members in insertion order, non-ASCII characters unescaped. The
   * same tree always gives the same bytes.
   */
  public static byte[] write(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeNode(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  private static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT:
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          writeNode(g, e.getValue());
        }
        g.writeEndObject();
        break;
      case ARRAY:
        g.writeStartArray();
        for (JsonNode c : n) {
          writeNode(g, c);
        }
        g.writeEndArray();
        break;
      case STRING:
        g.writeString(n.textValue());
        break;
      case NUMBER:
        if (n.isBigDecimal() || n.isDouble() || n.isFloat()) {
          g.writeNumber(n.decimalValue());
        } else if (n.isBigInteger()) {
          g.writeNumber(n.bigIntegerValue());
        } else {
          g.writeNumber(n.longValue());
        }
        break;
      case BOOLEAN:
        g.writeBoolean(n.booleanValue());
        break;
      case NULL:
        g.writeNull();
        break;
      default:
        throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
    }
  }

  /** What a value is, for messages: "a string", "a number (42)", "null", "an object", ... */
  public static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "none";
    }
    switch (n.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        return "a string (" + quote(n.textValue()) + ")";
      case NUMBER:
        return "a number (" + abbreviate(n.asText()) + ")";
      case BOOLEAN:
        return "a boolean (" + n.booleanValue() + ")";
      case NULL:
        return "null";
      default:
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code s} in double quotes, shortened to 120 characters and with control characters escaped, for messages. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 130) + 2).append('"');
    String shown = abbreviate(s);
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append("\\u").append(String.format(java.util.Locale.ROOT, "%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  /** The RFC 6901 pointer of member {@code name} under {@code parent} ({@code ~} and {@code /} escaped). */
  public static String pointer(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  /** The RFC 6901 pointer of element {@code index} under {@code parent}. */
  public static String pointer(String parent, int index) {
    return parent + "/" + index;
  }

  /**
   * Decodes base64 as DSSE and protobuf JSON allow it: the standard or the URL-safe alphabet (not both in one value),
   * with or without padding, and nothing else: no whitespace, no line breaks, and non-zero unused trailing bits are
   * refused, so each byte string has exactly one accepted encoding per alphabet and padding choice.
   */
  public static byte[] decodeBase64(String value, String pointer) throws AttestationException {
    boolean std = false;
    boolean url = false;
    int pad = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '=') {
        pad++;
        continue;
      }
      if (pad > 0) {
        throw badBase64(pointer, "'=' padding only at the end");
      }
      if (c == '+' || c == '/') {
        std = true;
      } else if (c == '-' || c == '_') {
        url = true;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        throw badBase64(pointer, "only base64 characters, found " + quote(String.valueOf(c)) + " at offset " + i);
      }
    }
    if (std && url) {
      throw badBase64(pointer, "one base64 alphabet, found both '+/' and '-_'");
    }
    int unpadded = value.length() - pad;
    if (pad > 2 || unpadded % 4 == 1 || (pad > 0 && value.length() % 4 != 0)) {
      throw badBase64(pointer, "a whole number of base64 quanta, found " + value.length() + " characters");
    }
    byte[] decoded;
    try {
      decoded = (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(value);
    } catch (IllegalArgumentException e) {
      throw badBase64(pointer, "valid base64 (" + e.getMessage() + ")");
    }
    Base64.Encoder enc = url ? Base64.getUrlEncoder() : Base64.getEncoder();
    String again = (pad > 0 ? enc : enc.withoutPadding()).encodeToString(decoded);
    if (!again.equals(value)) {
      throw badBase64(pointer, "canonical base64 (unused trailing bits zero, padding complete)");
    }
    return decoded;
  }

  private static AttestationException badBase64(String pointer, String expected) {
    return new AttestationException(
        Reason.INVALID_BASE64, pointer, AttestationException.at(pointer) + "expected " + expected);
  }
}
