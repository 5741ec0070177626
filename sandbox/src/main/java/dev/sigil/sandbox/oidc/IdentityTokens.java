package dev.sigil.sandbox.oidc;

/**
 * Verifies OIDC ID tokens presented to the sandbox's certificate authority: signature against the trusted issuer's
 * keys, issuer, audience, expiry and not-before. Implementations are thread-safe and do no network I/O per call.
 */
public interface IdentityTokens {
  /**
   * Returns the verified identity in {@code rawToken}, or throws saying what was checked, expected and found.
   *
   * @throws InvalidTokenException if the token is malformed, from an unknown issuer, wrongly signed, expired, not yet
   *     valid, or for another audience
   */
  VerifiedIdentity verify(String rawToken) throws InvalidTokenException;
}
