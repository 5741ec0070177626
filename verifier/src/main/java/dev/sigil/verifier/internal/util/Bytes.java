package dev.sigil.verifier.internal.util;

import java.util.Optional;

/** Defensive copies of byte arrays held in immutable values. */
public final class Bytes {
  private Bytes() {}

  /**
   * A copy of the array inside, if any. Written out rather than {@code bytes.map(byte[]::clone)}: the values using it
   * are built on the one-shot path, which links no method reference (docs/fast-start.md).
   */
  public static Optional<byte[]> copy(Optional<byte[]> bytes) {
    return bytes.isPresent() ? Optional.of(bytes.get().clone()) : Optional.empty();
  }
}
