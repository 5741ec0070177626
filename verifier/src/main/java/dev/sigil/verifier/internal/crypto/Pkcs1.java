package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;

/** The DER {@code DigestInfo} of RSA PKCS#1 v1.5 signatures (RFC 8017 9.2, note 1), as constant prefixes. */
public final class Pkcs1 {
  private static final byte[] SHA256 = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
    0x20
  };
  private static final byte[] SHA384 = {
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04,
    0x30
  };
  private static final byte[] SHA512 = {
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
    0x40
  };

  private Pkcs1() {}

  /** {@code DigestInfo ::= SEQUENCE { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING digest }}. */
  public static byte[] digestInfo(HashAlgorithm hash, byte[] digest) {
    return digestInfo(hash, digest, true);
  }

  /**
   * The DigestInfo, with the algorithm's NULL parameters or (for signers that leave them out, which the JDK and
   * BouncyCastle accept and Wycheproof rates "acceptable") without them.
   */
  public static byte[] digestInfo(HashAlgorithm hash, byte[] digest, boolean withNull) {
    if (digest.length != hash.length()) {
      throw new IllegalArgumentException(
          "digest length: expected " + hash.length() + " bytes for " + hash + ", found " + digest.length);
    }
    byte[] prefix =
        switch (hash) {
          case SHA2_256 -> SHA256;
          case SHA2_384 -> SHA384;
          case SHA2_512 -> SHA512;
        };
    if (withNull) {
      byte[] out = new byte[prefix.length + digest.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(digest, 0, out, prefix.length, digest.length);
      return out;
    }
    // the same without the two NULL bytes: both SEQUENCE lengths shrink by two
    byte[] out = new byte[prefix.length - 2 + digest.length];
    System.arraycopy(prefix, 0, out, 0, 15);
    out[1] = (byte) (prefix[1] - 2);
    out[3] = (byte) (prefix[3] - 2);
    out[15] = prefix[17];
    out[16] = prefix[18];
    System.arraycopy(digest, 0, out, 17, digest.length);
    return out;
  }
}
