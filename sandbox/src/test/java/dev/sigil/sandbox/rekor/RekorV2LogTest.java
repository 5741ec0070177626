package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.sandbox.http.RekorV2Server.TilePath;
import dev.sigil.verifier.internal.tlog.Checkpoint;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RekorV2LogTest {
  @TempDir Path dir;

  static TransparencyLog.Options v2Options() {
    return TransparencyLog.Options.rekorV2(Fixtures.HOST).withClock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
  }

  static byte[] request(KeyPair kp, String artifact) throws Exception {
    byte[] data = artifact.getBytes(StandardCharsets.UTF_8);
    return RekorV2EntriesTest.hashedRekordRequest(MessageDigest.getInstance("SHA-256").digest(data),
        Fixtures.sign("SHA256withECDSA", kp.getPrivate(), data), "publicKey", kp.getPublic().getEncoded(),
        "PKIX_ECDSA_P256_SHA_256");
  }

  @Test
  void entriesCarryAProofToAC2spCheckpointSignedUnderTheHostnameAndNoSet() throws Exception {
    KeyPair kp = Fixtures.p256();
    try (TransparencyLog log = TransparencyLog.open(dir, v2Options())) {
      assertEquals(TransparencyLog.Generation.REKOR_V2, log.generation());
      assertEquals(LogKey.Algorithm.ED25519, log.key().algorithm());
      assertEquals(Fixtures.HOST, log.origin());
      assertArrayEquals(NoteVerifier.keyHash(Fixtures.HOST, log.publicKey(), NoteVerifier.KeyIdScheme.C2SP), log.logId());
      byte[] req = request(kp, "one");
      LogEntry e = log.submit(req);
      assertEquals(1, e.logIndex(), "index 0 is the genesis entry");
      assertEquals("hashedrekord", e.kind());
      assertEquals("0.0.2", e.apiVersion());
      assertEquals(0, e.signedEntryTimestamp().length);
      LogEntry.InclusionProof p = e.inclusionProof();
      assertTrue(MerkleTree.verifyInclusion(e.logIndex(), p.treeSize(), MerkleTree.leafHash(e.body()), p.hashes(),
          p.rootHash()).isOk());
      var cp = NoteVerifier.forRekorV2(Fixtures.HOST, log.publicKey()).verifyCheckpoint(p.checkpoint());
      assertTrue(cp.isOk(), cp.isOk() ? "" : cp.detail());
      Checkpoint c = cp.value();
      assertEquals(List.of(), c.otherContent(), "no timestamp line");
      assertEquals(p.treeSize(), c.size());
      assertArrayEquals(p.rootHash(), c.rootHash());
      assertFalse(p.checkpoint().contains("Timestamp:"));
      // The same request again: the same entry, not a second one.
      DuplicateEntryException dup = assertThrows(DuplicateEntryException.class, () -> log.submit(req));
      assertEquals(1, dup.existingIndex());
    }
  }

  @Test
  void tilesAndEntryBundlesRebuildTheCheckpointRoot() throws Exception {
    KeyPair kp = Fixtures.p256();
    try (TransparencyLog log = TransparencyLog.open(dir, v2Options().withGroupCommit(false))) {
      for (int i = 0; i < 600; i++) {
        log.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
      }
      log.submit(request(kp, "signed"));
      long size = log.size();
      assertEquals(602, size);
      // Level 0 from entry bundles, cross-checked with the level-0 hash tiles; level 1 tiles against level 0.
      List<byte[]> leaves = new ArrayList<>();
      for (long n = 0; n * 256 < size; n++) {
        int w = (int) Math.min(256, size - n * 256);
        byte[] bundle = log.entryBundle(n, w);
        byte[] tile = log.tile(0, n, w);
        int at = 0;
        for (int i = 0; i < w; i++) {
          int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
          byte[] body = java.util.Arrays.copyOfRange(bundle, at + 2, at + 2 + len);
          at += 2 + len;
          byte[] leaf = MerkleTree.leafHash(body);
          assertArrayEquals(java.util.Arrays.copyOfRange(tile, i * 32, i * 32 + 32), leaf);
          leaves.add(leaf);
        }
        assertEquals(bundle.length, at);
      }
      assertArrayEquals(log.rootHash(), MerkleTree.rootOf(leaves));
      byte[] level1 = log.tile(1, 0, 2);
      assertArrayEquals(MerkleTree.rootOf(leaves.subList(0, 256)), java.util.Arrays.copyOf(level1, 32));
      assertArrayEquals(MerkleTree.rootOf(leaves.subList(256, 512)), java.util.Arrays.copyOfRange(level1, 32, 64));
      assertThrows(IllegalArgumentException.class, () -> log.tile(1, 0, 3), "a third level-8 subtree is not complete");
      assertThrows(IllegalArgumentException.class, () -> log.tile(0, 2, 256), "tile 2 is partial");
      assertThrows(IllegalArgumentException.class, () -> log.entryBundle(2, 91));
    }
  }

  @Test
  void reopensWithItsEntriesAndRefusesAV1KeyOrAV1Log() throws Exception {
    byte[] root;
    try (TransparencyLog log = TransparencyLog.open(dir, v2Options())) {
      log.append("kept".getBytes(StandardCharsets.UTF_8));
      root = log.rootHash();
    }
    try (TransparencyLog log = TransparencyLog.open(dir, v2Options())) {
      assertArrayEquals(root, log.rootHash());
    }
    assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    Path v1 = dir.resolve("v1");
    TransparencyLog.open(v1, Fixtures.options()).close();
    assertThrows(CorruptLogException.class, () -> TransparencyLog.open(v1, v2Options()));
  }

  @Test
  void tilePathsAreTheCanonicalC2spSpelling() {
    assertEquals("x001/x234/067", TilePath.encodeIndex(1234067));
    assertEquals("000", TilePath.encodeIndex(0));
    assertEquals("x001/000", TilePath.encodeIndex(1000));
    assertEquals(new TilePath(false, 0, 1234067, 256), TilePath.parse("/tile/0/x001/x234/067"));
    assertEquals(new TilePath(false, 2, 5, 17), TilePath.parse("/tile/2/005.p/17"));
    assertEquals(new TilePath(true, 0, 0, 1), TilePath.parse("/tile/entries/000.p/1"));
    for (String bad : List.of("/tile/0/5", "/tile/0/x000/005", "/tile/0/005.p/256", "/tile/0/005.p/0",
        "/tile/0/005.p/07", "/tile/8/000", "/tile/00/000", "/tile/0/1234", "/tile/0/x12/345", "/tile/0/005/",
        "/tile/entries/0000", "/tile/0/00a")) {
      assertNull(TilePath.parse(bad), bad);
    }
  }
}
