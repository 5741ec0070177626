/**
 * Sigstore signing certificates: reading them ({@link dev.sigil.verifier.internal.certificate.FulcioCertificate}), checking
 * that they chain to a trusted Fulcio CA at the signing time
 * ({@link dev.sigil.verifier.internal.certificate.CertificateChainVerifier}), checking their embedded certificate transparency
 * timestamps ({@link dev.sigil.verifier.internal.certificate.SctVerifier}), and checking who they name
 * ({@link dev.sigil.verifier.IdentityMatcher}).
 *
 * <p>A keyless verification uses all four, each built once from the trusted root and the policy:
 *
 * <pre>{@code
 * Outcome<VerifiedChain> chain = chains.verify(leaf, bundleCertsAfterLeaf, signingTime);   // time from log/TSA
 * if (chain.isOk()) {
 *   SctVerification scts = sctVerifier.verify(chain.value());
 *   List<Check> who = matcher.evaluate(FulcioCertificate.parse(leaf).toSigner());
 * }
 * }</pre>
 *
 * <p>Expected failures are values (a failed {@link dev.sigil.verifier.internal.Outcome} with its
 * {@link dev.sigil.verifier.Reason}; {@link dev.sigil.verifier.internal.certificate.SctVerification}, a report of every
 * SCT) whose text says what was checked, what was expected and what was found; malformed certificate content raises the checked
 * {@link dev.sigil.verifier.internal.certificate.MalformedCertificateException}. Nothing here does I/O or reads the clock.
 */
package dev.sigil.verifier.internal.certificate;
