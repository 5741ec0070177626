package dev.sigil.sandbox.rekor;

import java.io.IOException;

/**
 * The data directory holds a log that cannot be opened safely: a bad header, entries that do not match what was
 * stored, or a recovery that would drop entries a persisted checkpoint already covers. Nothing is modified when this
 * is thrown.
 */
public final class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptLogException(String message) {
    super(message);
  }
}
