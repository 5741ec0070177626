package dev.sigil.tuf;

import java.util.Objects;

/**
 * Where a long-running service gets the trusted root to verify with, asked at each verification: a fixed root (a file
 * the operator named) or one refreshed through TUF ({@link TrustedRootRefresher}). Implementations answer from memory,
 * never block on I/O, and are thread-safe. Build a verifier per {@link TrustedRootSnapshot#version() version}, not per
 * call.
 */
public interface TrustedRootSource {
  /** The trusted root to use now. */
  TrustedRootSnapshot current();

  /** A source that always answers {@code snapshot}. */
  static TrustedRootSource fixed(TrustedRootSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    return () -> snapshot;
  }
}
