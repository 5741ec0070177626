package dev.sigil.verifier.bundle;

import java.util.Optional;

/** The bundle format versions Sigil understands, and the media types that name them. */
public enum BundleVersion {
  V0_1("application/vnd.dev.sigstore.bundle+json;version=0.1"),
  V0_2("application/vnd.dev.sigstore.bundle+json;version=0.2"),
  V0_3("application/vnd.dev.sigstore.bundle.v0.3+json");

  /** The other spelling of v0.3 that the specs allow. */
  static final String V0_3_ALTERNATE = "application/vnd.dev.sigstore.bundle+json;version=0.3";

  private final String mediaType;

  BundleVersion(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The canonical media type of this version (what Sigil writes). */
  public String mediaType() {
    return mediaType;
  }

  /** The version a media type names, if Sigil knows it. */
  public static Optional<BundleVersion> fromMediaType(String mediaType) {
    for (BundleVersion v : values()) {
      if (v.mediaType.equals(mediaType)) {
        return Optional.of(v);
      }
    }
    return V0_3_ALTERNATE.equals(mediaType) ? Optional.of(V0_3) : Optional.empty();
  }
}
