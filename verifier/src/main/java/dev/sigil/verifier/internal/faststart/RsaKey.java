package dev.sigil.verifier.internal.faststart;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;

/**
 * An RSA public key read from its SubjectPublicKeyInfo without the JCA. It behaves as the JDK's key does where callers
 * can tell ({@link EncodedPublicKey}), with algorithm "RSA".
 */
final class RsaKey extends EncodedPublicKey implements RSAPublicKey {
  private static final long serialVersionUID = 1L;

  private final BigInteger modulus;
  private final BigInteger publicExponent;

  RsaKey(byte[] encoded, BigInteger modulus, BigInteger publicExponent) {
    super(encoded);
    this.modulus = modulus;
    this.publicExponent = publicExponent;
  }

  @Override
  public BigInteger getModulus() {
    return modulus;
  }

  @Override
  public BigInteger getPublicExponent() {
    return publicExponent;
  }

  @Override
  public String getAlgorithm() {
    return "RSA";
  }

  @Override
  public String toString() {
    return "RSA public key, " + modulus.bitLength() + " bits";
  }
}
