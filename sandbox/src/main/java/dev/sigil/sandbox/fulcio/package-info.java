/**
 * A Fulcio-compatible certificate authority for the sandbox: {@link dev.sigil.sandbox.fulcio.CertificateAuthority}
 * keeps a P-384 root and intermediate and issues ten-minute signing certificates with embedded SCTs for verified OIDC
 * identities, and {@link dev.sigil.sandbox.fulcio.FulcioHttpHandler} serves Fulcio's v1 and v2 REST API on the JDK's
 * {@code com.sun.net.httpserver}.
 */
package dev.sigil.sandbox.fulcio;
