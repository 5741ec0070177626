/**
 * RFC 3161 signed timestamps (with RFC 5816 ESSCertIDv2) checked against trusted timestamp authorities, as Sigstore
 * bundles use them to prove when an artifact signature existed.
 *
 * <p>Entry point: {@link dev.sigil.verifier.internal.timestamp.TimestampVerifier}, built once from a list of
 * {@link dev.sigil.verifier.internal.timestamp.TrustedTimestampAuthority} and then asked to
 * {@link dev.sigil.verifier.internal.timestamp.TimestampVerifier#verify verify} each {@code signedTimestamp}. The result is an
 * {@link dev.sigil.verifier.internal.Outcome}: the {@link dev.sigil.verifier.internal.timestamp.VerifiedTimestamp}, or a
 * failure with its {@link dev.sigil.verifier.Reason} ({@code TIMESTAMP_*}, one code per kind of failure, stable) and a
 * detail whose wording may change; nothing here throws for bad input.
 *
 * <p>Where Sigil deliberately differs from sigstore-go (which verifies through sigstore/timestamp-authority's
 * {@code pkg/verification} and digitorus/timestamp):
 *
 * <ul>
 *   <li>PKIStatus grantedWithMods (1) is accepted, as RFC 3161 §2.4.2 allows; digitorus {@code ParseResponse}
 *       rejects any status above 0.
 *   <li>The TSA leaf must be listed in the trusted chain. sigstore-go also accepts a trusted-root entry whose chain
 *       starts with a CA and takes the leaf from the token; here such an entry is unusable.
 *   <li>The signing-certificate attribute is required (RFC 3161 §2.4.1; BouncyCastle enforces it), and the CMS
 *       signer digest must be SHA-2.
 *   <li>BouncyCastle 1.87, while parsing a token, refuses one whose CMS signing-time attribute differs from genTime by
 *       more than 60 s plus the stated accuracy ({@link dev.sigil.verifier.Reason#TIMESTAMP_MALFORMED}). The JVM-wide system property {@code org.bouncycastle.tsp.allow_inconsistent_signing_time} turns
 *       that check off; Sigil does not set it.
 * </ul>
 */
package dev.sigil.verifier.internal.timestamp;
