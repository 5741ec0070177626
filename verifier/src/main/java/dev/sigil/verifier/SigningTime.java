package dev.sigil.verifier;

import java.time.Instant;
import java.util.Objects;

/** A verified time at which the signature existed, and what vouches for it. */
public record SigningTime(Instant time, Source source, String authority) {
  /** What established the time. */
  public enum Source {
    /** A Rekor v1 integrated time covered by a verified signed entry timestamp. */
    TRANSPARENCY_LOG,
    /** A verified RFC 3161 timestamp. */
    TIMESTAMP_AUTHORITY
  }

  public SigningTime {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(authority, "authority");
  }

  public String describe() {
    return time + " (" + (source == Source.TRANSPARENCY_LOG ? "log " : "timestamp authority ") + authority + ")";
  }
}
