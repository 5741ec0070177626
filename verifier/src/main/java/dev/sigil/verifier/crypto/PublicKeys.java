package dev.sigil.verifier.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reading and writing public keys (PEM or DER SubjectPublicKeyInfo), always through BouncyCastle. */
public final class PublicKeys {
  private PublicKeys() {}

  /** Parses a {@code PUBLIC KEY} PEM block. */
  public static PublicKey fromPem(String pem) throws KeyParseException {
    Object obj;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      obj = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
    }
    if (obj == null) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block");
    }
    if (!(obj instanceof SubjectPublicKeyInfo spki)) {
      throw new KeyParseException(
          "public key: expected a PEM block \"PUBLIC KEY\", found " + obj.getClass().getSimpleName());
    }
    try {
      return fromDer(spki.getEncoded());
    } catch (IOException e) {
      throw new KeyParseException("public key: malformed SubjectPublicKeyInfo (" + e.getMessage() + ")");
    }
  }

  /** Parses DER SubjectPublicKeyInfo. */
  public static PublicKey fromDer(byte[] der) throws KeyParseException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyParseException("public key: malformed SubjectPublicKeyInfo (" + e.getMessage() + ")");
    }
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    String alg =
        switch (oid) {
          case "1.2.840.10045.2.1" -> "EC";
          case "1.2.840.113549.1.1.1" -> "RSA";
          case "1.3.101.112" -> "Ed25519";
          default -> throw new KeyParseException(
              "public key: expected an EC, RSA or Ed25519 key, found algorithm OID " + oid);
        };
    PublicKey direct = direct(spki, der);
    if (direct != null) {
      return direct;
    }
    try {
      // The JDK's key factories parse as well and load far faster than the BouncyCastle provider; signatures are
      // still verified with BouncyCastle's lightweight API (SignatureVerifier).
      return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyParseException("public key: invalid " + alg + " key (" + e.getMessage() + ")");
    }
  }

  /**
   * The key without the JCA when it is an ECDSA key on P-256, P-384 or P-521 (named curve, uncompressed point on the
   * curve) or an Ed25519 key, in DER; null for anything else, which goes to the JDK's key factories as before. The
   * JCA's provider list, SunEC and its EdDSA factory cost a one-shot CLI run ~20 ms to load.
   */
  private static PublicKey direct(SubjectPublicKeyInfo spki, byte[] der) {
    try {
      if (!java.util.Arrays.equals(spki.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER), der)
          || spki.getPublicKeyData().getPadBits() != 0) {
        return null;
      }
      String oid = spki.getAlgorithm().getAlgorithm().getId();
      org.bouncycastle.asn1.ASN1Encodable params = spki.getAlgorithm().getParameters();
      byte[] bits = spki.getPublicKeyData().getOctets();
      if (oid.equals("1.3.101.112")) {
        return params == null && bits.length == 32 ? new Ed25519Key(der, bits) : null;
      }
      if (!oid.equals("1.2.840.10045.2.1") || !(params instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier curveOid)) {
        return null;
      }
      KeyAlgorithm curve = EcCurves.byOid(curveOid);
      if (curve == null) {
        return null;
      }
      org.bouncycastle.asn1.x9.X9ECParameters x = EcCurves.parameters(curve);
      int len = (x.getCurve().getFieldSize() + 7) / 8;
      if (bits.length != 1 + 2 * len || bits[0] != 0x04) {
        return null;
      }
      java.math.BigInteger px = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(bits, 1, 1 + len));
      java.math.BigInteger py = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(bits, 1 + len, bits.length));
      return new EcKey(curve, der, EcCurves.publicKeyParameters(curve, px, py));
    } catch (java.io.IOException | RuntimeException e) {
      return null; // the JDK decides, and words the error, as it did before this path existed
    }
  }

  /** The key's type as Sigstore names it: "Ed25519" for EdDSA keys on that curve, else the JCA algorithm. */
  public static String describeType(PublicKey key) {
    if (key instanceof java.security.interfaces.EdECPublicKey ed) {
      return ed.getParams().getName();
    }
    return key.getAlgorithm();
  }

  /** PEM text ({@code -----BEGIN PUBLIC KEY-----}) for a key, ending in a newline. */
  public static String toPem(PublicKey key) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject("PUBLIC KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** The hint cosign and Sigil put in key-based bundles: base64 of SHA-256 over the DER public key. */
  public static String hint(PublicKey key) {
    return Base64.getEncoder().encodeToString(Digests.sha256(key.getEncoded()));
  }
}
