package dev.sigil.verifier.internal.json;

/**
 * A JSON document does not have the shape its format requires. The message starts with the JSON path of the value
 * and says what was expected and what was found ({@code $.verificationMaterial.tlogEntries[0].logIndex: expected a
 * 64-bit integer, found the string "+5"}). Each format's reader rethrows it as its own exception type.
 */
public final class JsonFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonFormatException(String message) {
    super(message);
  }
}
