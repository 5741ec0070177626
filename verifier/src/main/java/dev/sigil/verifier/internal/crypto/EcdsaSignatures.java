package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.crypto.InvalidSignatureException;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/** The DER {@code Ecdsa-Sig-Value} (RFC 5480 2.2.3) both backends read ECDSA signatures as. */
public final class EcdsaSignatures {
  private EcdsaSignatures() {}

  /** (r, s); BER, trailing bytes and values of {@code order}'s length or more are refused. */
  public static BigInteger[] decode(BigInteger order, byte[] signature) throws InvalidSignatureException {
    try {
      return StandardDSAEncoding.INSTANCE.decode(order, signature);
    } catch (IOException | RuntimeException e) {
      throw new InvalidSignatureException(
          "ECDSA signature: expected a DER SEQUENCE of two INTEGERs, found " + signature.length + " malformed bytes");
    }
  }
}
