package dev.sigil.verifier.internal.timestamp;

import java.util.Objects;

/**
 * The outcome of {@link TimestampVerifier#verify}: {@link Verified} with the established facts, or {@link Rejected}
 * with a stable {@link Reason} code and a detail naming what was checked, what was expected and what was found.
 * Expected failures (malformed input, untrusted signer, bad signature) are always reported this way, never thrown.
 */
public sealed interface TimestampResult permits TimestampResult.Verified, TimestampResult.Rejected {

  /** Why a timestamp was rejected. The codes are stable; the wording of details is not. */
  enum Reason {
    /** Not a well-formed DER TimeStampResp carrying an RFC 3161 token (includes a bare token, trailing bytes). */
    MALFORMED,
    /** The PKIStatus is neither granted (0) nor grantedWithMods (1). */
    NOT_GRANTED,
    /** The message-imprint or CMS digest algorithm is not SHA-256, SHA-384 or SHA-512. */
    UNSUPPORTED_ALGORITHM,
    /**
     * The token's signer identifier names no trusted authority's leaf, or the token embeds a different certificate
     * for it. Certificates embedded in a token are never trusted.
     */
    UNTRUSTED_SIGNER,
    /**
     * The matching authority's chain is unusable: wrong leaf EKU, a CA leaf, a broken signature or name link, an
     * issuer that is not a CA. Found once, when the verifier was built.
     */
    INVALID_CHAIN,
    /** A chain certificate was not valid at {@code genTime} (RFC 5280 §4.1.2.5, both ends inclusive). */
    CERTIFICATE_NOT_VALID_AT_GEN_TIME,
    /** {@code genTime} lies outside the trusted authority's {@code [validFrom, validUntil]} window. */
    OUTSIDE_AUTHORITY_VALIDITY,
    /**
     * The CMS signature does not verify with the trusted leaf, or the signed ESSCertID / ESSCertIDv2
     * signing-certificate attribute does not identify that leaf.
     */
    INVALID_SIGNATURE,
    /** The TSTInfo message imprint is not the hash of the signed data. */
    MESSAGE_IMPRINT_MISMATCH
  }

  /** Whether this is {@link Verified}. */
  boolean isVerified();

  /**
   * The facts of a {@link Verified} result.
   *
   * @throws TimestampVerificationException with the reason and detail, if this is {@link Rejected}
   */
  VerifiedTimestamp requireVerified() throws TimestampVerificationException;

  /** The timestamp was accepted. */
  record Verified(VerifiedTimestamp timestamp) implements TimestampResult {
    public Verified {
      Objects.requireNonNull(timestamp, "timestamp");
    }

    @Override
    public boolean isVerified() {
      return true;
    }

    @Override
    public VerifiedTimestamp requireVerified() {
      return timestamp;
    }
  }

  /** The timestamp was rejected for {@code reason}; {@code detail} says what was checked, expected and found. */
  record Rejected(Reason reason, String detail) implements TimestampResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public boolean isVerified() {
      return false;
    }

    @Override
    public VerifiedTimestamp requireVerified() throws TimestampVerificationException {
      throw new TimestampVerificationException(reason, detail);
    }

    @Override
    public String toString() {
      return "Rejected[" + reason + ": " + detail + "]";
    }
  }
}
