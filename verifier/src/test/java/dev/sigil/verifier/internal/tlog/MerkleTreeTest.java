package dev.sigil.verifier.internal.tlog;

import static dev.sigil.verifier.internal.tlog.Fixtures.failure;
import static dev.sigil.verifier.internal.tlog.Fixtures.flip;
import static dev.sigil.verifier.internal.tlog.Fixtures.hex;
import static dev.sigil.verifier.internal.tlog.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleTreeTest {
  /** The RFC 6962 reference leaves used by certificate-transparency and transparency-dev/merkle test suites. */
  private static final List<byte[]> LEAVES =
      List.of(
          hex(""),
          hex("00"),
          hex("10"),
          hex("2021"),
          hex("3031"),
          hex("40414243"),
          hex("5051525354555657"),
          hex("606162636465666768696a6b6c6d6e6f"));

  private static final String[] ROOTS = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };

  private static List<byte[]> leafHashes(List<byte[]> data) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] d : data) {
      out.add(MerkleTree.leafHash(d));
    }
    return out;
  }

  private static List<byte[]> syntheticLeaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(MerkleTree.leafHash(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static List<String> hexes(List<byte[]> hashes) {
    return hashes.stream().map(Fixtures::hex).toList();
  }

  @Test
  void hashesFollowRfc6962() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(MerkleTree.emptyRoot()));
    assertEquals(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", hex(MerkleTree.leafHash(new byte[0])));
    byte[] l = MerkleTree.leafHash(LEAVES.get(0));
    byte[] r = MerkleTree.leafHash(LEAVES.get(1));
    assertEquals(ROOTS[1], hex(MerkleTree.nodeHash(l, r)));
    assertArrayEquals(MerkleTree.emptyRoot(), MerkleTree.rootOf(List.of()));
  }

  @Test
  void rootsMatchReferenceVectors() {
    List<byte[]> hashes = leafHashes(LEAVES);
    for (int n = 1; n <= 8; n++) {
      assertEquals(ROOTS[n - 1], hex(MerkleTree.rootOf(hashes.subList(0, n))), "root of " + n + " leaves");
    }
  }

  @Test
  void inclusionProofsMatchReferenceVectors() {
    List<byte[]> hashes = leafHashes(LEAVES);
    assertEquals(
        List.of(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        hexes(MerkleTree.inclusionProof(hashes, 0)));
    assertEquals(
        List.of(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        hexes(MerkleTree.inclusionProof(hashes, 5)));
    assertEquals(
        List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        hexes(MerkleTree.inclusionProof(hashes.subList(0, 3), 2)));
    assertEquals(List.of(), MerkleTree.inclusionProof(hashes.subList(0, 1), 0));
  }

  @Test
  void consistencyProofsMatchReferenceVectors() {
    List<byte[]> hashes = leafHashes(LEAVES);
    assertEquals(
        List.of(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        hexes(MerkleTree.consistencyProof(hashes, 1)));
    assertEquals(
        List.of(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        hexes(MerkleTree.consistencyProof(hashes, 6)));
    assertEquals(
        List.of(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        hexes(MerkleTree.consistencyProof(hashes.subList(0, 5), 2)));
    assertEquals(List.of(), MerkleTree.consistencyProof(hashes, 8));
    assertEquals(List.of(), MerkleTree.consistencyProof(hashes, 0));
  }

  @Test
  void everyGeneratedInclusionProofVerifiesAndNoOtherLeafDoes() {
    for (int n = 1; n <= 40; n++) {
      List<byte[]> hashes = syntheticLeaves(n);
      byte[] root = MerkleTree.rootOf(hashes);
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = MerkleTree.inclusionProof(hashes, i);
        assertEquals(MerkleTree.inclusionProofLength(i, n), proof.size(), "proof length, leaf " + i + " of " + n);
        assertArrayEquals(root, ok(MerkleTree.verifyInclusion(i, n, hashes.get(i), proof, root)));
        assertArrayEquals(root, ok(MerkleTree.rootFromInclusionProof(i, n, hashes.get(i), proof)));
        int other = (i + 1) % n;
        if (other != i) {
          assertFalse(MerkleTree.verifyInclusion(i, n, hashes.get(other), proof, root).isOk());
        }
      }
    }
  }

  @Test
  void everyGeneratedConsistencyProofVerifies() {
    List<byte[]> all = syntheticLeaves(24);
    for (int n = 1; n <= 24; n++) {
      List<byte[]> newer = all.subList(0, n);
      byte[] newRoot = MerkleTree.rootOf(newer);
      for (int m = 0; m <= n; m++) {
        byte[] oldRoot = MerkleTree.rootOf(all.subList(0, m));
        List<byte[]> proof = MerkleTree.consistencyProof(newer, m);
        assertArrayEquals(
            newRoot, ok(MerkleTree.verifyConsistency(m, n, proof, oldRoot, newRoot)), "consistency " + m + "->" + n);
        if (m > 0 && m < n) {
          assertEquals(MerkleTree.consistencyProofLength(m, n), proof.size());
          for (int j = 0; j < proof.size(); j++) {
            List<byte[]> bad = new ArrayList<>(proof);
            bad.set(j, flip(proof.get(j), 0));
            assertFalse(
                MerkleTree.verifyConsistency(m, n, bad, oldRoot, newRoot).isOk(),
                "flipped hash " + j + " of consistency " + m + "->" + n);
          }
          assertFalse(MerkleTree.verifyConsistency(m, n, proof, flip(oldRoot, 3), newRoot).isOk());
          assertFalse(MerkleTree.verifyConsistency(m, n, proof, oldRoot, flip(newRoot, 3)).isOk());
        }
      }
    }
  }

  @Test
  void flippingAnyProofHashFailsWithExpectedAndComputedRoots() {
    List<byte[]> hashes = syntheticLeaves(13);
    byte[] root = MerkleTree.rootOf(hashes);
    List<byte[]> proof = MerkleTree.inclusionProof(hashes, 6);
    for (int j = 0; j < proof.size(); j++) {
      List<byte[]> bad = new ArrayList<>(proof);
      bad.set(j, flip(proof.get(j), 31));
      String reason = failure(MerkleTree.verifyInclusion(6, 13, hashes.get(6), bad, root));
      assertTrue(reason.startsWith("root hash: expected " + hex(root) + ", computed "), reason);
      assertTrue(reason.contains("leaf index 6 in tree size 13"), reason);
    }
  }

  @Test
  void alteredRootFails() {
    List<byte[]> hashes = syntheticLeaves(9);
    byte[] root = MerkleTree.rootOf(hashes);
    List<byte[]> proof = MerkleTree.inclusionProof(hashes, 4);
    String reason = failure(MerkleTree.verifyInclusion(4, 9, hashes.get(4), proof, flip(root, 0)));
    assertTrue(reason.contains("computed " + hex(root)), reason);
  }

  @Test
  void wrongIndexOrSizeFails() {
    List<byte[]> hashes = syntheticLeaves(12);
    byte[] root = MerkleTree.rootOf(hashes);
    List<byte[]> proof = MerkleTree.inclusionProof(hashes, 5);
    // Same proof length, different position: the hashes combine in a different order.
    assertTrue(failure(MerkleTree.verifyInclusion(4, 12, hashes.get(5), proof, root)).startsWith("root hash:"));
    // A size that needs a different number of hashes is a shape error.
    assertEquals(
        "inclusion proof: expected 2 hashes for leaf index 5 in tree size 6, found 4",
        failure(MerkleTree.verifyInclusion(5, 6, hashes.get(5), proof, root)));
    // A size where the leaf sits nearer the right edge needs another path.
    assertFalse(MerkleTree.verifyInclusion(5, 7, hashes.get(5), proof, root).isOk());
  }

  @Test
  void shapeErrorsAreExplained() {
    byte[] leaf = MerkleTree.leafHash(new byte[] {1});
    byte[] root = leaf.clone();
    assertEquals(
        "leaf index: expected a non-negative value, found -1",
        failure(MerkleTree.verifyInclusion(-1, 1, leaf, List.of(), root)));
    assertEquals(
        "tree size: expected a non-negative value, found -5",
        failure(MerkleTree.verifyInclusion(0, -5, leaf, List.of(), root)));
    assertEquals(
        "leaf index: expected less than tree size 3, found 3",
        failure(MerkleTree.verifyInclusion(3, 3, leaf, List.of(), root)));
    assertEquals(
        "leaf index: expected less than tree size 0, found 0",
        failure(MerkleTree.verifyInclusion(0, 0, leaf, List.of(), root)));
    assertEquals(
        "leaf hash: expected 32 bytes, found 31",
        failure(MerkleTree.verifyInclusion(0, 1, Arrays.copyOf(leaf, 31), List.of(), root)));
    assertEquals("leaf hash: missing (null)", failure(MerkleTree.verifyInclusion(0, 1, null, List.of(), root)));
    assertEquals("inclusion proof: missing (null)", failure(MerkleTree.verifyInclusion(0, 1, leaf, null, root)));
    assertEquals(
        "inclusion proof hash 1: expected 32 bytes, found 33",
        failure(MerkleTree.verifyInclusion(1, 3, leaf, List.of(leaf, Arrays.copyOf(leaf, 33)), root)));
    List<byte[]> withNull = new ArrayList<>();
    withNull.add(null);
    assertEquals(
        "inclusion proof hash 0: missing (null)", failure(MerkleTree.verifyInclusion(0, 2, leaf, withNull, root)));
    assertEquals(
        "inclusion proof: expected 0 hashes for leaf index 0 in tree size 1, found 1",
        failure(MerkleTree.verifyInclusion(0, 1, leaf, List.of(leaf), root)));
    assertEquals(
        "inclusion proof: expected 2 hashes for leaf index 0 in tree size 3, found 1",
        failure(MerkleTree.verifyInclusion(0, 3, leaf, List.of(leaf), root)));
    assertEquals(
        "expected root hash: expected 32 bytes, found 20",
        failure(MerkleTree.verifyInclusion(0, 1, leaf, List.of(), new byte[20])));
    assertEquals("expected root hash: missing (null)", failure(MerkleTree.verifyInclusion(0, 1, leaf, List.of(), null)));
    assertArrayEquals(leaf, ok(MerkleTree.verifyInclusion(0, 1, leaf, List.of(), root)));
  }

  @Test
  void hugeTreesAreHandledWithoutOverflow() {
    long size = Long.MAX_VALUE;
    long index = size - 1;
    int n = MerkleTree.inclusionProofLength(index, size);
    List<byte[]> proof = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      proof.add(MerkleTree.leafHash(new byte[] {(byte) i}));
    }
    byte[] leaf = MerkleTree.leafHash(new byte[0]);
    byte[] root = ok(MerkleTree.rootFromInclusionProof(index, size, leaf, proof));
    assertArrayEquals(root, ok(MerkleTree.verifyInclusion(index, size, leaf, proof, root)));
    assertFalse(MerkleTree.verifyInclusion(index - 1, size, leaf, proof, root).isOk());
  }

  @Test
  void realRekorV1InclusionProofVerifies() {
    Fixtures.Entry e = Fixtures.entry("happy-path-v0.3");
    assertArrayEquals(
        e.rootHash(), ok(MerkleTree.verifyInclusion(e.index(), e.treeSize(), e.leafHash(), e.hashes(), e.rootHash())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"happy-path-v0.2", "intoto-with-custom-trust-root", "rekor2-happy-path", "rekor2-dsse-happy-path"})
  void realInclusionProofsVerify(String conformanceCase) {
    Fixtures.Entry e = Fixtures.entry(conformanceCase);
    assertArrayEquals(
        e.rootHash(), ok(MerkleTree.verifyInclusion(e.index(), e.treeSize(), e.leafHash(), e.hashes(), e.rootHash())));
  }

  @Test
  void realInclusionProofMutationsFail() {
    Fixtures.Entry e = Fixtures.entry("rekor2-happy-path");
    for (int j = 0; j < e.hashes().size(); j++) {
      List<byte[]> bad = new ArrayList<>(e.hashes());
      bad.set(j, flip(bad.get(j), 7));
      assertTrue(
          failure(MerkleTree.verifyInclusion(e.index(), e.treeSize(), e.leafHash(), bad, e.rootHash()))
              .startsWith("root hash: expected "));
    }
    assertFalse(MerkleTree.verifyInclusion(e.index() - 1, e.treeSize(), e.leafHash(), e.hashes(), e.rootHash()).isOk());
    assertFalse(MerkleTree.verifyInclusion(e.index(), e.treeSize() + 1, e.leafHash(), e.hashes(), e.rootHash()).isOk());
    assertFalse(MerkleTree.verifyInclusion(e.index(), e.treeSize() - 1, e.leafHash(), e.hashes(), e.rootHash()).isOk());
    assertFalse(
        MerkleTree.verifyInclusion(e.index(), e.treeSize(), e.leafHash(), e.hashes(), flip(e.rootHash(), 0)).isOk());
    assertFalse(
        MerkleTree.verifyInclusion(e.index(), e.treeSize(), flip(e.leafHash(), 0), e.hashes(), e.rootHash()).isOk());
    assertFalse(
        MerkleTree.verifyInclusion(
                e.index(), e.treeSize(), e.leafHash(), e.hashes().subList(1, e.hashes().size()), e.rootHash())
            .isOk());
    // The hash of the body itself (no 0x00 leaf prefix) is not the leaf hash.
    byte[] unprefixed = sha256(e.body());
    assertFalse(MerkleTree.verifyInclusion(e.index(), e.treeSize(), unprefixed, e.hashes(), e.rootHash()).isOk());
  }

  @Test
  void consistencyErrorsAreExplained() {
    List<byte[]> hashes = syntheticLeaves(8);
    byte[] r8 = MerkleTree.rootOf(hashes);
    byte[] r5 = MerkleTree.rootOf(hashes.subList(0, 5));
    List<byte[]> proof = MerkleTree.consistencyProof(hashes, 5);
    assertEquals(
        "tree sizes: expected non-negative values, found old size -1 and new size 8",
        failure(MerkleTree.verifyConsistency(-1, 8, proof, r5, r8)));
    assertEquals(
        "tree sizes: expected old size <= new size, found old size 9 > new size 8",
        failure(MerkleTree.verifyConsistency(9, 8, proof, r5, r8)));
    assertEquals(
        "consistency proof: expected 4 hashes from tree size 5 to 8, found 3",
        failure(MerkleTree.verifyConsistency(5, 8, proof.subList(0, 3), r5, r8)));
    assertEquals(
        "consistency proof: expected no hashes for equal tree sizes, found 4",
        failure(MerkleTree.verifyConsistency(8, 8, proof, r8, r8)));
    assertTrue(
        failure(MerkleTree.verifyConsistency(8, 8, List.of(), r5, r8))
            .startsWith("root hashes: expected equal roots for equal tree sizes 8"));
    assertEquals(
        "consistency proof: expected no hashes from the empty tree, found 4",
        failure(MerkleTree.verifyConsistency(0, 8, proof, MerkleTree.emptyRoot(), r8)));
    assertEquals("old root hash: missing (null)", failure(MerkleTree.verifyConsistency(5, 8, proof, null, r8)));
    assertEquals(
        "new root hash: expected 32 bytes, found 3", failure(MerkleTree.verifyConsistency(5, 8, proof, r5, new byte[3])));
    assertEquals("consistency proof: missing (null)", failure(MerkleTree.verifyConsistency(5, 8, null, r5, r8)));
    assertTrue(
        failure(MerkleTree.verifyConsistency(5, 8, proof, flip(r5, 1), r8)).startsWith("old root hash: expected "));
    assertTrue(
        failure(MerkleTree.verifyConsistency(5, 8, proof, r5, flip(r8, 1))).startsWith("new root hash: expected "));
    assertArrayEquals(r8, ok(MerkleTree.verifyConsistency(8, 8, List.of(), r8, r8)));
  }

  /**
   * An RFC 6962 root does not commit to the tree size: a proof for one size can check out for another size whose
   * audit path has the same shape. This is inherent to the algorithm (transparency-dev/merkle behaves the same), and
   * it is why the tree size must be taken from the signed checkpoint, never from an unsigned proof alone.
   */
  @Test
  void rootsDoNotCommitToTreeSize() {
    List<byte[]> hashes = syntheticLeaves(8);
    byte[] r8 = MerkleTree.rootOf(hashes);
    byte[] r5 = MerkleTree.rootOf(hashes.subList(0, 5));
    assertTrue(MerkleTree.verifyInclusion(5, 7, hashes.get(5), MerkleTree.inclusionProof(hashes, 5), r8).isOk());
    assertTrue(MerkleTree.verifyConsistency(5, 7, MerkleTree.consistencyProof(hashes, 5), r5, r8).isOk());
    // The genuine 7-leaf root differs, so a checkpoint signed for size 7 would not match.
    assertFalse(Arrays.equals(r8, MerkleTree.rootOf(hashes.subList(0, 7))));
  }

  @Test
  void generatorsRejectOutOfRangeArguments() {
    List<byte[]> hashes = syntheticLeaves(3);
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(hashes, 3));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(hashes, -1));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(hashes, 4));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(hashes, -1));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.rootOf(List.of(new byte[31])));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProofLength(3, 3));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProofLength(-1, 3));
    assertThrows(NullPointerException.class, () -> MerkleTree.leafHash(null));
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
