package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.json.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Rekor compatibility on real data: for every hashedrekord and dsse body the public-good Rekor wrote in this
 * repository's fixtures, rebuild the proposal a client would send (fields reordered, whitespace added) and check the
 * canonical body is byte for byte Rekor's.
 */
class CanonicalizationTest {
  private final ProposedEntries proposals = new ProposedEntries();

  @Test
  void hashedRekordBodiesAreReproducedByteForByte() throws Exception {
    Set<String> reproduced = new TreeSet<>();
    List<String> refused = new ArrayList<>();
    for (JsonNode rec : records()) {
      if (!rec.path("kind").asText("").equals("hashedrekord")) {
        continue;
      }
      byte[] body = Base64.getDecoder().decode(rec.path("body").asText(""));
      JsonNode spec = JsonNode.parse(body).path("spec");
      String proposal = "{\n  \"kind\": \"hashedrekord\",\n  \"spec\": {\n    \"signature\": {\"publicKey\": {\"content\": \""
          + spec.path("signature").path("publicKey").path("content").asText("") + "\"}, \"content\": \""
          + spec.path("signature").path("content").asText("") + "\"},\n    \"data\": {\"hash\": {\"value\": \""
          + spec.path("data").path("hash").path("value").asText("") + "\", \"algorithm\": \""
          + spec.path("data").path("hash").path("algorithm").asText("") + "\"}}\n  },\n  \"apiVersion\": \"0.0.1\"\n}\n";
      try {
        CanonicalEntry c = proposals.canonicalize(proposal.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(body, c.body(), rec.path("source").asText(""));
        assertEquals(Fixtures.hex(dev.sigil.verifier.internal.tlog.MerkleTree.leafHash(body)), c.uuid());
        reproduced.add(rec.path("source").asText(""));
      } catch (InvalidEntryException e) {
        // Only bodies a fixture deliberately broke may be refused, and only for their signature.
        assertTrue(rec.path("source").asText("").endsWith("_fail"), rec.path("source").asText("") + ": " + e.getMessage());
        refused.add(rec.path("source").asText("") + ": " + e.getMessage());
      }
    }
    assertTrue(reproduced.containsAll(Set.of("happy-path-v0.3", "managed-key-happy-path", "py-bundle-v0.3",
        "py-github-wheel", "othername.sigstore.json")), reproduced.toString());
    assertTrue(reproduced.size() >= 15, "reproduced " + reproduced + ", refused " + refused);
    System.out.println("canonicalization: " + reproduced.size() + " Rekor bodies reproduced; refused: " + refused);
  }

  @Test
  void aDsseBodyIsReproducedExceptForTheHashOfTheClientsEnvelopeText() throws Exception {
    int checked = 0;
    for (JsonNode rec : records()) {
      if (!rec.path("kind").asText("").equals("dsse")) {
        continue;
      }
      byte[] body = Base64.getDecoder().decode(rec.path("body").asText(""));
      JsonNode spec = JsonNode.parse(body).path("spec");
      JsonNode env = rec.path("envelope");
      StringBuilder sigs = new StringBuilder();
      for (JsonNode s : env.path("signatures")) {
        sigs.append(sigs.length() == 0 ? "" : ",").append("{\"sig\":\"").append(s.path("sig").asText("")).append("\",\"keyid\":\"")
            .append(s.path("keyid").asText("")).append("\"}");
      }
      String envelope = "{\"payloadType\":\"" + env.path("payloadType").asText("") + "\",\"payload\":\""
          + env.path("payload").asText("") + "\",\"signatures\":[" + sigs + "]}";
      String verifier = new String(
          Base64.getDecoder().decode(spec.path("signatures").get(0).path("verifier").asText("")), StandardCharsets.US_ASCII);
      byte[] proposal = Fixtures.dsse(envelope, List.of(verifier)).getBytes(StandardCharsets.UTF_8);
      CanonicalEntry c = proposals.canonicalize(proposal);
      // Rekor hashed the client's envelope text, which the bundle does not keep; everything else must match.
      String expected = new String(body, StandardCharsets.UTF_8).replaceFirst(
          "\"envelopeHash\":\\{\"algorithm\":\"sha256\",\"value\":\"[0-9a-f]{64}\"\\}",
          "\"envelopeHash\":{\"algorithm\":\"sha256\",\"value\":\""
              + Fixtures.hex(Fixtures.sha("SHA-256", envelope.getBytes(StandardCharsets.UTF_8))) + "\"}");
      assertEquals(expected, new String(c.body(), StandardCharsets.UTF_8));
      checked++;
    }
    assertEquals(1, checked);
  }

  private static List<JsonNode> records() throws Exception {
    try (InputStream in = CanonicalizationTest.class.getResourceAsStream("/rekor/public-good-bodies.jsonl")) {
      List<JsonNode> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(JsonNode.parse(line.getBytes(StandardCharsets.UTF_8)));
        }
      }
      return out;
    }
  }
}
