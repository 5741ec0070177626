package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.EcCurves;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;

/** Public keys from DER SubjectPublicKeyInfo with BouncyCastle's ASN.1 classes. */
final class FastKeys {
  private static final String EC = "1.2.840.10045.2.1";
  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String ED25519 = "1.3.101.112";

  private FastKeys() {}

  /**
   * The key when it is exact DER of an ECDSA key on P-256, P-384 or P-521 (named curve, uncompressed point on the
   * curve), an Ed25519 key or an RSA key (NULL parameters); null for anything else, which the JCA backend then
   * decides and words the error for.
   */
  static EncodedPublicKey parse(byte[] der) {
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(der);
      if (!Arrays.equals(spki.getEncoded(ASN1Encoding.DER), der) || spki.getPublicKeyData().getPadBits() != 0) {
        return null;
      }
      String oid = spki.getAlgorithm().getAlgorithm().getId();
      ASN1Encodable params = spki.getAlgorithm().getParameters();
      byte[] bits = spki.getPublicKeyData().getOctets();
      if (oid.equals(ED25519)) {
        return params == null && bits.length == 32 ? new Ed25519Key(der, bits) : null;
      }
      if (oid.equals(RSA)) {
        return params instanceof DERNull ? rsa(der, bits) : null;
      }
      if (!oid.equals(EC) || !(params instanceof ASN1ObjectIdentifier curveOid)) {
        return null;
      }
      KeyAlgorithm curve = EcCurves.byOid(curveOid);
      if (curve == null) {
        return null;
      }
      X9ECParameters x = EcCurves.parameters(curve);
      int len = (x.getCurve().getFieldSize() + 7) / 8;
      if (bits.length != 1 + 2 * len || bits[0] != 0x04) {
        return null;
      }
      BigInteger px = new BigInteger(1, Arrays.copyOfRange(bits, 1, 1 + len));
      BigInteger py = new BigInteger(1, Arrays.copyOfRange(bits, 1 + len, bits.length));
      return new EcKey(curve, der, EcCurves.publicKeyParameters(curve, px, py));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An RSA key whose PKCS#1 structure is exact DER with a positive modulus and exponent; else null. */
  private static EncodedPublicKey rsa(byte[] der, byte[] bits) throws IOException {
    RSAPublicKey k = RSAPublicKey.getInstance(bits);
    if (!Arrays.equals(k.getEncoded(ASN1Encoding.DER), bits)
        || k.getModulus().signum() <= 0
        || k.getPublicExponent().signum() <= 0) {
      return null;
    }
    return new RsaKey(der, k.getModulus(), k.getPublicExponent());
  }
}
