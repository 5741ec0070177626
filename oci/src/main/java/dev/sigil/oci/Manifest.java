package dev.sigil.oci;

import java.util.Map;
import java.util.Optional;

/**
 * A manifest as received or stored: its exact bytes, their digest, and the parsed view. The digest is always computed
 * over {@link #bytes()} (SHA-256 unless the manifest was asked for by a sha512 digest); stores check it against the
 * digest they were asked for. Parse with {@link Manifests#parse}; at most {@link Manifests#MAX_MANIFEST_BYTES}.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {
  String mediaType();

  Digest digest();

  /** A copy of the exact bytes. */
  byte[] bytes();

  int size();

  Map<String, String> annotations();

  /** The OCI 1.1 {@code artifactType}, or null. */
  String artifactType();

  /** The OCI 1.1 {@code subject}: the manifest this one refers to, or null. */
  Descriptor subject();

  /** A descriptor of this manifest (media type, digest, size, and its {@code artifactType} when it has one). */
  default Descriptor descriptor() {
    return new Descriptor(mediaType(), digest(), size(), Map.of(), artifactType(), null);
  }

  default Optional<Descriptor> subjectIfPresent() {
    return Optional.ofNullable(subject());
  }

  /**
   * The artifact type a referrers list reports for this manifest: {@code artifactType}, else (image manifests) the
   * config media type, as the OCI distribution spec defines it.
   */
  default String effectiveArtifactType() {
    if (artifactType() != null) {
      return artifactType();
    }
    return this instanceof ImageManifest m ? m.config().mediaType() : null;
  }
}
