package dev.sigil.oci;

import java.util.Optional;

/**
 * Where an image is: in a registry ({@link RegistryReference}, parsed as Docker parses references) or in an OCI image
 * layout on disk ({@link LayoutReference}, written {@code oci-layout:PATH[:tag|@digest]}).
 */
public sealed interface ImageReference permits RegistryReference, LayoutReference {
  String LAYOUT_PREFIX = "oci-layout:";

  /**
   * Parses a reference. {@code oci-layout:...} names a layout (see {@link LayoutReference#parse}); anything else is a
   * registry reference with Docker's rules (see {@link RegistryReference#parse}).
   *
   * @throws InvalidReferenceException naming the rule the text breaks
   */
  static ImageReference parse(String text) {
    if (text != null && text.startsWith(LAYOUT_PREFIX)) {
      return LayoutReference.parse(text);
    }
    return RegistryReference.parse(text);
  }

  /** The tag, when one was written (or defaulted: registry references without tag or digest get {@code latest}). */
  Optional<String> tag();

  /** The digest, when one was written. It takes precedence over the tag. */
  Optional<Digest> digest();

  /** The same image pinned to {@code digest} (the tag is kept for display). */
  ImageReference withDigest(Digest digest);

  /** The canonical text form, which {@link #parse} reads back to an equal reference. */
  @Override
  String toString();
}
