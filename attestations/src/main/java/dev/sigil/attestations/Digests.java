package dev.sigil.attestations;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hashes an artifact with several SHA-2 algorithms in one pass, so a file is read once whatever algorithms its
 * statement's subjects use. Uses the JDK's {@code MessageDigest} (SHA-NI where the CPU has it).
 */
public final class Digests {
  private static final int BUFFER = 64 * 1024;

  private Digests() {}

  /**
   * Reads {@code in} to its end (without closing it) and returns its digests under each of {@code algorithms}, as a
   * DigestSet with lowercase hex values.
   *
   * @throws IllegalArgumentException if {@code algorithms} is empty
   */
  public static DigestSet of(InputStream in, Set<DigestAlgorithm> algorithms) throws IOException {
    DigestAlgorithm[] algs = algorithms.toArray(new DigestAlgorithm[0]);
    MessageDigest[] mds = digesters(algs);
    byte[] buf = new byte[BUFFER];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      for (MessageDigest md : mds) {
        md.update(buf, 0, n);
      }
    }
    return result(algs, mds);
  }

  /** The digests of {@code data} under each of {@code algorithms}. */
  public static DigestSet of(byte[] data, Set<DigestAlgorithm> algorithms) {
    DigestAlgorithm[] algs = algorithms.toArray(new DigestAlgorithm[0]);
    MessageDigest[] mds = digesters(algs);
    for (MessageDigest md : mds) {
      md.update(data);
    }
    return result(algs, mds);
  }

  private static MessageDigest[] digesters(DigestAlgorithm[] algorithms) {
    if (algorithms.length == 0) {
      throw new IllegalArgumentException("expected at least one digest algorithm");
    }
    MessageDigest[] mds = new MessageDigest[algorithms.length];
    int i = 0;
    for (DigestAlgorithm a : algorithms) {
      try {
        mds[i++] = MessageDigest.getInstance(a.jcaName());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java 17 runtime provides " + a.jcaName(), e);
      }
    }
    return mds;
  }

  private static DigestSet result(DigestAlgorithm[] algs, MessageDigest[] mds) {
    TreeMap<String, String> m = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < algs.length; i++) {
      m.put(algs[i].inTotoName(), hex.formatHex(mds[i].digest()));
    }
    return new DigestSet(m);
  }
}
