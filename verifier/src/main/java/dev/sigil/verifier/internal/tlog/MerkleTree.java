package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.Outcome;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256: leaf and node hashes, tree heads, and inclusion and consistency
 * proofs (generation and verification).
 *
 * <p>Verification never throws for a bad proof: it returns a {@link Outcome} whose failure reason names what was
 * checked, what was expected and what was found. Generation (used by tests and by a future log server) takes trusted
 * input and throws {@link IllegalArgumentException} for out-of-range arguments.
 *
 * <p>All methods are static and thread-safe; every call uses its own {@link MessageDigest}, the default backend's
 * unless one is passed.
 */
public final class MerkleTree {
  /** Length of a SHA-256 hash, the only hash this class implements. */
  public static final int HASH_LENGTH = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final HexFormat HEX = HexFormat.of();

  private MerkleTree() {}

  /** {@code SHA-256(0x00 || data)}: the hash of one log entry. */
  public static byte[] leafHash(byte[] data) {
    return leafHash(sha256(), data);
  }

  /** {@link #leafHash(byte[])} with a given fresh SHA-256 digest. */
  public static byte[] leafHash(MessageDigest md, byte[] data) {
    Objects.requireNonNull(data, "data");
    if (!"SHA-256".equals(md.getAlgorithm()) || md.getDigestLength() != HASH_LENGTH) {
      throw new IllegalArgumentException("leaf hash: expected a SHA-256 digest, found " + md.getAlgorithm());
    }
    md.update(LEAF_PREFIX);
    md.update(data);
    return md.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}: the hash of an interior node. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    return nodeHash(sha256(), left, right);
  }

  /** The root of the empty tree, {@code SHA-256()} of no input. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /**
   * The Merkle tree hash (RFC 6962 section 2.1) of a list of leaf hashes, in log order.
   *
   * @param leafHashes leaf hashes ({@link #leafHash(byte[])} of each entry), each {@value #HASH_LENGTH} bytes
   */
  public static byte[] rootOf(List<byte[]> leafHashes) {
    checkLeaves(leafHashes);
    if (leafHashes.isEmpty()) {
      return emptyRoot();
    }
    return subtreeRoot(sha256(), leafHashes, 0, leafHashes.size());
  }

  /**
   * The audit path (RFC 6962 section 2.1.1) proving leaf {@code index} is in the tree of {@code leafHashes}, ordered
   * from the leaf's sibling up towards the root, as {@link #verifyInclusion} expects.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code [0, leafHashes.size())}
   */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
    checkLeaves(leafHashes);
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException(
          "leaf index: expected 0 <= index < " + leafHashes.size() + ", found " + index);
    }
    List<byte[]> proof = new ArrayList<>();
    path(sha256(), leafHashes, index, 0, leafHashes.size(), proof);
    return List.copyOf(proof);
  }

  /**
   * The consistency proof (RFC 6962 section 2.1.2) from the tree of the first {@code oldSize} leaves to the tree of
   * all of {@code leafHashes}. Empty when {@code oldSize} is 0 or equals the full size.
   *
   * @throws IllegalArgumentException if {@code oldSize} is not in {@code [0, leafHashes.size()]}
   */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int oldSize) {
    checkLeaves(leafHashes);
    if (oldSize < 0 || oldSize > leafHashes.size()) {
      throw new IllegalArgumentException(
          "old tree size: expected 0 <= size <= " + leafHashes.size() + ", found " + oldSize);
    }
    List<byte[]> proof = new ArrayList<>();
    if (oldSize > 0 && oldSize < leafHashes.size()) {
      subproof(sha256(), leafHashes, oldSize, 0, leafHashes.size(), true, proof);
    }
    return List.copyOf(proof);
  }

  /**
   * The number of hashes a valid inclusion proof has for leaf {@code index} in a tree of {@code treeSize} leaves.
   * Both must satisfy {@code 0 <= index < treeSize}.
   */
  public static int inclusionProofLength(long index, long treeSize) {
    if (index < 0 || treeSize <= 0 || index >= treeSize) {
      throw new IllegalArgumentException(
          "expected 0 <= index < treeSize, found index " + index + " and treeSize " + treeSize);
    }
    int inner = 64 - Long.numberOfLeadingZeros(index ^ (treeSize - 1));
    int border = Long.bitCount(index >>> inner);
    return inner + border;
  }

  /**
   * Recomputes the root hash from an inclusion proof, with the algorithm of RFC 9162 section 2.1.3.2. Fails (rather
   * than computing a meaningless root) when the proof's shape is invalid: a negative value, an index outside the tree,
   * a leaf or proof hash that is not {@value #HASH_LENGTH} bytes, or the wrong number of hashes for the index and size.
   */
  public static Outcome<byte[]> rootFromInclusionProof(
      long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
    return rootFromInclusionProof(sha256(), index, treeSize, leafHash, proof);
  }

  /** As {@link #rootFromInclusionProof(long, long, byte[], List)}, hashing with {@code md} (a SHA-256 digest). */
  public static Outcome<byte[]> rootFromInclusionProof(
      MessageDigest md, long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
    String shape = inclusionShapeProblem(index, treeSize, leafHash, proof);
    if (shape != null) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID, shape);
    }
    md.reset();
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash.clone();
    for (byte[] p : proof) {
      if (sn == 0) {
        // Unreachable after the length check above; kept because it is step 4a of the RFC algorithm.
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "inclusion proof: has more hashes than leaf index " + index + " in tree size " + treeSize + " needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(md, p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = nodeHash(md, r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "inclusion proof: has too few hashes for leaf index " + index + " in tree size " + treeSize);
    }
    return Outcome.ok(r);
  }

  /**
   * Verifies that {@code leafHash} is leaf {@code index} of the tree of size {@code treeSize} whose root is {@code
   * expectedRoot} (RFC 9162 section 2.1.3.2). On success the result carries the verified root.
   */
  public static Outcome<byte[]> verifyInclusion(
      long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] expectedRoot) {
    return verifyInclusion(sha256(), index, treeSize, leafHash, proof, expectedRoot);
  }

  /** As {@link #verifyInclusion(long, long, byte[], List, byte[])}, hashing with {@code md} (a SHA-256 digest). */
  public static Outcome<byte[]> verifyInclusion(
      MessageDigest md, long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] expectedRoot) {
    if (expectedRoot == null) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID, "expected root hash: missing (null)");
    }
    if (expectedRoot.length != HASH_LENGTH) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "expected root hash: expected " + HASH_LENGTH + " bytes, found " + expectedRoot.length);
    }
    Outcome<byte[]> computed = rootFromInclusionProof(md, index, treeSize, leafHash, proof);
    if (!computed.isOk()) {
      return computed;
    }
    byte[] root = computed.value();
    if (!MessageDigest.isEqual(root, expectedRoot)) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "root hash: expected "
              + HEX.formatHex(expectedRoot)
              + ", computed "
              + HEX.formatHex(root)
              + " from the inclusion proof for leaf index "
              + index
              + " in tree size "
              + treeSize);
    }
    return Outcome.ok(root);
  }

  /**
   * Verifies that the tree of size {@code newSize} with root {@code newRoot} extends the tree of size {@code oldSize}
   * with root {@code oldRoot} (RFC 9162 section 2.1.4.2). Equal sizes need an empty proof and equal roots; an old size
   * of 0 needs an empty proof (every tree extends the empty tree). On success the result carries {@code newRoot}.
   */
  public static Outcome<byte[]> verifyConsistency(
      long oldSize, long newSize, List<byte[]> proof, byte[] oldRoot, byte[] newRoot) {
    if (oldSize < 0 || newSize < 0) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "tree sizes: expected non-negative values, found old size " + oldSize + " and new size " + newSize);
    }
    if (oldSize > newSize) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "tree sizes: expected old size <= new size, found old size " + oldSize + " > new size " + newSize);
    }
    String hashes = hashListProblem("consistency proof", proof);
    if (hashes != null) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID, hashes);
    }
    String roots = rootProblem("old root hash", oldRoot);
    if (roots == null) {
      roots = rootProblem("new root hash", newRoot);
    }
    if (roots != null) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID, roots);
    }
    if (oldSize == newSize) {
      if (!proof.isEmpty()) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "consistency proof: expected no hashes for equal tree sizes, found " + proof.size());
      }
      if (!MessageDigest.isEqual(oldRoot, newRoot)) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "root hashes: expected equal roots for equal tree sizes "
                + oldSize
                + ", found "
                + HEX.formatHex(oldRoot)
                + " and "
                + HEX.formatHex(newRoot));
      }
      return Outcome.ok(newRoot.clone());
    }
    if (oldSize == 0) {
      if (!proof.isEmpty()) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "consistency proof: expected no hashes from the empty tree, found " + proof.size());
      }
      return Outcome.ok(newRoot.clone());
    }
    int expected = consistencyProofLength(oldSize, newSize);
    if (proof.size() != expected) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "consistency proof: expected "
              + expected
              + " hashes from tree size "
              + oldSize
              + " to "
              + newSize
              + ", found "
              + proof.size());
    }
    MessageDigest md = sha256();
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(oldSize) == 1) {
      path.add(oldRoot);
    }
    path.addAll(proof);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "consistency proof: has more hashes than tree size " + oldSize + " to " + newSize + " needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(md, c, fr);
        sr = nodeHash(md, c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = nodeHash(md, sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "consistency proof: has too few hashes for tree size " + oldSize + " to " + newSize);
    }
    if (!MessageDigest.isEqual(fr, oldRoot)) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "old root hash: expected "
              + HEX.formatHex(oldRoot)
              + ", computed "
              + HEX.formatHex(fr)
              + " from the consistency proof for tree size "
              + oldSize
              + " to "
              + newSize);
    }
    if (!MessageDigest.isEqual(sr, newRoot)) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "new root hash: expected "
              + HEX.formatHex(newRoot)
              + ", computed "
              + HEX.formatHex(sr)
              + " from the consistency proof for tree size "
              + oldSize
              + " to "
              + newSize);
    }
    return Outcome.ok(newRoot.clone());
  }

  /**
   * The number of hashes a valid consistency proof has from tree size {@code oldSize} to {@code newSize}, for {@code
   * 0 < oldSize < newSize}: the inclusion path of the old tree's last complete subtree within the new tree, plus that
   * subtree's own hash unless the old tree is exactly that subtree (a power of two).
   */
  static int consistencyProofLength(long oldSize, long newSize) {
    int level = Long.numberOfTrailingZeros(oldSize);
    long index = (oldSize - 1) >>> level;
    long size = ((newSize - 1) >>> level) + 1;
    int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    int border = Long.bitCount(index >>> inner);
    return inner + border + (index == 0 ? 0 : 1);
  }

  private static String inclusionShapeProblem(long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
    if (index < 0) {
      return "leaf index: expected a non-negative value, found " + index;
    }
    if (treeSize < 0) {
      return "tree size: expected a non-negative value, found " + treeSize;
    }
    if (index >= treeSize) {
      return "leaf index: expected less than tree size " + treeSize + ", found " + index;
    }
    if (leafHash == null) {
      return "leaf hash: missing (null)";
    }
    if (leafHash.length != HASH_LENGTH) {
      return "leaf hash: expected " + HASH_LENGTH + " bytes, found " + leafHash.length;
    }
    String hashes = hashListProblem("inclusion proof", proof);
    if (hashes != null) {
      return hashes;
    }
    int expected = inclusionProofLength(index, treeSize);
    if (proof.size() != expected) {
      return "inclusion proof: expected "
          + expected
          + " hashes for leaf index "
          + index
          + " in tree size "
          + treeSize
          + ", found "
          + proof.size();
    }
    return null;
  }

  private static String hashListProblem(String what, List<byte[]> hashes) {
    if (hashes == null) {
      return what + ": missing (null)";
    }
    for (int i = 0; i < hashes.size(); i++) {
      byte[] h = hashes.get(i);
      if (h == null) {
        return what + " hash " + i + ": missing (null)";
      }
      if (h.length != HASH_LENGTH) {
        return what + " hash " + i + ": expected " + HASH_LENGTH + " bytes, found " + h.length;
      }
    }
    return null;
  }

  private static String rootProblem(String what, byte[] root) {
    if (root == null) {
      return what + ": missing (null)";
    }
    if (root.length != HASH_LENGTH) {
      return what + ": expected " + HASH_LENGTH + " bytes, found " + root.length;
    }
    return null;
  }

  private static void checkLeaves(List<byte[]> leafHashes) {
    Objects.requireNonNull(leafHashes, "leafHashes");
    for (int i = 0; i < leafHashes.size(); i++) {
      byte[] h = leafHashes.get(i);
      if (h == null || h.length != HASH_LENGTH) {
        throw new IllegalArgumentException(
            "leaf hash "
                + i
                + ": expected "
                + HASH_LENGTH
                + " bytes, found "
                + (h == null ? "null" : h.length + " bytes"));
      }
    }
  }

  /** MTH(D[lo:hi]) for {@code hi > lo}. */
  private static byte[] subtreeRoot(MessageDigest md, List<byte[]> leaves, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return leaves.get(lo).clone();
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(md, subtreeRoot(md, leaves, lo, lo + k), subtreeRoot(md, leaves, lo + k, hi));
  }

  /** PATH(m, D[lo:hi]), appending from the bottom of the tree upwards. */
  private static void path(MessageDigest md, List<byte[]> leaves, int m, int lo, int hi, List<byte[]> out) {
    int n = hi - lo;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m - lo < k) {
      path(md, leaves, m, lo, lo + k, out);
      out.add(subtreeRoot(md, leaves, lo + k, hi));
    } else {
      path(md, leaves, m, lo + k, hi, out);
      out.add(subtreeRoot(md, leaves, lo, lo + k));
    }
  }

  /** SUBPROOF(m, D[lo:hi], b), appending from the bottom of the tree upwards. */
  private static void subproof(
      MessageDigest md, List<byte[]> leaves, int m, int lo, int hi, boolean wholeOldTree, List<byte[]> out) {
    int n = hi - lo;
    if (m == n) {
      if (!wholeOldTree) {
        out.add(subtreeRoot(md, leaves, lo, hi));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(md, leaves, m, lo, lo + k, wholeOldTree, out);
      out.add(subtreeRoot(md, leaves, lo + k, hi));
    } else {
      subproof(md, leaves, m - k, lo + k, hi, false, out);
      out.add(subtreeRoot(md, leaves, lo, lo + k));
    }
  }

  /** The largest power of two strictly less than {@code n}, for {@code n >= 2}. */
  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static byte[] nodeHash(MessageDigest md, byte[] left, byte[] right) {
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** A fresh SHA-256 digest of the default crypto backend. */
  private static MessageDigest sha256() {
    return CryptoBackend.jca().newDigest(HashAlgorithm.SHA2_256);
  }
}
