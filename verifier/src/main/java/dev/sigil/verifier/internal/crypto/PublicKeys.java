package dev.sigil.verifier.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reading and writing public keys (PEM or DER SubjectPublicKeyInfo), always through BouncyCastle. */
public final class PublicKeys {
  private PublicKeys() {}

  /**
   * Parses the first PEM block of {@code pem}, which must be a {@code PUBLIC KEY} (SubjectPublicKeyInfo) or an
   * {@code RSA PUBLIC KEY} (PKCS #1), as BouncyCastle's {@code PEMParser} reads them: text before the block is
   * skipped, header lines ({@code Name: value}) are ignored, the body is base64 with any line breaks.
   *
   * <p>Read here rather than with {@code PEMParser}: its {@code PemReader} starts java.util.logging on first use,
   * which scans the class path for services (~35 ms of a one-shot {@code verify-blob --key}, profiled).
   * {@code PublicKeysTest} holds this reader to {@code PEMParser} on well-formed and damaged inputs.
   */
  public static PublicKey fromPem(String pem) throws KeyParseException {
    // Line ends may be LF, CRLF or CR, as PEMParser accepts them all.
    String[] lines = pem.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int i = 0;
    String type = null;
    for (; i < lines.length && type == null; i++) {
      String line = lines[i];
      if (line.startsWith("-----BEGIN ")) {
        String rest = line.substring("-----BEGIN ".length()).trim();
        int dash = rest.indexOf('-');
        if (dash > 0 && rest.endsWith("-----") && rest.length() - dash == 5) {
          type = rest.substring(0, dash);
        } else {
          throw new KeyParseException("public key PEM: malformed BEGIN line \"" + abbreviate(line) + "\"");
        }
      }
    }
    if (type == null) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block");
    }
    String endMarker = "-----END " + type + "-----";
    StringBuilder body = new StringBuilder();
    boolean ended = false;
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (line.indexOf(':') >= 0) {
        continue; // an RFC 1421 header, as PEMParser skips them
      }
      if (line.startsWith(endMarker)) {
        ended = true;
        break;
      }
      body.append(line.trim());
    }
    if (!ended) {
      throw new KeyParseException("public key PEM: malformed (" + endMarker + " not found)");
    }
    if (!type.equals("PUBLIC KEY") && !type.equals("RSA PUBLIC KEY")) {
      throw new KeyParseException("public key: expected a PEM block \"PUBLIC KEY\", found a \"" + type + "\" block");
    }
    byte[] der;
    try {
      StringBuilder b64 = new StringBuilder(body.length());
      for (int k = 0; k < body.length(); k++) {
        char c = body.charAt(k);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f') {
          b64.append(c);
        }
      }
      if (b64.length() % 4 != 0) {
        // java.util.Base64 accepts missing padding; PEMParser (and RFC 7468's strict form) do not
        throw new IllegalArgumentException("length " + b64.length() + " is not a multiple of 4");
      }
      der = Base64.getDecoder().decode(b64.toString());
    } catch (IllegalArgumentException e) {
      throw new KeyParseException("public key PEM: malformed (invalid base64: " + e.getMessage() + ")");
    }
    SubjectPublicKeyInfo spki;
    try {
      if (type.equals("PUBLIC KEY")) {
        spki = SubjectPublicKeyInfo.getInstance(der);
      } else {
        spki =
            new SubjectPublicKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                    org.bouncycastle.asn1.DERNull.INSTANCE),
                org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der));
      }
      return fromDer(spki.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("public key PEM: malformed (" + e.getMessage() + ")");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
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
