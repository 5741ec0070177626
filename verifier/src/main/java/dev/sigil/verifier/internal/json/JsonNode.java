package dev.sigil.verifier.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small immutable JSON tree read with jackson-core's streaming parser: the one JSON reader of Sigil's formats
 * (bundles, trusted roots, signing configs, Rekor bodies, in-toto statements); {@link JsonValue} adds JSON paths and
 * the typed, protobuf-JSON accessors that name the path, what was expected and what was found.
 *
 * <p>Written by hand instead of using jackson-databind's tree because of start-up cost, measured here: the first
 * {@code ObjectMapper.readTree} in a process costs ~105 ms of class loading and initialisation (with AppCDS), the
 * streaming parser ~15 ms, and every {@code sigil verify-blob} parses a trusted root and a bundle. The method names
 * follow databind's {@code JsonNode} so readers stay familiar.
 *
 * <p>Parsing is strict (RFC 8259 as I-JSON, RFC 7493, narrows it): the input must be UTF-8 without a byte-order
 * mark, with no overlong forms, no encoded surrogates and nothing above U+10FFFF; strings (names included) must not
 * hold unpaired surrogate escapes (a lone high or low surrogate); duplicate names, NaN/Infinity, trailing content,
 * nesting deeper than {@link #MAX_DEPTH} and objects with more than {@link #MAX_MEMBERS} members are errors. Numbers
 * keep their text, so that {@link JsonValue#int64()} can hold them to protobuf JSON's form.
 */
public abstract sealed class JsonNode implements Iterable<JsonNode> {
  /** Deeper documents are refused (real bundles and trusted roots nest fewer than 10 levels). */
  public static final int MAX_DEPTH = 64;

  /**
   * Objects with more members are refused (Sigil's formats have a few dozen at most). Bounds the cost of names that
   * all share one {@code String.hashCode}: 800,000 of them in one object cost ~4 s to insert into a hash map.
   */
  public static final int MAX_MEMBERS = 10_000;

  /** Duplicates are detected while building each object (one map, not Jackson's second one). */
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** The kinds of node, as databind names them. */
  public enum Type {
    OBJECT,
    ARRAY,
    STRING,
    NUMBER,
    BOOLEAN,
    NULL,
    MISSING
  }

  private JsonNode() {}

  /** Parses one JSON document. */
  public static JsonNode parse(byte[] json) throws IOException {
    Utf8.check(json);
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return Missing.INSTANCE;
      }
      JsonNode root = read(p, t, 0);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new JsonParseException(p, "trailing content after the JSON document: " + extra);
      }
      return root;
    }
  }

  private static JsonNode read(JsonParser p, JsonToken t, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new JsonParseException(p, "nesting deeper than " + MAX_DEPTH + " levels");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          Utf8.checkSurrogates(p, name);
          if (fields.size() == MAX_MEMBERS) {
            throw new JsonParseException(p, "an object with more than " + MAX_MEMBERS + " members");
          }
          if (fields.put(name, read(p, p.nextToken(), depth + 1)) != null) {
            throw new JsonParseException(p, "Duplicate field '" + name + "'");
          }
        }
        return new Obj(Collections.unmodifiableMap(fields));
      }
      case START_ARRAY: {
        List<JsonNode> items = new ArrayList<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
          items.add(read(p, k, depth + 1));
        }
        return new Arr(List.copyOf(items));
      }
      case VALUE_STRING:
        return new Str(Utf8.checkSurrogates(p, p.getText()));
      case VALUE_NUMBER_INT:
        return new Num(p.getBigIntegerValue(), true, p.getText());
      case VALUE_NUMBER_FLOAT:
        return new Num(null, false, p.getText());
      case VALUE_TRUE:
        return Bool.TRUE;
      case VALUE_FALSE:
        return Bool.FALSE;
      case VALUE_NULL:
        return Null.INSTANCE;
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  public abstract Type getNodeType();

  public boolean isObject() {
    return false;
  }

  public boolean isArray() {
    return false;
  }

  public boolean isTextual() {
    return false;
  }

  public boolean isNull() {
    return false;
  }

  public boolean isMissingNode() {
    return false;
  }

  public boolean isIntegralNumber() {
    return false;
  }

  public boolean canConvertToLong() {
    return false;
  }

  public boolean canConvertToInt() {
    return false;
  }

  public long longValue() {
    return 0;
  }

  public int intValue() {
    return 0;
  }

  /** The number as written in the document, for a number node; else null. */
  public String numberText() {
    return null;
  }

  /** The string value of a string node, else null. */
  public String textValue() {
    return null;
  }

  /** The string value, or {@code dflt} for anything that is not a string. */
  public String asText(String dflt) {
    return dflt;
  }

  /** A field of an object, or null when absent or when this is not an object. */
  public JsonNode get(String field) {
    return null;
  }

  /** An element of an array, or null. */
  public JsonNode get(int index) {
    return null;
  }

  /** Like {@link #get(String)} but never null: a missing field is the missing node. */
  public JsonNode path(String field) {
    JsonNode n = get(field);
    return n == null ? Missing.INSTANCE : n;
  }

  /** Elements of an array or field count of an object; 0 otherwise. */
  public int size() {
    return 0;
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** An array's elements (empty for anything else). */
  public List<JsonNode> elements() {
    return List.of();
  }

  /** Iterates an array's elements (nothing for anything else), as databind's tree does. */
  @Override
  public Iterator<JsonNode> iterator() {
    return elements().iterator();
  }

  /** Whether this is a boolean node holding true. */
  public boolean booleanValue() {
    return this == Bool.TRUE;
  }

  public boolean isBoolean() {
    return this instanceof Bool;
  }

  public boolean isNumber() {
    return this instanceof Num;
  }

  /** Whether this object has the field (even as null). */
  public boolean has(String field) {
    return get(field) != null;
  }

  /** Compact JSON, as databind's tree prints itself (for messages; numbers as written). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    write(sb);
    return sb.toString();
  }

  private void write(StringBuilder sb) {
    switch (getNodeType()) {
      case OBJECT -> {
        sb.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(sb, e.getKey());
          sb.append(':');
          e.getValue().write(sb);
        }
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          get(i).write(sb);
        }
        sb.append(']');
      }
      case STRING -> quote(sb, textValue());
      case NUMBER -> sb.append(numberText());
      case BOOLEAN -> sb.append(booleanValue());
      case NULL -> sb.append("null");
      case MISSING -> sb.append("");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** An object's fields in document order (empty for anything else). */
  public Iterator<Map.Entry<String, JsonNode>> fields() {
    return Collections.emptyIterator();
  }

  static final class Obj extends JsonNode {
    private final Map<String, JsonNode> fields;

    Obj(Map<String, JsonNode> fields) {
      this.fields = fields;
    }

    @Override
    public Type getNodeType() {
      return Type.OBJECT;
    }

    @Override
    public boolean isObject() {
      return true;
    }

    @Override
    public JsonNode get(String field) {
      return fields.get(field);
    }

    @Override
    public int size() {
      return fields.size();
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> fields() {
      return fields.entrySet().iterator();
    }
  }

  static final class Arr extends JsonNode {
    private final List<JsonNode> items;

    Arr(List<JsonNode> items) {
      this.items = items;
    }

    @Override
    public Type getNodeType() {
      return Type.ARRAY;
    }

    @Override
    public boolean isArray() {
      return true;
    }

    @Override
    public JsonNode get(int index) {
      return index >= 0 && index < items.size() ? items.get(index) : null;
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public List<JsonNode> elements() {
      return items;
    }
  }

  static final class Str extends JsonNode {
    private final String value;

    Str(String value) {
      this.value = value;
    }

    @Override
    public Type getNodeType() {
      return Type.STRING;
    }

    @Override
    public boolean isTextual() {
      return true;
    }

    @Override
    public String textValue() {
      return value;
    }

    @Override
    public String asText(String dflt) {
      return value;
    }
  }

  static final class Num extends JsonNode {
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);
    private final BigInteger integer;
    private final boolean integral;
    private final String text;

    Num(BigInteger integer, boolean integral, String text) {
      this.integer = integer;
      this.integral = integral;
      this.text = text;
    }

    @Override
    public Type getNodeType() {
      return Type.NUMBER;
    }

    @Override
    public boolean isIntegralNumber() {
      return integral;
    }

    @Override
    public boolean canConvertToLong() {
      return integral && integer.compareTo(MIN_LONG) >= 0 && integer.compareTo(MAX_LONG) <= 0;
    }

    @Override
    public boolean canConvertToInt() {
      return integral && integer.bitLength() < 32;
    }

    @Override
    public long longValue() {
      return integral ? integer.longValue() : 0;
    }

    @Override
    public int intValue() {
      return integral ? integer.intValue() : 0;
    }

    @Override
    public String numberText() {
      return text;
    }

  }

  static final class Bool extends JsonNode {
    static final Bool TRUE = new Bool();
    static final Bool FALSE = new Bool();

    @Override
    public Type getNodeType() {
      return Type.BOOLEAN;
    }
  }

  static final class Null extends JsonNode {
    static final Null INSTANCE = new Null();

    @Override
    public Type getNodeType() {
      return Type.NULL;
    }

    @Override
    public boolean isNull() {
      return true;
    }
  }

  static final class Missing extends JsonNode {
    static final Missing INSTANCE = new Missing();

    @Override
    public Type getNodeType() {
      return Type.MISSING;
    }

    @Override
    public boolean isMissingNode() {
      return true;
    }
  }
}
