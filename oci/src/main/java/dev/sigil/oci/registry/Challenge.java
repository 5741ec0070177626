package dev.sigil.oci.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One parsed {@code WWW-Authenticate} challenge (RFC 7235 auth-params; quoted strings with escapes). */
record Challenge(String scheme, Map<String, String> params) {
  Challenge {
    params = Map.copyOf(params);
  }

  boolean isBearer() {
    return scheme.equalsIgnoreCase("bearer");
  }

  boolean isBasic() {
    return scheme.equalsIgnoreCase("basic");
  }

  String param(String name) {
    return params.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The first Bearer or Basic challenge in a header value, or empty when there is none or it does not parse. The
   * value is bounded by the caller (headers come from a bounded response).
   */
  static Optional<Challenge> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    int i = 0;
    int n = h.length();
    while (i < n && !Character.isWhitespace(h.charAt(i))) {
      i++;
    }
    String scheme = h.substring(0, i);
    if (!scheme.equalsIgnoreCase("bearer") && !scheme.equalsIgnoreCase("basic")) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (h.charAt(i) == ',' || Character.isWhitespace(h.charAt(i)))) {
        i++;
      }
      int keyStart = i;
      while (i < n && h.charAt(i) != '=' && h.charAt(i) != ',' && !Character.isWhitespace(h.charAt(i))) {
        i++;
      }
      String key = h.substring(keyStart, i).toLowerCase(Locale.ROOT);
      while (i < n && Character.isWhitespace(h.charAt(i))) {
        i++;
      }
      if (i >= n || h.charAt(i) != '=') {
        if (!key.isEmpty() && i < n) {
          // A second challenge starts here ("Bearer ..., Basic realm=..."): stop at the first one.
          break;
        }
        continue;
      }
      i++;
      while (i < n && Character.isWhitespace(h.charAt(i))) {
        i++;
      }
      StringBuilder value = new StringBuilder();
      if (i < n && h.charAt(i) == '"') {
        i++;
        while (i < n && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          value.append(h.charAt(i));
          i++;
        }
        i++;
      } else {
        while (i < n && h.charAt(i) != ',') {
          value.append(h.charAt(i));
          i++;
        }
      }
      if (!key.isEmpty()) {
        params.putIfAbsent(key, value.toString().trim());
      }
    }
    return Optional.of(new Challenge(scheme, params));
  }
}
