package dev.sigil.signer.keyless;

import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.signer.SigningException;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RekorClientTest {
  private static final String UUID = "24296fb24b8ad77a" + "ab".repeat(32);
  private static final String PEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  private static final byte[] DIGEST = new byte[32];
  private static final byte[] SIG = {1, 2, 3};
  private static final String BODY =
      "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{}}";

  private static String entry(String kindBody, boolean withProof) {
    String proof =
        withProof
            ? ",\"inclusionProof\":{\"checkpoint\":\"origin\\n5\\nroot\\n\",\"hashes\":[\"" + "0a".repeat(32)
                + "\",\"" + "0b".repeat(32) + "\"],\"logIndex\":3,\"rootHash\":\"" + "cc".repeat(32)
                + "\",\"treeSize\":5}"
            : "";
    return "{\"" + UUID + "\":{\"body\":\""
        + Base64.getEncoder().encodeToString(kindBody.getBytes(StandardCharsets.UTF_8))
        + "\",\"integratedTime\":1700000000,\"logID\":\"" + "dd".repeat(32) + "\",\"logIndex\":1234,"
        + "\"verification\":{\"signedEntryTimestamp\":\"" + Base64.getEncoder().encodeToString(new byte[] {9, 9})
        + "\"" + proof + "}}}";
  }

  private static RekorClient.HashedRekord proposed() {
    return new RekorClient.HashedRekord(SIG, HashAlgorithm.SHA2_256, DIGEST, PEM);
  }

  @Test
  void uploadsAHashedRekordAndMapsTheEntry() throws Exception {
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(201, entry(BODY, true)))) {
      TransparencyLogEntry e = new RekorClient(s.base()).upload(proposed());
      assertEquals(1234, e.logIndex());
      assertArrayEquals(HexFormat.of().parseHex("dd".repeat(32)), e.logKeyId());
      assertEquals("hashedrekord", e.kind());
      assertEquals("0.0.1", e.kindVersion());
      assertEquals(1700000000L, e.integratedTime());
      assertArrayEquals(new byte[] {9, 9}, e.signedEntryTimestamp().orElseThrow());
      assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), e.canonicalizedBody());
      InclusionProof p = e.inclusionProof().orElseThrow();
      assertEquals(3, p.logIndex());
      assertEquals(5, p.treeSize());
      assertArrayEquals(HexFormat.of().parseHex("cc".repeat(32)), p.rootHash());
      assertEquals(2, p.hashes().size());
      assertArrayEquals(HexFormat.of().parseHex("0b".repeat(32)), p.hashes().get(1));
      assertEquals("origin\n5\nroot\n", p.checkpoint().orElseThrow());

      FakeServer.Received got = s.received.get(0);
      assertEquals("POST", got.method());
      assertEquals(RekorClient.ENTRIES_PATH, got.uri().getPath());
      JsonNode req = Json.MAPPER.readTree(got.body());
      assertEquals("0.0.1", req.path("apiVersion").textValue());
      assertEquals("hashedrekord", req.path("kind").textValue());
      assertEquals("AQID", req.at("/spec/signature/content").textValue());
      assertEquals(PEM, new String(Base64.getDecoder().decode(req.at("/spec/signature/publicKey/content").textValue()),
          StandardCharsets.UTF_8));
      assertEquals("sha256", req.at("/spec/data/hash/algorithm").textValue());
      assertEquals("00".repeat(32), req.at("/spec/data/hash/value").textValue());
    }
  }

  @Test
  void conflictFetchesTheExistingEntry() throws Exception {
    String location = RekorClient.ENTRIES_PATH + "/" + UUID;
    try (FakeServer s = new FakeServer(r -> r.method().equals("POST")
        ? new FakeServer.Reply(409, "application/json",
            "{\"code\":409,\"message\":\"an equivalent entry already exists\"}".getBytes(StandardCharsets.UTF_8),
            Map.of("Location", location))
        : FakeServer.Reply.json(200, entry(BODY, true)))) {
      TransparencyLogEntry e = new RekorClient(s.base()).upload(proposed());
      assertEquals(1234, e.logIndex());
      assertEquals(2, s.received.size());
      assertEquals("GET", s.received.get(1).method());
      assertEquals(location, s.received.get(1).uri().getPath());
    }
  }

  private static String fail(FakeServer.Handler h) throws Exception {
    try (FakeServer s = new FakeServer(h)) {
      SigningException e = assertThrows(SigningException.class, () -> new RekorClient(s.base()).upload(proposed()));
      assertTrue(e.getMessage().startsWith("Rekor at " + s.base()), e.getMessage());
      return e.getMessage();
    }
  }

  @Test
  void conflictWithoutLocationIsAnError() throws Exception {
    String m = fail(r -> FakeServer.Reply.json(409, "{\"code\":409,\"message\":\"exists\"}"));
    assertTrue(m.contains("already exists in the log (HTTP 409), but the response names no Location"), m);
    assertTrue(m.contains("\"exists\""), m);
  }

  @Test
  void conflictLocationOnAnotherHostIsRefused() throws Exception {
    String m = fail(r -> new FakeServer.Reply(409, "application/json", new byte[0],
        Map.of("Location", "http://elsewhere.example/api/v1/log/entries/" + UUID)));
    assertTrue(m.contains("expected a URL on the same log, found another host"), m);
  }

  @Test
  void conflictThenMissingEntryNamesBothSteps() throws Exception {
    String m = fail(r -> r.method().equals("POST")
        ? new FakeServer.Reply(409, "application/json", new byte[0], Map.of("Location", "/api/v1/log/entries/" + UUID))
        : FakeServer.Reply.json(404, "{\"code\":404,\"message\":\"entry not found\"}"));
    assertTrue(m.contains("found HTTP 404: \"entry not found\""), m);
    assertTrue(m.contains("after HTTP 409"), m);
  }

  @Test
  void badRequestQuotesTheLogsMessage() throws Exception {
    String m = fail(r -> FakeServer.Reply.json(400, "{\"code\":400,\"message\":\"error processing entry: bad sig\"}"));
    assertTrue(m.contains("a hashedrekord 0.0.1 entry for sha256:" + "00".repeat(32)), m);
    assertTrue(m.contains("expected HTTP 201 with the new log entry, found HTTP 400: \"error processing entry: bad sig\""), m);
  }

  @Test
  void serverErrorWithEmptyBody() throws Exception {
    String m = fail(r -> FakeServer.Reply.text(500, ""));
    assertTrue(m.contains("found HTTP 500 with an empty body"), m);
  }

  @Test
  void malformedResponsesNameTheField() throws Exception {
    assertTrue(fail(r -> FakeServer.Reply.json(201, "[1,2]")).contains("expected a JSON object, found array"));
    assertTrue(fail(r -> FakeServer.Reply.json(201, "garbage")).contains("found malformed JSON"));
    assertTrue(fail(r -> FakeServer.Reply.json(201, entry(BODY, false)))
        .contains(UUID + ".verification.inclusionProof: expected an object, found no such field"));
    assertTrue(fail(r -> FakeServer.Reply.json(201, entry(BODY, true).replace("\"logIndex\":1234", "\"logIndex\":-1")))
        .contains(UUID + ".logIndex: expected a non-negative integer"));
    assertTrue(fail(r -> FakeServer.Reply.json(201, entry(BODY, true).replace("dd".repeat(32), "zz")))
        .contains(UUID + ".logID: expected hex, found \"zz\""));
    String otherKind = "{\"apiVersion\":\"0.0.1\",\"kind\":\"rekord\",\"spec\":{}}";
    assertTrue(fail(r -> FakeServer.Reply.json(201, entry(otherKind, true)))
        .contains("body: expected a hashedrekord 0.0.1 entry, found kind \"rekord\""));
    assertTrue(fail(r -> FakeServer.Reply.json(201, "{\"a\":{},\"b\":{}}"))
        .contains("expected one entry keyed by its UUID, found 2 keys"));
  }

  @Test
  void uploadsADsseEntryWithTheEnvelopeAsAStringAndReadsTheDsseBody() throws Exception {
    String dsseBody = "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{}}";
    String envelope = "{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\","
        + "\"signatures\":[{\"sig\":\"AQID\"}]}";
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(201, entry(dsseBody, true)))) {
      TransparencyLogEntry e =
          new RekorClient(s.base()).upload(new RekorClient.Dsse(envelope.getBytes(StandardCharsets.UTF_8), List.of(PEM)));
      assertEquals("dsse", e.kind());
      assertEquals("0.0.1", e.kindVersion());
      JsonNode req = Json.MAPPER.readTree(s.received.get(0).body());
      assertEquals("dsse", req.path("kind").textValue());
      assertEquals("0.0.1", req.path("apiVersion").textValue());
      assertEquals(envelope, req.at("/spec/proposedContent/envelope").textValue());
      assertEquals(1, req.at("/spec/proposedContent/verifiers").size());
      assertEquals(PEM, new String(Base64.getDecoder().decode(req.at("/spec/proposedContent/verifiers/0").textValue()),
          StandardCharsets.UTF_8));
    }
  }

  @Test
  void aDsseUploadAnsweredWithAnotherKindIsRefused() throws Exception {
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(201, entry(BODY, true)))) {
      SigningException e =
          assertThrows(SigningException.class,
              () -> new RekorClient(s.base()).upload(new RekorClient.Dsse("{}".getBytes(), List.of(PEM))));
      assertTrue(e.getMessage().contains("expected a dsse 0.0.1 entry, found kind \"hashedrekord\""), e.getMessage());
    }
  }

  @Test
  void aDsseEntryNeedsAVerifier() {
    assertThrows(IllegalArgumentException.class, () -> new RekorClient.Dsse("{}".getBytes(), List.of()));
  }

  @Test
  void digestLengthMustMatchTheAlgorithm() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> new RekorClient.HashedRekord(SIG, HashAlgorithm.SHA2_384, DIGEST, PEM));
    assertEquals("digest: expected 48 bytes for SHA2_384, found 32", e.getMessage());
  }
}
