package dev.sigil.cli;

import dev.sigil.verifier.entity.TransparencyLogEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.KeylessSigner;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.tlog.Checkpoint;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load and faults, against {@code sigil sandbox serve} in a child JVM: 200 concurrent keyless signings (every bundle
 * verifies, indices are distinct and gapless, the tree size equals the acknowledged submissions); then SIGKILL during
 * a second load, restart on the same data directory and port: every acknowledged entry is still there, the log is
 * gapless, a fresh checkpoint verifies with the trusted root's log key and its root matches a recomputation from all
 * entries, and the next signing lands at the next index.
 */
class SandboxLoadTest {
  private static final int SIGNINGS = 200;
  private static final int THREADS = 32;
  private static final int KILL_AFTER_ACKS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final List<SandboxLoadChild> children = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
  private final SecureRandom random = new SecureRandom();

  @AfterEach
  void killChildren() {
    children.forEach(SandboxLoadChild::close);
  }

  /** One sandbox incarnation as seen by a client: its URLs, its trusted root and a signer built on it. */
  private record Target(SandboxLoadChild child, URI tokenEndpoint, String issuer, byte[] trustedRootBytes,
      TrustedRoot trustedRoot, KeylessSigner signer) {}

  private Target connect(SandboxLoadChild child) throws Exception {
    URI url = child.url();
    String issuer = child.endpoint("oidcIssuer").toString();
    byte[] rootBytes = get(url.resolve("/trusted_root.json")).body();
    TrustedRoot root = TrustedRoot.parse(rootBytes);
    KeylessSigner signer = new KeylessSigner(new FulcioClient(url), new RekorClient(url),
        Optional.of(new TimestampClient(child.endpoint("tsa"))), Verifier.create(root), new SecureRandom());
    return new Target(child, URI.create(issuer + "/token"), issuer, rootBytes, root, signer);
  }

  /** What one acknowledged signing produced. */
  private record Acked(String email, byte[] digest, KeylessSigner.Signed signed, long nanos) {}

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void concurrentKeylessSigningsThenSigkillAndRestart() throws Exception {
    Path data = tmp.resolve("data");
    SandboxLoadChild first = SandboxLoadChild.start(data, 0);
    children.add(first);
    int port = first.port();
    Target t1 = connect(first);

    // ---------------------------------------------------------------- phase 1: 200 concurrent keyless signings
    List<Acked> phase1 = Collections.synchronizedList(new ArrayList<>());
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < SIGNINGS; i++) {
        int n = i;
        fs.add(pool.submit(() -> {
          try {
            phase1.add(signOne(t1, "load-" + (n % 8) + "@example.com"));
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!failures.isEmpty()) {
      Throwable e = failures.peek();
      fail(failures.size() + " of " + SIGNINGS + " signings failed; the first: " + e, e);
    }
    assertEquals(SIGNINGS, phase1.size());
    long[] lat = phase1.stream().mapToLong(Acked::nanos).sorted().toArray();
    System.out.printf("load: %d keyless signings in %.2f s (%.1f/s), latency p50 %d ms, p95 %d ms, max %d ms"
            + " (%d client threads, each: token over HTTP, Fulcio, Rekor, TSA, self-verification)%n",
        SIGNINGS, seconds, SIGNINGS / seconds, lat[lat.length / 2] / 1_000_000,
        lat[(int) Math.ceil(lat.length * 0.95) - 1] / 1_000_000, lat[lat.length - 1] / 1_000_000, THREADS);

    // Every bundle verifies again, with a fresh verifier on the sandbox's trusted root and the signer's identity.
    Verifier fresh = Verifier.create(TrustedRoot.parse(t1.trustedRootBytes()));
    for (Acked a : phase1) {
      assertVerifies(fresh, a, t1.issuer());
    }
    // Indices are distinct and gapless: exactly 1..200 (0 is the genesis entry).
    Set<Long> indices = new TreeSet<>();
    for (Acked a : phase1) {
      assertTrue(indices.add(a.signed().logIndex()), "index " + a.signed().logIndex() + " acknowledged twice");
      assertEquals(a.signed().logIndex(), tlogEntry(a).logIndex());
    }
    assertEquals(LongStream.rangeClosed(1, SIGNINGS).boxed().toList(), new ArrayList<>(indices));
    JsonNode info = logInfo(t1.child().url());
    assertEquals(SIGNINGS + 1, info.get("treeSize").asLong(), "tree size after " + SIGNINGS + " acknowledged: " + info);

    // ---------------------------------------------------------------- phase 2: SIGKILL during load, then restart
    Map<Long, Acked> acked = new ConcurrentHashMap<>();
    phase1.forEach(a -> acked.put(a.signed().logIndex(), a));
    AtomicInteger acks2 = new AtomicInteger();
    AtomicInteger failed2 = new AtomicInteger();
    AtomicInteger started2 = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch enough = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> duplicateAcks = new ConcurrentLinkedQueue<>();
    pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int i = 0; i < SIGNINGS; i++) {
        pool.submit(() -> {
          if (killed.get()) {
            return; // nothing is started once the sandbox is dead: every outcome below is pre-restart
          }
          started2.incrementAndGet();
          try {
            Acked a = signOne(t1, "fault@example.com");
            if (acked.putIfAbsent(a.signed().logIndex(), a) != null) {
              duplicateAcks.add("index " + a.signed().logIndex());
            }
            if (acks2.incrementAndGet() >= KILL_AFTER_ACKS) {
              enough.countDown();
            }
          } catch (Throwable e) {
            failed2.incrementAndGet(); // expected for the signings in flight at the kill
          }
        });
      }
      assertTrue(enough.await(120, TimeUnit.SECONDS), "only " + acks2.get() + " signings acknowledged before the kill");
      first.kill(); // SIGKILL
      killed.set(true);
      pool.shutdown();
      assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS), "signings still running 90 s after the kill");
    } finally {
      pool.shutdownNow();
    }
    assertTrue(duplicateAcks.isEmpty(), "log indices acknowledged twice: " + duplicateAcks);
    int ackedBeforeKill = acks2.get();
    System.out.printf("kill -9: %d signings started, %d acknowledged, %d failed (in flight at the kill), %d never"
        + " started%n", started2.get(), ackedBeforeKill, failed2.get(), SIGNINGS - started2.get());

    SandboxLoadChild second = SandboxLoadChild.start(data, port);
    children.add(second);
    assertEquals(port, second.port(), "the restarted sandbox must serve on the same port");
    Target t2 = connect(second);
    assertArrayEquals(t1.trustedRootBytes(), t2.trustedRootBytes(),
        "the trusted root changed across the restart on the same data directory and port");

    JsonNode after = logInfo(second.url());
    long size = after.get("treeSize").asLong();
    long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(size > maxAcked, "tree size " + size + " after restart but index " + maxAcked + " was acknowledged");
    assertTrue(size - 1 >= acked.size(), "tree size " + size + " but " + acked.size() + " entries acknowledged");

    // Every entry, fetched one by one: at its index, distinct bodies (no duplicates, no gaps: size - 1 after genesis).
    List<byte[]> leaves = new ArrayList<>();
    Set<String> bodies = new HashSet<>();
    Map<Long, byte[]> bodyAt = new java.util.HashMap<>();
    for (long i = 0; i < size; i++) {
      JsonNode entry = entry(second.url(), i);
      assertEquals(i, entry.get("logIndex").asLong(), "entry fetched at logIndex=" + i);
      byte[] body = Base64.getDecoder().decode(entry.get("body").asText());
      assertTrue(bodies.add(HexFormat.of().formatHex(sha256(body))), "entry " + i + " duplicates an earlier body");
      bodyAt.put(i, body);
      leaves.add(leafHash(body));
    }
    assertEquals(size, bodies.size());
    // Every acknowledged entry is present at its index with the same canonicalized body.
    for (Map.Entry<Long, Acked> a : acked.entrySet()) {
      assertArrayEquals(tlogEntry(a.getValue()).canonicalizedBody(), bodyAt.get(a.getKey()),
          "acknowledged entry " + a.getKey() + " after SIGKILL and restart");
    }
    // Entries no one acknowledged (in flight at the kill, or acknowledged by Rekor but the signing failed later)
    // may or may not be there; the ones that are take the indices right after the acknowledged ones, without gaps.
    long unacknowledged = size - 1 - acked.size();

    // A fresh checkpoint: signed by the log key of the trusted root, for this size, with the recomputed root.
    byte[] recomputed = rfc6962Root(leaves);
    assertArrayEquals(MerkleTree.rootOf(leaves), recomputed, "the test's RFC 6962 root vs the verifier's");
    assertEquals(HexFormat.of().formatHex(recomputed), after.get("rootHash").asText(), "GET /api/v1/log rootHash");
    TransparencyLogInstance tlog = t2.trustedRoot().tlogs().get(0);
    String keyName = tlog.checkpointKeyName().orElseThrow();
    assertEquals("127.0.0.1:" + port, keyName);
    Outcome<Checkpoint> cp =
        NoteVerifier.forRekorV1(keyName, tlog.publicKey()).verifyCheckpoint(after.get("signedTreeHead").asText());
    assertTrue(cp.isOk(), () -> "the checkpoint does not verify with the trusted root's log key: " + cp);
    assertEquals(size, cp.value().size());
    assertArrayEquals(recomputed, cp.value().rootHash(), "the signed checkpoint's root vs the recomputation");

    // Every acknowledged bundle still verifies (offline, with the unchanged trusted root).
    Verifier fresh2 = Verifier.create(t2.trustedRoot());
    for (Acked a : acked.values()) {
      assertVerifies(fresh2, a, t2.issuer());
    }

    // The next signing lands at the next index.
    Acked next = signOne(t2, "after-restart@example.com");
    assertEquals(size, next.signed().logIndex(), "the first signing after the restart");
    assertVerifies(fresh2, next, t2.issuer());
    assertEquals(size + 1, logInfo(second.url()).get("treeSize").asLong());
    System.out.printf("restart: %d entries in the log after SIGKILL (%d acknowledged, %d not acknowledged but"
            + " logged), checkpoint verified, root recomputed from all %d leaves, next signing at index %d%n",
        size - 1, acked.size(), unacknowledged, size, next.signed().logIndex());
    assertTrue(second.alive(), "the restarted sandbox died");
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private Acked signOne(Target t, String email) throws IOException, InterruptedException, SigningException {
    long t0 = System.nanoTime();
    String jwt = token(t.tokenEndpoint(), email);
    byte[] artifact = new byte[64];
    random.nextBytes(artifact);
    byte[] digest = sha256(artifact);
    KeylessSigner.Signed s = t.signer().signDigest(IdToken.parse(jwt), digest);
    return new Acked(email, digest, s, System.nanoTime() - t0);
  }

  private String token(URI endpoint, String email) throws IOException, InterruptedException {
    ObjectNode req = JSON.createObjectNode().put("subject", email).put("email", email);
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(req))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("token endpoint " + endpoint + ": HTTP " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(r.body()).get("id_token").asText();
  }

  private static void assertVerifies(Verifier v, Acked a, String issuer) {
    VerificationResult r = v.verify(a.signed().bundle(), VerificationPolicy.identity(
        Artifact.ofDigest(HashAlgorithm.SHA2_256, a.digest()), IdentityMatcher.exact(a.email(), issuer)));
    assertTrue(r.isVerified(), () -> "bundle at index " + a.signed().logIndex() + " does not verify: "
        + r.firstFailure().map(Object::toString).orElse("?"));
    CertificateSigner signer = (CertificateSigner) ((VerificationResult.Verified) r).signer();
    assertEquals(a.email(), signer.subjectAlternativeName());
    assertEquals(Optional.of(issuer), signer.issuer());
  }

  private static TransparencyLogEntry tlogEntry(Acked a) {
    List<TransparencyLogEntry> entries = a.signed().bundle().verificationMaterial().tlogEntries();
    assertEquals(1, entries.size());
    return entries.get(0);
  }

  private HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), () -> "GET " + uri + ": " + new String(r.body(), StandardCharsets.UTF_8));
    return r;
  }

  private JsonNode logInfo(URI base) throws IOException, InterruptedException {
    return JSON.readTree(get(base.resolve("/api/v1/log")).body());
  }

  /** The inner object of {@code GET /api/v1/log/entries?logIndex=i}: {@code {"<id>": {...}}}. */
  private JsonNode entry(URI base, long index) throws IOException, InterruptedException {
    JsonNode outer = JSON.readTree(get(base.resolve("/api/v1/log/entries?logIndex=" + index)).body());
    assertEquals(1, outer.size(), "entries at index " + index);
    return outer.elements().next();
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 6962 §2.1 leaf hash: SHA-256(0x00 || body). */
  private static byte[] leafHash(byte[] body) {
    byte[] in = new byte[body.length + 1];
    System.arraycopy(body, 0, in, 1, body.length);
    return sha256(in);
  }

  /** RFC 6962 §2.1 MTH, written out here independently of the code under test. */
  private static byte[] rfc6962Root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return sha256(new byte[0]);
    }
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1); // largest power of two < n
    byte[] l = rfc6962Root(leaves.subList(0, k));
    byte[] r = rfc6962Root(leaves.subList(k, leaves.size()));
    byte[] in = new byte[65];
    in[0] = 0x01;
    System.arraycopy(l, 0, in, 1, 32);
    System.arraycopy(r, 0, in, 33, 32);
    return sha256(in);
  }
}
