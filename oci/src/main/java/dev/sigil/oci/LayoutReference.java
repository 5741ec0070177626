package dev.sigil.oci;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An image in an OCI image layout directory: {@code oci-layout:PATH[:tag|@digest]} (also {@code PATH:tag@digest}).
 *
 * <p>Splitting rule: a digest is what follows the last {@code @} after the last {@code /}; otherwise a tag is what
 * follows the last {@code :} after the last {@code /}. Colons and at-signs in earlier path components are therefore
 * part of the path ({@code oci-layout:/mnt/c:d/lay:v1} is {@code /mnt/c:d/lay}, tag {@code v1}); a layout directory
 * whose own name contains {@code :} or {@code @} cannot be written (use a symbolic link). Without tag and digest the
 * layout's only manifest is meant (the store refuses when {@code index.json} holds more than one).
 */
public record LayoutReference(Path path, Optional<String> tag, Optional<Digest> digest) implements ImageReference {
  public LayoutReference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  public static LayoutReference parse(String text) {
    if (text == null || !text.startsWith(LAYOUT_PREFIX)) {
      throw new InvalidReferenceException(String.valueOf(text), "an OCI layout reference starts with " + LAYOUT_PREFIX);
    }
    String rest = text.substring(LAYOUT_PREFIX.length());
    int lastSlash = rest.lastIndexOf('/');
    Digest digest = null;
    int at = rest.lastIndexOf('@');
    if (at > lastSlash) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new InvalidReferenceException(text, e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!RegistryReference.isValidTag(tag)) {
        throw new InvalidReferenceException(
            text, "invalid tag \"" + Digest.clip(tag) + "\" (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -)");
      }
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(text, "missing layout directory");
    }
    try {
      return new LayoutReference(Path.of(rest), Optional.ofNullable(tag), Optional.ofNullable(digest));
    } catch (InvalidPathException e) {
      throw new InvalidReferenceException(text, "invalid path: " + e.getReason());
    }
  }

  @Override
  public LayoutReference withDigest(Digest newDigest) {
    return new LayoutReference(path, tag, Optional.of(newDigest));
  }

  @Override
  public String toString() {
    return LAYOUT_PREFIX + path + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
