package dev.sigil.signer.keyless;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** Path-aware reading of service responses; every problem names the field path, what was expected and found. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private Json() {}

  /** A response does not have the expected shape. */
  static final class ShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message);
    }
  }

  static JsonNode parseObject(byte[] body) throws ShapeException {
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (IOException e) {
      String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? String.valueOf(jp.getOriginalMessage()) : String.valueOf(e.getMessage());
      throw new ShapeException("expected a JSON object, found malformed JSON (" + m.lines().findFirst().orElse("") + ")");
    }
    if (n == null || !n.isObject()) {
      throw new ShapeException("expected a JSON object, found " + (n == null ? "an empty body" : kind(n)));
    }
    return n;
  }

  static JsonNode object(JsonNode parent, String field, String path) throws ShapeException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) {
      throw new ShapeException(path + field + ": expected an object, found " + (n == null ? "no such field" : kind(n)));
    }
    return n;
  }

  static JsonNode array(JsonNode parent, String field, String path) throws ShapeException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isArray()) {
      throw new ShapeException(path + field + ": expected an array, found " + (n == null ? "no such field" : kind(n)));
    }
    return n;
  }

  static String string(JsonNode parent, String field, String path) throws ShapeException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
      throw new ShapeException(
          path + field + ": expected a non-empty string, found " + (n == null ? "no such field" : kind(n)));
    }
    return n.textValue();
  }

  static long nonNegativeLong(JsonNode parent, String field, String path) throws ShapeException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      throw new ShapeException(
          path + field + ": expected a non-negative integer, found " + (n == null ? "no such field" : kind(n)));
    }
    return n.longValue();
  }

  static String kind(JsonNode n) {
    String text = n.toString();
    if (text.length() > 60) {
      text = text.substring(0, 60) + "...";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }
}
