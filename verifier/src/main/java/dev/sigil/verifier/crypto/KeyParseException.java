package dev.sigil.verifier.crypto;

/** Key material that could not be parsed; the message says what was expected and what was found. */
public final class KeyParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyParseException(String message) {
    super(message);
  }
}
