package dev.sigil.verifier;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Hashes a stream with several algorithms in one pass, in constant memory. Uses the JDK's digests, which have CPU
 * intrinsics for SHA-2 and are several times faster than pure-Java implementations on large artifacts.
 */
public final class ArtifactDigests {
  private static final int BUFFER = 64 * 1024;

  private ArtifactDigests() {}

  /** Reads the stream to its end (without closing it) and returns each requested digest. */
  public static Map<HashAlgorithm, byte[]> digest(InputStream in, Set<HashAlgorithm> algorithms) throws IOException {
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one digest algorithm is needed");
    }
    // The first Digests.LARGE bytes are read before choosing the digests: a small artifact is hashed with the
    // verifier's own SHA-2 (no JCA start-up in a one-shot run), a large one with the JDK's (faster per byte).
    byte[] head = in.readNBytes(Digests.LARGE);
    boolean large = head.length == Digests.LARGE;
    Map<HashAlgorithm, MessageDigest> mds = new EnumMap<>(HashAlgorithm.class);
    for (HashAlgorithm a : algorithms) {
      mds.put(a, large ? Digests.forLargeInput(a) : Digests.newDigest(a));
    }
    for (MessageDigest md : mds.values()) {
      md.update(head);
    }
    if (large) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (MessageDigest md : mds.values()) {
          md.update(buf, 0, n);
        }
      }
    }
    Map<HashAlgorithm, byte[]> out = new EnumMap<>(HashAlgorithm.class);
    for (Map.Entry<HashAlgorithm, MessageDigest> e : mds.entrySet()) {
      out.put(e.getKey(), e.getValue().digest());
    }
    return out;
  }
}
