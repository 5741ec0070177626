package dev.sigil.cli;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which SHA-2 code hashes artifacts, one choice per process. {@code bin/sigil} chooses it with the JIT from the size of
 * the inputs (its run profile, passed as {@code -Dsigil.profile}; docs/launcher.md); nothing here
 * looks at sizes.
 */
enum DigestSource {
  /**
   * The JDK's {@link MessageDigest}: with C2, the CPU's SHA instructions. The default, and the throughput profile.
   */
  JDK,
  /**
   * The fast-start backend's own SHA-2 ({@link CliCrypto}), which loads nothing: the fast-start profile, which runs C1 only. C1 compiles neither to
   * the SHA instructions, so both hash at the same speed there, and the JDK's would cost a one-shot run ~18 ms of JCA
   * provider and VarHandle start-up.
   */
  FAST_START;

  /** The source {@code bin/sigil}'s profile names; {@link #JDK} when run otherwise. */
  static DigestSource forThisProcess() {
    return "fast-start".equals(System.getProperty("sigil.profile")) ? FAST_START : JDK;
  }

  MessageDigest newDigest(HashAlgorithm algorithm) {
    if (this == FAST_START) {
      return CliCrypto.BACKEND.newDigest(algorithm);
    }
    try {
      return MessageDigest.getInstance(algorithm.jcaName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm.jcaName() + " is in every JDK", e);
    }
  }
}
