package dev.sigil.verifier.entity;

import java.util.List;

/**
 * Something signed, as the verifier sees it, whatever its container: a Sigstore bundle, cosign's legacy image
 * signature (a simple-signing payload with its annotations), or a DSSE attestation layer. Each method is one
 * capability the verifier checks: what it is signed with ({@link #verificationContent()}), what is signed
 * ({@link #signatureContent()}), its transparency-log entries and its RFC 3161 timestamps.
 *
 * <p>Implementations are immutable values; they carry bytes and never verify anything themselves.
 */
public interface SignedEntity {
  /** What the signature is verified with: a certificate chain, or a public key named by an optional hint. */
  VerificationContent verificationContent();

  /** What is signed: a message signature over an artifact digest, or a DSSE envelope. */
  SignatureContent signatureContent();

  /** Transparency-log entries, in the entity's order. */
  List<TransparencyLogEntry> tlogEntries();

  /** RFC 3161 timestamps over the signature bytes (DER TimeStampResp or bare TimeStampToken), in order. */
  List<byte[]> rfc3161Timestamps();

  /**
   * Whether every log entry must carry an inclusion proof. Sigstore bundles v0.2 and later require one; bundles v0.1
   * and cosign's legacy signatures (whose Rekor annotation carries a signed entry timestamp only) do not.
   */
  boolean inclusionProofRequired();

  /** What kind of entity this is, for reports: a bundle media type, or a name such as {@code cosign legacy signature}. */
  String mediaType();
}
