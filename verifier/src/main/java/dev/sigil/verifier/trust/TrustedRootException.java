package dev.sigil.verifier.trust;

/**
 * A trusted root could not be read: malformed JSON, an unknown media type, a missing or ill-typed field, or key or
 * certificate material that does not parse. The message starts with the JSON path of the offending field (such as
 * {@code $.tlogs[1].publicKey.validFor.start}) and says what was expected there and what was found.
 */
public final class TrustedRootException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrustedRootException(String message) {
    super(message);
  }
}
