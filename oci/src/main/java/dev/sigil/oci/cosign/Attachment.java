package dev.sigil.oci.cosign;

import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import java.util.List;
import java.util.Optional;

/**
 * What a cosign tag ({@code sha256-<hex>.sig} or {@code .att}) holds for an image digest.
 *
 * @param image the digest the tag was computed from
 * @param tag the tag read
 * @param manifest the manifest at the tag, empty when the tag does not exist
 * @param layers the readable layers, in manifest order
 * @param unreadable layers whose payload could not be read, with why
 */
public record Attachment(
    Digest image, String tag, Optional<ImageManifest> manifest, List<AttachedLayer> layers,
    List<UnreadableLayer> unreadable) {
  public Attachment {
    layers = List.copyOf(layers);
    unreadable = List.copyOf(unreadable);
  }

  public boolean exists() {
    return manifest.isPresent();
  }
}
