package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.Pkcs1;
import dev.sigil.verifier.internal.crypto.PrehashVerifier;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;

/**
 * RSA signature verification (RFC 8017) with {@link BigInteger#modPow} and {@link Sha2}: RSASSA-PKCS1-v1_5 by
 * encoding the expected message representative and comparing (8.2.2; with the DigestInfo's NULL parameters or
 * without them, as the JDK and BouncyCastle accept), and RSASSA-PSS by EMSA-PSS-VERIFY (9.1.2) with MGF1 over the
 * same hash. All values are public, so nothing here needs constant time.
 */
final class RsaVerifier extends PrehashVerifier {
  private final BigInteger modulus;
  private final BigInteger exponent;
  private final int modulusBytes;
  private final HashAlgorithm pssHash; // null for PKCS#1 v1.5
  private final int saltLength;

  private RsaVerifier(RSAPublicKey key, KeyAlgorithm algorithm, HashAlgorithm pssHash, int saltLength) {
    super(key, algorithm);
    this.modulus = key.getModulus();
    this.exponent = key.getPublicExponent();
    this.modulusBytes = (modulus.bitLength() + 7) / 8;
    this.pssHash = pssHash;
    this.saltLength = saltLength;
  }

  static RsaVerifier pkcs1(RSAPublicKey key) {
    return new RsaVerifier(key, KeyAlgorithm.RSA_PKCS1V15, null, 0);
  }

  static RsaVerifier pss(RSAPublicKey key, HashAlgorithm hash, int saltLength) {
    return new RsaVerifier(key, KeyAlgorithm.RSA_PSS, hash, saltLength);
  }

  @Override
  protected HashAlgorithm messageHash() {
    return pssHash == null ? super.messageHash() : pssHash;
  }

  @Override
  protected MessageDigest newDigest(HashAlgorithm hash) {
    return new Sha2(hash);
  }

  @Override
  protected void verifyCheckedDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    if (pssHash == null) {
      byte[] em = representative(signature, modulusBytes, "RSA PKCS#1 v1.5");
      if (!MessageDigest.isEqual(em, pkcs1Encoding(Pkcs1.digestInfo(hash, digest, true)))
          && !MessageDigest.isEqual(em, pkcs1Encoding(Pkcs1.digestInfo(hash, digest, false)))) {
        throw new InvalidSignatureException("RSA PKCS#1 v1.5 signature does not verify with the given key");
      }
      return;
    }
    if (hash != pssHash) {
      throw new InvalidSignatureException(
          "RSA-PSS: expected a " + pssHash + " digest (the key's PSS parameters), found " + hash);
    }
    int emBits = modulus.bitLength() - 1;
    int emLen = (emBits + 7) / 8;
    if (!pssVerify(digest, representative(signature, emLen, "RSA-PSS"), emBits)) {
      throw new InvalidSignatureException("RSA-PSS signature does not verify with the given key");
    }
  }

  /**
   * RSAVP1 (5.2.2) and I2OSP into {@code length} bytes. The signature must be exactly as long as the modulus and
   * smaller than it (8.2.2 step 1, 8.1.2 step 1).
   */
  private byte[] representative(byte[] signature, int length, String scheme) throws InvalidSignatureException {
    if (signature.length != modulusBytes) {
      throw new InvalidSignatureException(
          scheme + " signature: expected " + modulusBytes + " bytes (the modulus length), found " + signature.length);
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(modulus) >= 0) {
      throw new InvalidSignatureException(scheme + " signature: expected a value below the modulus, found one above");
    }
    byte[] m = s.modPow(exponent, modulus).toByteArray();
    int start = 0;
    while (start < m.length - 1 && m[start] == 0) {
      start++;
    }
    int significant = m.length - start;
    if (significant > length) {
      throw new InvalidSignatureException(scheme + " signature does not verify with the given key");
    }
    byte[] out = new byte[length];
    System.arraycopy(m, start, out, length - significant, significant);
    return out;
  }

  /** EMSA-PKCS1-v1_5 (9.2): {@code 00 01 FF..FF 00 || T}, at least eight FF bytes. */
  private byte[] pkcs1Encoding(byte[] t) {
    byte[] em = new byte[modulusBytes];
    int ps = modulusBytes - t.length - 3;
    if (ps < 8) {
      return new byte[0]; // cannot equal a representative: the key is too short for this hash
    }
    em[1] = 0x01;
    for (int i = 2; i < 2 + ps; i++) {
      em[i] = (byte) 0xff;
    }
    System.arraycopy(t, 0, em, modulusBytes - t.length, t.length);
    return em;
  }

  /** EMSA-PSS-VERIFY (9.1.2) of {@code mHash} against {@code em}, MGF1 with the same hash. */
  private boolean pssVerify(byte[] mHash, byte[] em, int emBits) {
    int hLen = mHash.length;
    int emLen = em.length;
    if (emLen < hLen + saltLength + 2 || (em[emLen - 1] & 0xff) != 0xbc) {
      return false;
    }
    int dbLen = emLen - hLen - 1;
    int topBits = 8 * emLen - emBits; // bits of em[0] that must be zero
    int topMask = 0xff >>> topBits;
    if ((em[0] & ~topMask & 0xff) != 0) {
      return false;
    }
    byte[] h = new byte[hLen];
    System.arraycopy(em, dbLen, h, 0, hLen);
    byte[] db = mgf1(h, dbLen);
    for (int i = 0; i < dbLen; i++) {
      db[i] ^= em[i];
    }
    db[0] &= (byte) topMask;
    int zeros = emLen - hLen - saltLength - 2;
    for (int i = 0; i < zeros; i++) {
      if (db[i] != 0) {
        return false;
      }
    }
    if (db[zeros] != 0x01) {
      return false;
    }
    MessageDigest md = new Sha2(pssHash);
    md.update(new byte[8]);
    md.update(mHash);
    md.update(db, dbLen - saltLength, saltLength);
    return MessageDigest.isEqual(md.digest(), h);
  }

  /** MGF1 (B.2.1) of {@code seed}, {@code length} bytes. */
  private byte[] mgf1(byte[] seed, int length) {
    byte[] out = new byte[length];
    MessageDigest md = new Sha2(pssHash);
    byte[] counter = new byte[4];
    for (int done = 0, c = 0; done < length; c++) {
      counter[0] = (byte) (c >>> 24);
      counter[1] = (byte) (c >>> 16);
      counter[2] = (byte) (c >>> 8);
      counter[3] = (byte) c;
      md.update(seed);
      md.update(counter);
      byte[] block = md.digest();
      int n = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }
}
