package dev.sigil.sandbox.rekor;

/**
 * A proposed entry was refused. The message names the offending field as a JSON path, what was expected and what
 * was found, e.g. {@code spec.data.hash.value: expected 64 hex digits (sha256), found 63 characters}. Rekor answers
 * such proposals with HTTP 400. Nothing is written to the log when this is thrown.
 */
public final class InvalidEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEntryException(String message) {
    super(message);
  }
}
