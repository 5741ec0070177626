package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.SignatureVerifier;
import java.security.MessageDigest;
import java.security.PublicKey;

/**
 * What every ECDSA and RSA verifier shares: a message is hashed with a digest of the verifier's backend, a digest is
 * checked for its length, then the scheme checks the digest ({@link #verifyCheckedDigest}).
 */
public abstract class PrehashVerifier implements SignatureVerifier {
  private final PublicKey key;
  private final KeyAlgorithm algorithm;

  protected PrehashVerifier(PublicKey key, KeyAlgorithm algorithm) {
    this.key = key;
    this.algorithm = algorithm;
  }

  @Override
  public final PublicKey publicKey() {
    return key;
  }

  @Override
  public final KeyAlgorithm algorithm() {
    return algorithm;
  }

  /** The hash {@link #verifyMessage(byte[], byte[])} uses: the scheme's. */
  protected HashAlgorithm messageHash() {
    return algorithm.hash().orElseThrow();
  }

  /** A fresh digest from this verifier's backend. */
  protected abstract MessageDigest newDigest(HashAlgorithm hash);

  /** Verifies {@code signature} over {@code digest}, whose length fits {@code hash}. */
  protected abstract void verifyCheckedDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException;

  @Override
  public final void verifyMessage(byte[] message, byte[] signature) throws InvalidSignatureException {
    verifyMessage(messageHash(), message, signature);
  }

  @Override
  public final void verifyMessage(HashAlgorithm hash, byte[] message, byte[] signature)
      throws InvalidSignatureException {
    verifyDigest(hash, newDigest(hash).digest(message), signature);
  }

  @Override
  public final void verifyDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    if (digest.length != hash.length()) {
      throw new InvalidSignatureException(
          "digest length: expected " + hash.length() + " bytes for " + hash + ", found " + digest.length);
    }
    verifyCheckedDigest(hash, digest, signature);
  }

  @Override
  public String toString() {
    return algorithm.displayName() + " verifier";
  }
}
