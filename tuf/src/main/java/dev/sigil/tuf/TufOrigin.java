package dev.sigil.tuf;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a TUF-fetched trusted root came from: the mirror, when the update that fetched it ran, and the versions of the
 * TUF root and targets metadata that vouched for it.
 *
 * @param mirror the TUF repository URL (ends with {@code /})
 * @param updated when the update that wrote it finished (by the updating client's clock)
 * @param rootVersion the version of the TUF root metadata trusted at that update
 * @param targetsVersion the version of the targets metadata that listed the trusted root
 */
public record TufOrigin(URI mirror, Instant updated, int rootVersion, int targetsVersion) {
  public TufOrigin {
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(updated, "updated");
  }
}
