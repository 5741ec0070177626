package dev.sigil.images;

import java.util.Objects;

/**
 * Something attached to an image that could not be read as a signature or attestation: a missing or oversized blob,
 * a malformed layer or bundle. Never verified, always reported.
 *
 * @param scheme where it was found
 * @param location the tag or referrer and layer
 * @param reason what was expected and what was found
 */
public record Unreadable(Scheme scheme, String location, String reason) {
  public Unreadable {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
  }

  public String describe() {
    return scheme.label() + " " + location + ": " + reason;
  }
}
