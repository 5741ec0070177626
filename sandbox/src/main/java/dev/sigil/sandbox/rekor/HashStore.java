package dev.sigil.sandbox.rekor;

import java.util.Arrays;

/**
 * An append-only array of 32-byte hashes in 1 MiB chunks (no large copies as it grows). One writer appends; any
 * number of readers may read indices the writer published to them through a happens-before edge (the log publishes
 * its committed size through a volatile field). Not thread-safe for concurrent writers.
 */
final class HashStore {
  static final int HASH = 32;
  private static final int CHUNK_SHIFT = 15; // 32768 hashes, 1 MiB per chunk
  private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;

  private volatile byte[][] chunks = new byte[4][];
  private volatile long size; // written by the one writer only

  long size() {
    return size;
  }

  void add(byte[] hash) {
    add(hash, 0);
  }

  void add(byte[] src, int off) {
    int chunk = (int) (size >>> CHUNK_SHIFT);
    byte[][] cs = chunks;
    if (chunk >= cs.length) {
      cs = Arrays.copyOf(cs, cs.length * 2);
      chunks = cs;
    }
    if (cs[chunk] == null) {
      cs[chunk] = new byte[CHUNK_SIZE * HASH];
      chunks = cs; // republish so readers that see the new size see the chunk
    }
    System.arraycopy(src, off, cs[chunk], (int) (size & CHUNK_MASK) * HASH, HASH);
    size++;
  }

  byte[] get(long i) {
    byte[] out = new byte[HASH];
    System.arraycopy(chunks[(int) (i >>> CHUNK_SHIFT)], (int) (i & CHUNK_MASK) * HASH, out, 0, HASH);
    return out;
  }

  /** The first 8 bytes of hash {@code i}, big-endian: a well-mixed key for hash tables. */
  long prefix(long i) {
    byte[] c = chunks[(int) (i >>> CHUNK_SHIFT)];
    int o = (int) (i & CHUNK_MASK) * HASH;
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (c[o + k] & 0xff);
    }
    return v;
  }

  boolean equalsAt(long i, byte[] hash) {
    byte[] c = chunks[(int) (i >>> CHUNK_SHIFT)];
    int o = (int) (i & CHUNK_MASK) * HASH;
    return Arrays.equals(c, o, o + HASH, hash, 0, HASH);
  }

  /** Bytes held, for reporting. */
  long bytesAllocated() {
    long n = 0;
    for (byte[] c : chunks) {
      if (c != null) {
        n += c.length;
      }
    }
    return n;
  }

  static long prefixOf(byte[] hash) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (hash[k] & 0xff);
    }
    return v;
  }
}
