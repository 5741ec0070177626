package dev.sigil.oci.cosign;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.OciException;
import dev.sigil.oci.Referrers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is attached to an image digest and under which scheme (cosign's {@code .sig}, {@code .att}, {@code .sbom}
 * tags, and OCI 1.1 referrers), as data for {@code sigil tree}. Lists manifests and layer descriptors; reads no layer
 * payloads and verifies nothing.
 */
public final class AttachmentTree {
  private AttachmentTree() {}

  public enum Scheme {
    SIGNATURE_TAG,
    ATTESTATION_TAG,
    SBOM_TAG,
    REFERRER
  }

  /**
   * One attached manifest.
   *
   * @param scheme how it is attached
   * @param tag the tag it is found at (tag schemes), or empty for referrers
   * @param manifest its descriptor (for referrers, with the artifact type the listing reports)
   * @param artifactType the manifest's effective artifact type (artifactType, else config media type), or null
   * @param layers its layers (for an index: the manifests it lists)
   */
  public record Entry(
      Scheme scheme, Optional<String> tag, Descriptor manifest, String artifactType, List<Descriptor> layers) {
    public Entry {
      layers = List.copyOf(layers);
    }
  }

  /** Everything attached to {@code subject}, with where the referrers list came from. */
  public record Tree(Digest subject, List<Entry> entries, Referrers.Source referrersSource) {
    public Tree {
      entries = List.copyOf(entries);
    }
  }

  public static Tree of(ImageStore store, Digest subject) throws OciException {
    Objects.requireNonNull(store, "store");
    List<Entry> entries = new ArrayList<>();
    addTag(store, Scheme.SIGNATURE_TAG, CosignTags.signatureTag(subject), entries);
    addTag(store, Scheme.ATTESTATION_TAG, CosignTags.attestationTag(subject), entries);
    addTag(store, Scheme.SBOM_TAG, CosignTags.sbomTag(subject), entries);
    Referrers refs = store.referrers(subject, null);
    for (Descriptor d : refs.manifests()) {
      Manifest m = store.fetchManifest(d.digest());
      entries.add(new Entry(Scheme.REFERRER, Optional.empty(), d, m.effectiveArtifactType(), layersOf(m)));
    }
    return new Tree(subject, entries, refs.source());
  }

  private static void addTag(ImageStore store, Scheme scheme, String tag, List<Entry> entries) throws OciException {
    Optional<Manifest> m = store.fetchManifestByTag(tag);
    if (m.isPresent()) {
      entries.add(new Entry(scheme, Optional.of(tag), m.get().descriptor(), m.get().effectiveArtifactType(),
          layersOf(m.get())));
    }
  }

  private static List<Descriptor> layersOf(Manifest m) {
    return m instanceof ImageManifest im ? im.layers() : ((ImageIndex) m).manifests();
  }
}
