package dev.sigil.oci;

import java.util.Objects;

/** The platform of a manifest in an index ({@code os}, {@code architecture}, optional {@code variant}). */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
