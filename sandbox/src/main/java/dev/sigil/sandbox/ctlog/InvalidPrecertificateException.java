package dev.sigil.sandbox.ctlog;

/** A precertificate {@link CtLog} refuses to timestamp; the message says what was checked, expected and found. */
public final class InvalidPrecertificateException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidPrecertificateException(String message) {
    super(message);
  }

  public InvalidPrecertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
