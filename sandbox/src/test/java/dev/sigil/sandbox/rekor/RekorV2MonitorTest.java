package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.http.RekorV2Server.TilePath;
import dev.sigil.verifier.internal.tlog.Checkpoint;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor follows the sandbox's Rekor v2 log through C2SP tlog-tiles alone: 1,000 entries are written over HTTP from
 * 16 threads to a sandbox in a child JVM, which is killed with SIGKILL in the middle and restarted on the same data and
 * port (clients retry what was not acknowledged). Then, from scratch: the checkpoint's signature is verified with the
 * key from the trusted root, every entry bundle and hash tile is read, the leaf hashes and level-1 nodes rebuilt, and
 * the root recomputed must equal the checkpoint's. Every acknowledged entry is at its acknowledged index, and every
 * request is in the log exactly once.
 */
class RekorV2MonitorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ENTRIES = 1000;
  private static final int THREADS = 16;

  @TempDir Path dir;

  /** The child: serves a Rekor v2 sandbox from {@code args[0]} on port {@code args[1]} until killed. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Sandbox s = Sandbox.start(Path.of(args[0]), Integer.parseInt(args[1]), Sandbox.RekorVersions.V2);
      System.out.println("READY " + s.uri().getPort());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private Process startChild(int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Child.class.getName(), dir.resolve("sandbox").toString(),
        Integer.toString(port));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  private static int awaitReady(Process p) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("READY ")) {
      throw new AssertionError("the sandbox child did not start: " + line);
    }
    return Integer.parseInt(line.substring(6).trim());
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aMonitorRebuildsTheCheckpointRootFromTilesAfterSigkillAndRestart() throws Exception {
    KeyPair kp = Fixtures.p256();
    List<byte[]> requests = new ArrayList<>(ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      requests.add(RekorV2LogTest.request(kp, "monitored entry " + i));
    }
    Process child = startChild(0);
    int port = awaitReady(child);
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Map<Integer, Long> ackedIndex = new ConcurrentHashMap<>();
    Map<Integer, byte[]> ackedBody = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    CountDownLatch half = new CountDownLatch(ENTRIES / 2);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> writers = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    for (int t = 0; t < THREADS; t++) {
      writers.add(pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < ENTRIES; ) {
          while (true) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("entry " + i + " was never acknowledged");
            }
            try {
              HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v2/log/entries"))
                  .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(requests.get(i))).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
              if (r.statusCode() == 201 || r.statusCode() == 200) {
                JsonNode e = JSON.readTree(r.body());
                ackedIndex.put(i, Long.parseLong(e.path("logIndex").asText()));
                ackedBody.put(i, Base64.getDecoder().decode(e.path("canonicalizedBody").asText()));
                half.countDown();
                break;
              }
              throw new AssertionError("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
              retries.incrementAndGet(); // the sandbox is down (killed, restarting): retry
              Thread.sleep(50);
            }
          }
        }
        return null;
      }));
    }
    assertTrue(half.await(90, TimeUnit.SECONDS), "half the entries were not acknowledged in time");
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    int ackedAtKill = ackedIndex.size();
    Process restarted = null;
    for (int attempt = 0; attempt < 20 && restarted == null; attempt++) {
      Process p = startChild(port);
      try {
        assertEquals(port, awaitReady(p));
        restarted = p;
      } catch (AssertionError e) {
        p.destroyForcibly();
        Thread.sleep(250); // the port may still be held for a moment
      }
    }
    assertTrue(restarted != null, "the sandbox did not restart on port " + port);
    try {
      for (Future<?> w : writers) {
        w.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(ENTRIES, ackedIndex.size());

      // The monitor, from scratch: the trusted root's key, the checkpoint, the tiles.
      JsonNode trustedRoot = JSON.readTree(get(http, base.resolve("/trusted_root.json")));
      JsonNode tlog = trustedRoot.path("tlogs").get(0);
      assertEquals("PKIX_ED25519", tlog.at("/publicKey/keyDetails").asText());
      PublicKey logKey = KeyFactory.getInstance("Ed25519").generatePublic(
          new X509EncodedKeySpec(Base64.getDecoder().decode(tlog.at("/publicKey/rawBytes").asText())));
      String note = new String(get(http, base.resolve("/checkpoint")), StandardCharsets.UTF_8);
      var verified = NoteVerifier.forRekorV2("127.0.0.1:" + port, logKey).verifyCheckpoint(note);
      assertTrue(verified.isOk(), () -> verified.detail());
      Checkpoint cp = verified.value();
      assertEquals(ENTRIES + 1, cp.size(), "the genesis entry and each request exactly once");

      List<byte[]> leaves = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      for (long n = 0; n * 256 < cp.size(); n++) {
        int w = (int) Math.min(256, cp.size() - n * 256);
        byte[] bundle = get(http, base.resolve(new TilePath(true, 0, n, w).path()));
        byte[] tile = get(http, base.resolve(new TilePath(false, 0, n, w).path()));
        assertEquals(w * 32, tile.length);
        int at = 0;
        for (int i = 0; i < w; i++) {
          int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
          byte[] body = Arrays.copyOfRange(bundle, at + 2, at + 2 + len);
          at += 2 + len;
          byte[] leaf = MerkleTree.leafHash(body);
          assertArrayEquals(Arrays.copyOfRange(tile, i * 32, i * 32 + 32), leaf, "leaf " + (n * 256 + i));
          leaves.add(leaf);
          bodies.add(body);
        }
        assertEquals(bundle.length, at, "entry bundle " + n + " has exactly " + w + " entries");
      }
      // Level 1: one hash per complete 256-leaf subtree.
      int fullSubtrees = (int) (cp.size() / 256);
      byte[] level1 = get(http, base.resolve(new TilePath(false, 1, 0, fullSubtrees).path()));
      for (int k = 0; k < fullSubtrees; k++) {
        assertArrayEquals(MerkleTree.rootOf(leaves.subList(k * 256, k * 256 + 256)),
            Arrays.copyOfRange(level1, k * 32, k * 32 + 32), "level-1 node " + k);
      }
      assertArrayEquals(cp.rootHash(), MerkleTree.rootOf(leaves), "the recomputed root is the checkpoint's");

      for (var a : ackedIndex.entrySet()) {
        int index = Math.toIntExact(a.getValue());
        assertArrayEquals(ackedBody.get(a.getKey()), bodies.get(index), "acknowledged entry " + a.getKey());
      }
      assertEquals(ENTRIES, ackedIndex.values().stream().distinct().count(), "no two requests share an index");
      System.out.printf("rekor v2 monitor: %d entries from %d threads, SIGKILL after %d acknowledged, %d retries;"
          + " %d entry bundles and tiles read, root %s matches checkpoint %d%n", ENTRIES, THREADS, ackedAtKill,
          retries.get(), (cp.size() + 255) / 256, java.util.HexFormat.of().formatHex(cp.rootHash()), cp.size());
    } finally {
      pool.shutdownNow();
      restarted.destroyForcibly();
      restarted.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static byte[] get(HttpClient http, URI uri) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), () -> uri + ": " + new String(r.body(), StandardCharsets.UTF_8));
    return r.body();
  }
}
