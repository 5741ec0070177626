package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Verifies signed notes and checkpoints against one log key. Build once per (key name, key) and reuse: the key ID is
 * computed and the key prepared at construction. Thread-safe.
 *
 * <p>A signature line counts as the log's when both its key name and its 4-byte key ID match (c2sp.org/signed-note);
 * lines by other keys, such as witness cosignatures, are ignored wherever they appear. At least one line must be the
 * log's, and every line that is the log's must verify: a line that claims the log's name and key ID but does not
 * verify rejects the whole note, as the spec recommends.
 *
 * <p>Key IDs and signed bytes depend on the log generation ({@link KeyIdScheme}):
 *
 * <ul>
 *   <li>{@link KeyIdScheme#C2SP} (Rekor v2, sigstore/rekor-tiles {@code pkg/note}): Ed25519 key ID = SHA-256(name ||
 *       0x0A || 0x01 || 32-byte key)[:4]; ECDSA key ID = SHA-256(PKIX DER key)[:4] (the signed-note spec's 0x02
 *       convention, not bound to the name); RSA key ID = SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || PKIX
 *       DER key)[:4]. Signatures are over the note text: Ed25519 directly, ECDSA (ASN.1 DER) with the curve's hash,
 *       RSA PKCS#1 v1.5 with SHA-256.
 *   <li>{@link KeyIdScheme#REKOR_V1} (sigstore/rekor {@code pkg/util/signed_note.go}): key ID = SHA-256(PKIX DER
 *       key)[:4] for every key type; ECDSA (ASN.1 DER) and RSA signatures are over the SHA-256 digest of the note
 *       text whatever the curve, Ed25519 over the text itself.
 * </ul>
 */
public final class NoteVerifier {
  /** How a log computes its key ID and what exactly it signs. */
  public enum KeyIdScheme {
    /** c2sp.org/signed-note as Rekor v2 (rekor-tiles) implements it. */
    C2SP,
    /** Rekor v1 checkpoints (signed tree heads). */
    REKOR_V1
  }

  private static final String RSA_SIGNATURE_TYPE = "PKIX-RSA-PKCS#1v1.5";
  private static final byte ED25519_SIGNATURE_TYPE = 0x01;
  private static final byte UNASSIGNED_SIGNATURE_TYPE = (byte) 0xff;

  private final String keyName;
  private final KeyIdScheme scheme;
  private final SignatureVerifier verifier;
  private final int keyId;
  private final String keyLabel;

  private NoteVerifier(String keyName, KeyIdScheme scheme, SignatureVerifier verifier, int keyId) {
    this.keyName = keyName;
    this.scheme = scheme;
    this.verifier = verifier;
    this.keyId = keyId;
    // HexFormat, not String.format: Formatter's first use loads locale data (~10 ms in a cold CLI run).
    this.keyLabel = keyName + "+" + HexFormat.of().toHexDigits(keyId);
  }

  /** A verifier for a Rekor v2 (C2SP signed-note) log whose key name (checkpoint origin) is {@code keyName}. */
  public static NoteVerifier forRekorV2(String keyName, PublicKey key) throws UnsupportedKeyException {
    return create(keyName, key, KeyIdScheme.C2SP);
  }

  /**
   * A verifier for a Rekor v1 log whose checkpoints are signed under {@code keyName}: the log's configured hostname,
   * e.g. {@code rekor.sigstore.dev} (its checkpoint origins read {@code rekor.sigstore.dev - <tree ID>}).
   */
  public static NoteVerifier forRekorV1(String keyName, PublicKey key) throws UnsupportedKeyException {
    return create(keyName, key, KeyIdScheme.REKOR_V1);
  }

  /**
   * A verifier for notes signed by {@code key} under {@code keyName}, with the given key-ID scheme.
   *
   * @throws IllegalArgumentException if {@code keyName} is not a valid key name (empty, or with spaces or '+')
   * @throws UnsupportedKeyException if the key is not one Sigil verifies (ECDSA P-256/384/521, Ed25519, RSA >= 2048)
   */
  public static NoteVerifier create(String keyName, PublicKey key, KeyIdScheme scheme)
      throws UnsupportedKeyException {
    Objects.requireNonNull(key, "key");
    return create(keyName, SignatureVerifier.of(key), scheme);
  }

  /**
   * As {@link #create(String, PublicKey, KeyIdScheme)}, sharing a verifier already built for the key (a log's key
   * verifies its SETs and its checkpoints with one verifier, so its tables are built once).
   */
  public static NoteVerifier create(String keyName, SignatureVerifier verifier, KeyIdScheme scheme)
      throws UnsupportedKeyException {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(scheme, "scheme");
    if (!SignedNote.isValidKeyName(keyName)) {
      throw new IllegalArgumentException(
          "key name: expected a non-empty name without spaces or '+', found \"" + keyName + "\"");
    }
    byte[] hash = keyHash(keyName, verifier.publicKey(), scheme);
    return new NoteVerifier(keyName, scheme, verifier, ByteBuffer.wrap(hash, 0, 4).getInt());
  }

  /**
   * The full 32-byte hash whose first four bytes are the key ID of {@code key} under {@code keyName}. For Rekor v1
   * and for ECDSA keys this is the RFC 6962 log ID (SHA-256 of the PKIX key); for Rekor v2 Ed25519 logs the
   * trusted root's log ID is this name-bound hash.
   */
  public static byte[] keyHash(String keyName, PublicKey key, KeyIdScheme scheme) throws UnsupportedKeyException {
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(key, "key");
    byte[] pkix = key.getEncoded();
    if (pkix == null) {
      throw new UnsupportedKeyException("public key: expected a key with a PKIX encoding, found none");
    }
    MessageDigest md = sha256();
    if (scheme == KeyIdScheme.REKOR_V1) {
      return md.digest(pkix);
    }
    KeyAlgorithm alg = KeyAlgorithm.of(key);
    switch (alg) {
      case ED25519 -> {
        byte[] raw;
        try {
          raw = SubjectPublicKeyInfo.getInstance(pkix).getPublicKeyData().getOctets();
        } catch (RuntimeException e) {
          throw new UnsupportedKeyException("Ed25519 public key: malformed PKIX encoding (" + e.getMessage() + ")");
        }
        md.update(keyName.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(ED25519_SIGNATURE_TYPE);
        md.update(raw);
        return md.digest();
      }
      case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> {
        return md.digest(pkix);
      }
      case RSA_PKCS1V15 -> {
        md.update(keyName.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(UNASSIGNED_SIGNATURE_TYPE);
        md.update(RSA_SIGNATURE_TYPE.getBytes(StandardCharsets.US_ASCII));
        md.update(pkix);
        return md.digest();
      }
      default -> throw new UnsupportedKeyException("public key: no signed-note key ID is defined for " + alg);
    }
  }

  public String keyName() {
    return keyName;
  }

  public KeyIdScheme scheme() {
    return scheme;
  }

  /** The 4-byte key ID, big-endian, as it appears at the start of this key's signatures. */
  public int keyId() {
    return keyId;
  }

  /** The key ID as 8 lowercase hex digits. */
  public String keyIdHex() {
    return HexFormat.of().toHexDigits(keyId);
  }

  public PublicKey publicKey() {
    return verifier.publicKey();
  }

  /**
   * Verifies that the note carries a valid signature by this key. Signature lines by other keys are ignored; a line
   * with this key's name and key ID that does not verify fails the note.
   */
  public Outcome<VerifiedNote> verify(SignedNote note) {
    if (note == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: missing (null)");
    }
    byte[] message = note.signedBytes();
    List<String> others = new ArrayList<>();
    NoteSignature verified = null;
    List<byte[]> checked = new ArrayList<>();
    List<NoteSignature> signatures = note.signatures();
    for (int i = 0; i < signatures.size(); i++) {
      NoteSignature s = signatures.get(i);
      // Rekor v1 key IDs do not bind the signer name (SHA-256 of the key alone), and deployments sign under their
      // configured hostname, which need not be the URL in the trusted root (scaffolding signs as its pod name):
      // like sigstore-go and sigstore-python, match v1 lines by key ID only.
      boolean nameMatches = scheme == KeyIdScheme.REKOR_V1 || s.name().equals(keyName);
      if (!nameMatches || s.keyId() != keyId) {
        others.add(s.name() + "+" + s.keyIdHex());
        continue;
      }
      // A note may repeat the log's line up to SignedNote.MAX_SIGNATURES times; the same signature bytes are checked
      // once (they verify or not alike), so a note costs at most one verification per distinct signature.
      byte[] sig = s.signature();
      boolean seen = false;
      for (byte[] done : checked) {
        seen |= java.util.Arrays.equals(done, sig);
      }
      if (seen) {
        continue;
      }
      checked.add(sig);
      try {
        verifySignature(message, sig);
      } catch (InvalidSignatureException e) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
            "note signature line "
                + (i + 1)
                + " by "
                + keyLabel
                + ": expected a valid signature over the note text, found one that does not verify ("
                + e.getMessage()
                + ")");
      }
      if (verified == null) {
        verified = s;
      }
    }
    if (verified == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "note signature: expected a signature line by "
              + keyLabel
              + " (key name + key ID), found "
              + (others.isEmpty() ? "none" : "only lines by " + String.join(", ", others)));
    }
    return Outcome.ok(new VerifiedNote(note, verified, keyLabel));
  }

  /**
   * Verifies the note's signature by this key, then parses its text as a checkpoint and checks the origin: for
   * {@link KeyIdScheme#C2SP} the origin must equal the key name (as transparency-dev {@code log.ParseCheckpoint}
   * requires); for {@link KeyIdScheme#REKOR_V1} it must be the key name or {@code <key name> - <tree ID>}, the form
   * Rekor v1 writes.
   */
  public Outcome<Checkpoint> verifyCheckpoint(SignedNote note) {
    Outcome<VerifiedNote> verified = verify(note);
    if (!verified.isOk()) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, verified.detail());
    }
    Outcome<Checkpoint> parsed = Checkpoint.parse(note.text());
    if (!parsed.isOk()) {
      return parsed;
    }
    String origin = parsed.value().origin();
    if (scheme == KeyIdScheme.C2SP) {
      if (!origin.equals(keyName)) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
            "checkpoint origin: expected \""
                + keyName
                + "\" (the log's key name), found \""
                + SignedNote.abbreviate(origin)
                + "\"");
      }
    } else {
      String signer = verified.value().signature().name();
      if (!origin.equals(keyName) && !origin.equals(signer) && !isRekorV1Origin(origin, keyName)
          && !isRekorV1Origin(origin, signer)) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
            "checkpoint origin: expected \""
                + keyName
                + " - <tree ID>\" (the log's key name and tree ID), found \""
                + SignedNote.abbreviate(origin)
                + "\"");
      }
    }
    return parsed;
  }

  /** Parses {@code noteText} as a signed note, then {@link #verifyCheckpoint(SignedNote)}. */
  public Outcome<Checkpoint> verifyCheckpoint(String noteText) {
    Outcome<SignedNote> note = SignedNote.parse(noteText);
    return note.isOk() ? verifyCheckpoint(note.value()) : Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, note.detail());
  }

  private static boolean isRekorV1Origin(String origin, String name) {
    String prefix = name + " - ";
    if (!origin.startsWith(prefix) || origin.length() == prefix.length()) {
      return false;
    }
    for (int i = prefix.length(); i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private void verifySignature(byte[] message, byte[] signature) throws InvalidSignatureException {
    if (scheme == KeyIdScheme.REKOR_V1 && verifier.supportsPrehashed()) {
      verifier.verifyDigest(HashAlgorithm.SHA2_256, verifier.digest(HashAlgorithm.SHA2_256, message), signature);
    } else {
      verifier.verifyMessage(message, signature);
    }
  }

  private static MessageDigest sha256() {
    return Digests.newDigest(HashAlgorithm.SHA2_256);
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + keyLabel + ", " + scheme + ", " + verifier.algorithm().displayName() + "]";
  }
}
