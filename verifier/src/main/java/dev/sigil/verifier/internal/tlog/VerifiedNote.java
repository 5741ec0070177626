package dev.sigil.verifier.internal.tlog;

import java.util.Objects;

/**
 * A signed note whose signature by an expected key has been verified. Only {@link NoteVerifier} creates these (the
 * constructor is package-private, which is why this is a class and not a record), so holding one means the check was
 * made. Immutable.
 */
public final class VerifiedNote {
  private final SignedNote note;
  private final NoteSignature signature;
  private final String verifiedBy;

  VerifiedNote(SignedNote note, NoteSignature signature, String verifiedBy) {
    this.note = Objects.requireNonNull(note, "note");
    this.signature = Objects.requireNonNull(signature, "signature");
    this.verifiedBy = Objects.requireNonNull(verifiedBy, "verifiedBy");
  }

  /** The whole note, including signature lines that were ignored (unknown keys such as witnesses). */
  public SignedNote note() {
    return note;
  }

  /** The first signature line that verified with the expected key. */
  public NoteSignature signature() {
    return signature;
  }

  /** The verified text. */
  public String text() {
    return note.text();
  }

  /** Which key verified it, as {@code <key name>+<key ID hex>}. */
  public String verifiedBy() {
    return verifiedBy;
  }

  @Override
  public String toString() {
    return "VerifiedNote[by " + verifiedBy + ", " + note.signatures().size() + " signature line(s)]";
  }
}
