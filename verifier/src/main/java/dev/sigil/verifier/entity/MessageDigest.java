package dev.sigil.verifier.entity;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.util.Objects;

/** A digest with its algorithm, as named by the Sigstore protobuf specs (e.g. SHA2_256). */
public record MessageDigest(HashAlgorithm algorithm, byte[] digest) {
  public MessageDigest {
    Objects.requireNonNull(algorithm, "algorithm");
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
