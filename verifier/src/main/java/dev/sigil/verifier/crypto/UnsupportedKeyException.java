package dev.sigil.verifier.crypto;

/** A key that is well-formed but of a type or size Sigil does not accept. */
public final class UnsupportedKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsupportedKeyException(String message) {
    super(message);
  }
}
