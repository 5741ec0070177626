package dev.sigil.verifier;

/**
 * Why a check failed (or was not counted): a stable code that callers switch on. The CLI adds its hints by code, the
 * policy engine reports it, the admission webhook counts it. Codes are never renamed or reused; new ones may be added.
 * The human-readable detail beside a code (a {@link Check}'s expected and found) may change wording between releases.
 */
public enum Reason {
  // What the caller expects against what the entity carries.
  /** The policy expects a certificate identity, and the entity is signed with a public key (or the reverse). */
  MATERIAL_MISMATCH,
  /** Key-based entity: no trusted public key matches its hint, or the trusted key does not verify the signature. */
  UNTRUSTED_KEY,
  /** A certificate in the entity is not a well-formed DER X.509 certificate, or is larger than a verifier reads. */
  CERTIFICATE_MALFORMED,
  /** The entity's certificate list has the wrong shape: a root CA certificate, or more certificates than allowed. */
  CERTIFICATE_CHAIN_SHAPE,
  /** The signing key is of an unsupported type or curve, or malformed. */
  UNSUPPORTED_KEY,

  // What was signed.
  /** The artifact's digest in the algorithm the entity uses is not known (only other algorithms were given). */
  ARTIFACT_DIGEST_UNAVAILABLE,
  /** The digest recorded in the entity is not the artifact's. */
  ARTIFACT_DIGEST_MISMATCH,
  /** The signature algorithm signs the whole message (Ed25519), and only a digest of the artifact was given. */
  ARTIFACT_CONTENT_REQUIRED,
  /** The signature does not verify with the key (over the artifact digest, or over the DSSE PAE). */
  SIGNATURE_INVALID,
  /** A DSSE envelope does not carry exactly the signatures expected (Sigstore bundles: exactly one). */
  DSSE_SIGNATURE_COUNT,
  /** The DSSE payload type is not in-toto's ({@code application/vnd.in-toto+json}). */
  PAYLOAD_TYPE_UNSUPPORTED,
  /** The DSSE payload is not a well-formed in-toto Statement (v1 or v0.1). */
  STATEMENT_MALFORMED,
  /** No subject of the in-toto Statement carries the artifact's digest (compared by algorithm). */
  SUBJECT_MISMATCH,

  // RFC 3161 timestamps.
  /** More RFC 3161 timestamps than a verifier accepts, one larger than it reads, or the same timestamp twice. */
  TIMESTAMPS_MALFORMED,
  /** A timestamp is not a well-formed DER TimeStampResp carrying an RFC 3161 token (a bare token, trailing bytes). */
  TIMESTAMP_MALFORMED,
  /** The timestamp's signer identifier names no trusted timestamp authority's leaf (embedded certificates are never trusted). */
  TIMESTAMP_UNTRUSTED,
  /** The timestamp's CMS signature does not verify with the trusted leaf, or its signing-certificate attribute names another. */
  TIMESTAMP_INVALID,
  /** The TimeStampResp's PKIStatus is neither granted nor grantedWithMods. */
  TIMESTAMP_NOT_GRANTED,
  /** The timestamp's message-imprint or CMS digest algorithm is not SHA-256, SHA-384 or SHA-512. */
  TIMESTAMP_ALGORITHM_UNSUPPORTED,
  /** The trusted timestamp authority the token names has an unusable chain (EKU, CA flags, links). */
  TIMESTAMP_AUTHORITY_UNUSABLE,
  /** A certificate of the timestamp authority's chain was not valid at the timestamp's genTime. */
  TIMESTAMP_CERTIFICATE_NOT_VALID,
  /** The timestamp's genTime lies outside its trusted authority's validity window. */
  TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY,
  /** The timestamp's message imprint is not the hash of the signature it should cover. */
  TIMESTAMP_IMPRINT_MISMATCH,
  /** Fewer verified RFC 3161 timestamps than the verifier requires (or none of those given verified). */
  TIMESTAMP_THRESHOLD,

  // Transparency logs.
  /** Too many transparency-log entries, or an entry whose fields are out of range. */
  TLOG_ENTRY_MALFORMED,
  /** The entry names a log the trusted material does not list (or lists with an unusable key). */
  TLOG_UNKNOWN_LOG,
  /** The entry's canonicalized body does not describe this signature, key or artifact. */
  TLOG_BODY_MISMATCH,
  /** The entry's integrated time is impossible, in the future, or outside the log key's validity. */
  TLOG_INTEGRATED_TIME_INVALID,
  /** The signed entry timestamp (Rekor v1) does not verify with the log's key. */
  TLOG_SET_INVALID,
  /** The inclusion proof is missing where required, malformed, or does not lead to its root hash. */
  TLOG_INCLUSION_PROOF_INVALID,
  /** The checkpoint is missing, malformed, not signed by the log, or does not commit to the proof's root. */
  TLOG_CHECKPOINT_INVALID,
  /** The log key was not valid at the verified signing time (Rekor v2 entries, checked against TSA times). */
  TLOG_KEY_NOT_VALID,
  /** Fewer verified transparency-log entries than the verifier requires. */
  TLOG_THRESHOLD,

  // Signing times.
  /** No verified time to check the certificate at, or fewer than the verifier requires. */
  SIGNING_TIME_MISSING,

  // The certificate.
  /** The certificate does not chain to a trusted certificate authority valid at the signing time. */
  CERTIFICATE_UNTRUSTED,
  /** Fewer verified signed certificate timestamps from trusted CT logs than the verifier requires. */
  SCT_THRESHOLD,
  /** The certificate is not a well-formed Fulcio certificate (its identity extensions cannot be read). */
  CERTIFICATE_IDENTITY_MALFORMED,
  /** The certificate's subject alternative name does not match the expected identity. */
  IDENTITY_MISMATCH,
  /** The certificate's OIDC issuer does not match the expected issuer. */
  ISSUER_MISMATCH,
  /** A Fulcio claim (source repository, workflow, ...) does not match the expected value. */
  CLAIM_MISMATCH,

  // The caller's own choices.
  /** A check the caller waived by an {@code ...Unsafe} policy method (reported on skipped checks only). */
  WAIVED,

  /**
   * A certificate, key or ASN.1 library failed on this input in a way no other code describes. The input is rejected;
   * this code exists so that nothing a library throws escapes verification.
   */
  UNPROCESSABLE_INPUT
}
