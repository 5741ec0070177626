package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.tlog.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The incremental tree against the verifier's reference implementation, for every size, index and size pair. */
class MerkleLogTest {
  private static final int N = 80; // spans levels 0..6, so stored and recomputed levels both matter

  @Test
  void rootsAndProofsMatchTheReferenceForEverySize() {
    MerkleLog log = new MerkleLog();
    List<byte[]> leaves = new ArrayList<>();
    assertArrayEquals(MerkleTree.emptyRoot(), log.root(0));
    for (int i = 0; i < N; i++) {
      byte[] leaf = MerkleTree.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8));
      leaves.add(leaf);
      log.append(leaf);
    }
    for (int size = 0; size <= N; size++) {
      List<byte[]> prefix = leaves.subList(0, size);
      byte[] root = log.root(size);
      assertArrayEquals(MerkleTree.rootOf(prefix), root, "root of size " + size);
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = log.inclusionProof(i, size);
        assertProofEquals(MerkleTree.inclusionProof(prefix, i), proof, "inclusion " + i + "/" + size);
        assertTrue(MerkleTree.verifyInclusion(i, size, leaves.get(i), proof, root).isOk());
      }
      for (int old = 0; old <= size; old++) {
        List<byte[]> proof = log.consistencyProof(old, size);
        assertProofEquals(MerkleTree.consistencyProof(prefix, old), proof, "consistency " + old + "->" + size);
        var r = MerkleTree.verifyConsistency(old, size, proof, log.root(old), root);
        assertTrue(r.isOk(), () -> r.detail());
      }
    }
  }

  @Test
  void refusesOutOfRangeArguments() {
    MerkleLog log = new MerkleLog();
    log.append(new byte[32]);
    assertThrows(IllegalArgumentException.class, () -> log.root(2));
    assertThrows(IllegalArgumentException.class, () -> log.inclusionProof(1, 1));
    assertThrows(IllegalArgumentException.class, () -> log.consistencyProof(2, 1));
  }

  private static void assertProofEquals(List<byte[]> expected, List<byte[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + " hash " + i);
    }
  }
}
