/**
 * The sandbox's OpenID Connect side, for local use and tests: {@link dev.sigil.sandbox.oidc.OidcIssuer} mints ES256 ID
 * tokens with a persistent P-256 key (no authentication: anyone who can reach it gets a token for any subject, so it
 * must only ever be trusted by a sandbox), {@link dev.sigil.sandbox.oidc.OidcHttpHandler} serves its discovery
 * document, JWK set and token endpoint over the JDK's HTTP server, and {@link dev.sigil.sandbox.oidc.TrustedIssuers}
 * implements {@link dev.sigil.sandbox.oidc.IdentityTokens}: it verifies ID tokens from a fixed set of issuers and keys,
 * in memory, for the sandbox's certificate authority.
 */
package dev.sigil.sandbox.oidc;
