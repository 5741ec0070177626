package dev.sigil.verifier.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.EcCurves;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/**
 * The public-key signature schemes Sigstore clients use, each with the hash it signs. ECDSA hashes follow the curve
 * (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), as cosign and sigstore-go do; RSA keys use PKCS#1 v1.5 with SHA-256
 * unless a verifier was made for RSA-PSS ({@link CryptoBackend#newRsaPssVerifier}, whose parameters name its hash);
 * Ed25519 signs the whole message.
 */
public enum KeyAlgorithm {
  ECDSA_P256("ecdsa-p256", HashAlgorithm.SHA2_256),
  ECDSA_P384("ecdsa-p384", HashAlgorithm.SHA2_384),
  ECDSA_P521("ecdsa-p521", HashAlgorithm.SHA2_512),
  ED25519("ed25519", null),
  RSA_PKCS1V15("rsa", HashAlgorithm.SHA2_256),
  RSA_PSS("rsa-pss", HashAlgorithm.SHA2_256);

  private final String displayName;
  private final HashAlgorithm hash;

  KeyAlgorithm(String displayName, HashAlgorithm hash) {
    this.displayName = displayName;
    this.hash = hash;
  }

  public String displayName() {
    return displayName;
  }

  /** The digest this scheme signs, or empty for Ed25519 (which signs the message itself). */
  public Optional<HashAlgorithm> hash() {
    return Optional.ofNullable(hash);
  }

  /**
   * Classifies a public key by its usual scheme (RSA keys: {@link #RSA_PKCS1V15}), or explains why Sigil does not
   * support it.
   */
  public static KeyAlgorithm of(PublicKey key) throws UnsupportedKeyException {
    if (key instanceof ECPublicKey ec) {
      java.security.spec.ECParameterSpec p = ec.getParams();
      KeyAlgorithm a = EcCurves.identify(p);
      if (a != null) {
        return a;
      }
      throw new UnsupportedKeyException(
          "public key: expected an ECDSA key on P-256, P-384 or P-521, found a "
              + p.getCurve().getField().getFieldSize() + "-bit curve that is none of them");
    }
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < 2048) {
        throw new UnsupportedKeyException(
            "public key: expected an RSA key of at least 2048 bits, found " + bits + " bits");
      }
      return RSA_PKCS1V15;
    }
    if (key instanceof java.security.interfaces.EdECPublicKey ed) {
      if ("Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
        return ED25519;
      }
      throw new UnsupportedKeyException("public key: expected Ed25519, found " + ed.getParams().getName());
    }
    String alg = key.getAlgorithm();
    if ("Ed25519".equalsIgnoreCase(alg)) {
      return ED25519;
    }
    throw new UnsupportedKeyException(
        "public key: expected ECDSA, Ed25519 or RSA, found " + alg);
  }
}
