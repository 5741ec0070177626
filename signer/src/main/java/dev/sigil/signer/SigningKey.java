package dev.sigil.signer;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.Providers;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * A private key with its public half and algorithm. {@link #toString()} prints metadata only, never key material.
 */
public final class SigningKey {
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final KeyAlgorithm algorithm;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey, KeyAlgorithm algorithm) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.algorithm = algorithm;
  }

  /** Key types {@code sigil generate-key-pair} offers, by their command-line names. */
  public enum Type {
    ECDSA_P256("ecdsa-p256"),
    ECDSA_P384("ecdsa-p384"),
    ED25519("ed25519"),
    RSA_3072("rsa-3072");

    private final String cliName;

    Type(String cliName) {
      this.cliName = cliName;
    }

    public String cliName() {
      return cliName;
    }

    @Override
    public String toString() {
      return cliName;
    }
  }

  /** Generates a fresh key pair. */
  public static SigningKey generate(Type type, SecureRandom random) {
    try {
      KeyPairGenerator g;
      switch (type) {
        case ECDSA_P256, ECDSA_P384 -> {
          g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
          g.initialize(new ECGenParameterSpec(type == Type.ECDSA_P256 ? "secp256r1" : "secp384r1"), random);
        }
        case ED25519 -> {
          g = KeyPairGenerator.getInstance("Ed25519", Providers.bouncyCastle());
          g.initialize(255, random);
        }
        case RSA_3072 -> {
          g = KeyPairGenerator.getInstance("RSA", Providers.bouncyCastle());
          g.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
        }
        default -> throw new IllegalStateException("unreachable");
      }
      KeyPair kp = g.generateKeyPair();
      return new SigningKey(kp.getPrivate(), kp.getPublic(), KeyAlgorithm.of(kp.getPublic()));
    } catch (GeneralSecurityException | UnsupportedKeyException e) {
      throw new IllegalStateException("BouncyCastle supports " + type, e);
    }
  }

  /** Wraps a private key, deriving its public key (PKCS#8 files need not carry it). */
  public static SigningKey fromPrivateKey(PrivateKey key) throws UnsupportedKeyException {
    Objects.requireNonNull(key, "key");
    PublicKey pub;
    try {
      if (key instanceof ECPrivateKey ec) {
        var spec = ec.getParameters();
        var q = spec.getG().multiply(ec.getD()).normalize();
        pub = KeyFactory.getInstance("EC", Providers.bouncyCastle()).generatePublic(new ECPublicKeySpec(q, spec));
      } else if (key instanceof java.security.interfaces.ECPrivateKey jdkEc) {
        KeyFactory kf = KeyFactory.getInstance("EC", Providers.bouncyCastle());
        return fromPrivateKey(kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(jdkEc.getEncoded())));
      } else if (key instanceof EdDSAPrivateKey ed) {
        pub = ed.getPublicKey();
      } else if (key instanceof RSAPrivateCrtKey rsa) {
        pub =
            KeyFactory.getInstance("RSA", Providers.bouncyCastle())
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      } else {
        throw new UnsupportedKeyException(
            "private key: expected ECDSA, Ed25519 or RSA (with CRT parameters), found " + key.getAlgorithm());
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new UnsupportedKeyException("private key: cannot derive its public key (" + e.getMessage() + ")");
    }
    return new SigningKey(key, pub, KeyAlgorithm.of(pub));
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public String toString() {
    return "SigningKey[" + algorithm.displayName() + ", private key material hidden]";
  }
}
