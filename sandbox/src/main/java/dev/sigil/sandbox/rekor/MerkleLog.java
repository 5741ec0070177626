package dev.sigil.sandbox.rekor;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental RFC 6962 Merkle tree over leaf hashes, kept in memory.
 *
 * <p>Every complete, aligned subtree ("node") is hashed once, when its last leaf is appended, and never changes. Leaf
 * hashes (level 0) and nodes of level {@value #FIRST_STORED_LEVEL} and above are stored; levels 1 and 2 (subtrees of
 * 2 and 4 leaves) are recomputed from the leaves when needed (at most 3 hashes), which keeps memory at about 40 bytes
 * per leaf (32 for the leaf, 8 for the nodes above it) instead of 64. With the nodes at hand:
 *
 * <ul>
 *   <li>appending a leaf costs O(1) amortised hashes (two per leaf on average);
 *   <li>a root, or any subtree hash {@code MTH(D[lo:hi])}, costs O(log n) hashes: the range splits into at most log n
 *       complete nodes;
 *   <li>inclusion and consistency proofs cost O(log n) node look-ups plus, for siblings on the tree's right edge,
 *       O(log n) hashes each: O(log² n) hashes in the worst case (a few hundred for a billion leaves), for any past
 *       tree size as well as the current one.
 * </ul>
 *
 * <p>One writer ({@link #append}); readers may call the query methods concurrently for tree sizes the writer has
 * published to them (see {@link HashStore}).
 */
final class MerkleLog {
  static final int FIRST_STORED_LEVEL = 3;
  private static final int MAX_LEVELS = 64;

  private final HashStore leaves = new HashStore();
  private final HashStore[] levels = new HashStore[MAX_LEVELS];
  private final MessageDigest writerDigest = sha256(); // used by the single writer only

  MerkleLog() {
    levels[0] = leaves;
    for (int k = FIRST_STORED_LEVEL; k < MAX_LEVELS; k++) {
      levels[k] = new HashStore();
    }
  }

  /** Leaves appended so far (the writer's view; may exceed what is committed). */
  long size() {
    return leaves.size();
  }

  HashStore leaves() {
    return leaves;
  }

  byte[] leaf(long index) {
    return leaves.get(index);
  }

  /** Appends a leaf hash and hashes every node it completes. */
  void append(byte[] leafHash) {
    MessageDigest md = writerDigest;
    leaves.add(leafHash);
    long n = leaves.size();
    byte[] right = leafHash;
    for (int k = 1; (n & ((1L << k) - 1)) == 0; k++) {
      long j = (n >>> k) - 1; // the node of level k this leaf completes
      right = nodeHash(md, node(md, k - 1, 2 * j), right);
      if (k >= FIRST_STORED_LEVEL) {
        levels[k].add(right);
      }
    }
  }

  /**
   * The hash of complete subtree {@code j} of level {@code k} (its {@code 2^k} leaves from {@code j * 2^k}); the
   * caller makes sure the writer has appended all of them.
   */
  byte[] subtree(int k, long j) {
    return node(sha256(), k, j);
  }

  /** {@code MTH(D[0:size])}. */
  byte[] root(long size) {
    checkSize(size);
    MessageDigest md = sha256();
    if (size == 0) {
      return md.digest();
    }
    return range(md, 0, size);
  }

  /** The audit path for leaf {@code index} in the tree of {@code size} leaves, leaf's sibling first. */
  List<byte[]> inclusionProof(long index, long size) {
    checkSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf index: expected 0 <= index < " + size + ", found " + index);
    }
    List<byte[]> out = new ArrayList<>(64);
    path(sha256(), index, 0, size, out);
    return out;
  }

  /** The RFC 6962 consistency proof from tree size {@code oldSize} to {@code newSize}. */
  List<byte[]> consistencyProof(long oldSize, long newSize) {
    checkSize(newSize);
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "old tree size: expected 0 <= size <= " + newSize + ", found " + oldSize);
    }
    List<byte[]> out = new ArrayList<>(64);
    if (oldSize > 0 && oldSize < newSize) {
      subproof(sha256(), oldSize, 0, newSize, true, out);
    }
    return out;
  }

  private void checkSize(long size) {
    if (size < 0 || size > leaves.size()) {
      throw new IllegalArgumentException(
          "tree size: expected 0 <= size <= " + leaves.size() + ", found " + size);
    }
  }

  /** The hash of the complete subtree of level {@code k} (2^k leaves) numbered {@code j} from the left. */
  private byte[] node(MessageDigest md, int k, long j) {
    if (k == 0 || k >= FIRST_STORED_LEVEL) {
      return levels[k].get(j);
    }
    return nodeHash(md, node(md, k - 1, 2 * j), node(md, k - 1, 2 * j + 1));
  }

  /** {@code MTH(D[lo:hi])} for {@code hi > lo}, where {@code lo} is aligned as RFC 6962's recursion leaves it. */
  private byte[] range(MessageDigest md, long lo, long hi) {
    long n = hi - lo;
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      return node(md, Long.numberOfTrailingZeros(n), lo / n);
    }
    long k = Long.highestOneBit(n - 1);
    return nodeHash(md, range(md, lo, lo + k), range(md, lo + k, hi));
  }

  private void path(MessageDigest md, long m, long lo, long hi, List<byte[]> out) {
    long n = hi - lo;
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m - lo < k) {
      path(md, m, lo, lo + k, out);
      out.add(range(md, lo + k, hi));
    } else {
      path(md, m, lo + k, hi, out);
      out.add(range(md, lo, lo + k));
    }
  }

  /** SUBPROOF(m, D[lo:hi], b) of RFC 6962 section 2.1.2, with {@code m} counted from {@code lo}. */
  private void subproof(MessageDigest md, long m, long lo, long hi, boolean b, List<byte[]> out) {
    long n = hi - lo;
    if (m == n) {
      if (!b) {
        out.add(range(md, lo, hi));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(md, m, lo, lo + k, b, out);
      out.add(range(md, lo + k, hi));
    } else {
      subproof(md, m - k, lo + k, hi, false, out);
      out.add(range(md, lo, lo + k));
    }
  }

  static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  static byte[] leafHash(byte[] data) {
    MessageDigest md = sha256();
    md.update((byte) 0x00);
    md.update(data);
    return md.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
