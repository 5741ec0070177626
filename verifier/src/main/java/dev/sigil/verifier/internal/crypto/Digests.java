package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-2 digests for the verifier: {@link Sha2} for the small inputs of verification itself (certificates, log
 * entries, Merkle nodes, signed notes: a few kilobytes), the JDK's digests for large artifacts, where its SHA-NI
 * code is faster and its start-up cost (~17 ms in a one-shot run) does not matter. Callers hashing a stream of
 * unknown size use {@link #forLargeInput} once it passes {@link #LARGE} bytes.
 */
public final class Digests {
  /** Inputs at least this long are hashed with the JDK's digests. */
  public static final int LARGE = 1 << 20;

  private Digests() {}

  /** A fresh digest ({@link Sha2}: loads nothing). */
  public static MessageDigest newDigest(HashAlgorithm algorithm) {
    return new Sha2(algorithm);
  }

  /** {@code algorithm(data)}: {@link Sha2} below {@link #LARGE} bytes, the JDK's digest from there. */
  public static byte[] digest(HashAlgorithm algorithm, byte[] data) {
    return (data.length >= LARGE ? forLargeInput(algorithm) : newDigest(algorithm)).digest(data);
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    return digest(HashAlgorithm.SHA2_256, data);
  }

  /**
   * The JDK's digest, for inputs long enough that its intrinsics pay for its start-up: a clone of a never-updated
   * prototype (cloning only reads it, so sharing it across threads is safe), cheaper than a provider lookup.
   */
  public static MessageDigest forLargeInput(HashAlgorithm algorithm) {
    MessageDigest prototype =
        switch (algorithm) {
          case SHA2_256 -> JdkPrototypes.SHA256;
          case SHA2_384 -> JdkPrototypes.SHA384;
          case SHA2_512 -> JdkPrototypes.SHA512;
        };
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return jdk(algorithm);
    }
  }

  private static MessageDigest jdk(HashAlgorithm algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.jcaName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm.jcaName() + " is in every JDK", e);
    }
  }

  /** Built on first use: a one-shot run never starts the JCA. */
  private static final class JdkPrototypes {
    static final MessageDigest SHA256 = jdk(HashAlgorithm.SHA2_256);
    static final MessageDigest SHA384 = jdk(HashAlgorithm.SHA2_384);
    static final MessageDigest SHA512 = jdk(HashAlgorithm.SHA2_512);
  }
}
