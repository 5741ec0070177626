package dev.sigil.sandbox.oidc;

/** An ID token that was refused; the message says what was checked, expected and found (never the token itself). */
public final class InvalidTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
