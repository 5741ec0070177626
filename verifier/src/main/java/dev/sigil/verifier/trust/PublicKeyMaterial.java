package dev.sigil.verifier.trust;

import java.security.PublicKey;
import java.util.List;

/**
 * Trusted material made only of public keys, for key-based verification (cosign's {@code --key}). Combine it with a
 * trusted root ({@link TrustedMaterial#combine}) to also verify log entries and timestamps.
 *
 * @param publicKeys the trusted keys
 */
public record PublicKeyMaterial(List<TrustedPublicKey> publicKeys) implements TrustedMaterial {
  public PublicKeyMaterial {
    publicKeys = List.copyOf(publicKeys);
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("publicKeys: expected at least one key, found none");
    }
  }

  /** One key with no hint, valid at any time. */
  public static PublicKeyMaterial of(PublicKey key) {
    return new PublicKeyMaterial(List.of(TrustedPublicKey.of(key)));
  }

  @Override
  public List<CertificateAuthority> certificateAuthorities() {
    return List.of();
  }

  @Override
  public List<TransparencyLogInstance> tlogs() {
    return List.of();
  }

  @Override
  public List<TransparencyLogInstance> ctlogs() {
    return List.of();
  }

  @Override
  public List<CertificateAuthority> timestampAuthorities() {
    return List.of();
  }
}
