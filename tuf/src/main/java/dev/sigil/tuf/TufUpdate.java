package dev.sigil.tuf;

import java.util.Objects;

/**
 * What one successful TUF update did.
 *
 * @param snapshot the verified trusted root now cached, with its {@link TrustedRootSnapshot#tuf() TUF origin}
 * @param changed whether the cached {@code trusted_root.json} differs from the one before (false when it was already
 *     up to date)
 * @param startedFromInitialRoot whether the cache held no TUF root for the mirror yet, so the initial TUF root (given
 *     to the builder, or public-good's) was the trust anchor; false when the cache's own, TUF-updated root was
 */
public record TufUpdate(TrustedRootSnapshot snapshot, boolean changed, boolean startedFromInitialRoot) {
  public TufUpdate {
    Objects.requireNonNull(snapshot, "snapshot");
    if (snapshot.tuf().isEmpty()) {
      throw new IllegalArgumentException("an update's snapshot carries its TUF origin");
    }
  }

  /** The TUF origin of the snapshot: mirror, time, metadata versions. */
  public TufOrigin origin() {
    return snapshot.tuf().orElseThrow();
  }
}
