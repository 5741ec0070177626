package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.EcCurves;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * An ECDSA public key on P-256, P-384 or P-521, read from its SubjectPublicKeyInfo without the JCA, keeping the
 * BouncyCastle point the verifier uses. It behaves as the JDK's key does where callers can tell ({@link
 * EncodedPublicKey}: format, encoding, equality, hash, serialization), with algorithm "EC"; {@code PublicKeysTest}
 * holds it to SunEC's key for each curve.
 */
final class EcKey extends EncodedPublicKey implements ECPublicKey {
  private static final long serialVersionUID = 1L;

  private final KeyAlgorithm curve;
  private final transient ECPublicKeyParameters parameters;

  EcKey(KeyAlgorithm curve, byte[] encoded, ECPublicKeyParameters parameters) {
    super(encoded);
    this.curve = curve;
    this.parameters = parameters;
  }

  KeyAlgorithm curve() {
    return curve;
  }

  /** The key as BouncyCastle parameters on the shared curve object (the point was checked to be on the curve). */
  ECPublicKeyParameters parameters() {
    return parameters;
  }

  @Override
  public ECPoint getW() {
    org.bouncycastle.math.ec.ECPoint q = parameters.getQ().normalize();
    return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
  }

  @Override
  public ECParameterSpec getParams() {
    return switch (curve) {
      case ECDSA_P256 -> P256.SPEC;
      case ECDSA_P384 -> P384.SPEC;
      default -> P521.SPEC;
    };
  }

  @Override
  public String getAlgorithm() {
    return "EC";
  }

  @Override
  public String toString() {
    return "EC public key, " + curve.displayName();
  }

  /** The JCA parameter spec of each curve, built from BouncyCastle's on first use of that curve. */
  private static final class P256 {
    static final ECParameterSpec SPEC = spec(KeyAlgorithm.ECDSA_P256);
  }

  private static final class P384 {
    static final ECParameterSpec SPEC = spec(KeyAlgorithm.ECDSA_P384);
  }

  private static final class P521 {
    static final ECParameterSpec SPEC = spec(KeyAlgorithm.ECDSA_P521);
  }

  private static ECParameterSpec spec(KeyAlgorithm a) {
    X9ECParameters x = EcCurves.parameters(a);
    org.bouncycastle.math.ec.ECPoint g = x.getG().normalize();
    EllipticCurve c =
        new EllipticCurve(
            new ECFieldFp(x.getCurve().getField().getCharacteristic()),
            x.getCurve().getA().toBigInteger(),
            x.getCurve().getB().toBigInteger());
    return new ECParameterSpec(
        c,
        new ECPoint(g.getAffineXCoord().toBigInteger(), g.getAffineYCoord().toBigInteger()),
        x.getN(),
        x.getH().intValueExact());
  }
}
