package dev.sigil.sandbox.rekor;

import static dev.sigil.sandbox.rekor.Fixtures.HOST;
import static dev.sigil.sandbox.rekor.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.tlog.Checkpoint;
import dev.sigil.verifier.internal.tlog.EntryVerifier;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import dev.sigil.verifier.internal.tlog.RekorBody;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransparencyLogTest {
  @TempDir Path dir;

  private static byte[] body(int i) {
    return ("{\"test\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFreshLogHoldsOnlyTheGenesisEntryAndClientEntriesStartAtOne() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      assertTrue(log.recovery().created());
      assertEquals(NOW, log.createdAt());
      assertEquals(1, log.size());
      LogEntry genesis = log.entry(0);
      assertEquals(TransparencyLog.GENESIS_KIND, genesis.kind());
      assertTrue(new String(genesis.body(), StandardCharsets.UTF_8).contains(log.key().logIdHex()));
      assertEquals(1, log.append(body(1)).logIndex());
      assertEquals(2, log.size());
    }
  }

  @Test
  void appendedEntriesProveInclusionWithTheVerifiersMerkleTree() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      List<byte[]> leaves = new ArrayList<>();
      leaves.add(log.entry(0).leafHash());
      for (int i = 1; i <= 40; i++) {
        LogEntry e = log.append(body(i));
        assertEquals(i, e.logIndex());
        leaves.add(MerkleTree.leafHash(body(i)));
        LogEntry.InclusionProof p = e.inclusionProof();
        assertEquals(i + 1, p.treeSize());
        assertArrayEquals(MerkleTree.rootOf(leaves), p.rootHash());
        Outcome<byte[]> r = MerkleTree.verifyInclusion(i, p.treeSize(), e.leafHash(), p.hashes(), p.rootHash());
        assertTrue(r.isOk(), () -> r.detail());
      }
      // Older entries prove inclusion in the current tree, and in every earlier tree that holds them.
      long size = log.size();
      for (int i = 0; i < size; i++) {
        LogEntry e = log.entry(i);
        assertTrue(MerkleTree.verifyInclusion(i, size, leaves.get(i), e.inclusionProof().hashes(), log.rootHash()).isOk());
        for (long s = i + 1; s <= size; s += 7) {
          assertTrue(MerkleTree.verifyInclusion(i, s, leaves.get(i), log.inclusionProof(i, s), log.rootHash(s)).isOk());
        }
      }
      for (long a = 0; a <= size; a += 3) {
        for (long b = a; b <= size; b += 5) {
          var c = MerkleTree.verifyConsistency(a, b, log.consistencyProof(a, b), log.rootHash(a), log.rootHash(b));
          assertTrue(c.isOk(), () -> c.detail());
        }
      }
    }
  }

  @Test
  void checkpointsVerifyWithTheVerifiersRekorV1NoteVerifier() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      log.append(body(1));
      log.append(body(2));
      SignedCheckpoint cp = log.checkpoint();
      Outcome<Checkpoint> r = NoteVerifier.forRekorV1(HOST, log.publicKey()).verifyCheckpoint(cp.note());
      assertTrue(r.isOk(), () -> r.detail());
      assertEquals(3, r.value().size());
      assertArrayEquals(log.rootHash(), r.value().rootHash());
      assertEquals(HOST + " - " + log.treeId(), r.value().origin());
      assertTrue(r.value().hasRekorV1Origin());
      assertEquals(List.of("Timestamp: " + NOW.getEpochSecond() * 1_000_000_000L), r.value().otherContent());
      // The note is exactly: text, blank line, one signature line by the hostname.
      String[] lines = cp.note().split("\n", -1);
      assertEquals(7, lines.length);
      assertEquals("", lines[4]);
      assertTrue(lines[5].startsWith("\u2014 " + HOST + " "));
      // Another key does not verify it. (Rekor v1 key IDs do not bind the key name, so the verifier matches v1
      // signature lines by key ID alone; the name is checked here, on the note itself.)
      assertFalse(NoteVerifier.forRekorV1(HOST, Fixtures.p256().getPublic()).verifyCheckpoint(cp.note()).isOk());
    }
    // Without the Timestamp line the checkpoint is the bare three lines.
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options().withCheckpointTimestamps(false))) {
      SignedCheckpoint cp = log.checkpoint();
      assertEquals(HOST + " - " + log.treeId() + "\n3\n" + java.util.Base64.getEncoder().encodeToString(log.rootHash()) + "\n",
          cp.text());
      assertTrue(NoteVerifier.forRekorV1(HOST, log.publicKey()).verifyCheckpoint(cp.note()).isOk());
    }
  }

  @Test
  void signedEntryTimestampsVerifyOverTheVerifiersSetPayload() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      LogEntry e = log.append(body(1));
      assertEquals(NOW.getEpochSecond(), e.integratedTime());
      byte[] payload = RekorBody.setPayload(e.body(), e.integratedTime(), log.logId(), e.logIndex());
      CryptoBackend.jca().newVerifier(log.publicKey()).verifyMessage(payload, e.signedEntryTimestamp());
      byte[] other = RekorBody.setPayload(e.body(), e.integratedTime(), log.logId(), e.logIndex() + 1);
      assertThrows(Exception.class, () -> CryptoBackend.jca().newVerifier(log.publicKey()).verifyMessage(other, e.signedEntryTimestamp()));
      assertArrayEquals(Fixtures.sha("SHA-256", log.publicKey().getEncoded()), e.logId());
    }
  }

  @Test
  void aHashedRekordEntryInABundlePassesTheEntryVerifier() throws Exception {
    byte[] artifact = "hello, sigil".getBytes(StandardCharsets.UTF_8);
    Fixtures.Signed s = Fixtures.signedArtifact(artifact);
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      log.append(body(1)); // so the entry is not the last leaf of a power-of-two tree
      LogEntry e = log.submit(s.proposal());
      assertEquals("hashedrekord", e.kind());
      assertEquals("0.0.1", e.apiVersion());
      TransparencyLogEntry te = e.toBundleEntry();
      var expected = new RekorBody.Expected(RekorBody.Kind.MESSAGE_SIGNATURE, "sha256", s.digest(), new byte[0],
          s.signature(), s.key().getPublic().getEncoded(), false);
      EntryVerifier v = new EntryVerifier(List.of(Fixtures.instance(log)));
      var r = v.verify(te, expected, true, NOW);
      assertTrue(r.isOk(), () -> r.detail());
      assertTrue(r.value().summary().contains("SET verifies"), r.value().summary());
      assertTrue(r.value().summary().contains("checkpoint signed by the log"), r.value().summary());
      assertEquals(NOW.getEpochSecond(), r.value().integratedTime().orElseThrow().getEpochSecond());

      // The same entry fetched later (bigger tree) still verifies.
      log.append(body(2));
      log.append(body(3));
      LogEntry later = log.entryByUuid(e.uuid()).orElseThrow();
      assertEquals(5, later.inclusionProof().treeSize());
      var r2 = v.verify(later.toBundleEntry(), expected, true, NOW);
      assertTrue(r2.isOk(), () -> r2.detail());
      assertEquals(later, log.entryByUuid(e.entryId()).orElseThrow());

      // Tampering is caught: another log's key, or a different signature in the bundle.
      EntryVerifier wrongLog = new EntryVerifier(List.of(new dev.sigil.verifier.trust.TransparencyLogInstance(
          "http://" + HOST, dev.sigil.verifier.bundle.HashAlgorithm.SHA2_256,
          dev.sigil.verifier.trust.PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, Fixtures.p256().getPublic(),
          dev.sigil.verifier.trust.ValidityPeriod.startingAt(NOW.minusSeconds(3600)), log.logId(),
          java.util.Optional.empty(), "")));
      assertFalse(wrongLog.verify(te, expected, true, NOW).isOk());
      var otherSig = new RekorBody.Expected(RekorBody.Kind.MESSAGE_SIGNATURE, "sha256", s.digest(), new byte[0],
          new byte[] {1, 2, 3}, s.key().getPublic().getEncoded(), false);
      assertFalse(v.verify(te, otherSig, true, NOW).isOk());
    }
  }

  @Test
  void aDsseEntryWithACertificateInABundlePassesTheEntryVerifier() throws Exception {
    KeyPair kp = Fixtures.p256();
    var cert = Fixtures.selfSigned(kp, "SHA256withECDSA");
    byte[] payload = "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] sig = Fixtures.sign("SHA256withECDSA", kp.getPrivate(), ProposedEntries.pae(type, payload));
    String env = Fixtures.envelope(type, payload, List.of(sig));
    byte[] proposal = Fixtures.dsse(env, List.of(Fixtures.pem("CERTIFICATE", cert.getEncoded())))
        .getBytes(StandardCharsets.UTF_8);
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      LogEntry e = log.submit(proposal);
      assertEquals("dsse", e.kind());
      var expected = new RekorBody.Expected(RekorBody.Kind.DSSE, "sha256", Fixtures.sha("SHA-256", ProposedEntries.pae(type, payload)),
          Fixtures.sha("SHA-256", payload), sig, cert.getEncoded(), true);
      var r = new EntryVerifier(List.of(Fixtures.instance(log))).verify(e.toBundleEntry(), expected, true, NOW);
      assertTrue(r.isOk(), () -> r.detail());
    }
  }

  @Test
  void aReopenedLogServesTheSameRootAndEntries() throws Exception {
    byte[] root;
    SignedCheckpoint cp;
    List<LogEntry> before = new ArrayList<>();
    long treeId;
    byte[] logId;
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      for (int i = 1; i <= 25; i++) {
        before.add(log.append(body(i)));
      }
      root = log.rootHash();
      cp = log.checkpoint();
      treeId = log.treeId();
      logId = log.logId();
    }
    assertTrue(Files.exists(dir.resolve(TransparencyLog.CHECKPOINT_FILE)));
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      assertFalse(log.recovery().created());
      assertEquals(0, log.recovery().truncatedBytes());
      assertEquals(26, log.size());
      assertArrayEquals(root, log.rootHash());
      assertEquals(treeId, log.treeId());
      assertArrayEquals(logId, log.logId());
      assertTrue(NoteVerifier.forRekorV1(HOST, log.publicKey()).verifyCheckpoint(cp.note()).isOk());
      for (LogEntry e : before) {
        LogEntry again = log.entry(e.logIndex());
        assertEquals(e, again);
        assertArrayEquals(e.signedEntryTimestamp(), again.signedEntryTimestamp()); // deterministic ECDSA
      }
      assertEquals(26, log.append(body(26)).logIndex());
    }
  }

  @Test
  void duplicatesAreRefusedWithTheExistingIndexAndNothingIsWritten() throws Exception {
    Fixtures.Signed s = Fixtures.signedArtifact("dup".getBytes(StandardCharsets.UTF_8));
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      LogEntry first = log.submit(s.proposal());
      long bytes = Files.size(dir.resolve(TransparencyLog.LOG_FILE));
      DuplicateEntryException d = assertThrows(DuplicateEntryException.class, () -> log.submit(s.proposal()));
      assertEquals(first.logIndex(), d.existingIndex());
      assertEquals(first.uuid(), d.uuid());
      assertEquals(bytes, Files.size(dir.resolve(TransparencyLog.LOG_FILE)));
      assertEquals(2, log.size());
    }
  }

  @Test
  void entryIdsAndUuidsFollowRekor() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      LogEntry e = log.append(body(1));
      assertEquals(Fixtures.hex(MerkleTree.leafHash(body(1))), e.uuid());
      assertEquals(String.format("%016x", log.treeId()) + e.uuid(), e.entryId());
      assertEquals(80, e.entryId().length());
      assertEquals(e, log.entryByUuid(e.uuid().toUpperCase()).orElseThrow());
      assertTrue(log.entryByUuid("00".repeat(32)).isEmpty());
      assertTrue(log.entryByUuid("0000000000000000" + e.uuid()).isEmpty() || log.treeId() == 0);
      assertThrows(IllegalArgumentException.class, () -> log.entryByUuid("xyz"));
      assertThrows(IllegalArgumentException.class, () -> log.entry(2));
    }
  }

  @Test
  void theKeyIsPkcs8WithMode0600AndTheDirectoryCannotBeOpenedTwice() throws Exception {
    byte[] logId;
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      logId = log.logId();
      Path keyFile = dir.resolve(LogKey.FILE_NAME);
      if (dev.sigil.sandbox.keys.KeyFiles.isPosix()) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      }
      List<Pem.Block> blocks = Pem.decode(Files.readString(keyFile));
      assertEquals("PRIVATE KEY", blocks.get(0).type());
      KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).der()));
      assertEquals(log.publicKey(), PublicKeys.fromPem(log.key().publicKeyPem()));
      var e = assertThrows(java.io.IOException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      assertArrayEquals(logId, log.logId());
    }
  }

  @Test
  void aLogWhoseKeyWasReplacedOrLooselyProtectedIsRefused() throws Exception {
    TransparencyLog.open(dir, Fixtures.options()).close();
    Path keyFile = dir.resolve(LogKey.FILE_NAME);
    if (dev.sigil.sandbox.keys.KeyFiles.isPosix()) {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
      var e = assertThrows(java.io.IOException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
      assertTrue(e.getMessage().contains("expected mode 0600"), e.getMessage());
    }
    Files.delete(keyFile);
    var missing = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(missing.getMessage().contains("refusing to create a new key"), missing.getMessage());
    LogKey.loadOrCreate(dir); // a different key
    var other = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(other.getMessage().contains("was created with the key"), other.getMessage());
  }

  @Test
  void appendsAfterCloseFailAndBodiesAreBounded() throws Exception {
    TransparencyLog log = TransparencyLog.open(dir, Fixtures.options().withMaxBodyBytes(100));
    assertThrows(IllegalArgumentException.class, () -> log.append(new byte[101]));
    assertThrows(IllegalArgumentException.class, () -> log.append(new byte[0]));
    log.close();
    var e = assertThrows(java.io.IOException.class, () -> log.append(body(1)));
    assertTrue(e.getMessage().contains("closed"));
  }
}
