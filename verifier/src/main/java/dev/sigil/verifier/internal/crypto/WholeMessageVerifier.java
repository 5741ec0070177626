package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.SignatureVerifier;
import java.security.PublicKey;

/** What every Ed25519 verifier shares: it signs messages, never digests, so the prehashed forms refuse. */
public abstract class WholeMessageVerifier implements SignatureVerifier {
  /** RFC 8032: an Ed25519 signature is 64 bytes. */
  protected static final int ED25519_SIGNATURE_LENGTH = 64;

  private final PublicKey key;

  protected WholeMessageVerifier(PublicKey key) {
    this.key = key;
  }

  @Override
  public final PublicKey publicKey() {
    return key;
  }

  @Override
  public final KeyAlgorithm algorithm() {
    return KeyAlgorithm.ED25519;
  }

  @Override
  public final void verifyMessage(HashAlgorithm hash, byte[] message, byte[] signature)
      throws InvalidSignatureException {
    throw new InvalidSignatureException(
        "signature algorithm: expected Ed25519 (which signs the message itself), found one over a " + hash
            + " hash");
  }

  @Override
  public final void verifyDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    throw new InvalidSignatureException(
        "Ed25519 signs the whole artifact, so it cannot be verified from a digest alone; pass the file");
  }

  /** The standard failure. */
  protected static InvalidSignatureException doesNotVerify() {
    return new InvalidSignatureException("Ed25519 signature does not verify with the given key");
  }

  @Override
  public String toString() {
    return "ed25519 verifier";
  }
}
