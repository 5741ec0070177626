package dev.sigil.attestations;

import java.util.Optional;

/**
 * The digest algorithms by which a subject can match an artifact: SHA-256, SHA-384 and SHA-512, named as in-toto
 * DigestSets name them. Other DigestSet entries (sha1, gitCommit, sha512_256, ...) are kept in a {@link DigestSet} but
 * never match an artifact.
 */
public enum DigestAlgorithm {
  SHA256("sha256", "SHA-256", 32),
  SHA384("sha384", "SHA-384", 48),
  SHA512("sha512", "SHA-512", 64);

  private final String inTotoName;
  private final String jcaName;
  private final int length;

  DigestAlgorithm(String inTotoName, String jcaName, int length) {
    this.inTotoName = inTotoName;
    this.jcaName = jcaName;
    this.length = length;
  }

  /** The DigestSet key, e.g. {@code sha512}. */
  public String inTotoName() {
    return inTotoName;
  }

  /** The JCA {@code MessageDigest} name, e.g. {@code SHA-512}. */
  public String jcaName() {
    return jcaName;
  }

  /** Digest length in bytes. */
  public int length() {
    return length;
  }

  /** Digest length in hex characters. */
  public int hexLength() {
    return 2 * length;
  }

  /** The algorithm with this exact DigestSet key ({@code sha256}, {@code sha384}, {@code sha512}), if any. */
  public static Optional<DigestAlgorithm> fromInTotoName(String name) {
    for (DigestAlgorithm a : values()) {
      if (a.inTotoName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
