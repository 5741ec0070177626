package dev.sigil.verifier.internal.faststart;

import java.math.BigInteger;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.NamedParameterSpec;

/**
 * An Ed25519 public key read from its SubjectPublicKeyInfo without the JCA. It behaves as the JDK's key does where
 * callers can tell ({@link EncodedPublicKey}), with algorithm "EdDSA", parameters Ed25519 and the point as RFC 8032
 * encodes it.
 */
final class Ed25519Key extends EncodedPublicKey implements EdECPublicKey {
  private static final long serialVersionUID = 1L;

  private final byte[] raw;

  Ed25519Key(byte[] encoded, byte[] raw) {
    super(encoded);
    if (raw.length != 32) {
      throw new IllegalArgumentException("Ed25519 public key: expected 32 bytes, found " + raw.length);
    }
    this.raw = raw.clone();
  }

  /** The 32-byte RFC 8032 encoding. */
  byte[] raw() {
    return raw.clone();
  }

  @Override
  public NamedParameterSpec getParams() {
    return NamedParameterSpec.ED25519;
  }

  /** RFC 8032 5.1.3: y little-endian in the low 255 bits, the parity of x in the top bit. */
  @Override
  public EdECPoint getPoint() {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = raw[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    return new EdECPoint(xOdd, new BigInteger(1, be));
  }

  @Override
  public String getAlgorithm() {
    return "EdDSA";
  }

  @Override
  public String toString() {
    return "Ed25519 public key";
  }
}
