package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The three NIST curves Sigstore uses, as BouncyCastle's optimised implementations ({@link CustomNamedCurves}: each
 * curve is created once, on first use, and shared, so its generator's multiplication tables are built once per
 * process). Keys are matched by their curve parameters and converted to BouncyCastle's lightweight parameters.
 */
public final class EcCurves {
  private EcCurves() {}

  private static ASN1ObjectIdentifier oid(KeyAlgorithm a) {
    return switch (a) {
      case ECDSA_P256 -> SECObjectIdentifiers.secp256r1;
      case ECDSA_P384 -> SECObjectIdentifiers.secp384r1;
      case ECDSA_P521 -> SECObjectIdentifiers.secp521r1;
      default -> throw new IllegalArgumentException("not an ECDSA curve: " + a);
    };
  }

  /** The curve's parameters (shared, immutable). */
  public static X9ECParameters parameters(KeyAlgorithm a) {
    return CustomNamedCurves.getByOID(oid(a));
  }

  /**
   * Which of P-256, P-384 and P-521 these parameters are, compared in full (prime, coefficients, generator, order,
   * cofactor); null when none.
   */
  public static KeyAlgorithm identify(ECParameterSpec p) {
    if (!(p.getCurve().getField() instanceof ECFieldFp fp)) {
      return null;
    }
    KeyAlgorithm candidate =
        switch (fp.getFieldSize()) {
          case 256 -> KeyAlgorithm.ECDSA_P256;
          case 384 -> KeyAlgorithm.ECDSA_P384;
          case 521 -> KeyAlgorithm.ECDSA_P521;
          default -> null;
        };
    if (candidate == null) {
      return null;
    }
    X9ECParameters x = parameters(candidate);
    org.bouncycastle.math.ec.ECPoint g = x.getG().normalize();
    ECPoint pg = p.getGenerator();
    boolean same =
        fp.getP().equals(x.getCurve().getField().getCharacteristic())
            && p.getCurve().getA().equals(x.getCurve().getA().toBigInteger())
            && p.getCurve().getB().equals(x.getCurve().getB().toBigInteger())
            && pg.getAffineX().equals(g.getAffineXCoord().toBigInteger())
            && pg.getAffineY().equals(g.getAffineYCoord().toBigInteger())
            && p.getOrder().equals(x.getN())
            && BigInteger.valueOf(p.getCofactor()).equals(x.getH());
    return same ? candidate : null;
  }

  /**
   * The comb table of generator {@code g} for {@link Ecdsa}: shared per process for the three curves' shared
   * generators (built on first use, immutable after), else built for this call.
   */
  static Ecdsa.Comb generatorComb(org.bouncycastle.math.ec.ECCurve curve, org.bouncycastle.math.ec.ECPoint g, int bits) {
    KeyAlgorithm a =
        switch (curve.getFieldSize()) {
          case 256 -> KeyAlgorithm.ECDSA_P256;
          case 384 -> KeyAlgorithm.ECDSA_P384;
          case 521 -> KeyAlgorithm.ECDSA_P521;
          default -> null;
        };
    if (a != null && parameters(a).getG() == g) {
      return switch (a) {
        case ECDSA_P256 -> P256Generator.COMB;
        case ECDSA_P384 -> P384Generator.COMB;
        default -> P521Generator.COMB;
      };
    }
    return new Ecdsa.Comb(g, Ecdsa.COMB_WIDTH, bits);
  }

  private static final class P256Generator {
    static final Ecdsa.Comb COMB = comb(KeyAlgorithm.ECDSA_P256);
  }

  private static final class P384Generator {
    static final Ecdsa.Comb COMB = comb(KeyAlgorithm.ECDSA_P384);
  }

  private static final class P521Generator {
    static final Ecdsa.Comb COMB = comb(KeyAlgorithm.ECDSA_P521);
  }

  private static Ecdsa.Comb comb(KeyAlgorithm a) {
    X9ECParameters x = parameters(a);
    return new Ecdsa.Comb(x.getG(), Ecdsa.COMB_WIDTH, x.getN().bitLength());
  }

  /** The key as BouncyCastle parameters on the shared curve; the point is checked to lie on the curve. */
  public static ECPublicKeyParameters publicKeyParameters(ECPublicKey key, KeyAlgorithm a) {
    ECPoint w = key.getW();
    return publicKeyParameters(a, w.getAffineX(), w.getAffineY());
  }

  /** The point (x, y) as BouncyCastle parameters on the shared curve; throws unless it lies on the curve. */
  public static ECPublicKeyParameters publicKeyParameters(KeyAlgorithm a, BigInteger x, BigInteger y) {
    X9ECParameters p = parameters(a);
    org.bouncycastle.math.ec.ECPoint q = p.getCurve().validatePoint(x, y);
    return new ECPublicKeyParameters(q, new ECNamedDomainParameters(oid(a), p));
  }

  /** Which of the three curves this named-curve OID is; null when none. */
  public static KeyAlgorithm byOid(ASN1ObjectIdentifier curve) {
    if (curve.equals(SECObjectIdentifiers.secp256r1)) {
      return KeyAlgorithm.ECDSA_P256;
    }
    if (curve.equals(SECObjectIdentifiers.secp384r1)) {
      return KeyAlgorithm.ECDSA_P384;
    }
    if (curve.equals(SECObjectIdentifiers.secp521r1)) {
      return KeyAlgorithm.ECDSA_P521;
    }
    return null;
  }
}
