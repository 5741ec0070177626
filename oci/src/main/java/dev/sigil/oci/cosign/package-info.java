/**
 * cosign's storage schemes, as bytes: the simple-signing payload, signatures and attestations at {@code
 * sha256-<hex>.sig} and {@code .att} (read every layer, append without dropping), Sigstore bundles as OCI 1.1
 * referrers, and the tree of what is attached to a digest. What a signature means is decided elsewhere (images,
 * verifier).
 */
package dev.sigil.oci.cosign;
