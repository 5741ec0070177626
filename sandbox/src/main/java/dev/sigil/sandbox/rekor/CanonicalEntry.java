package dev.sigil.sandbox.rekor;

import java.util.Objects;

/**
 * A validated entry in the canonical form the log stores: the exact bytes that are hashed into the tree and served as
 * {@code body} (base64) by the Rekor v1 API.
 *
 * @param kind the entry type, {@code hashedrekord} or {@code dsse}
 * @param apiVersion the type's version, {@code 0.0.1}
 * @param body the canonicalized body: RFC 8785 JSON; a defensive copy
 */
public record CanonicalEntry(String kind, String apiVersion, byte[] body) {
  public CanonicalEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(apiVersion, "apiVersion");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The Rekor v1 entry UUID: hex of the RFC 6962 leaf hash of the body. */
  public String uuid() {
    return java.util.HexFormat.of().formatHex(MerkleLog.leafHash(body));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalEntry c
        && kind.equals(c.kind)
        && apiVersion.equals(c.apiVersion)
        && java.util.Arrays.equals(body, c.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, apiVersion, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "CanonicalEntry[" + kind + " " + apiVersion + ", " + body.length + " bytes]";
  }
}
