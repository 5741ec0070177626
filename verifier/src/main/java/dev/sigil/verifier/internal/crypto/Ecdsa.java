package dev.sigil.verifier.internal.crypto;

import java.math.BigInteger;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA verification (FIPS 186-5, 6.4.2) over BouncyCastle's curve arithmetic, for one public key: the same steps
 * as BouncyCastle's {@code ECDSASigner}, without its {@code init} (which starts BouncyCastle's service registry), and
 * optionally with comb tables. Everything here works on public values (signature, digest, public key), so
 * variable-time arithmetic leaks nothing. Thread-safe. {@code EcdsaTest} holds both forms to {@code ECDSASigner}.
 *
 * <ul>
 *   <li>{@link #Ecdsa(ECPublicKeyParameters)}: {@code u1*G + u2*Q} is {@link ECAlgorithms#sumOfTwoMultiplies}, as in
 *       {@code ECDSASigner}. The fast-start backend's choice.
 *   <li>{@link #withCombTables}: the two multiplications run as one interleaved comb over width-8 tables of G and Q
 *       (for P-256: 32 doublings and at most 64 mixed additions), ~25-30% faster per verification than {@code
 *       ECDSASigner} with a reused key; the tables cost ~1.5 ms and ~50 KB per key. The JCA backend's choice for
 *       trusted keys ({@code CryptoBackend.newTrustedVerifier}), which verify for the life of the process.
 * </ul>
 */
public final class Ecdsa {
  /** Comb width: 2^8 precomputed points per base. */
  static final int COMB_WIDTH = 8;

  private final ECPublicKeyParameters key;
  private final Comb gComb;
  private final Comb qComb;

  /** Verification by BouncyCastle's sum of two multiplications, no tables. */
  public Ecdsa(ECPublicKeyParameters key) {
    this.key = key;
    this.gComb = null;
    this.qComb = null;
  }

  private Ecdsa(ECPublicKeyParameters key, Comb gComb, Comb qComb) {
    this.key = key;
    this.gComb = gComb;
    this.qComb = qComb;
  }

  /** Verification over comb tables of the generator (shared per curve) and of this key, built here. */
  public static Ecdsa withCombTables(ECPublicKeyParameters key) {
    ECDomainParameters d = key.getParameters();
    int bits = d.getN().bitLength();
    return new Ecdsa(key, EcCurves.generatorComb(d.getCurve(), d.getG(), bits), new Comb(key.getQ(), COMB_WIDTH, bits));
  }

  /** Whether this verifier has comb tables. */
  public boolean hasCombTables() {
    return qComb != null;
  }

  /**
   * Whether {@code (r, s)} is a valid signature by this key over {@code digest} (the hash of the message, truncated
   * to the order's bit length as the standard requires).
   */
  public boolean verify(byte[] digest, BigInteger r, BigInteger s) {
    ECDomainParameters d = key.getParameters();
    BigInteger n = d.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
      return false;
    }
    BigInteger e = truncatedDigest(n, digest);
    BigInteger w = BigIntegers.modOddInverseVar(n, s);
    BigInteger u1 = e.multiply(w).mod(n);
    BigInteger u2 = r.multiply(w).mod(n);
    ECPoint p =
        qComb == null
            ? ECAlgorithms.sumOfTwoMultiplies(d.getG(), u1, key.getQ(), u2)
            : Comb.sumOfTwoMultiplies(gComb, u1, qComb, u2);
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

  /**
   * A fixed-base comb: for a base P and d = ceil(bits / w), entry i (0 < i < 2^w) is the sum of 2^(j*d) * P over the
   * bits j set in i, normalised (Z = 1) so additions are mixed additions. A scalar k < 2^(d*w) is then k*P = sum over
   * columns c from d-1 down to 0 of (double, add the entry whose bit j is bit j*d + c of k).
   */
  static final class Comb {
    final int width;
    final int columns;
    final ECPoint[] table;

    Comb(ECPoint base, int width, int bits) {
      this.width = width;
      this.columns = (bits + width - 1) / width;
      ECCurve curve = base.getCurve();
      ECPoint[] powers = new ECPoint[width];
      powers[0] = base.normalize();
      for (int j = 1; j < width; j++) {
        powers[j] = powers[j - 1].timesPow2(columns).normalize();
      }
      ECPoint[] t = new ECPoint[1 << width];
      t[0] = curve.getInfinity();
      for (int i = 1; i < t.length; i++) {
        int top = 31 - Integer.numberOfLeadingZeros(i);
        int rest = i & ~(1 << top);
        t[i] = rest == 0 ? powers[top] : t[rest].add(powers[top]);
      }
      ECPoint[] nonZero = new ECPoint[t.length - 1];
      System.arraycopy(t, 1, nonZero, 0, nonZero.length);
      curve.normalizeAll(nonZero);
      System.arraycopy(nonZero, 0, t, 1, nonZero.length);
      this.table = t;
    }

    /** The comb entry for column c of the scalar's little-endian 32-bit words. */
    private int entry(int[] scalar, int c) {
      int idx = 0;
      for (int j = width - 1; j >= 0; j--) {
        int bit = j * columns + c;
        idx = (idx << 1) | ((scalar[bit >>> 5] >>> (bit & 31)) & 1);
      }
      return idx;
    }

    /** a*A + b*B for two combs of the same curve, width and size; a and b are below 2^(columns*width). */
    static ECPoint sumOfTwoMultiplies(Comb ca, BigInteger a, Comb cb, BigInteger b) {
      int bits = ca.columns * ca.width;
      int[] ka = Nat.fromBigInteger(bits, a);
      int[] kb = Nat.fromBigInteger(bits, b);
      ECPoint r = ca.table[0];
      for (int c = ca.columns - 1; c >= 0; c--) {
        r = r.twice();
        int ia = ca.entry(ka, c);
        if (ia != 0) {
          r = r.add(ca.table[ia]);
        }
        int ib = cb.entry(kb, c);
        if (ib != 0) {
          r = r.add(cb.table[ib]);
        }
      }
      return r;
    }
  }
}
