package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "groupCommit={0}")
  @ValueSource(booleans = {true, false})
  void twoHundredConcurrentAppendsGetDistinctGaplessIndices(boolean groupCommit) throws Exception {
    int n = 200;
    Set<Long> indices = ConcurrentHashMap.newKeySet();
    List<LogEntry> entries = java.util.Collections.synchronizedList(new ArrayList<>());
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options().withGroupCommit(groupCommit))) {
      ExecutorService pool = Executors.newFixedThreadPool(32);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] body = ("{\"concurrent\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        futures.add(pool.submit(() -> {
          start.await();
          LogEntry e = log.append(body);
          assertTrue(indices.add(e.logIndex()), "index handed out twice: " + e.logIndex());
          entries.add(e);
          // The proof returned with the entry verifies against the checkpoint it carries.
          var r = MerkleTree.verifyInclusion(e.logIndex(), e.inclusionProof().treeSize(), e.leafHash(),
              e.inclusionProof().hashes(), e.inclusionProof().rootHash());
          assertTrue(r.isOk(), () -> r.detail());
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      assertEquals(n + 1, log.size());
      TreeSet<Long> expected = new TreeSet<>();
      for (long i = 1; i <= n; i++) {
        expected.add(i);
      }
      assertEquals(expected, new TreeSet<>(indices));
      // Every entry's checkpoint verifies and every entry is where it was acknowledged.
      NoteVerifier nv = NoteVerifier.forRekorV1(Fixtures.HOST, log.publicKey());
      for (LogEntry e : entries) {
        var c = nv.verifyCheckpoint(e.inclusionProof().checkpoint());
        assertTrue(c.isOk(), () -> c.detail());
        assertArrayEquals(e.body(), log.entry(e.logIndex()).body());
        assertTrue(e.inclusionProof().treeSize() > e.logIndex());
      }
      byte[] root = log.rootHash();
      List<byte[]> leaves = new ArrayList<>();
      for (long i = 0; i < log.size(); i++) {
        leaves.add(log.entry(i).leafHash());
      }
      assertArrayEquals(MerkleTree.rootOf(leaves), root);
    }
  }
}
