package dev.sigil.verifier;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** Hashes a stream with several algorithms in one pass, in constant memory. */
public final class ArtifactDigests {
  private static final int BUFFER = 64 * 1024;

  private ArtifactDigests() {}

  /**
   * Reads the stream to its end (without closing it) and returns each requested digest, computed with the JDK's
   * digests (whose SHA-2 intrinsics make them the fastest once the JIT has compiled them).
   */
  public static Map<HashAlgorithm, byte[]> digest(InputStream in, Set<HashAlgorithm> algorithms) throws IOException {
    return digest(in, algorithms, CryptoBackend.jca());
  }

  /** As {@link #digest(InputStream, Set)}, with {@code crypto}'s digests. */
  public static Map<HashAlgorithm, byte[]> digest(InputStream in, Set<HashAlgorithm> algorithms, CryptoBackend crypto)
      throws IOException {
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one digest algorithm is needed");
    }
    Map<HashAlgorithm, MessageDigest> mds = new EnumMap<>(HashAlgorithm.class);
    for (HashAlgorithm a : algorithms) {
      mds.put(a, crypto.newDigest(a));
    }
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) > 0) {
      for (MessageDigest md : mds.values()) {
        md.update(buf, 0, n);
      }
    }
    Map<HashAlgorithm, byte[]> out = new EnumMap<>(HashAlgorithm.class);
    for (Map.Entry<HashAlgorithm, MessageDigest> e : mds.entrySet()) {
      out.put(e.getKey(), e.getValue().digest());
    }
    return out;
  }
}
