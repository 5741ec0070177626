package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.sandbox.Sandbox;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.SignedMessage;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Rekor v2 client against the sandbox's Rekor v2 log, and its reading of {@code TransparencyLogEntry}. */
class RekorV2ClientTest {
  @TempDir Path dir;

  @Test
  void aLoggedKeySessionWritesHashedRekord002EntriesThatVerifyAndNeedsATsa() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("sb"), 0, Sandbox.RekorVersions.V2)) {
      TrustedRoot root = TrustedRoot.parse(Files.readAllBytes(s.trustedRootFile()));
      SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
      RekorV2Client rekor = new RekorV2Client(s.uri());
      IllegalArgumentException noTsa = assertThrows(IllegalArgumentException.class,
          () -> SigningSession.withLoggedKey(key, rekor, Optional.empty(), root));
      assertTrue(noTsa.getMessage().contains("RFC 3161 timestamp is required"), noTsa.getMessage());

      SigningSession session = SigningSession.withLoggedKey(key, List.of(rekor),
          List.of(new TimestampClient(s.tsaUrl())), root);
      byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
      SignedMessage m = session.signMessage(payload);
      TransparencyLogEntry e = m.logEntries().get(0);
      assertEquals("hashedrekord", e.kind());
      assertEquals("0.0.2", e.kindVersion());
      assertEquals(0, e.integratedTime());
      assertTrue(e.signedEntryTimestamp().isEmpty());
      assertEquals(1, m.timestamps().size());
      session.requireVerified(m.toBundle(), Artifact.ofContent(payload), "message");
      assertEquals(s.logV2().orElseThrow().size() - 1, e.logIndex());
    }
  }

  @Test
  void readsATransparencyLogEntryAndRefusesWhatRekorV2NeverReturns() throws Exception {
    String body = java.util.Base64.getEncoder().encodeToString(
        "{\"apiVersion\":\"0.0.2\",\"kind\":\"hashedrekord\",\"spec\":{}}".getBytes(StandardCharsets.UTF_8));
    String ok = "{\"logIndex\":\"7\",\"logId\":{\"keyId\":\"AAAA\"},\"kindVersion\":{\"kind\":\"hashedrekord\","
        + "\"version\":\"0.0.2\"},\"inclusionProof\":{\"logIndex\":\"7\",\"rootHash\":\"AAAA\",\"treeSize\":\"8\","
        + "\"hashes\":[\"AAAA\"],\"checkpoint\":{\"envelope\":\"note\"}},\"canonicalizedBody\":\"" + body + "\"}";
    TransparencyLogEntry e = RekorV2Client.parseEntry(ok.getBytes(StandardCharsets.UTF_8), "hashedrekord");
    assertEquals(7, e.logIndex());
    assertEquals(8, e.inclusionProof().orElseThrow().treeSize());
    for (String bad : List.of(
        ok.replace("{\"logIndex\"", "{\"integratedTime\":\"5\",\"logIndex\""),
        ok.replace("{\"logIndex\"", "{\"inclusionPromise\":{},\"logIndex\""),
        ok.replace("\"logIndex\":\"7\",\"rootHash\"", "\"logIndex\":\"6\",\"rootHash\""),
        ok.replace("\"version\":\"0.0.2\"", "\"version\":\"0.0.1\""),
        ok.replace("\"logIndex\":\"7\",\"logId\"", "\"logIndex\":\"-7\",\"logId\""),
        ok.replace(body, java.util.Base64.getEncoder().encodeToString("{\"kind\":\"dsse\",\"apiVersion\":\"0.0.2\"}"
            .getBytes(StandardCharsets.UTF_8))))) {
      assertThrows(Json.ShapeException.class, () -> RekorV2Client.parseEntry(bad.getBytes(StandardCharsets.UTF_8),
          "hashedrekord"), bad);
    }
    assertThrows(Json.ShapeException.class, () -> RekorV2Client.parseEntry(ok.getBytes(StandardCharsets.UTF_8),
        "dsse"));
  }

  @Test
  void anEd25519KeyCannotMakeAHashedRekord() {
    SigningKey ed = SigningKey.generate(SigningKey.Type.ED25519, new SecureRandom());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RekorV2Client.verifier(dev.sigil.verifier.internal.crypto.PublicKeys.toPem(ed.publicKey())));
    assertTrue(e.getMessage().contains("Ed25519"), e.getMessage());
  }

  @Test
  void aRefusalNamesTheLogAndWhatWasSent() throws Exception {
    try (Sandbox s = Sandbox.start(dir.resolve("sb1"), 0, Sandbox.RekorVersions.V1)) {
      RekorV2Client rekor = new RekorV2Client(s.uri());
      SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
      SigningException e = assertThrows(SigningException.class, () -> rekor.upload(new RekorClient.HashedRekord(
          new byte[] {1}, dev.sigil.verifier.bundle.HashAlgorithm.SHA2_256, new byte[32],
          dev.sigil.verifier.internal.crypto.PublicKeys.toPem(key.publicKey()))));
      assertTrue(e.getMessage().startsWith("Rekor v2 at " + s.uri() + "/api/v2/log/entries"), e.getMessage());
      assertTrue(e.getMessage().contains("404"), e.getMessage());
    }
  }
}
