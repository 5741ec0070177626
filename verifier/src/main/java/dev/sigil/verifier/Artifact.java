package dev.sigil.verifier;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What was signed, as the verifier sees it: one or more digests, and the content itself when the caller has it in
 * memory (only Ed25519 message signatures need it). The verifier never reads files; callers hash streams with
 * {@link ArtifactDigests}.
 */
public final class Artifact {
  private final Map<HashAlgorithm, byte[]> digests;
  private final byte[] content;

  private Artifact(Map<HashAlgorithm, byte[]> digests, byte[] content) {
    this.digests = digests;
    this.content = content;
  }

  /** An artifact known only by its digest. */
  public static Artifact ofDigest(HashAlgorithm algorithm, byte[] digest) {
    if (digest.length != algorithm.length()) {
      throw new IllegalArgumentException(
          algorithm + " digest must be " + algorithm.length() + " bytes, found " + digest.length);
    }
    Map<HashAlgorithm, byte[]> m = new EnumMap<>(HashAlgorithm.class);
    m.put(algorithm, digest.clone());
    return new Artifact(m, null);
  }

  /** An artifact known by several digests (as {@link ArtifactDigests} computes in one pass). */
  public static Artifact ofDigests(Map<HashAlgorithm, byte[]> digests) {
    if (digests.isEmpty()) {
      throw new IllegalArgumentException("an artifact needs at least one digest");
    }
    Map<HashAlgorithm, byte[]> m = new EnumMap<>(HashAlgorithm.class);
    for (Map.Entry<HashAlgorithm, byte[]> e : digests.entrySet()) {
      m.put(e.getKey(), e.getValue().clone());
    }
    return new Artifact(m, null);
  }

  /** An artifact held in memory; every supported digest is computed (with the JDK's digests). */
  public static Artifact ofContent(byte[] content) {
    return ofContent(content, CryptoBackend.jca());
  }

  /** As {@link #ofContent(byte[])}, the digests computed with {@code crypto}. */
  public static Artifact ofContent(byte[] content, CryptoBackend crypto) {
    Map<HashAlgorithm, byte[]> m = new EnumMap<>(HashAlgorithm.class);
    for (HashAlgorithm a : HashAlgorithm.values()) {
      m.put(a, crypto.digest(a, content));
    }
    return new Artifact(m, content.clone());
  }

  /** Parses {@code sha256:<64 hex>} (also sha384 and sha512), or empty if the text is not of that form. */
  public static Optional<Artifact> parseDigestReference(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    HashAlgorithm alg =
        switch (text.substring(0, colon)) {
          case "sha256" -> HashAlgorithm.SHA2_256;
          case "sha384" -> HashAlgorithm.SHA2_384;
          case "sha512" -> HashAlgorithm.SHA2_512;
          default -> null;
        };
    String hex = text.substring(colon + 1);
    if (alg == null || hex.length() != alg.length() * 2) {
      return Optional.empty();
    }
    for (int i = 0; i < hex.length(); i++) {
      if (!isHex(hex.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(ofDigest(alg, HexFormat.of().parseHex(hex)));
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  public Optional<byte[]> digest(HashAlgorithm algorithm) {
    byte[] d = digests.get(algorithm);
    return d == null ? Optional.empty() : Optional.of(d.clone());
  }

  /** The algorithms this artifact has digests for. */
  public java.util.Set<HashAlgorithm> algorithms() {
    return java.util.Collections.unmodifiableSet(digests.keySet());
  }

  public Optional<byte[]> content() {
    return content == null ? Optional.empty() : Optional.of(content.clone());
  }

  /** e.g. {@code sha256:ab12...}, using the strongest-preference digest held (SHA-256 first). */
  @Override
  public String toString() {
    HashAlgorithm a = digests.containsKey(HashAlgorithm.SHA2_256) ? HashAlgorithm.SHA2_256 : digests.keySet().iterator().next();
    return a.name().toLowerCase(java.util.Locale.ROOT).replace("sha2_", "sha") + ":" + HexFormat.of().formatHex(digests.get(a));
  }
}
