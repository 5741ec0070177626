package dev.sigil.verifier.entity;

import java.util.Objects;
import java.util.Optional;

/**
 * A signature over an artifact (for all but Ed25519, over its digest).
 *
 * @param messageDigest the digest the signer recorded, if any (Sigstore bundles carry one; cosign's legacy signatures
 *     do not, and the artifact decides the algorithm)
 * @param signature the signature bytes
 */
public record MessageSignature(Optional<MessageDigest> messageDigest, byte[] signature) implements SignatureContent {
  public MessageSignature {
    Objects.requireNonNull(messageDigest, "messageDigest");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
