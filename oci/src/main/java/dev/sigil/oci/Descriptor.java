package dev.sigil.oci;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest, index or referrers list says about one piece of content. Immutable;
 * {@code annotations} keep their order. {@code artifactType} and {@code platform} are null when absent.
 */
public record Descriptor(
    String mediaType, Digest digest, long size, Map<String, String> annotations, String artifactType, Platform platform) {

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size must not be negative: " + size);
    }
    annotations = Annotations.copy(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), null, null);
  }

  /** The descriptor of exactly these bytes (SHA-256). */
  public static Descriptor of(String mediaType, byte[] content) {
    return of(mediaType, Digest.sha256(content), content.length);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, newAnnotations, artifactType, platform);
  }

  public Descriptor withArtifactType(String newArtifactType) {
    return new Descriptor(mediaType, digest, size, annotations, newArtifactType, platform);
  }

  public Optional<String> annotation(String key) {
    return Optional.ofNullable(annotations.get(key));
  }

  public Optional<String> artifactTypeIfPresent() {
    return Optional.ofNullable(artifactType);
  }
}
