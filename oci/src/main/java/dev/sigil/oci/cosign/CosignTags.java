package dev.sigil.oci.cosign;

import dev.sigil.oci.Digest;

/** cosign's tag schema for things attached to an image digest ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}). */
public final class CosignTags {
  private CosignTags() {}

  public static final String SIGNATURE_SUFFIX = ".sig";
  public static final String ATTESTATION_SUFFIX = ".att";
  public static final String SBOM_SUFFIX = ".sbom";

  public static String signatureTag(Digest image) {
    return image.tagPrefix() + SIGNATURE_SUFFIX;
  }

  public static String attestationTag(Digest image) {
    return image.tagPrefix() + ATTESTATION_SUFFIX;
  }

  public static String sbomTag(Digest image) {
    return image.tagPrefix() + SBOM_SUFFIX;
  }
}
