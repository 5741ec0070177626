package dev.sigil.signer.keys;

/**
 * Key material (PEM framing, the encrypted-key JSON envelope, or the key's DER inside it) that is malformed or not
 * supported. The message is one line saying what was checked, what was expected and what was found; it never contains
 * key bytes or a password.
 */
public final class KeyFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
