package dev.sigil.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Well-known annotation keys, and the immutable, order-keeping copy every value type here makes of annotations. */
public final class Annotations {
  private Annotations() {}

  /** The tag of a manifest in an OCI image layout's {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  public static final String CREATED = "org.opencontainers.image.created";

  static Map<String, String> copy(Map<String, String> in) {
    if (in == null || in.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(Objects.requireNonNull(k, "annotation key"), Objects.requireNonNull(v, "annotation value")));
    return Collections.unmodifiableMap(out);
  }
}
