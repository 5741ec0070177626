package dev.sigil.verifier.trust;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key trusted for key-based signatures, with the hint entities use to name it (a Sigstore bundle's
 * {@code publicKey.hint}) and its validity window. A key without a hint is used for entities that name none.
 *
 * @param hint the name entities use for this key, if any
 * @param key the key: ECDSA P-256/384/521, Ed25519 or RSA of at least 2048 bits (others are refused with an
 *     {@link IllegalArgumentException})
 * @param validFor when signatures by this key are accepted; checked against the verified signing times when there
 *     are any (unbounded by default)
 */
public record TrustedPublicKey(Optional<String> hint, PublicKey key, ValidityPeriod validFor) {
  public TrustedPublicKey {
    Objects.requireNonNull(hint, "hint");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(validFor, "validFor");
    try {
      KeyAlgorithm.of(key);
    } catch (UnsupportedKeyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Reads one PEM {@code PUBLIC KEY} block (SubjectPublicKeyInfo): what {@code cosign generate-key-pair} and
   * {@code sigil generate-key-pair} write.
   *
   * @throws InvalidKeySpecException if the text is not one such block, or the key is not ECDSA P-256/384/521,
   *     Ed25519 or RSA of at least 2048 bits; the message says what was expected and found
   */
  public static PublicKey parsePem(String pem) throws InvalidKeySpecException {
    PublicKey key;
    try {
      key = PublicKeys.fromPem(pem);
      KeyAlgorithm.of(key);
    } catch (KeyParseException | UnsupportedKeyException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    }
    return key;
  }

  /** The key's algorithm, e.g. {@code ECDSA P-256} or {@code Ed25519}. */
  public String algorithm() {
    try {
      return KeyAlgorithm.of(key).displayName();
    } catch (UnsupportedKeyException e) {
      throw new IllegalStateException("checked at construction", e);
    }
  }

  /**
   * The digest this key's message signatures are made over when the signer records none (ECDSA P-384: SHA-384, and
   * so on); empty for Ed25519, which signs the whole message.
   */
  public Optional<dev.sigil.verifier.bundle.HashAlgorithm> digestAlgorithm() {
    try {
      return KeyAlgorithm.of(key).hash();
    } catch (UnsupportedKeyException e) {
      throw new IllegalStateException("checked at construction", e);
    }
  }

  /** Whether signatures by this key cover the whole message (Ed25519) rather than a digest of it. */
  public boolean signsWholeMessage() {
    try {
      return KeyAlgorithm.of(key) == KeyAlgorithm.ED25519;
    } catch (UnsupportedKeyException e) {
      throw new IllegalStateException("checked at construction", e);
    }
  }

  /** A key with no hint, valid at any time. */
  public static TrustedPublicKey of(PublicKey key) {
    return new TrustedPublicKey(Optional.empty(), key, ValidityPeriod.unbounded());
  }

  /** A key named {@code hint}, valid at any time. */
  public static TrustedPublicKey of(String hint, PublicKey key) {
    return new TrustedPublicKey(Optional.of(hint), key, ValidityPeriod.unbounded());
  }

  /** The SHA-256 of the key's SubjectPublicKeyInfo, hex: how results name the key when it has no hint. */
  public String fingerprint() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
