package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * The facts an accepted RFC 3161 timestamp establishes: the signed data existed at {@code genTime}, as attested by the
 * trusted authority at {@code authorityIndex}.
 *
 * <p>What the caller must still check: that {@code genTime} lies within the validity of the artifact's signing
 * certificate (Sigstore uses it as the signing time), and any threshold or de-duplication across several timestamps.
 *
 * @param genTime the TSTInfo {@code genTime}, to full precision (RFC 3161 §2.4.2)
 * @param authorityIndex index into the list the {@link TimestampVerifier} was built from
 * @param authority the authority whose leaf signed the token
 * @param authoritySubject the subject of that leaf (RFC 2253 form)
 * @param hashAlgorithm the message-imprint hash algorithm
 * @param serialNumber the TSTInfo serial number (unique per TSA, RFC 3161 §2.4.2)
 * @param policy the TSTInfo policy OID, dotted
 */
public record VerifiedTimestamp(
    Instant genTime,
    int authorityIndex,
    TrustedTimestampAuthority authority,
    String authoritySubject,
    HashAlgorithm hashAlgorithm,
    BigInteger serialNumber,
    String policy) {

  public VerifiedTimestamp {
    Objects.requireNonNull(genTime, "genTime");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(authoritySubject, "authoritySubject");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(policy, "policy");
  }

  /** A one-line summary (the authority's chain is left out). */
  @Override
  public String toString() {
    return "VerifiedTimestamp[genTime=" + genTime + ", authority #" + authorityIndex + " (" + authoritySubject + "), "
        + hashAlgorithm + ", serial=0x" + serialNumber.toString(16) + ", policy=" + policy + "]";
  }
}
