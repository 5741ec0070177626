package dev.sigil.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded and validated set of policies with its settings. Immutable.
 *
 * @param policies every {@code ImagePolicy}, in file and document order
 * @param noMatch what happens to images no policy matches
 * @param hash SHA-256 over the policy files' bytes and those of every file they name, hex: the same set loaded twice
 *     has the same hash (caches key on it), and a rotated key file changes it
 * @param references the files the policies name (public keys, trusted roots), absolute, in path order: what a reloader
 *     watches besides the policy files
 */
public record PolicySet(List<ImagePolicy> policies, NoMatch noMatch, String hash, List<Path> references) {
  public PolicySet {
    policies = List.copyOf(policies);
    Objects.requireNonNull(noMatch, "noMatch");
    Objects.requireNonNull(hash, "hash");
    references = List.copyOf(references);
  }

  /** A set that names no files. */
  public PolicySet(List<ImagePolicy> policies, NoMatch noMatch, String hash) {
    this(policies, noMatch, hash, List.of());
  }
}
