package dev.sigil.verifier.bundle;

/**
 * A bundle could not be read: malformed JSON, an unknown media type, a missing or ill-typed field. The message names
 * the field (as a JSON path), what was expected there and what was found.
 */
public final class BundleParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleParseException(String message) {
    super(message);
  }
}
