package dev.sigil.oci.cosign;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.oci.Digest;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The "simple signing" payload cosign signs for a container image (the layer of media type
 * {@code application/vnd.dev.cosign.simplesigning.v1+json}):
 * <pre>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},
 *  "type":"cosign container image signature"},"optional":O}</pre>
 *
 * <p>{@link #toJson()} writes exactly what cosign 2.5 writes (Go's {@code encoding/json}: these field names in this
 * order, {@code optional} keys sorted, {@code "optional":null} when empty, {@code <>&} escaped as {@code \u003c...}, no
 * trailing newline). {@link #parse} is strict: {@code critical} must have exactly these fields, the type must be the
 * constant, the digest must be valid; unknown top-level fields are refused, {@code optional} may hold any JSON
 * object (containers/image puts {@code creator} and {@code timestamp} there). Parsing bytes does not verify them:
 * the caller still verifies the signature over the exact bytes and compares digest and reference to the image.
 *
 * @param dockerReference the image's repository as the signer named it (cosign: {@code registry/repo}; containers/image
 *     may add a tag)
 * @param manifestDigest the signed manifest's digest
 * @param optional the {@code optional} map: String, Boolean, Number, null, List and Map values; never null
 */
public record SimpleSigningPayload(String dockerReference, Digest manifestDigest, Map<String, Object> optional) {
  public static final String TYPE = "cosign container image signature";
  /** Payloads larger than this (64 KiB) are refused before parsing. */
  public static final int MAX_PAYLOAD_BYTES = 64 << 10;

  public SimpleSigningPayload {
    Objects.requireNonNull(dockerReference, "dockerReference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    optional = optional == null ? Map.of() : deepCopy(optional);
  }

  public static SimpleSigningPayload of(String dockerReference, Digest manifestDigest) {
    return new SimpleSigningPayload(dockerReference, manifestDigest, Map.of());
  }

  /** The payload bytes as cosign writes them. */
  public byte[] toJson() {
    return Json.write(g -> {
      g.setCharacterEscapes(GoEscapes.INSTANCE);
      g.writeStartObject();
      g.writeObjectFieldStart("critical");
      g.writeObjectFieldStart("identity");
      g.writeStringField("docker-reference", dockerReference);
      g.writeEndObject();
      g.writeObjectFieldStart("image");
      g.writeStringField("docker-manifest-digest", manifestDigest.toString());
      g.writeEndObject();
      g.writeStringField("type", TYPE);
      g.writeEndObject();
      g.writeFieldName("optional");
      if (optional.isEmpty()) {
        g.writeNull();
      } else {
        writeValue(g, optional);
      }
      g.writeEndObject();
    });
  }

  /**
   * Parses payload bytes strictly (see the class comment).
   *
   * @throws OciException {@code INVALID_CONTENT} naming the first problem, {@code TOO_LARGE} past 64 KiB
   */
  public static SimpleSigningPayload parse(byte[] bytes) throws OciException {
    if (bytes.length > MAX_PAYLOAD_BYTES) {
      throw new OciException(Reason.TOO_LARGE,
          "simple signing payload is " + bytes.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (Json.MalformedJsonException e) {
      throw invalid(e.getMessage());
    }
    requireObject(root, "payload");
    onlyFields(root, "payload", Set.of("critical", "optional"));
    JsonNode critical = root.get("critical");
    requireObject(critical, "critical");
    exactFields(critical, "critical", Set.of("identity", "image", "type"));
    JsonNode identity = critical.get("identity");
    requireObject(identity, "critical.identity");
    exactFields(identity, "critical.identity", Set.of("docker-reference"));
    JsonNode image = critical.get("image");
    requireObject(image, "critical.image");
    exactFields(image, "critical.image", Set.of("docker-manifest-digest"));
    JsonNode type = critical.get("type");
    if (!type.isTextual() || !TYPE.equals(type.asText())) {
      throw invalid("critical.type is " + clip(type.toString()) + ", expected \"" + TYPE + "\"");
    }
    JsonNode ref = identity.get("docker-reference");
    if (!ref.isTextual()) {
      throw invalid("critical.identity.docker-reference is not a string");
    }
    JsonNode d = image.get("docker-manifest-digest");
    if (!d.isTextual()) {
      throw invalid("critical.image.docker-manifest-digest is not a string");
    }
    Digest digest;
    try {
      digest = Digest.parse(d.asText());
    } catch (IllegalArgumentException e) {
      throw invalid("critical.image.docker-manifest-digest: " + e.getMessage());
    }
    JsonNode opt = root.get("optional");
    Map<String, Object> optional = Map.of();
    if (opt != null && !opt.isNull()) {
      requireObject(opt, "optional");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) toJava(opt);
      optional = m;
    }
    return new SimpleSigningPayload(ref.asText(), digest, optional);
  }

  private static Object toJava(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), toJava(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toJava(x)));
      return l;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    return null;
  }

  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(Objects.requireNonNull(k, "optional key"), copyValue(v)));
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return deepCopy((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(copyValue(x)));
      return Collections.unmodifiableList(out);
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    throw new IllegalArgumentException("optional values must be JSON values, not " + v.getClass().getName());
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        g.writeFieldName((String) e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object x : l) {
        writeValue(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof java.math.BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof java.math.BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else {
      g.writeNull();
    }
  }

  private static void requireObject(JsonNode n, String where) throws OciException {
    if (n == null || !n.isObject()) {
      throw invalid(where + " is " + (n == null ? "missing" : "not an object"));
    }
  }

  private static void onlyFields(JsonNode n, String where, Set<String> allowed) throws OciException {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw invalid(where + " has unknown field \"" + clip(f) + "\"");
      }
    }
  }

  private static void exactFields(JsonNode n, String where, Set<String> fields) throws OciException {
    onlyFields(n, where, fields);
    for (String f : fields) {
      if (!n.has(f)) {
        throw invalid(where + "." + f + " is missing");
      }
    }
  }

  private static OciException invalid(String what) {
    return new OciException(Reason.INVALID_CONTENT, "invalid simple signing payload: " + what);
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Go's {@code encoding/json} HTML-safe escapes: {@code < > &} and U+2028, U+2029 as {@code \\uXXXX}. */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    static final GoEscapes INSTANCE = new GoEscapes();
    private final int[] table;

    private GoEscapes() {
      int[] t = CharacterEscapes.standardAsciiEscapesForJSON();
      t['<'] = CharacterEscapes.ESCAPE_CUSTOM;
      t['>'] = CharacterEscapes.ESCAPE_CUSTOM;
      t['&'] = CharacterEscapes.ESCAPE_CUSTOM;
      this.table = t;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      switch (ch) {
        case '<':
          return new SerializedString("\\u003c");
        case '>':
          return new SerializedString("\\u003e");
        case '&':
          return new SerializedString("\\u0026");
        case 0x2028:
          return new SerializedString("\\u2028");
        case 0x2029:
          return new SerializedString("\\u2029");
        default:
          return null;
      }
    }
  }
}
