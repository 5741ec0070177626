package dev.sigil.oci.cosign;

import dev.sigil.oci.Descriptor;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a cosign signature or attestation manifest: its descriptor (media type, digest, size, annotations) and
 * its payload bytes, which were checked against the descriptor's digest. Nothing here is verified cryptographically.
 */
public record AttachedLayer(Descriptor descriptor, byte[] payload) {
  public AttachedLayer {
    Objects.requireNonNull(descriptor, "descriptor");
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public String mediaType() {
    return descriptor.mediaType();
  }

  /** {@code dev.cosignproject.cosign/signature}: base64 signature over the payload (empty for attestations). */
  public Optional<String> signature() {
    return descriptor.annotation(CosignAnnotations.SIGNATURE);
  }

  /** {@code dev.sigstore.cosign/certificate}: the PEM signing certificate (keyless). */
  public Optional<String> certificate() {
    return descriptor.annotation(CosignAnnotations.CERTIFICATE);
  }

  /** {@code dev.sigstore.cosign/chain}: the PEM chain (keyless). */
  public Optional<String> chain() {
    return descriptor.annotation(CosignAnnotations.CHAIN);
  }

  /** {@code dev.sigstore.cosign/bundle}: the Rekor bundle JSON (with its SET). */
  public Optional<String> rekorBundle() {
    return descriptor.annotation(CosignAnnotations.BUNDLE);
  }

  /** {@code dev.sigstore.cosign/rfc3161timestamp}: JSON with the base64 RFC 3161 response. */
  public Optional<String> rfc3161Timestamp() {
    return descriptor.annotation(CosignAnnotations.RFC3161_TIMESTAMP);
  }

  /** {@code predicateType} of an attestation layer. */
  public Optional<String> predicateType() {
    return descriptor.annotation(CosignAnnotations.PREDICATE_TYPE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttachedLayer l && l.descriptor.equals(descriptor) && Arrays.equals(l.payload, payload);
  }

  @Override
  public int hashCode() {
    return descriptor.hashCode();
  }

  @Override
  public String toString() {
    return "AttachedLayer[" + descriptor.mediaType() + " " + descriptor.digest() + ", " + payload.length + " bytes]";
  }
}
