/**
 * The HTTP face of the sandbox: {@link dev.sigil.sandbox.http.RekorServer} serves a {@link
 * dev.sigil.sandbox.rekor.TransparencyLog} through the Rekor v1 REST API subset that cosign, sigstore-go and
 * sigstore-js use ({@code /api/v1/log}, {@code /api/v1/log/publicKey}, {@code /api/v1/log/proof}, {@code
 * /api/v1/log/entries}, {@code /api/v1/log/entries/{uuid}}, {@code /api/v1/log/entries/retrieve}), with the JDK's
 * {@code com.sun.net.httpserver} and Jackson.
 */
package dev.sigil.sandbox.http;
