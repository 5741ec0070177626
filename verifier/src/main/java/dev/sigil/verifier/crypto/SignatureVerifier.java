package dev.sigil.verifier.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.PublicKey;

/**
 * Verifies signatures made by one public key under one signature scheme, as a {@link CryptoBackend} prepared it.
 * Build once per key and reuse (a backend may keep per-key tables). Implementations are immutable and thread-safe.
 *
 * <p>Every method fails by throwing {@link InvalidSignatureException}, never by returning a value, so an unchecked
 * result cannot become an accepted signature.
 */
public interface SignatureVerifier {
  /** The key, as it was given. */
  PublicKey publicKey();

  /** The scheme this verifier checks (for RSA keys: PKCS#1 v1.5 or PSS). */
  KeyAlgorithm algorithm();

  /**
   * Verifies a signature over {@code message}: ECDSA and RSA hash it with the scheme's hash ({@link
   * KeyAlgorithm#hash()}, or the PSS parameters' hash); Ed25519 signs it as it is.
   */
  void verifyMessage(byte[] message, byte[] signature) throws InvalidSignatureException;

  /**
   * Verifies a signature over {@code message} hashed with {@code hash}, for signatures whose algorithm names its
   * hash (X.509 {@code ecdsa-with-SHA384}, an SCT's hash field). Ed25519 signs messages, not hashes: it refuses.
   */
  void verifyMessage(HashAlgorithm hash, byte[] message, byte[] signature) throws InvalidSignatureException;

  /**
   * Verifies a signature over a precomputed {@code digest} made with {@code hash}. ECDSA takes any SHA-2 digest
   * (cosign signs with the curve's hash, Fulcio certificates name theirs), RSA PKCS#1 v1.5 encodes it into its
   * DigestInfo, RSA-PSS only its own hash; Ed25519 refuses (see {@link #supportsPrehashed()}).
   */
  void verifyDigest(HashAlgorithm hash, byte[] digest, byte[] signature) throws InvalidSignatureException;

  /** Whether {@link #verifyDigest} can succeed: false for Ed25519, which signs the whole message. */
  default boolean supportsPrehashed() {
    return algorithm() != KeyAlgorithm.ED25519;
  }
}
