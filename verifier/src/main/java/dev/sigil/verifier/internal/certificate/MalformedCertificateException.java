package dev.sigil.verifier.internal.certificate;

/**
 * A certificate (or a part of it Sigil must read, such as a Fulcio extension or the embedded SCT list) is not
 * well-formed. The message names the field, what was expected and what was found.
 */
public final class MalformedCertificateException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedCertificateException(String message) {
    super(message);
  }
}
