package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.security.PublicKey;

/** The checks both backends make before building an RSASSA-PSS verifier. */
public final class RsaPss {
  private RsaPss() {}

  /** The key must be RSA of at least 2048 bits and the salt length non-negative. */
  public static void requireParameters(PublicKey key, int saltLength) throws UnsupportedKeyException {
    if (KeyAlgorithm.of(key) != KeyAlgorithm.RSA_PKCS1V15) {
      throw new UnsupportedKeyException("RSA-PSS: expected an RSA key, found " + KeyAlgorithm.of(key).displayName());
    }
    if (saltLength < 0) {
      throw new UnsupportedKeyException("RSA-PSS: expected a salt length of 0 or more, found " + saltLength);
    }
  }
}
