package dev.sigil.sandbox.rekor;

import java.util.Objects;

/**
 * A checkpoint (signed tree head) in Rekor v1's format: a signed note whose text is
 * {@code <hostname> - <tree ID>\n<size>\n<base64 root>\nTimestamp: <unix nanos>\n}, followed by a blank line and
 * one signature line {@code — <hostname> <base64(key hint || DER ECDSA signature)>}; the key hint is the first four
 * bytes of SHA-256 of the log's PKIX key and the signature is over SHA-256 of the text.
 *
 * @param origin {@code <hostname> - <tree ID>}
 * @param size the tree size
 * @param rootHash the RFC 6962 root; a defensive copy
 * @param timestampNanos the {@code Timestamp:} line's value, or 0 when the log writes none
 * @param note the whole signed note, as served by {@code GET /api/v1/log} ({@code signedTreeHead}) and embedded in
 *     inclusion proofs ({@code checkpoint})
 */
public record SignedCheckpoint(String origin, long size, byte[] rootHash, long timestampNanos, String note) {
  public SignedCheckpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(note, "note");
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The signed text (the note up to, not including, the blank line). */
  public String text() {
    return note.substring(0, note.lastIndexOf("\n\n") + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedCheckpoint c && note.equals(c.note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "SignedCheckpoint[" + origin + ", size " + size + ", root " + java.util.HexFormat.of().formatHex(rootHash)
        + "]";
  }
}
