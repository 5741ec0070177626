package dev.sigil.sandbox.rekor;

/**
 * The log already holds an entry with the same canonical body (same leaf hash, same UUID). Rekor answers such
 * proposals with HTTP 409 and the existing entry's location. Nothing is written when this is thrown.
 */
public final class DuplicateEntryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long existingIndex;
  private final String uuid;

  public DuplicateEntryException(long existingIndex, String uuid) {
    super("an equivalent entry already exists in the transparency log at index " + existingIndex + " (UUID " + uuid
        + ")");
    this.existingIndex = existingIndex;
    this.uuid = uuid;
  }

  public long existingIndex() {
    return existingIndex;
  }

  public String uuid() {
    return uuid;
  }
}
