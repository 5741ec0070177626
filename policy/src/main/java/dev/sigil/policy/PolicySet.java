package dev.sigil.policy;

import java.util.List;
import java.util.Objects;

/**
 * A loaded and validated set of policies with its settings. Immutable.
 *
 * @param policies every {@code ImagePolicy}, in file and document order
 * @param noMatch what happens to images no policy matches
 * @param hash SHA-256 over the files' bytes, hex: the same set loaded twice has the same hash (caches key on it)
 */
public record PolicySet(List<ImagePolicy> policies, NoMatch noMatch, String hash) {
  public PolicySet {
    policies = List.copyOf(policies);
    Objects.requireNonNull(noMatch, "noMatch");
    Objects.requireNonNull(hash, "hash");
  }
}
