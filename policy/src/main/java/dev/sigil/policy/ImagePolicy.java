package dev.sigil.policy;

import java.util.List;
import java.util.Objects;

/**
 * One validated {@code ImagePolicy}.
 *
 * @param name {@code metadata.name}, unique in its set
 * @param source where it was read from ({@code file: document N})
 * @param images globs of the images it applies to (normalised as Docker normalises names)
 * @param exclude globs of images it does not apply to, even when {@code images} matches
 * @param threshold how many distinct authorities must be satisfied
 */
public record ImagePolicy(
    String name,
    String source,
    List<ImageGlob> images,
    List<ImageGlob> exclude,
    Mode mode,
    int threshold,
    List<Authority> authorities) {
  public ImagePolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    images = List.copyOf(images);
    exclude = List.copyOf(exclude);
    Objects.requireNonNull(mode, "mode");
    authorities = List.copyOf(authorities);
  }

  /** Whether this policy applies to the image named {@code registry/repository} (already normalised). */
  public boolean appliesTo(String repository) {
    for (ImageGlob g : exclude) {
      if (g.matches(repository)) {
        return false;
      }
    }
    for (ImageGlob g : images) {
      if (g.matches(repository)) {
        return true;
      }
    }
    return false;
  }
}
