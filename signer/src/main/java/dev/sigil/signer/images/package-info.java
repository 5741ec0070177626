/**
 * Signing and attesting OCI images in the formats cosign and containers/image read: {@link
 * dev.sigil.signer.images.ImageSigner} resolves a reference (tags to digests, indexes to their manifests) and stores
 * what a {@link dev.sigil.signer.SigningSession} signs as cosign's {@code .sig}/{@code .att} layers ({@link
 * dev.sigil.signer.images.CosignLayers}) or as Sigstore bundle referrers, through the {@code oci} module's stores. Every
 * signature is verified by the verifier before it is stored. No printing, no process exit: callers report.
 */
package dev.sigil.signer.images;
