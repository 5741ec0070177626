package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.tlog.MerkleTree;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements, printed (search the test output for "perf:"), with loose bounds so the test only fails when something
 * is badly wrong: append throughput with fsync (one thread; 16 threads with and without group commit), and Merkle and
 * log operations at 100,000 entries.
 */
/**
 * Scale checks at 100,000 entries: proofs and roots computed incrementally agree with the reference implementation.
 * Timings are printed for the record; nothing here asserts a speed (benchmarks do that, not unit tests).
 */
class PerformanceTest {
  @TempDir Path dir;

  @Test
  void appendThroughputWithFsync() throws Exception {
    double single = appendsPerSecond(dir.resolve("single"), 1, 200, true);
    double group = appendsPerSecond(dir.resolve("group"), 16, 1600, true);
    double serial = appendsPerSecond(dir.resolve("serial"), 16, 400, false);
    // Rates are printed, not asserted (speed is measured, not unit-tested); appendsPerSecond asserts the entries.
    System.out.printf("perf: appends/s with fsync: 1 thread %.0f, 16 threads group-commit %.0f, 16 threads serial %.0f%n",
        single, group, serial);
  }

  private static double appendsPerSecond(Path dir, int threads, int total, boolean groupCommit) throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options().withGroupCommit(groupCommit))) {
      for (int i = 0; i < 20; i++) { // warm up
        log.append(("{\"warm\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      }
      long syncsBefore = log.file().syncs();
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < total; ) {
            log.append(("{\"perf\":" + i + ",\"pad\":\"" + "p".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      long syncs = log.file().syncs() - syncsBefore;
      double rate = total / secs;
      System.out.printf("perf: appends with fsync, %2d thread(s), group commit %-5s: %7.0f appends/s, %5.2f ms/append"
              + " per thread, %d appends in %d syncs (%.1f per sync)%n",
          threads, groupCommit, rate, secs * 1000 * threads / total, total, syncs, (double) total / syncs);
      assertEquals(total + 21, log.size());
      return rate;
    }
  }

  @Test
  void merkleAndLogOperationsAtOneHundredThousandEntries() throws Exception {
    int n = 100_000;
    Random rnd = new Random(1);

    // In-memory tree: build, roots and proofs.
    List<byte[]> leaves = new ArrayList<>(n);
    MerkleLog tree = new MerkleLog();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      byte[] leaf = MerkleTree.leafHash(("{\"entry\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      leaves.add(leaf);
      tree.append(leaf);
    }
    long buildNs = System.nanoTime() - t0;
    byte[] root = tree.root(n);
    t0 = System.nanoTime();
    byte[] reference = MerkleTree.rootOf(leaves);
    long refRootNs = System.nanoTime() - t0;
    assertArrayEquals(reference, root);

    double rootUs = time(2000, () -> tree.root(n - rnd.nextInt(1000)));
    double inclUs = time(5000, () -> tree.inclusionProof(rnd.nextInt(n), n));
    double oddInclUs = time(5000, () -> {
      int size = n - 1 - rnd.nextInt(n / 2);
      tree.inclusionProof(rnd.nextInt(size), size);
    });
    double consUs = time(5000, () -> {
      int old = 1 + rnd.nextInt(n - 1);
      tree.consistencyProof(old, n);
    });
    t0 = System.nanoTime();
    List<byte[]> refProof = MerkleTree.inclusionProof(leaves, 12345);
    long refProofNs = System.nanoTime() - t0;
    List<byte[]> proof = tree.inclusionProof(12345, n);
    assertEquals(refProof.size(), proof.size());
    assertTrue(MerkleTree.verifyInclusion(12345, n, leaves.get(12345), proof, root).isOk());
    System.out.printf("perf: Merkle tree of %d leaves: built in %d ms (%.2f us/leaf); memory %d KiB for leaves"
            + " (+ stored nodes of 8+ leaves)%n",
        n, buildNs / 1_000_000, buildNs / 1e3 / n, tree.leaves().bytesAllocated() / 1024);
    System.out.printf("perf: at %d leaves: root %.1f us, inclusion proof %.1f us (%.1f us at random older sizes),"
            + " consistency proof %.1f us; reference MerkleTree (O(n)): root %.1f ms, inclusion proof %.1f ms%n",
        n, rootUs, inclUs, oddInclUs, consUs, refRootNs / 1e6, refProofNs / 1e6);

    // A 100,000-entry log on disk: records written directly (no fsync per entry), then opened and served.
    Path d = dir.resolve("big");
    try (TransparencyLog log = TransparencyLog.open(d, Fixtures.options())) {
      log.append("{\"first\":1}".getBytes(StandardCharsets.UTF_8));
    }
    try (FileChannel ch = FileChannel.open(d.resolve(TransparencyLog.LOG_FILE), StandardOpenOption.WRITE)) {
      long pos = ch.size();
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      for (int i = 2; i < n; i++) {
        byte[] body = ("{\"entry\":" + i + ",\"pad\":\"" + "q".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer rec = LogFile.encodeRecord(i, Fixtures.NOW.getEpochSecond(), body);
        if (buf.remaining() < rec.remaining()) {
          buf.flip();
          while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
          }
          buf.clear();
        }
        buf.put(rec);
      }
      buf.flip();
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(true);
    }
    java.nio.file.Files.delete(d.resolve(TransparencyLog.CHECKPOINT_FILE));
    t0 = System.nanoTime();
    try (TransparencyLog log = TransparencyLog.open(d, Fixtures.options())) {
      long openNs = System.nanoTime() - t0;
      assertEquals(n, log.size());
      double entryUs = time(300, () -> log.entry(1 + rnd.nextInt(n - 1)));
      double cpUs = time(300, () -> log.checkpoint(n - 1 - rnd.nextInt(1000)));
      double appendUs = time(50, () -> log.append(("{\"more\":" + rnd.nextLong() + "}").getBytes(StandardCharsets.UTF_8)));
      System.out.printf("perf: log of %d entries (%d MiB): open and recover %d ms; entry with SET + inclusion proof"
              + " + checkpoint %.0f us; fresh signed checkpoint %.0f us; append with fsync %.0f us%n",
          n, java.nio.file.Files.size(d.resolve(TransparencyLog.LOG_FILE)) >> 20, openNs / 1_000_000, entryUs, cpUs,
          appendUs);
    }
  }

  interface Op {
    void run() throws Exception;
  }

  /** Mean microseconds per call, after as many warm-up calls. */
  private static double time(int iterations, Op op) throws Exception {
    for (int i = 0; i < iterations; i++) {
      op.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      op.run();
    }
    return (System.nanoTime() - t0) / 1e3 / iterations;
  }
}
