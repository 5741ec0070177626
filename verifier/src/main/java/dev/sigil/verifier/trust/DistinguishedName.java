package dev.sigil.verifier.trust;

import java.util.Objects;

/**
 * The subject a trusted root names for a certificate or timestamp authority ({@code DistinguishedName}). Informational:
 * verification uses the certificates, not this name. Empty strings stand for absent fields, as in protobuf.
 */
public record DistinguishedName(String organization, String commonName) {
  public DistinguishedName {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(commonName, "commonName");
  }

  /** The name with neither field set. */
  public static DistinguishedName empty() {
    return new DistinguishedName("", "");
  }
}
