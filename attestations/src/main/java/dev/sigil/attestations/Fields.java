package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed, path-aware reads from a parsed JSON object, with no coercion: a string field must be a JSON string, an object
 * field an object. {@code null} counts as absent for optional fields (SLSA v0.2: "Optional fields MAY be unset or
 * null"; protobuf JSON reads null as unset) and as missing for required ones.
 */
final class Fields {
  private Fields() {}

  static Optional<JsonNode> optional(ObjectNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  static ObjectNode requireObject(JsonNode node, String pointer, String what) throws AttestationException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw AttestationException.missing(pointer, what);
    }
    if (!node.isObject()) {
      throw AttestationException.wrongType(pointer, what, node);
    }
    return (ObjectNode) node;
  }

  static ObjectNode requireObject(ObjectNode o, String name, String base) throws AttestationException {
    return requireObject(o.get(name), StrictJson.pointer(base, name), "an object");
  }

  /** The object member {@code name}, or an empty object if absent. */
  static ObjectNode optionalObject(ObjectNode o, String name, String base) throws AttestationException {
    Optional<JsonNode> v = optional(o, name);
    if (v.isEmpty()) {
      return StrictJson.newObject();
    }
    if (!v.get().isObject()) {
      throw AttestationException.wrongType(StrictJson.pointer(base, name), "an object", v.get());
    }
    return (ObjectNode) v.get();
  }

  /** The array member {@code name}, or an empty array if absent. */
  static ArrayNode optionalArray(ObjectNode o, String name, String base) throws AttestationException {
    Optional<JsonNode> v = optional(o, name);
    if (v.isEmpty()) {
      return StrictJson.newArray();
    }
    if (!v.get().isArray()) {
      throw AttestationException.wrongType(StrictJson.pointer(base, name), "an array", v.get());
    }
    return (ArrayNode) v.get();
  }

  static String requireString(ObjectNode o, String name, String base) throws AttestationException {
    String pointer = StrictJson.pointer(base, name);
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw AttestationException.missing(pointer, "a string");
    }
    if (!v.isTextual()) {
      throw AttestationException.wrongType(pointer, "a string", v);
    }
    return v.textValue();
  }

  static String requireNonEmptyString(ObjectNode o, String name, String base) throws AttestationException {
    String s = requireString(o, name, base);
    if (s.isEmpty()) {
      throw AttestationException.invalid(StrictJson.pointer(base, name), "a non-empty string", "\"\"");
    }
    return s;
  }

  static Optional<String> optionalString(ObjectNode o, String name, String base) throws AttestationException {
    Optional<JsonNode> v = optional(o, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isTextual()) {
      throw AttestationException.wrongType(StrictJson.pointer(base, name), "a string", v.get());
    }
    return Optional.of(v.get().textValue());
  }

  static boolean optionalBoolean(ObjectNode o, String name, String base) throws AttestationException {
    Optional<JsonNode> v = optional(o, name);
    if (v.isEmpty()) {
      return false;
    }
    if (!v.get().isBoolean()) {
      throw AttestationException.wrongType(StrictJson.pointer(base, name), "a boolean", v.get());
    }
    return v.get().booleanValue();
  }

  /** A required absolute URI (in-toto TypeURI / ResourceURI). */
  static String requireUri(ObjectNode o, String name, String base) throws AttestationException {
    String s = requireNonEmptyString(o, name, base);
    checkUri(s, StrictJson.pointer(base, name));
    return s;
  }

  static void checkUri(String s, String pointer) throws AttestationException {
    try {
      URI u = new URI(s);
      if (!u.isAbsolute()) {
        throw AttestationException.invalid(pointer, "an absolute URI (with a scheme)", StrictJson.quote(s));
      }
    } catch (URISyntaxException e) {
      throw AttestationException.invalid(pointer, "a URI (RFC 3986)", StrictJson.quote(s) + " (" + e.getReason() + ")");
    }
  }

  static Optional<Instant> optionalTimestamp(ObjectNode o, String name, String base) throws AttestationException {
    Optional<String> s = optionalString(o, name, base);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Timestamps.parse(s.get(), StrictJson.pointer(base, name)));
  }

  /** A map of string to string (SLSA {@code builder.version}); empty if absent. */
  static Map<String, String> optionalStringMap(ObjectNode o, String name, String base) throws AttestationException {
    ObjectNode m = optionalObject(o, name, base);
    String pointer = StrictJson.pointer(base, name);
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (!e.getValue().isTextual()) {
        throw AttestationException.wrongType(StrictJson.pointer(pointer, e.getKey()), "a string", e.getValue());
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /** A DigestSet at {@code pointer}; absent gives the empty set unless {@code required}. */
  static DigestSet digestSet(JsonNode node, String pointer, boolean required) throws AttestationException {
    if (node == null || node.isNull()) {
      if (required) {
        throw AttestationException.missing(pointer, "a DigestSet object");
      }
      return DigestSet.EMPTY;
    }
    if (!node.isObject()) {
      throw AttestationException.wrongType(pointer, "a DigestSet object", node);
    }
    if (required && node.isEmpty()) {
      throw AttestationException.invalid(pointer, "at least one digest", "an empty object");
    }
    TreeMap<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String p = StrictJson.pointer(pointer, e.getKey());
      if (!e.getValue().isTextual()) {
        throw AttestationException.wrongType(p, "a digest string", e.getValue());
      }
      String problem = DigestSet.problem(e.getKey(), e.getValue().textValue());
      if (problem != null) {
        throw new AttestationException(Reason.INVALID_DIGEST, p, p + ": " + problem);
      }
      m.put(e.getKey(), e.getValue().textValue());
    }
    return new DigestSet(m);
  }
}
