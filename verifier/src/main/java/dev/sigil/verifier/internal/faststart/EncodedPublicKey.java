package dev.sigil.verifier.internal.faststart;

import java.security.Key;
import java.security.KeyRep;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * What {@link EcKey} and {@link Ed25519Key} share with the JDK's keys: format "X.509", the SubjectPublicKeyInfo they
 * were read from as their encoding, equality with any key of the same encoding and the same hash (the JDK's
 * {@code X509Key} rules, so that these keys and the JDK's for the same bytes are interchangeable in sets and maps),
 * and serialization as a {@link KeyRep}, which the JDK rebuilds through its key factories.
 */
abstract class EncodedPublicKey implements PublicKey {
  private static final long serialVersionUID = 1L;

  private final byte[] encoded;

  EncodedPublicKey(byte[] encoded) {
    this.encoded = encoded.clone();
  }

  @Override
  public final String getFormat() {
    return "X.509";
  }

  @Override
  public final byte[] getEncoded() {
    return encoded.clone();
  }

  @Override
  public final boolean equals(Object o) {
    return o == this
        || (o instanceof Key k
            && Arrays.equals(encoded, k instanceof EncodedPublicKey e ? e.encoded : k.getEncoded()));
  }

  /** The JDK's {@code X509Key.hashCode}. */
  @Override
  public final int hashCode() {
    int r = encoded.length;
    for (byte b : encoded) {
      r += (b & 0xff) * 37;
    }
    return r;
  }

  protected final Object writeReplace() {
    return new KeyRep(KeyRep.Type.PUBLIC, getAlgorithm(), getFormat(), getEncoded());
  }
}
