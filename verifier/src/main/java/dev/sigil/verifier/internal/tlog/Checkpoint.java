package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note text of a signed note, precisely formatted as
 * origin, tree size and root hash lines, then optional extension lines. Rekor v1 checkpoints use an origin of the form
 * {@code <hostname> - <tree ID>} and one extension line {@code Timestamp: <nanoseconds>}; Rekor v2 uses its key name
 * as the origin and no extensions.
 *
 * <p>A parsed checkpoint is only a claim; trust it only after {@link NoteVerifier#verifyCheckpoint} has verified the
 * log's signature on the note it came from.
 *
 * @param origin the log's identity, non-empty
 * @param size the number of leaves in the tree (the spec allows up to 2^64-1; Sigil refuses sizes over 2^63-1)
 * @param rootHash the RFC 6962 SHA-256 root hash, {@value MerkleTree#HASH_LENGTH} bytes; a defensive copy
 * @param otherContent extension lines, each non-empty, without their newlines
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> otherContent) {

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(rootHash, "rootHash");
    otherContent = List.copyOf(otherContent);
    if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("origin: expected a non-empty single line, found \"" + origin + "\"");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size: expected a non-negative value, found " + size);
    }
    if (rootHash.length != MerkleTree.HASH_LENGTH) {
      throw new IllegalArgumentException(
          "root hash: expected " + MerkleTree.HASH_LENGTH + " bytes, found " + rootHash.length);
    }
    for (String line : otherContent) {
      if (line.isEmpty() || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("extension line: expected a non-empty single line, found \"" + line + "\"");
      }
    }
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /**
   * Parses checkpoint note text (a {@link SignedNote#text()}, ending in a newline). Strict where the spec is: at
   * least three lines, a non-empty origin, a decimal size without sign or leading zeros, a standard padded base64 root
   * hash of exactly {@value MerkleTree#HASH_LENGTH} bytes, and no empty extension lines.
   */
  public static Outcome<Checkpoint> parse(String noteText) {
    if (noteText == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "checkpoint: missing (null)");
    }
    if (noteText.isEmpty() || noteText.charAt(noteText.length() - 1) != '\n') {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "checkpoint: expected text ending in a newline, found none");
    }
    String[] lines = noteText.substring(0, noteText.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint: expected at least 3 lines (origin, tree size, root hash), found " + lines.length);
    }
    String origin = lines[0];
    if (origin.isEmpty()) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "checkpoint origin (line 1): expected a non-empty origin, found an empty line");
    }
    String sizeLine = lines[1];
    if (!isCanonicalDecimal(sizeLine)) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint tree size (line 2): expected a decimal number without sign or leading zeros, found \""
              + SignedNote.abbreviate(sizeLine)
              + "\"");
    }
    long size;
    try {
      size = Long.parseLong(sizeLine);
    } catch (NumberFormatException e) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint tree size (line 2): expected at most " + Long.MAX_VALUE + ", found " + sizeLine);
    }
    byte[] root = SignedNote.decodeStrictBase64(lines[2]);
    if (root == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint root hash (line 3): expected standard padded base64, found \""
              + SignedNote.abbreviate(lines[2])
              + "\"");
    }
    if (root.length != MerkleTree.HASH_LENGTH) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint root hash (line 3): expected "
              + MerkleTree.HASH_LENGTH
              + " bytes (SHA-256), found "
              + root.length);
    }
    List<String> other = new ArrayList<>();
    for (int i = 3; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
            "checkpoint extension line (line " + (i + 1) + "): expected a non-empty line, found an empty one");
      }
      other.add(lines[i]);
    }
    return Outcome.ok(new Checkpoint(origin, size, root, other));
  }

  /** The note text for this checkpoint, ending in a newline, as a log would sign it. */
  public String toNoteText() {
    StringBuilder b =
        new StringBuilder()
            .append(origin)
            .append('\n')
            .append(size)
            .append('\n')
            .append(Base64.getEncoder().encodeToString(rootHash))
            .append('\n');
    for (String line : otherContent) {
      b.append(line).append('\n');
    }
    return b.toString();
  }

  /**
   * Whether the origin has Rekor v1's shape {@code <hostname> - <tree ID>} (the test sigstore-go uses to tell Rekor
   * v1 checkpoints from C2SP ones).
   */
  public boolean hasRekorV1Origin() {
    return isRekorV1Origin(origin);
  }

  // The two shape tests below are written out rather than as regular expressions, which the one-shot path does not
  // load (docs/fast-start.md). CheckpointTest holds them to the expressions they replace.

  /** Whether {@code s} matches {@code 0|[1-9][0-9]*}. */
  static boolean isCanonicalDecimal(String s) {
    if (s.isEmpty() || (s.charAt(0) == '0' && s.length() > 1)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} matches {@code .* - [0-9]+} ({@code .} being any character but a line terminator). */
  static boolean isRekorV1Origin(String s) {
    int digits = s.length();
    while (digits > 0 && s.charAt(digits - 1) >= '0' && s.charAt(digits - 1) <= '9') {
      digits--;
    }
    if (digits == s.length() || digits < 3 || !s.startsWith(" - ", digits - 3)) {
      return false;
    }
    for (int i = 0; i < digits - 3; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other
        && origin.equals(other.origin)
        && size == other.size
        && Arrays.equals(rootHash, other.rootHash)
        && otherContent.equals(other.otherContent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash), otherContent);
  }

  @Override
  public String toString() {
    return "Checkpoint[origin="
        + origin
        + ", size="
        + size
        + ", rootHash="
        + HexFormat.of().formatHex(rootHash)
        + ", otherContent="
        + otherContent
        + "]";
  }
}
