package dev.sigil.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An OCI image manifest or a Docker v2 schema 2 manifest: a config and layers (exact bytes kept). */
public record ImageManifest(
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Map<String, String> annotations,
    String artifactType,
    Descriptor subject,
    Digest digest,
    byte[] bytes)
    implements Manifest {

  public ImageManifest {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(digest, "digest");
    layers = List.copyOf(layers);
    annotations = Annotations.copy(annotations);
    bytes = bytes.clone();
  }

  /**
   * Serialises a new manifest (field order as go-containerregistry writes it, which is what cosign pushes) and returns
   * it parsed back, with its SHA-256 digest.
   */
  public static ImageManifest create(
      String mediaType,
      Descriptor config,
      List<Descriptor> layers,
      Map<String, String> annotations,
      Descriptor subject,
      String artifactType) {
    byte[] b = Manifests.writeImageManifest(mediaType, config, layers, annotations, subject, artifactType);
    try {
      return (ImageManifest) Manifests.parse(b, mediaType);
    } catch (OciException e) {
      throw new IllegalArgumentException("manifest does not parse back: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageManifest m && m.digest.equals(digest) && Arrays.equals(m.bytes, bytes)
        && m.mediaType.equals(mediaType);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "ImageManifest[" + mediaType + " " + digest + ", " + layers.size() + " layers]";
  }
}
