package dev.sigil.verifier;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A transparency-log entry that verified: which log, where in it, and the time it proves.
 *
 * @param logId the log's ID, lowercase hex
 * @param logUrl the log's base URL, as the trusted material gives it
 * @param logIndex the entry's index
 * @param rekorV2 whether the log is a Rekor v2 (tile-based) log
 * @param integratedTime the integrated time a signed entry timestamp covers (Rekor v1), if any
 * @param summary one line: what was verified about the entry
 */
public record VerifiedLogEntry(
    String logId, String logUrl, long logIndex, boolean rekorV2, Optional<Instant> integratedTime, String summary) {
  public VerifiedLogEntry {
    Objects.requireNonNull(logId, "logId");
    Objects.requireNonNull(logUrl, "logUrl");
    Objects.requireNonNull(integratedTime, "integratedTime");
    Objects.requireNonNull(summary, "summary");
  }
}
