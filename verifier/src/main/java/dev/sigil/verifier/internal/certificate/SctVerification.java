package dev.sigil.verifier.internal.certificate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link SctVerifier#verify}: whether enough embedded SCTs verified, and what happened to each.
 *
 * @param verified whether SCTs from at least {@code threshold} distinct trusted logs verified
 * @param threshold how many distinct logs were required
 * @param verifiedLogIds the (base64) IDs of the distinct logs whose SCTs verified, in certificate order
 * @param scts one entry per SCT in the certificate, in order (empty if it has none or the list is malformed)
 * @param summary one line: what was established, or what was expected and what was found
 */
public record SctVerification(
    boolean verified, int threshold, List<String> verifiedLogIds, List<Sct> scts, String summary) {

  public SctVerification {
    verifiedLogIds = List.copyOf(verifiedLogIds);
    scts = List.copyOf(scts);
    Objects.requireNonNull(summary, "summary");
    if (verified != (verifiedLogIds.size() >= threshold)) {
      throw new IllegalArgumentException(
          "verified=" + verified + " contradicts " + verifiedLogIds.size() + " verified log(s) for threshold " + threshold);
    }
  }

  /**
   * What happened to one SCT.
   *
   * @param index its 1-based position in the certificate's SCT list
   * @param logId the log ID it names, base64 (empty string for an SCT of an unknown version)
   * @param timestamp its timestamp, if it could be read
   * @param verified whether it verified against a trusted log valid at its timestamp
   * @param detail what was checked and, on failure, what was expected and found
   */
  public record Sct(int index, String logId, Optional<Instant> timestamp, boolean verified, String detail) {
    public Sct {
      Objects.requireNonNull(logId, "logId");
      Objects.requireNonNull(timestamp, "timestamp");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
