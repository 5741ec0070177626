package dev.sigil.verifier.internal.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A value of a parsed {@link JsonNode} tree with its JSON path: the one path-carrying reader of Sigil's JSON formats
 * (bundles, trusted roots, signing configs). Every accessor either returns the value in the form the format defines
 * (protobuf JSON: int64 as a number or a decimal string, bytes as base64, enums by name or number, RFC 3339
 * timestamps) or throws a {@link JsonFormatException} naming the path, what was expected and what was found.
 * Immutable.
 *
 * <p>A format's {@link Dialect} sets what differs between them: the root's path ({@code $} or nothing), whether a
 * field may also be spelled in snake_case (protobuf JSON's original names, in trusted roots), and how long a string
 * quoted back in a message may be.
 */
public final class JsonValue {
  /**
   * What differs between formats.
   *
   * @param root the root's path ({@code "$"}, or {@code ""} for paths that start with the first field name)
   * @param snakeCaseAliases whether {@code camelCase} fields may be spelled {@code snake_case} (never both)
   * @param quoteLength how many characters of a string are quoted back in a message before "..."
   */
  public record Dialect(String root, boolean snakeCaseAliases, int quoteLength) {
    /** Sigstore bundles: {@code $}-rooted paths, camelCase only. */
    public static final Dialect BUNDLE = new Dialect("$", false, 40);
    /** Trusted roots: {@code $}-rooted paths, camelCase or snake_case. */
    public static final Dialect TRUSTED_ROOT = new Dialect("$", true, 80);
    /** Signing configs: paths from the first field name, camelCase only. */
    public static final Dialect SIGNING_CONFIG = new Dialect("", false, 80);
  }

  private final JsonNode node;
  private final String path;
  private final Dialect dialect;

  private JsonValue(JsonNode node, String path, Dialect dialect) {
    this.node = node;
    this.path = path;
    this.dialect = dialect;
  }

  /** The root of a parsed document. */
  public static JsonValue root(JsonNode node, Dialect dialect) {
    return new JsonValue(node, dialect.root(), dialect);
  }

  public JsonNode node() {
    return node;
  }

  public String path() {
    return path;
  }

  private String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private JsonFormatException error(String what) {
    return new JsonFormatException(path + ": " + what);
  }

  /** Throws {@code "<path>: <message>"}. */
  public JsonFormatException fail(String message) {
    return error(message);
  }

  // ---- shape ----

  public JsonValue requireObject() throws JsonFormatException {
    if (!node.isObject()) {
      throw error("expected an object, found " + describe());
    }
    return this;
  }

  /** The field, or empty when absent or null. With snake_case aliases, either spelling (never both). */
  public Optional<JsonValue> optional(String field) throws JsonFormatException {
    requireObject();
    JsonNode a = node.get(field);
    boolean hasA = a != null && !a.isNull();
    if (dialect.snakeCaseAliases()) {
      String snake = snakeCase(field);
      JsonNode b = snake.equals(field) ? null : node.get(snake);
      boolean hasB = b != null && !b.isNull();
      if (hasA && hasB) {
        throw error("expected one of " + field + " and " + snake + " (the same field), found both");
      }
      if (hasB) {
        return Optional.of(new JsonValue(b, child(snake), dialect));
      }
    }
    return hasA ? Optional.of(new JsonValue(a, child(field), dialect)) : Optional.empty();
  }

  /** The field, present and not null. */
  public JsonValue required(String field) throws JsonFormatException {
    Optional<JsonValue> v = optional(field);
    if (v.isEmpty()) {
      throw new JsonFormatException(child(field) + ": required field is missing");
    }
    return v.get();
  }

  /** The field, present, not null and an object. */
  public JsonValue requiredObject(String field) throws JsonFormatException {
    return required(field).requireObject();
  }

  /** Refuses fields not in {@code allowed}, naming the first one found. */
  public void refuseUnknownFields(Set<String> allowed) throws JsonFormatException {
    requireObject();
    for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String f = it.next().getKey();
      if (!allowed.contains(f)) {
        throw new JsonFormatException(child(f) + ": unknown field; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  /** The elements of this array, at most {@code max} of them (counted before any is read). */
  public List<JsonValue> elements(int max) throws JsonFormatException {
    if (!node.isArray()) {
      throw error("expected an array, found " + describe());
    }
    if (node.size() > max) {
      throw error("expected at most " + max + " elements, found " + node.size());
    }
    List<JsonValue> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(new JsonValue(node.get(i), path + "[" + i + "]", dialect));
    }
    return out;
  }

  /** The field's elements; empty when the field is absent or null. */
  public List<JsonValue> optionalArray(String field, int max) throws JsonFormatException {
    Optional<JsonValue> v = optional(field);
    return v.isPresent() ? v.get().elements(max) : List.of();
  }

  /** The field's elements; the field must be present. */
  public List<JsonValue> requiredArray(String field, int max) throws JsonFormatException {
    return required(field).elements(max);
  }

  // ---- scalars ----

  public String text() throws JsonFormatException {
    if (!node.isTextual()) {
      throw error("expected a string, found " + describe());
    }
    return node.textValue();
  }

  public String requiredText(String field) throws JsonFormatException {
    return required(field).text();
  }

  public Optional<String> optionalText(String field) throws JsonFormatException {
    Optional<JsonValue> v = optional(field);
    return v.isPresent() ? Optional.of(v.get().text()) : Optional.empty();
  }

  /** protobuf JSON bytes: base64 in the standard or URL-safe alphabet, padding optional. */
  public byte[] bytes() throws JsonFormatException {
    if (!node.isTextual()) {
      throw error("expected base64 text, found " + describe());
    }
    String s = node.textValue();
    boolean url = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    try {
      return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
    } catch (IllegalArgumentException e) {
      throw error("expected base64, found invalid base64 (" + oneLine(e.getMessage()) + ")");
    }
  }

  public byte[] requiredBytes(String field) throws JsonFormatException {
    return required(field).bytes();
  }

  /**
   * protobuf JSON int64: a JSON integer, or a string of decimal digits with an optional leading '-', in either case
   * without a '+', leading zeros, a fraction or an exponent, and within the int64 range.
   */
  public long int64() throws JsonFormatException {
    String digits =
        node.isNumber() ? node.numberText() : node.isTextual() ? node.textValue() : null;
    if (digits != null && isInt64Text(digits)) {
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException outOfRange) {
        // described below
      }
    }
    throw error("expected a 64-bit integer, found " + describe());
  }

  public long requiredInt64(String field) throws JsonFormatException {
    return required(field).int64();
  }

  /** {@code -?(0|[1-9][0-9]*)}, at most 20 characters (the length of Long.MIN_VALUE). */
  static boolean isInt64Text(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int n = s.length();
    if (n == start || n > 20) {
      return false;
    }
    if (s.charAt(start) == '0' && n > start + 1) {
      return false;
    }
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An enum value given by name or by number, returned as its name. */
  public String enumName(List<String> namesByNumber) throws JsonFormatException {
    if (node.isTextual()) {
      String s = node.textValue();
      if (!namesByNumber.contains(s)) {
        throw error("expected one of " + namesByNumber + ", found \"" + abbreviate(s, 80) + "\"");
      }
      return s;
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      int i = node.intValue();
      if (i < 0 || i >= namesByNumber.size()) {
        throw error("expected an enum number from 0 to " + (namesByNumber.size() - 1) + ", found " + i);
      }
      return namesByNumber.get(i);
    }
    throw error("expected an enum name or number, found " + describe());
  }

  /** An RFC 3339 timestamp string. */
  public Instant timestamp() throws JsonFormatException {
    if (!node.isTextual()) {
      throw error("expected an RFC 3339 timestamp string, found " + describe());
    }
    String s = node.textValue();
    Instant simple = simpleUtc(s);
    if (simple != null) {
      return simple;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw error(
          "expected an RFC 3339 timestamp such as 2021-01-12T11:53:27Z, found \"" + abbreviate(s, 80) + "\"");
    }
  }

  // ---- messages ----

  /** What this value is, for "found ...": {@code the string "..."}, or its JSON type in lower case. */
  public String describe() {
    if (node.isTextual()) {
      return "the string \"" + abbreviate(node.textValue(), dialect.quoteLength()) + "\"";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** {@code s} cut to {@code max} characters plus "..." when longer. */
  public static String abbreviate(String s, int max) {
    return s.length() > max ? s.substring(0, max) + "..." : s;
  }

  /** One line of at most 200 characters, for library messages quoted in ours. */
  public static String oneLine(String s) {
    if (s == null) {
      return "no detail";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  static String snakeCase(String camel) {
    StringBuilder b = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The common form {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} (every timestamp Sigstore's roots carry), read without
   * java.time's formatter, whose first use costs ~10 ms of a one-shot CLI run (profiled). Null for anything else,
   * including invalid dates and times, which then take the formatter's path and get its verdict.
   */
  public static Instant simpleUtc(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || n == 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.') {
        return null;
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    try {
      return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** The decimal number in s[from, to), or -1 if any character there is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
