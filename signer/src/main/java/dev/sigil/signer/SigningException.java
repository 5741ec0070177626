package dev.sigil.signer;

/** Signing could not complete; nothing was written. */
public final class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(message);
  }
}
