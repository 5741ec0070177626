package dev.sigil.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An OCI image index or a Docker manifest list (exact bytes kept). */
public record ImageIndex(
    String mediaType,
    List<Descriptor> manifests,
    Map<String, String> annotations,
    String artifactType,
    Descriptor subject,
    Digest digest,
    byte[] bytes)
    implements Manifest {

  public ImageIndex {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    manifests = List.copyOf(manifests);
    annotations = Annotations.copy(annotations);
    bytes = bytes.clone();
  }

  /** Serialises a new OCI index (go-containerregistry's field order) and returns it parsed back. */
  public static ImageIndex create(List<Descriptor> manifests, Map<String, String> annotations) {
    byte[] b = Manifests.writeIndex(MediaTypes.OCI_INDEX, manifests, annotations);
    try {
      return (ImageIndex) Manifests.parse(b, MediaTypes.OCI_INDEX);
    } catch (OciException e) {
      throw new IllegalArgumentException("index does not parse back: " + e.getMessage(), e);
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
    return o instanceof ImageIndex m && m.digest.equals(digest) && Arrays.equals(m.bytes, bytes)
        && m.mediaType.equals(mediaType);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "ImageIndex[" + mediaType + " " + digest + ", " + manifests.size() + " manifests]";
  }
}
