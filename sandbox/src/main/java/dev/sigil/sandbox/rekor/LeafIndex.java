package dev.sigil.sandbox.rekor;

/**
 * Finds an entry's index from its leaf hash (the Rekor UUID) without storing the hash twice: an open-addressing
 * table of {@code index + 1} (0 = empty) keyed by the first 8 bytes of the leaf hash, which are uniformly
 * distributed; candidates are confirmed against the leaf store. At most half full: 4 to 8 bytes per entry. Indices
 * must fit in an int. Not thread-safe (the log calls it under its append lock).
 */
final class LeafIndex {
  private final HashStore leaves;
  private int[] table = new int[1 << 10];
  private int count;

  LeafIndex(HashStore leaves) {
    this.leaves = leaves;
  }

  /** The index of the entry whose leaf hash is {@code leafHash}, or -1. */
  long find(byte[] leafHash) {
    int mask = table.length - 1;
    for (int slot = (int) HashStore.prefixOf(leafHash) & mask; ; slot = (slot + 1) & mask) {
      int v = table[slot];
      if (v == 0) {
        return -1;
      }
      if (leaves.equalsAt(v - 1, leafHash)) {
        return v - 1;
      }
    }
  }

  /** Records that leaf {@code index} (already in the leaf store) has its hash. */
  void put(long index) {
    if (index >= Integer.MAX_VALUE - 1) {
      throw new IllegalStateException("log full: the UUID index holds at most 2^31 - 2 entries");
    }
    if (2L * (count + 1) > table.length) {
      grow();
    }
    insert(table, (int) index);
    count++;
  }

  private void insert(int[] t, int index) {
    int mask = t.length - 1;
    int slot = (int) leaves.prefix(index) & mask;
    while (t[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    t[slot] = index + 1;
  }

  private void grow() {
    int[] bigger = new int[table.length * 2];
    for (int v : table) {
      if (v != 0) {
        insert(bigger, v - 1);
      }
    }
    table = bigger;
  }
}
