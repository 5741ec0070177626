package dev.sigil.verifier.crypto;

/**
 * A signature did not verify, or could not be checked (malformed, or not of the verifier's scheme). Thrown, never
 * returned as {@code false}, so an unchecked result cannot turn into an accepted signature. The message says what
 * was expected and what was found.
 */
public final class InvalidSignatureException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureException(String message) {
    super(message);
  }
}
