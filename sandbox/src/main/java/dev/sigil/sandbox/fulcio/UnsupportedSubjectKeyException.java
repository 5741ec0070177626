package dev.sigil.sandbox.fulcio;

/**
 * A subject public key the certificate authority will not certify (not ECDSA P-256/P-384, Ed25519 or RSA of 2048 to
 * 4096 bits, or not a well-formed key); the message says what was expected and found.
 */
public final class UnsupportedSubjectKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsupportedSubjectKeyException(String message) {
    super(message);
  }

  public UnsupportedSubjectKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
