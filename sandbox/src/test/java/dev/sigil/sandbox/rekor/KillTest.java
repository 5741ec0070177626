package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of appending: a child JVM appends from several threads and prints every acknowledged index;
 * it is killed with {@code destroyForcibly} (SIGKILL) at an arbitrary moment; the reopened log must hold every
 * acknowledged entry at its acknowledged index, and be a valid log (its proofs verify).
 */
class KillTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), AppendLoop.class.getName(), dir.toString(), "4");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process child = pb.start();
    Map<Long, String> acked = new ConcurrentHashMap<>();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("ACK ")) {
            String[] p = line.split(" ");
            acked.put(Long.parseLong(p[1]), p[2]);
            if (acked.size() >= 400) {
              enough.countDown();
            }
          }
        }
      } catch (Exception e) {
        // the pipe breaks when the child dies
      }
    });
    reader.start();
    // Kill it once it has acknowledged a few hundred entries, or after 3 s of appending, whichever comes first.
    enough.await(4, TimeUnit.SECONDS);
    child.destroyForcibly();
    assertTrue(child.waitFor(5, TimeUnit.SECONDS));
    reader.join(Duration.ofSeconds(2).toMillis());
    assertTrue(acked.size() > 10, "the child acknowledged only " + acked.size() + " entries");

    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      long max = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(log.size() > max, "size " + log.size() + " but index " + max + " was acknowledged");
      for (Map.Entry<Long, String> a : acked.entrySet()) {
        assertArrayEquals(AppendLoop.body(a.getValue()), log.entry(a.getKey()).body(), "entry " + a.getKey());
      }
      // Indices are gapless and unique: every entry after genesis is a distinct child body.
      Set<String> bodies = new HashSet<>();
      for (long i = 1; i < log.size(); i++) {
        assertTrue(bodies.add(new String(log.entry(i).body(), StandardCharsets.UTF_8)));
      }
      var last = log.entry(log.size() - 1);
      assertTrue(dev.sigil.verifier.internal.tlog.MerkleTree.verifyInclusion(last.logIndex(), last.inclusionProof().treeSize(),
          last.leafHash(), last.inclusionProof().hashes(), last.inclusionProof().rootHash()).isOk());
      System.out.printf("kill -9: %d entries acknowledged, %d in the reopened log, %d bytes cut off (%s)%n",
          acked.size(), log.size() - 1, log.recovery().truncatedBytes(), log.recovery().reason().orElse("clean end"));
      assertEquals(log.size(), log.append(AppendLoop.body("after")).logIndex());
    }
  }
}
