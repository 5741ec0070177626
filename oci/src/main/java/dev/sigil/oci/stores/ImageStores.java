package dev.sigil.oci.stores;

import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.LayoutReference;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryClient;

/** The store an {@link ImageReference} points into. */
public final class ImageStores {
  private ImageStores() {}

  /**
   * The repository of a registry reference (through {@code registries}), or the layout directory of a layout
   * reference (which must exist: layouts are not created by reading). No I/O here.
   */
  public static ImageStore open(ImageReference ref, RegistryClient registries) {
    if (ref instanceof RegistryReference r) {
      return registries.repository(r);
    }
    return LayoutStore.open(((LayoutReference) ref).path());
  }
}
