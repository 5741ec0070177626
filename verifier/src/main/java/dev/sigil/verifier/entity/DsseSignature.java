package dev.sigil.verifier.entity;

import java.util.Objects;

/** One DSSE signature and its key id (empty when the signer gave none). */
public record DsseSignature(byte[] sig, String keyId) {
  public DsseSignature {
    sig = sig.clone();
    Objects.requireNonNull(keyId, "keyId");
  }

  @Override
  public byte[] sig() {
    return sig.clone();
  }
}
