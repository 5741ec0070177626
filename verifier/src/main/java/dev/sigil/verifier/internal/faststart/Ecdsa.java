package dev.sigil.verifier.internal.faststart;

import java.math.BigInteger;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA verification (FIPS 186-5, 6.4.2) over BouncyCastle's curve arithmetic, for one public key: the same steps
 * and the same {@link ECAlgorithms#sumOfTwoMultiplies} as BouncyCastle's {@code ECDSASigner}, without its
 * {@code init}, which starts BouncyCastle's service registry. Everything here works on public values (signature,
 * digest, public key), so variable-time arithmetic leaks nothing. Thread-safe.
 */
final class Ecdsa {
  private final ECPublicKeyParameters key;

  Ecdsa(ECPublicKeyParameters key) {
    this.key = key;
  }

  /**
   * Whether {@code (r, s)} is a valid signature by this key over {@code digest} (the hash of the message, truncated
   * to the order's bit length as the standard requires).
   */
  boolean verify(byte[] digest, BigInteger r, BigInteger s) {
    ECDomainParameters d = key.getParameters();
    BigInteger n = d.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    BigInteger e = truncatedDigest(n, digest);
    BigInteger w = BigIntegers.modOddInverseVar(n, s);
    BigInteger u1 = e.multiply(w).mod(n);
    BigInteger u2 = r.multiply(w).mod(n);
    ECPoint p = ECAlgorithms.sumOfTwoMultiplies(d.getG(), u1, key.getQ(), u2);
    return xCoordinateMatches(p, r, n);
  }

  /** The leftmost bitlen(n) bits of the digest as an integer (FIPS 186-5, 6.4.2 step 3). */
  static BigInteger truncatedDigest(BigInteger n, byte[] digest) {
    int orderBits = n.bitLength();
    int digestBits = digest.length * 8;
    BigInteger e = new BigInteger(1, digest);
    return digestBits > orderBits ? e.shiftRight(digestBits - orderBits) : e;
  }

  /**
   * Whether the x coordinate of {@code p}, reduced mod n, equals {@code r}. For Jacobian coordinates this avoids
   * the field inversion: x = X / Z^2, so it compares X with (r + k*n) * Z^2 for every r + k*n inside the field.
   */
  static boolean xCoordinateMatches(ECPoint p, BigInteger r, BigInteger n) {
    if (p.isInfinity()) {
      return false;
    }
    ECCurve curve = p.getCurve();
    int coords = curve.getCoordinateSystem();
    if (coords == ECCurve.COORD_JACOBIAN
        || coords == ECCurve.COORD_JACOBIAN_MODIFIED
        || coords == ECCurve.COORD_JACOBIAN_CHUDNOVSKY) {
      ECFieldElement z = p.getZCoord(0);
      if (!z.isZero()) {
        ECFieldElement zz = z.square();
        ECFieldElement x = p.getXCoord();
        for (BigInteger candidate = r; curve.isValidFieldElement(candidate); candidate = candidate.add(n)) {
          if (curve.fromBigInteger(candidate).multiply(zz).equals(x)) {
            return true;
          }
        }
        return false;
      }
    }
    return p.normalize().getAffineXCoord().toBigInteger().mod(n).equals(r);
  }
}
