package dev.sigil.verifier.bundle;

import java.util.Optional;

/** Digest algorithms as the Sigstore protobuf specs name them, with their JCA names and lengths. */
public enum HashAlgorithm {
  SHA2_256("SHA-256", 32),
  SHA2_384("SHA-384", 48),
  SHA2_512("SHA-512", 64);

  private final String jcaName;
  private final int length;

  HashAlgorithm(String jcaName, int length) {
    this.jcaName = jcaName;
    this.length = length;
  }

  public String jcaName() {
    return jcaName;
  }

  /** Digest length in bytes. */
  public int length() {
    return length;
  }

  /** Looks up a protobuf-specs name such as {@code SHA2_256}. */
  public static Optional<HashAlgorithm> fromSpecName(String name) {
    for (HashAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
