package dev.sigil.oci;

import java.util.List;
import java.util.Optional;

/**
 * One repository of images: a repository in a registry ({@code dev.sigil.oci.registry.RegistryStore}) or an OCI image
 * layout directory ({@code dev.sigil.oci.layout.LayoutStore}). Bytes only: stores check digests and sizes, never
 * signatures.
 *
 * <p>Every fetched manifest and blob is checked against the digest it was asked for, and bounded in size (manifests at
 * {@link Manifests#MAX_MANIFEST_BYTES}, blobs at the caller's {@code maxBytes}). Implementations are thread-safe.
 */
public interface ImageStore {
  // Tags passed to these methods must be valid tags (RegistryReference.isValidTag); others are refused with
  // IllegalArgumentException before any I/O.

  /** Where this store points, for messages: {@code registry/repository} or {@code oci-layout:PATH}. */
  String location();

  /**
   * The descriptor (digest, media type, size) of the manifest a tag names, or empty when the tag does not exist.
   */
  Optional<Descriptor> resolveTag(String tag) throws OciException;

  /** The manifest a tag names, or empty when the tag does not exist. Its digest is computed over the bytes received. */
  Optional<Manifest> fetchManifestByTag(String tag) throws OciException;

  /**
   * The manifest with this digest.
   *
   * @throws OciException {@code NOT_FOUND} when absent, {@code DIGEST_MISMATCH} when the store returns other bytes
   */
  Manifest fetchManifest(Digest digest) throws OciException;

  /**
   * A blob, read fully into memory.
   *
   * @param maxBytes refuse ({@code TOO_LARGE}) a blob longer than this, without reading past it
   */
  byte[] fetchBlob(Digest digest, long maxBytes) throws OciException;

  /** Whether the blob exists here. */
  boolean hasBlob(Digest digest) throws OciException;

  /** Stores a blob (no-op when it exists) and returns its descriptor with {@code mediaType}. */
  Descriptor pushBlob(byte[] content, String mediaType) throws OciException;

  /**
   * Stores a manifest under its digest and, when {@code tag} is not null, points the tag at it. The blobs it names must
   * already be here. A manifest with a {@code subject} is made findable by {@link #referrers}: through the registry's
   * referrers API when it indexes the subject itself, otherwise by adding it to the fallback tag's index.
   *
   * @return the stored manifest's descriptor
   */
  Descriptor pushManifest(Manifest manifest, String tag) throws OciException;

  /** The tags of this repository, in the store's order. */
  List<String> listTags() throws OciException;

  /**
   * The manifests whose {@code subject} is {@code subject}.
   *
   * @param artifactType keep only descriptors with this {@code artifactType}, or null for all
   */
  Referrers referrers(Digest subject, String artifactType) throws OciException;

  /** Resolves a reference's digest or tag: the digest when it has one, else the tag (empty when the tag is absent). */
  default Optional<Manifest> fetchManifest(ImageReference ref) throws OciException {
    if (ref.digest().isPresent()) {
      return Optional.of(fetchManifest(ref.digest().get()));
    }
    if (ref.tag().isPresent()) {
      return fetchManifestByTag(ref.tag().get());
    }
    return Optional.empty();
  }
}
