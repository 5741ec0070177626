package dev.sigil.verifier.internal.tlog;

import static dev.sigil.verifier.internal.tlog.Fixtures.REKOR_V1_NAME;
import static dev.sigil.verifier.internal.tlog.Fixtures.REKOR_V2_ALPHA1_NAME;
import static dev.sigil.verifier.internal.tlog.Fixtures.failure;
import static dev.sigil.verifier.internal.tlog.Fixtures.hex;
import static dev.sigil.verifier.internal.tlog.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.Providers;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoteVerifierTest {
  private static final String V1_TRUST = "/trust/public-good-trusted_root.json";
  private static final String V2_TRUST = "/trust/conformance/rekor2-happy-path.trusted_root.json";

  // ---- Rekor v1 (ECDSA P-256, key ID = SHA-256(PKIX)[:4], signature over SHA-256 of the text) ----

  @Test
  void verifiesRealRekorV1Checkpoint() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV1(REKOR_V1_NAME, Fixtures.rekorV1Key());
    assertEquals("c0d23d6a", v.keyIdHex());
    assertEquals(0xc0d23d6a, v.keyId());
    byte[] logId = Fixtures.tlogLogId(V1_TRUST, "https://rekor.sigstore.dev");
    assertArrayEquals(logId, NoteVerifier.keyHash(REKOR_V1_NAME, Fixtures.rekorV1Key(), NoteVerifier.KeyIdScheme.REKOR_V1));
    assertArrayEquals(sha256(Fixtures.rekorV1Key().getEncoded()), logId);

    Fixtures.Entry e = Fixtures.entry("happy-path-v0.3");
    Checkpoint c = ok(v.verifyCheckpoint(e.checkpoint()));
    assertEquals("rekor.sigstore.dev - 2605736670972794746", c.origin());
    assertEquals(e.treeSize(), c.size());
    assertArrayEquals(e.rootHash(), c.rootHash());
    // The whole chain: leaf -> inclusion proof -> root -> signed checkpoint.
    ok(MerkleTree.verifyInclusion(e.index(), c.size(), e.leafHash(), e.hashes(), c.rootHash()));

    VerifiedNote n = ok(v.verify(ok(SignedNote.parse(e.checkpoint()))));
    assertEquals("rekor.sigstore.dev+c0d23d6a", n.verifiedBy());
    assertEquals(REKOR_V1_NAME, n.signature().name());
    assertTrue(n.text().startsWith("rekor.sigstore.dev - "));
    assertTrue(n.toString().contains("rekor.sigstore.dev+c0d23d6a"));
  }

  @Test
  void verifiesRealRekorV1CheckpointWithTimestampLine() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV1(REKOR_V1_NAME, Fixtures.rekorV1Key());
    Fixtures.Entry e = Fixtures.entry("happy-path-v0.2");
    Checkpoint c = ok(v.verifyCheckpoint(e.checkpoint()));
    assertEquals(List.of("Timestamp: 1689177396617352539"), c.otherContent());
    ok(MerkleTree.verifyInclusion(e.index(), c.size(), e.leafHash(), e.hashes(), c.rootHash()));
  }

  @Test
  void verifiesRealRekorV1CheckpointOfPrivateInstance() throws Exception {
    PublicKey key =
        Fixtures.tlogKey("/trust/conformance/intoto-with-custom-trust-root.trusted_root.json", "http://localhost:8000");
    NoteVerifier v = NoteVerifier.forRekorV1("localhost:8000", key);
    Checkpoint c = ok(v.verifyCheckpoint(Fixtures.entry("intoto-with-custom-trust-root").checkpoint()));
    assertEquals(1, c.size());
  }

  @Test
  void rejectsRealRekorV1CheckpointWithBadKeyHint() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV1(REKOR_V1_NAME, Fixtures.rekorV1Key());
    assertEquals(
        "note signature: expected a signature line by rekor.sigstore.dev+c0d23d6a (key name + key ID), found only"
            + " lines by rekor.sigstore.dev+c4d23d6a",
        failure(v.verifyCheckpoint(Fixtures.entry("checkpoint-bad-keyhint_fail").checkpoint())));
  }

  @Test
  void rejectsRealRekorV1CheckpointWithInvalidSignature() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV1(REKOR_V1_NAME, Fixtures.rekorV1Key());
    String reason = failure(v.verifyCheckpoint(Fixtures.entry("invalid-checkpoint-signature_fail").checkpoint()));
    assertTrue(
        reason.startsWith(
            "note signature line 1 by rekor.sigstore.dev+c0d23d6a: expected a valid signature over the note text,"
                + " found one that does not verify"),
        reason);
  }

  @Test
  void rejectsMutatedRekorV1Checkpoints() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV1(REKOR_V1_NAME, Fixtures.rekorV1Key());
    String cp = Fixtures.entry("happy-path-v0.3").checkpoint();
    String[] lines = cp.split("\n", -1);
    // altered tree size, root hash and origin lines
    assertDoesNotVerify(v, cp.replaceFirst("\n75408393\n", "\n75408394\n"));
    assertDoesNotVerify(v, cp.replace(lines[2], lines[2].replace('F', 'G')));
    assertDoesNotVerify(v, cp.replace("2605736670972794746", "2605736670972794747"));
    // an added extension line
    assertDoesNotVerify(v, cp.replace(lines[2] + "\n", lines[2] + "\nTimestamp: 1\n"));
    // Rekor v1 key IDs do not bind the signer name and the signature does not cover it: a v1 line is the log's by
    // key ID alone (as sigstore-go and sigstore-python match it), so renaming the line changes nothing.
    String renamed = cp.replace("\u2014 rekor.sigstore.dev ", "\u2014 rekor.sigstore.com ");
    ok(v.verifyCheckpoint(renamed));
    // ... but for Rekor v2 (C2SP) the name is part of the key: the renamed line is not the log's.
    NoteVerifier c2sp = NoteVerifier.forRekorV2(REKOR_V1_NAME, Fixtures.rekorV1Key());
    assertTrue(failure(c2sp.verify(ok(SignedNote.parse(renamed)))).contains("found only lines by rekor.sigstore.com+c0d23d6a"));
    // another key, same name and key ID: fails, as the key ID is only a hint
    PublicKey other = Fixtures.tlogKey("/trust/conformance/rekor2-happy-path.trusted_root.json", "https://rekor.sigstage.dev");
    NoteVerifier impostor = NoteVerifier.forRekorV1(REKOR_V1_NAME, other);
    assertNotEquals(v.keyId(), impostor.keyId());
    assertTrue(failure(impostor.verifyCheckpoint(cp)).contains("found only lines by rekor.sigstore.dev+c0d23d6a"));
  }

  @Test
  void rekorV2VerifierRefusesRekorV1OriginButAcceptsTheSignature() throws Exception {
    // For ECDSA keys both generations use SHA-256(PKIX)[:4] as key ID and, for P-256, SHA-256 as the digest.
    NoteVerifier v2 = NoteVerifier.forRekorV2(REKOR_V1_NAME, Fixtures.rekorV1Key());
    assertEquals("c0d23d6a", v2.keyIdHex());
    String cp = Fixtures.entry("happy-path-v0.3").checkpoint();
    ok(v2.verify(ok(SignedNote.parse(cp))));
    assertEquals(
        "checkpoint origin: expected \"rekor.sigstore.dev\" (the log's key name), found \"rekor.sigstore.dev -"
            + " 2605736670972794746\"",
        failure(v2.verifyCheckpoint(cp)));
  }

  // ---- Rekor v2 (Ed25519, C2SP key ID, signature over the text) ----

  @Test
  void verifiesRealRekorV2Checkpoint() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV2(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key());
    assertEquals("f30d5a99", v.keyIdHex());
    assertEquals(NoteVerifier.KeyIdScheme.C2SP, v.scheme());
    assertEquals(REKOR_V2_ALPHA1_NAME, v.keyName());
    // The trusted root's log ID for a Rekor v2 Ed25519 log is the full C2SP key hash.
    byte[] logId = Fixtures.tlogLogId(V2_TRUST, "https://log2025-alpha1.rekor.sigstage.dev");
    assertArrayEquals(
        logId, NoteVerifier.keyHash(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key(), NoteVerifier.KeyIdScheme.C2SP));
    assertArrayEquals(logId, c2spEd25519Hash(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key()));

    Fixtures.Entry e = Fixtures.entry("rekor2-happy-path");
    Checkpoint c = ok(v.verifyCheckpoint(e.checkpoint()));
    assertEquals(REKOR_V2_ALPHA1_NAME, c.origin());
    assertEquals(e.treeSize(), c.size());
    assertArrayEquals(e.rootHash(), c.rootHash());
    ok(MerkleTree.verifyInclusion(e.index(), c.size(), e.leafHash(), e.hashes(), c.rootHash()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rekor2-checkpoint-cosigned", "rekor2-checkpoint-origin-not-first", "rekor2-checkpoint-two-sigs-cosigned"})
  void ignoresUnknownSignatureLinesWherever(String conformanceCase) throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV2(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key());
    Fixtures.Entry e = Fixtures.entry(conformanceCase);
    SignedNote note = ok(SignedNote.parse(e.checkpoint()));
    assertTrue(note.signatures().size() >= 2);
    VerifiedNote verified = ok(v.verify(note));
    assertEquals(REKOR_V2_ALPHA1_NAME, verified.signature().name());
    assertEquals(v.keyId(), verified.signature().keyId());
    assertArrayEquals(e.rootHash(), ok(v.verifyCheckpoint(note)).rootHash());
  }

  @Test
  void verifiesAnotherRealRekorV2Log() throws Exception {
    String trust = "/trust/conformance/rekor2-dsse-happy-path.trusted_root.json";
    PublicKey key = Fixtures.tlogKey(trust, "https://log2025-alpha3.rekor.sigstage.dev");
    NoteVerifier v = NoteVerifier.forRekorV2("log2025-alpha3.rekor.sigstage.dev", key);
    assertArrayEquals(
        Fixtures.tlogLogId(trust, "https://log2025-alpha3.rekor.sigstage.dev"),
        NoteVerifier.keyHash("log2025-alpha3.rekor.sigstage.dev", key, NoteVerifier.KeyIdScheme.C2SP));
    Fixtures.Entry e = Fixtures.entry("rekor2-dsse-happy-path");
    Checkpoint c = ok(v.verifyCheckpoint(e.checkpoint()));
    ok(MerkleTree.verifyInclusion(e.index(), c.size(), e.leafHash(), e.hashes(), c.rootHash()));
  }

  @Test
  void rejectsRealRekorV2ConformanceFailures() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV2(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key());
    assertEquals(
        "signed note: expected at least one signature line after the blank line, found none",
        failure(v.verifyCheckpoint(Fixtures.entry("rekor2-checkpoint-missing-log-signature_fail").checkpoint())));
    assertEquals(
        "note signature: expected a signature line by log2025-alpha1.rekor.sigstage.dev+f30d5a99 (key name + key"
            + " ID), found only lines by log2025-alpha1.rekor.github.dev+f30d5a99",
        failure(v.verifyCheckpoint(Fixtures.entry("rekor2-checkpoint-no-matching-signature_fail").checkpoint())));
    for (String c : List.of("rekor2-checkpoint-missing-root-hash_fail", "rekor2-checkpoint-missing-size_fail")) {
      String cp = Fixtures.entry(c).checkpoint();
      assertTrue(failure(v.verifyCheckpoint(cp)).contains("found one that does not verify"), c);
      assertEquals(
          "checkpoint: expected at least 3 lines (origin, tree size, root hash), found 2",
          failure(Checkpoint.parse(ok(SignedNote.parse(cp)).text())),
          c);
    }
  }

  @Test
  void rejectsMutatedRekorV2Checkpoints() throws Exception {
    NoteVerifier v = NoteVerifier.forRekorV2(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key());
    String cp = Fixtures.entry("rekor2-happy-path").checkpoint();
    SignedNote note = ok(SignedNote.parse(cp));
    NoteSignature log = note.signatures().get(0);

    assertDoesNotVerify(v, cp.replaceFirst("\n736\n", "\n737\n"));
    assertDoesNotVerify(v, cp.replace("rs1YPY0y", "rs1YPY0z"));
    // A flipped bit in the signature itself.
    byte[] sig = log.signature();
    sig[10] ^= 1;
    SignedNote flipped = new SignedNote(note.text(), List.of(new NoteSignature(log.name(), log.keyId(), sig)));
    assertTrue(failure(v.verify(flipped)).contains("does not verify"));

    // A wrong key hint: the line is no longer the log's, so nothing verifies.
    SignedNote badHint =
        new SignedNote(note.text(), List.of(new NoteSignature(log.name(), log.keyId() + 1, log.signature())));
    assertEquals(
        "note signature: expected a signature line by log2025-alpha1.rekor.sigstage.dev+f30d5a99 (key name + key"
            + " ID), found only lines by log2025-alpha1.rekor.sigstage.dev+f30d5a9a",
        failure(v.verify(badHint)));

    // Only a witness cosignature, no log signature.
    SignedNote cosigned = ok(SignedNote.parse(Fixtures.entry("rekor2-checkpoint-cosigned").checkpoint()));
    SignedNote witnessOnly = new SignedNote(cosigned.text(), List.of(cosigned.signatures().get(1)));
    assertEquals(
        "note signature: expected a signature line by log2025-alpha1.rekor.sigstage.dev+f30d5a99 (key name + key"
            + " ID), found only lines by witness.example+3bc3c7e4",
        failure(v.verify(witnessOnly)));

    // A line claiming the log's name and key ID that does not verify rejects the note, even next to a valid one.
    NoteSignature forged = new NoteSignature(log.name(), log.keyId(), new byte[64]);
    assertTrue(failure(v.verify(note.withSignature(forged))).startsWith("note signature line 2 by "));
    assertTrue(
        failure(v.verify(new SignedNote(note.text(), List.of(forged, log)))).startsWith("note signature line 1 by "));
    // A valid line repeated is fine.
    ok(v.verify(note.withSignature(log)));

    // A Rekor v1 verifier uses the PKIX key ID for Ed25519 keys, which Rekor v2 does not.
    NoteVerifier v1 = NoteVerifier.forRekorV1(REKOR_V2_ALPHA1_NAME, Fixtures.rekorV2Alpha1Key());
    assertEquals(hex(sha256(Fixtures.rekorV2Alpha1Key().getEncoded())).substring(0, 8), v1.keyIdHex());
    assertTrue(failure(v1.verify(note)).startsWith("note signature: expected a signature line by"));

    // The right key under another name.
    NoteVerifier otherName = NoteVerifier.forRekorV2("log2025-alpha1.rekor.sigstage.dev.evil", Fixtures.rekorV2Alpha1Key());
    assertFalse(otherName.verify(note).isOk());
    assertEquals("signed note: missing (null)", failure(v.verify(null)));
  }

  // ---- Synthetic notes: the C2SP spec example and keys of every supported type ----

  @Test
  void verifiesTheSpecExample() throws Exception {
    // example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k
    byte[] vkey = Base64.getDecoder().decode("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    assertEquals(1, vkey[0]);
    PublicKey key = ed25519(java.util.Arrays.copyOfRange(vkey, 1, 33));
    NoteVerifier v = NoteVerifier.forRekorV2("example.com/foo", key);
    assertEquals("530d903a", v.keyIdHex());
    VerifiedNote n = ok(v.verify(ok(SignedNote.parse(SignedNoteTest.SPEC_NOTE))));
    assertEquals("This is an example message.\n", n.text());
    // Not a checkpoint.
    assertEquals(
        "checkpoint: expected at least 3 lines (origin, tree size, root hash), found 1",
        failure(v.verifyCheckpoint(SignedNoteTest.SPEC_NOTE)));
  }

  @Test
  void verifiesEcdsaCheckpointsOfBothGenerations() throws Exception {
    KeyPair kp = ec("secp256r1");
    String name = "log.example.com";
    int pkixKeyId = ByteBuffer.wrap(sha256(kp.getPublic().getEncoded())).getInt();
    NoteVerifier v2 = NoteVerifier.forRekorV2(name, kp.getPublic());
    NoteVerifier v1 = NoteVerifier.forRekorV1(name, kp.getPublic());
    assertEquals(pkixKeyId, v2.keyId());
    assertEquals(pkixKeyId, v1.keyId());
    String text = checkpointText(name, 10);
    SignedNote note = sign(text, name, pkixKeyId, kp.getPrivate(), "SHA256withECDSA");
    ok(v2.verifyCheckpoint(note));
    ok(v1.verifyCheckpoint(note));
    SignedNote treeOrigin = sign(checkpointText(name + " - 42", 10), name, pkixKeyId, kp.getPrivate(), "SHA256withECDSA");
    ok(v1.verifyCheckpoint(treeOrigin));
    assertTrue(failure(v2.verifyCheckpoint(treeOrigin)).startsWith("checkpoint origin: expected"));
  }

  @Test
  void rekorV1HashesWithSha256WhateverTheCurveAndRekorV2WithTheCurveHash() throws Exception {
    KeyPair kp = ec("secp384r1");
    String name = "p384.example.com";
    int keyId = ByteBuffer.wrap(sha256(kp.getPublic().getEncoded())).getInt();
    NoteVerifier v1 = NoteVerifier.forRekorV1(name, kp.getPublic());
    NoteVerifier v2 = NoteVerifier.forRekorV2(name, kp.getPublic());
    String text = checkpointText(name, 3);
    SignedNote sha384 = sign(text, name, keyId, kp.getPrivate(), "SHA384withECDSA");
    SignedNote sha256 = sign(text, name, keyId, kp.getPrivate(), "SHA256withECDSA");
    ok(v2.verifyCheckpoint(sha384));
    assertFalse(v1.verifyCheckpoint(sha384).isOk());
    ok(v1.verifyCheckpoint(sha256));
    assertFalse(v2.verifyCheckpoint(sha256).isOk());
  }

  @Test
  void verifiesRsaWithTheNameBoundKeyId() throws Exception {
    KeyPair kp = dev.sigil.testkit.TestKeys.rsaFromResource("/tlog/rsa2048-test-key.pk8.b64");
    String name = "rsa.example.com";
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update((name + "\n").getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0xff);
    md.update("PKIX-RSA-PKCS#1v1.5".getBytes(StandardCharsets.US_ASCII));
    md.update(kp.getPublic().getEncoded());
    int keyId = ByteBuffer.wrap(md.digest()).getInt();
    NoteVerifier v = NoteVerifier.forRekorV2(name, kp.getPublic());
    assertEquals(keyId, v.keyId());
    ok(v.verifyCheckpoint(sign(checkpointText(name, 1), name, keyId, kp.getPrivate(), "SHA256withRSA")));
    // Rekor v1 used the plain PKIX hash for RSA too.
    NoteVerifier v1 = NoteVerifier.forRekorV1(name, kp.getPublic());
    int pkixKeyId = ByteBuffer.wrap(sha256(kp.getPublic().getEncoded())).getInt();
    assertEquals(pkixKeyId, v1.keyId());
    ok(v1.verifyCheckpoint(sign(checkpointText(name, 1), name, pkixKeyId, kp.getPrivate(), "SHA256withRSA")));
  }

  @Test
  void ed25519CheckpointNeedsItsOriginToBeTheKeyName() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519", Providers.bouncyCastle()).generateKeyPair();
    String name = "ed.example.com/log";
    NoteVerifier v = NoteVerifier.forRekorV2(name, kp.getPublic());
    assertArrayEquals(
        c2spEd25519Hash(name, kp.getPublic()),
        NoteVerifier.keyHash(name, kp.getPublic(), NoteVerifier.KeyIdScheme.C2SP));
    ok(v.verifyCheckpoint(sign(checkpointText(name, 5), name, v.keyId(), kp.getPrivate(), "Ed25519")));
    assertEquals(
        "checkpoint origin: expected \"ed.example.com/log\" (the log's key name), found \"ed.example.com/other\"",
        failure(
            v.verifyCheckpoint(
                sign(checkpointText("ed.example.com/other", 5), name, v.keyId(), kp.getPrivate(), "Ed25519"))));
    // A signed note that is not a checkpoint.
    assertEquals(
        "checkpoint tree size (line 2): expected a decimal number without sign or leading zeros, found \"two\"",
        failure(v.verifyCheckpoint(sign(name + "\ntwo\nthree\n", name, v.keyId(), kp.getPrivate(), "Ed25519"))));
    // Signatures of the wrong length fail as signatures, not as exceptions.
    SignedNote shortSig = new SignedNote(checkpointText(name, 5), List.of(new NoteSignature(name, v.keyId(), new byte[3])));
    assertTrue(failure(v.verify(shortSig)).contains("does not verify"));
  }

  @Test
  void rekorV1OriginMustBeTheKeyNameAndATreeId() throws Exception {
    KeyPair kp = ec("secp256r1");
    String name = "rekor.example.com";
    NoteVerifier v1 = NoteVerifier.forRekorV1(name, kp.getPublic());
    for (String bad : List.of(name + " - ", name + " - 12a", name + " -  12", "other.example.com - 12", name + "x")) {
      SignedNote n = sign(checkpointText(bad, 1), name, v1.keyId(), kp.getPrivate(), "SHA256withECDSA");
      assertEquals(
          "checkpoint origin: expected \"rekor.example.com - <tree ID>\" (the log's key name and tree ID), found \""
              + bad
              + "\"",
          failure(v1.verifyCheckpoint(n)),
          bad);
    }
  }

  @Test
  void refusesBadNamesAndUnsupportedKeys() throws Exception {
    PublicKey key = Fixtures.rekorV1Key();
    assertThrows(IllegalArgumentException.class, () -> NoteVerifier.forRekorV2("", key));
    assertThrows(IllegalArgumentException.class, () -> NoteVerifier.forRekorV2("a b", key));
    assertThrows(IllegalArgumentException.class, () -> NoteVerifier.forRekorV1("a+b", key));
    assertThrows(IllegalArgumentException.class, () -> NoteVerifier.forRekorV1(null, key));
    assertThrows(NullPointerException.class, () -> NoteVerifier.forRekorV2("a", null));
    PublicKey weak = dev.sigil.testkit.TestKeys.rsaFromResource("/tlog/rsa1024-test-key.pk8.b64").getPublic();
    assertThrows(UnsupportedKeyException.class, () -> NoteVerifier.forRekorV1("a", weak));
    assertTrue(NoteVerifier.forRekorV2("a", key).toString().contains("a+c0d23d6a"));
  }

  // ---- helpers ----

  private static void assertDoesNotVerify(NoteVerifier v, String note) {
    String reason = failure(v.verifyCheckpoint(note));
    assertTrue(reason.contains("found one that does not verify"), reason);
  }

  private static String checkpointText(String origin, long size) {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
  }

  private static SignedNote sign(String text, String name, int keyId, PrivateKey key, String alg)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(alg, Providers.bouncyCastle());
    s.initSign(key);
    s.update(text.getBytes(StandardCharsets.UTF_8));
    List<NoteSignature> sigs = new ArrayList<>();
    sigs.add(new NoteSignature(name, keyId, s.sign()));
    return new SignedNote(text, sigs);
  }

  private static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  private static PublicKey ed25519(byte[] raw) throws Exception {
    return PublicKeys.fromDer(
        new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw).getEncoded());
  }

  /** SHA-256(name || 0x0A || 0x01 || raw key), written out independently of the code under test. */
  private static byte[] c2spEd25519Hash(String name, PublicKey key) throws Exception {
    byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getOctets();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update(new byte[] {0x0a, 0x01});
    md.update(raw);
    return md.digest();
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
