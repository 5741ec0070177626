package dev.sigil.oci;

import java.util.List;

/**
 * The manifests that name a digest as their {@code subject}, and where the list came from.
 *
 * @param manifests descriptors as the source lists them (with {@code artifactType} and annotations)
 * @param source which mechanism answered
 */
public record Referrers(List<Descriptor> manifests, Source source) {
  public Referrers {
    manifests = List.copyOf(manifests);
  }

  public enum Source {
    /** The registry's OCI 1.1 referrers API ({@code GET /v2/<name>/referrers/<digest>}). */
    REFERRERS_API,
    /** The fallback tag schema: an index at tag {@code <alg>-<hex>} (registries without the API). */
    FALLBACK_TAG,
    /** An OCI image layout: manifests in {@code index.json} whose {@code subject} is the digest. */
    LAYOUT_SCAN
  }
}
