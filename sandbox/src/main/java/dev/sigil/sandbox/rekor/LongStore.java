package dev.sigil.sandbox.rekor;

import java.util.Arrays;

/** An append-only array of longs in chunks; same threading rules as {@link HashStore}. */
final class LongStore {
  private static final int CHUNK_SHIFT = 16;
  private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;

  private volatile long[][] chunks = new long[4][];
  private volatile long size; // written by the one writer only

  long size() {
    return size;
  }

  void add(long v) {
    int chunk = (int) (size >>> CHUNK_SHIFT);
    long[][] cs = chunks;
    if (chunk >= cs.length) {
      cs = Arrays.copyOf(cs, cs.length * 2);
      chunks = cs;
    }
    if (cs[chunk] == null) {
      cs[chunk] = new long[CHUNK_SIZE];
      chunks = cs;
    }
    cs[chunk][(int) (size & CHUNK_MASK)] = v;
    size++;
  }

  long get(long i) {
    return chunks[(int) (i >>> CHUNK_SHIFT)][(int) (i & CHUNK_MASK)];
  }
}
