package dev.sigil.verifier.internal.crypto;

/**
 * A signature did not verify. Thrown (never returned as {@code false}) so an unchecked result cannot turn into an
 * accepted signature.
 */
public final class InvalidSignatureException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message);
  }
}
