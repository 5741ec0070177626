package dev.sigil.verifier;

import dev.sigil.verifier.internal.timestamp.TimestampVerifier;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * The time an RFC 3161 timestamp (a DER TimeStampResp, or a bare TimeStampToken) states, read <em>without</em>
   * verifying it: for showing an entity that was not verified. Nothing vouches for the result; only the times of a
   * {@link VerificationResult.Verified} result are established. Empty if the timestamp cannot be read.
   */
  public static Optional<Instant> readTimestampUnverified(byte[] signedTimestamp) {
    return TimestampVerifier.readGenTimeUnverified(signedTimestamp);
  }

  public String describe() {
    return time + " (" + (source == Source.TRANSPARENCY_LOG ? "log " : "timestamp authority ") + authority + ")";
  }
}
