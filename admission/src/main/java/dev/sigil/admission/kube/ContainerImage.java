package dev.sigil.admission.kube;

import java.util.Objects;

/**
 * One image a workload runs, where it is written.
 *
 * @param role {@code container}, {@code initContainer} or {@code ephemeralContainer}
 * @param container the container's name
 * @param image the image exactly as written in the object
 * @param path the JSON pointer of the {@code image} field in the object (what a JSONPatch replaces)
 */
public record ContainerImage(String role, String container, String image, String path) {
  public ContainerImage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(path, "path");
  }

  /** For messages: {@code initContainer "init"}. */
  public String describe() {
    return role + " \"" + container + "\"";
  }
}
