package dev.sigil.oci;

/** An image reference that does not parse; the message quotes it and says which rule it breaks. */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidReferenceException(String reference, String problem) {
    super("invalid image reference \"" + Digest.clip(reference) + "\": " + problem);
  }
}
