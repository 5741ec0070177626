package dev.sigil.verifier.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * SHA-2 digests for the verifier, as {@link MessageDigest}s backed by BouncyCastle's pure-Java digests.
 *
 * <p>Why not the JDK's: its first SHA-2 digest in a process loads the JCA provider list and the SUN provider, and its
 * SHA-2 code builds VarHandles on first use, ~17 ms together in a one-shot CLI run (profiled), more than all the
 * hashing a verification does. The JDK's digests are faster on large inputs (SHA-NI intrinsics), so callers hashing
 * an artifact of unknown size use {@link #forLargeInput} past {@link #LARGE}, where those milliseconds do not
 * matter. The inputs hashed in verification itself (certificates, log entries, Merkle nodes, signed notes) are a few
 * kilobytes.
 */
public final class Digests {
  /** Inputs at least this long are hashed with the JDK's digests. */
  public static final int LARGE = 1 << 20;

  private Digests() {}

  /** A fresh BouncyCastle-backed digest. */
  public static MessageDigest newDigest(HashAlgorithm algorithm) {
    return new Bc(algorithm, bc(algorithm));
  }

  /** {@code algorithm(data)}: BouncyCastle's digest below {@link #LARGE} bytes, the JDK's from there. */
  public static byte[] digest(HashAlgorithm algorithm, byte[] data) {
    return (data.length >= LARGE ? forLargeInput(algorithm) : newDigest(algorithm)).digest(data);
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    return digest(HashAlgorithm.SHA2_256, data);
  }

  /** The JDK's digest, for inputs long enough that its intrinsics pay for its start-up. */
  public static MessageDigest forLargeInput(HashAlgorithm algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.jcaName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm.jcaName() + " is in every JDK", e);
    }
  }

  private static ExtendedDigest bc(HashAlgorithm algorithm) {
    return switch (algorithm) {
      case SHA2_256 -> new SHA256Digest();
      case SHA2_384 -> new SHA384Digest();
      case SHA2_512 -> new SHA512Digest();
    };
  }

  /** A BouncyCastle digest behind the MessageDigest API (no provider: {@link #getProvider()} is null). */
  private static final class Bc extends MessageDigest implements Cloneable {
    private final HashAlgorithm algorithm;
    private final ExtendedDigest digest;

    Bc(HashAlgorithm algorithm, ExtendedDigest digest) {
      super(algorithm.jcaName());
      this.algorithm = algorithm;
      this.digest = digest;
    }

    @Override
    protected void engineUpdate(byte input) {
      digest.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      digest.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      byte[] out = new byte[digest.getDigestSize()];
      digest.doFinal(out, 0);
      return out;
    }

    @Override
    protected void engineReset() {
      digest.reset();
    }

    @Override
    protected int engineGetDigestLength() {
      return digest.getDigestSize();
    }

    @Override
    public Object clone() {
      ExtendedDigest copy =
          switch (algorithm) {
            case SHA2_256 -> new SHA256Digest((SHA256Digest) digest);
            case SHA2_384 -> new SHA384Digest((SHA384Digest) digest);
            case SHA2_512 -> new SHA512Digest((SHA512Digest) digest);
          };
      return new Bc(algorithm, copy);
    }
  }
}
