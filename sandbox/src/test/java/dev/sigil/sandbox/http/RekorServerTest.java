package dev.sigil.sandbox.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.rekor.LogEntry;
import dev.sigil.sandbox.rekor.TransparencyLog;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import dev.sigil.verifier.internal.tlog.RekorBody;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RekorServerTest {
  static final String HOST = "localhost:3000";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;
  TransparencyLog log;
  RekorServer server;
  URI base;
  HttpClient http;

  @BeforeEach
  void start() throws Exception {
    log = TransparencyLog.open(dir, TransparencyLog.Options.defaults(HOST).withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    server = new RekorServer();
    base = server.start(log, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    log.close();
  }

  // ------------------------------------------------------------------------------------------------- fixtures

  /** A valid hashedrekord 0.0.1 proposal (as cosign sends it) for {@code artifact}, signed with a fresh P-256 key. */
  static byte[] proposal(byte[] artifact) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(artifact);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(artifact);
    byte[] sig = s.sign();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    String json = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":"
        + "\"sha256\",\"value\":\"" + HEX.formatHex(digest) + "\"}},\"signature\":{\"content\":\""
        + b64(sig) + "\",\"publicKey\":{\"content\":\"" + b64(pem.getBytes(StandardCharsets.UTF_8)) + "\"}}}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] artifact(int i) {
    return ("artifact " + i).getBytes(StandardCharsets.UTF_8);
  }

  HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, byte[] body) throws Exception {
    return post(path, body, "application/json");
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r::toString);
    return JSON.readTree(r.body());
  }

  /** The single {@code <entry ID>: {...}} pair of a Rekor {@code LogEntry}. */
  static Map.Entry<String, JsonNode> single(JsonNode logEntry) {
    assertTrue(logEntry.isObject());
    assertEquals(1, logEntry.size(), logEntry::toString);
    String id = logEntry.fieldNames().next();
    return Map.entry(id, logEntry.get(id));
  }

  static void assertError(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r::body);
    JsonNode e = json(r);
    assertEquals(status, e.get("code").asInt(), r::body);
    assertTrue(e.get("message").isTextual(), r::body);
    assertEquals(2, e.size(), r::body);
    assertFalse(r.body().contains("Exception"), r::body);
    assertFalse(r.body().contains("\tat "), r::body);
    assertFalse(r.body().contains("dev.sigil"), r::body);
  }

  /** Checks one returned entry against the log, the verifier's Merkle tree and the SET, and returns its leaf hash. */
  byte[] verifyEntry(Map.Entry<String, JsonNode> kv, long expectedIndex) throws Exception {
    JsonNode e = kv.getValue();
    List<String> fields = new ArrayList<>();
    e.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("body", "integratedTime", "logID", "logIndex", "verification"), fields);
    byte[] body = Base64.getDecoder().decode(e.get("body").asText());
    byte[] leaf = MerkleTree.leafHash(body);
    String expectedId = String.format("%016x", log.treeId()) + HEX.formatHex(leaf);
    assertEquals(expectedId, kv.getKey());
    assertEquals(expectedIndex, e.get("logIndex").asLong());
    assertEquals(NOW.getEpochSecond(), e.get("integratedTime").asLong());
    assertEquals(HEX.formatHex(log.logId()), e.get("logID").asText());

    JsonNode v = e.get("verification");
    JsonNode p = v.get("inclusionProof");
    List<String> pf = new ArrayList<>();
    p.fieldNames().forEachRemaining(pf::add);
    assertEquals(List.of("checkpoint", "hashes", "logIndex", "rootHash", "treeSize"), pf);
    List<byte[]> hashes = new ArrayList<>();
    p.get("hashes").forEach(h -> hashes.add(HEX.parseHex(h.asText())));
    byte[] root = HEX.parseHex(p.get("rootHash").asText());
    long treeSize = p.get("treeSize").asLong();
    assertEquals(expectedIndex, p.get("logIndex").asLong());
    Outcome<byte[]> inc = MerkleTree.verifyInclusion(expectedIndex, treeSize, leaf, hashes, root);
    assertTrue(inc.isOk(), inc::detail);
    assertTrue(NoteVerifier.forRekorV1(HOST, log.publicKey()).verifyCheckpoint(p.get("checkpoint").asText()).isOk());

    byte[] set = Base64.getDecoder().decode(v.get("signedEntryTimestamp").asText());
    byte[] payload = RekorBody.setPayload(body, e.get("integratedTime").asLong(), log.logId(), expectedIndex);
    CryptoBackend.jca().newVerifier(log.publicKey()).verifyMessage(payload, set);
    return leaf;
  }

  // ------------------------------------------------------------------------------------------------- tests

  @Test
  void submittingAValidHashedRekordReturns201WithRekorsShapeAVerifiableProofAndSet() throws Exception {
    HttpResponse<String> r = post("/api/v1/log/entries", proposal(artifact(1)));
    assertEquals(201, r.statusCode(), r::body);
    var kv = single(json(r));
    byte[] leaf = verifyEntry(kv, 1);
    String uuid = HEX.formatHex(leaf);
    assertEquals("/api/v1/log/entries/" + uuid, r.headers().firstValue("Location").orElseThrow());
    assertEquals(2, log.size());
    assertArrayEquals(log.entry(1).body(), Base64.getDecoder().decode(kv.getValue().get("body").asText()));
    // A second one lands at index 2, and its proof is in the tree of 3.
    HttpResponse<String> r2 = post("/api/v1/log/entries", proposal(artifact(2)));
    assertEquals(201, r2.statusCode(), r2::body);
    verifyEntry(single(json(r2)), 2);
    assertEquals(3, single(json(r2)).getValue().at("/verification/inclusionProof/treeSize").asLong());
  }

  @Test
  void entriesCanBeReadByIndexUuidEntryIdAndRetrieve() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> r = post("/api/v1/log/entries", proposal(artifact(i)));
      assertEquals(201, r.statusCode(), r::body);
      ids.add(single(json(r)).getKey());
    }
    for (int i = 1; i <= 5; i++) {
      String id = ids.get(i - 1);
      String uuid = id.substring(16);
      HttpResponse<String> byIndex = get("/api/v1/log/entries?logIndex=" + i);
      assertEquals(200, byIndex.statusCode(), byIndex::body);
      var kv = single(json(byIndex));
      assertEquals(id, kv.getKey());
      verifyEntry(kv, i);
      assertEquals(6, kv.getValue().at("/verification/inclusionProof/treeSize").asLong());
      for (String key : List.of(uuid, id, uuid.toUpperCase(java.util.Locale.ROOT))) {
        HttpResponse<String> byUuid = get("/api/v1/log/entries/" + key);
        assertEquals(200, byUuid.statusCode(), byUuid::body);
        verifyEntry(single(json(byUuid)), i);
      }
    }
    // The genesis entry is readable too.
    assertEquals(200, get("/api/v1/log/entries?logIndex=0").statusCode());

    HttpResponse<String> byUuids = post("/api/v1/log/entries/retrieve",
        JSON.writeValueAsBytes(Map.of("entryUUIDs", List.of(ids.get(0).substring(16), ids.get(3), "00".repeat(32)))));
    assertEquals(200, byUuids.statusCode(), byUuids::body);
    JsonNode a = json(byUuids);
    assertTrue(a.isArray());
    assertEquals(2, a.size(), a::toString);
    verifyEntry(single(a.get(0)), 1);
    verifyEntry(single(a.get(1)), 4);

    HttpResponse<String> byIndexes = post("/api/v1/log/entries/retrieve",
        JSON.writeValueAsBytes(Map.of("logIndexes", List.of(5, 2, 99))));
    assertEquals(200, byIndexes.statusCode(), byIndexes::body);
    JsonNode b = json(byIndexes);
    assertEquals(2, b.size(), b::toString);
    verifyEntry(single(b.get(0)), 5);
    verifyEntry(single(b.get(1)), 2);

    // Searching by the proposed entry finds the logged one.
    HttpResponse<String> byProposal = post("/api/v1/log/entries/retrieve",
        ("{\"entries\":[" + new String(proposal(artifact(99)), StandardCharsets.UTF_8) + "]}").getBytes(
            StandardCharsets.UTF_8));
    assertEquals(200, byProposal.statusCode(), byProposal::body);
    assertEquals(0, json(byProposal).size());

    assertError(post("/api/v1/log/entries/retrieve",
        JSON.writeValueAsBytes(Map.of("logIndexes", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)))), 422);
    assertError(post("/api/v1/log/entries/retrieve", "{}".getBytes(StandardCharsets.UTF_8)), 400);
    assertError(post("/api/v1/log/entries/retrieve", "[1]".getBytes(StandardCharsets.UTF_8)), 400);
    assertError(post("/api/v1/log/entries/retrieve", "{\"logIndexes\":[-1]}".getBytes(StandardCharsets.UTF_8)), 400);
    assertError(post("/api/v1/log/entries/retrieve", "{\"entryUUIDs\":[\"xyz\"]}".getBytes(StandardCharsets.UTF_8)),
        400);
  }

  @Test
  void retrieveByProposedEntryFindsTheLoggedEntry() throws Exception {
    byte[] p = proposal(artifact(7));
    assertEquals(201, post("/api/v1/log/entries", p).statusCode());
    HttpResponse<String> r = post("/api/v1/log/entries/retrieve",
        ("{\"entries\":[" + new String(p, StandardCharsets.UTF_8) + "]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), r::body);
    JsonNode a = json(r);
    assertEquals(1, a.size());
    verifyEntry(single(a.get(0)), 1);
  }

  @Test
  void unknownEntriesAndPathsAre404AndBadParametersAre400() throws Exception {
    assertError(get("/api/v1/log/entries?logIndex=1"), 404);
    assertError(get("/api/v1/log/entries?logIndex=-1"), 400);
    assertError(get("/api/v1/log/entries?logIndex=abc"), 400);
    assertError(get("/api/v1/log/entries"), 400);
    assertError(get("/api/v1/log/entries?logIndex=1&logIndex=2"), 400);
    assertError(get("/api/v1/log/entries/" + "ab".repeat(32)), 404);
    assertError(get("/api/v1/log/entries/" + "ffffffffffffffff" + "ab".repeat(32)), 404);
    assertError(get("/api/v1/log/entries/not-a-uuid"), 400);
    assertError(get("/api/v1/nothing"), 404);
    assertError(get("/api/v1/log/entries/a/b"), 404);
    HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/log"))
        .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertError(wrongMethod, 405);
    assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void logInfoPublicKeyAndConsistencyProofs() throws Exception {
    List<byte[]> roots = new ArrayList<>();
    roots.add(null);
    roots.add(log.rootHash(1));
    for (int i = 1; i <= 9; i++) {
      assertEquals(201, post("/api/v1/log/entries", proposal(artifact(i))).statusCode());
      roots.add(log.rootHash(i + 1));
    }
    HttpResponse<String> r = get("/api/v1/log");
    assertEquals(200, r.statusCode(), r::body);
    JsonNode info = json(r);
    List<String> fields = new ArrayList<>();
    info.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("rootHash", "treeSize", "signedTreeHead", "treeID", "inactiveShards"), fields);
    assertEquals(10, info.get("treeSize").asLong());
    assertEquals(HEX.formatHex(log.rootHash()), info.get("rootHash").asText());
    assertEquals(Long.toString(log.treeId()), info.get("treeID").asText());
    assertTrue(info.get("inactiveShards").isArray() && info.get("inactiveShards").isEmpty());
    var cp = NoteVerifier.forRekorV1(HOST, log.publicKey()).verifyCheckpoint(info.get("signedTreeHead").asText());
    assertTrue(cp.isOk(), cp::detail);

    HttpResponse<String> pem = get("/api/v1/log/publicKey");
    assertEquals(200, pem.statusCode());
    assertEquals("application/x-pem-file", pem.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(log.key().publicKeyPem(), pem.body());

    for (int a = 1; a <= 10; a++) {
      for (int b = a; b <= 10; b++) {
        HttpResponse<String> pr = get("/api/v1/log/proof?firstSize=" + a + "&lastSize=" + b);
        assertEquals(200, pr.statusCode(), pr::body);
        JsonNode proof = json(pr);
        assertEquals(HEX.formatHex(roots.get(b)), proof.get("rootHash").asText());
        List<byte[]> hashes = new ArrayList<>();
        proof.get("hashes").forEach(h -> hashes.add(HEX.parseHex(h.asText())));
        Outcome<byte[]> c = MerkleTree.verifyConsistency(a, b, hashes, roots.get(a), roots.get(b));
        assertTrue(c.isOk(), c::detail);
      }
    }
    // firstSize defaults to 1.
    assertEquals(200, get("/api/v1/log/proof?lastSize=10").statusCode());
    assertError(get("/api/v1/log/proof?firstSize=1&lastSize=11"), 400);
    assertError(get("/api/v1/log/proof?firstSize=5&lastSize=4"), 400);
    assertError(get("/api/v1/log/proof?firstSize=0&lastSize=4"), 400);
    assertError(get("/api/v1/log/proof"), 400);
    assertError(get("/api/v1/log/proof?lastSize=x"), 400);
  }

  @Test
  void aDuplicateIs409WithTheExistingEntrysLocation() throws Exception {
    byte[] p = proposal(artifact(1));
    HttpResponse<String> first = post("/api/v1/log/entries", p);
    assertEquals(201, first.statusCode());
    HttpResponse<String> again = post("/api/v1/log/entries", p);
    assertError(again, 409);
    assertEquals(first.headers().firstValue("Location"), again.headers().firstValue("Location"));
    assertEquals(2, log.size());
  }

  @Test
  void malformedProposalsAre400AndAppendNothing() throws Exception {
    byte[] valid = proposal(artifact(1));
    String v = new String(valid, StandardCharsets.UTF_8);
    List<String> bad = List.of(
        "",
        "not json",
        "{",
        "[]",
        "{}",
        v.replace("hashedrekord", "rekord"),
        v.replace("0.0.1", "9.9.9"),
        v.replace("\"sha256\"", "\"md5\""),
        // A signature that does not verify: a different digest.
        v.replaceFirst("\"value\":\"[0-9a-f]{64}\"", "\"value\":\"" + "0".repeat(64) + "\""),
        v + "garbage");
    for (String b : bad) {
      HttpResponse<String> r = post("/api/v1/log/entries", b.getBytes(StandardCharsets.UTF_8));
      assertError(r, 400);
      assertEquals(1, log.size(), b);
    }
    assertEquals(201, post("/api/v1/log/entries", valid).statusCode());
    assertEquals(2, log.size());
  }

  @Test
  void nonJsonContentTypesAre415() throws Exception {
    assertError(post("/api/v1/log/entries", proposal(artifact(1)), "text/plain"), 415);
    assertError(post("/api/v1/log/entries", proposal(artifact(1)), "application/x-www-form-urlencoded"), 415);
    assertEquals(1, log.size());
    assertEquals(201, post("/api/v1/log/entries", proposal(artifact(1)), "application/json; charset=utf-8")
        .statusCode());
    assertEquals(201, post("/api/v1/log/entries", proposal(artifact(2)), null).statusCode());
  }

  @Test
  void oversizedBodiesAre413AndAppendNothing() throws Exception {
    byte[] big = new byte[RekorServer.DEFAULT_MAX_REQUEST_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertError(post("/api/v1/log/entries", big), 413);
    assertError(post("/api/v1/log/entries/retrieve", big), 413);
    // Without a Content-Length (chunked), the body is still cut at the bound.
    HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/log/entries"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(chunked, 413);
    assertEquals(1, log.size());
    // The server still works afterwards.
    assertEquals(201, post("/api/v1/log/entries", proposal(artifact(1))).statusCode());
  }

  @Test
  void aSmallRequestBoundIsHonoured() throws Exception {
    try (RekorServer small = new RekorServer(256, 2)) {
      URI u = small.start(log, null);
      assertEquals("127.0.0.1", u.getHost());
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(u.resolve("/api/v1/log/entries"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(proposal(artifact(1)))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(r, 413);
      assertEquals(1, log.size());
    }
  }

  @Test
  void concurrentSubmissionsAllLandWithValidProofs() throws Exception {
    int n = 24;
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/log/entries"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(proposal(artifact(1000 + i)))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    java.util.Set<Long> indexes = new java.util.TreeSet<>();
    for (var f : fs) {
      HttpResponse<String> r = f.get();
      assertEquals(201, r.statusCode(), r::body);
      var kv = single(json(r));
      long idx = kv.getValue().get("logIndex").asLong();
      verifyEntry(kv, idx);
      indexes.add(idx);
    }
    assertEquals(n, indexes.size());
    assertEquals(n + 1, log.size());
  }

  @Test
  void closeIsIdempotentAndTheServerCannotBeRestarted() throws Exception {
    RekorServer s = new RekorServer();
    URI u = s.start(log, null);
    assertNotNull(u);
    assertEquals(u, s.uri().orElseThrow());
    s.close();
    s.close();
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.start(log, null));
  }

  @Test
  void returnedEntriesMatchTheLogsOwnEntries() throws Exception {
    HttpResponse<String> r = post("/api/v1/log/entries", proposal(artifact(3)));
    var kv = single(json(r));
    LogEntry e = log.entry(1);
    assertEquals(e.entryId(), kv.getKey());
    assertEquals(e.bodyBase64(), kv.getValue().get("body").asText());
    assertEquals(e.signedEntryTimestampBase64(), kv.getValue().at("/verification/signedEntryTimestamp").asText());
  }
}
