package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.trust.ValidityPeriod;
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
 * @param validFor when SCTs from this log are accepted ({@code publicKey.validFor}), a closed window
 */
public record TrustedCtLog(byte[] logId, PublicKey key, ValidityPeriod validFor) {
  public TrustedCtLog {
    Objects.requireNonNull(logId, "logId");
    if (logId.length != 32) {
      throw new IllegalArgumentException("CT log ID: expected 32 bytes (SHA-256), found " + logId.length);
    }
    logId = logId.clone();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(validFor, "validFor");
  }

  /**
   * A log trusted from {@code validFrom} ({@link Instant#MIN}: no start) until {@code validUntil}, inclusive (empty:
   * no end).
   *
   * @throws IllegalArgumentException if {@code validUntil} is before {@code validFrom}
   */
  public TrustedCtLog(byte[] logId, PublicKey key, Instant validFrom, Optional<Instant> validUntil) {
    this(logId, key, Windows.of(validFrom, validUntil));
  }

  /** The window's start, {@link Instant#MIN} when it has none. */
  public Instant validFrom() {
    return validFor.startInstant().orElse(Instant.MIN);
  }

  /** The window's end, inclusive; empty when open-ended. */
  public Optional<Instant> validUntil() {
    return validFor.endInstant();
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  /** The log ID in standard base64, as trusted_root.json writes it. */
  public String logIdBase64() {
    return Base64.getEncoder().encodeToString(logId);
  }

  /** Whether {@code t} is inside the window; both ends count as inside. */
  public boolean windowContains(Instant t) {
    return validFor.contains(t);
  }

  /** {@code [start, end]}, with {@code -inf} / {@code +inf} for open ends. */
  public String describeWindow() {
    return validFor.describe();
  }

  boolean hasLogId(byte[] id) {
    return Arrays.equals(logId, id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedCtLog other
        && Arrays.equals(logId, other.logId)
        && key.equals(other.key)
        && validFor.equals(other.validFor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(logId), key, validFor);
  }

  @Override
  public String toString() {
    return "TrustedCtLog[logId=" + logIdBase64() + ", key=" + key.getAlgorithm() + ", window=" + describeWindow() + "]";
  }
}
