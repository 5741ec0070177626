package dev.sigil.verifier.internal.certificate;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate transparency log the caller trusts, as a trusted root lists it ({@code ctlogs[]} in
 * {@code trusted_root.json}).
 *
 * @param logId the log's ID, 32 bytes: SHA-256 of its DER SubjectPublicKeyInfo (RFC 6962 section 3.2), as given by
 *     {@code logId.keyId}. Copied on the way in and out.
 * @param key the log's public key
 * @param validFrom the first instant an SCT from this log is accepted for ({@code publicKey.validFor.start})
 * @param validUntil the last such instant, inclusive ({@code publicKey.validFor.end}); empty means open-ended
 */
public record TrustedCtLog(byte[] logId, PublicKey key, Instant validFrom, Optional<Instant> validUntil) {
  public TrustedCtLog {
    Objects.requireNonNull(logId, "logId");
    if (logId.length != 32) {
      throw new IllegalArgumentException("CT log ID: expected 32 bytes (SHA-256), found " + logId.length);
    }
    logId = logId.clone();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    if (validUntil.isPresent() && validUntil.get().isBefore(validFrom)) {
      throw new IllegalArgumentException(
          "CT log validity window: expected validFrom <= validUntil, found " + validFrom + " after " + validUntil.get());
    }
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  /** The log ID in standard base64, as trusted_root.json writes it. */
  public String logIdBase64() {
    return Base64.getEncoder().encodeToString(logId);
  }

  /** Whether {@code t} is inside {@code [validFrom, validUntil]}; both ends count as inside. */
  public boolean windowContains(Instant t) {
    return !t.isBefore(validFrom) && (validUntil.isEmpty() || !t.isAfter(validUntil.get()));
  }

  /** {@code [validFrom, validUntil]}, with {@code +inf} for an open end. */
  public String describeWindow() {
    return "[" + validFrom + ", " + validUntil.map(Instant::toString).orElse("+inf") + "]";
  }

  boolean hasLogId(byte[] id) {
    return Arrays.equals(logId, id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedCtLog other
        && Arrays.equals(logId, other.logId)
        && key.equals(other.key)
        && validFrom.equals(other.validFrom)
        && validUntil.equals(other.validUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(logId), key, validFrom, validUntil);
  }

  @Override
  public String toString() {
    return "TrustedCtLog[logId=" + logIdBase64() + ", key=" + key.getAlgorithm() + ", window=" + describeWindow() + "]";
  }
}
