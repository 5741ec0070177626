/**
 * Registries over the OCI distribution API, layered as jib layers them: {@link dev.sigil.oci.registry.RegistryStore}
 * holds the endpoints (manifests, blobs, tags, referrers and the referrers fallback tag), the package-private {@code
 * RegistryCaller} owns scheme choice, authentication (Basic, Bearer tokens, identity tokens), redirects, bounds,
 * timeouts, retries and error mapping, and the JDK's {@code java.net.http} client is the transport. Credentials come
 * from a {@link dev.sigil.oci.registry.CredentialSource} (docker's config and helpers, or explicit). Never logs, never
 * prints; no credential or token appears in a message.
 */
package dev.sigil.oci.registry;
