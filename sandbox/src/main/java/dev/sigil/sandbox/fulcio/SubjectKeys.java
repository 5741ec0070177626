package dev.sigil.sandbox.fulcio;

import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.verifier.internal.crypto.Providers;
import dev.sigil.verifier.internal.pem.PemException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The subject keys the sandbox CA certifies, how submitted keys are parsed, and how a proof of possession is checked,
 * following Fulcio: ECDSA P-256 (SHA-256) and P-384 (SHA-384), Ed25519, and RSA of 2048 to 4096 bits (PKCS#1 v1.5
 * with SHA-256). Stateless.
 */
final class SubjectKeys {
  static final int RSA_MIN_BITS = 2048;
  static final int RSA_MAX_BITS = 4096;

  private SubjectKeys() {}

  /** A supported key type, with the JCA algorithm that checks a proof of possession made with it. */
  enum Type {
    ECDSA_P256("ECDSA P-256", "EC", "SHA256withECDSA"),
    ECDSA_P384("ECDSA P-384", "EC", "SHA384withECDSA"),
    ED25519("Ed25519", "Ed25519", "Ed25519"),
    RSA("RSA", "RSA", "SHA256withRSA");

    final String display;
    final String keyFactory;
    final String proofAlgorithm;

    Type(String display, String keyFactory, String proofAlgorithm) {
      this.display = display;
      this.keyFactory = keyFactory;
      this.proofAlgorithm = proofAlgorithm;
    }
  }

  /** A checked subject key: the key (parsed, for EC with its point validated), its type and its DER SPKI. */
  record SubjectKey(PublicKey key, Type type, SubjectPublicKeyInfo spki) {}

  /** Checks that {@code key} is a supported type and size. */
  static SubjectKey check(PublicKey key) throws UnsupportedSubjectKeyException {
    Objects.requireNonNull(key, "subjectKey");
    byte[] der = key.getEncoded();
    if (der == null) {
      throw new UnsupportedSubjectKeyException(
          "subject public key: expected an X.509 SubjectPublicKeyInfo encoding, found a " + key.getAlgorithm()
              + " key without one");
    }
    return fromSpki(der);
  }

  /** Parses and checks a DER SubjectPublicKeyInfo. */
  static SubjectKey fromSpki(byte[] der) throws UnsupportedSubjectKeyException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (spki == null) {
        throw new IOException("empty");
      }
    } catch (IOException | RuntimeException e) {
      throw new UnsupportedSubjectKeyException(
          "subject public key: expected a DER SubjectPublicKeyInfo, found bytes that do not parse", e);
    }
    return fromSpki(spki);
  }

  static SubjectKey fromSpki(SubjectPublicKeyInfo spki) throws UnsupportedSubjectKeyException {
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    Type type;
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      ASN1Encodable params = spki.getAlgorithm().getParameters();
      if (SECObjectIdentifiers.secp256r1.equals(params)) {
        type = Type.ECDSA_P256;
      } else if (SECObjectIdentifiers.secp384r1.equals(params)) {
        type = Type.ECDSA_P384;
      } else {
        throw new UnsupportedSubjectKeyException(
            "subject public key: expected ECDSA on the named curve P-256 or P-384, found EC parameters "
                + (params instanceof ASN1ObjectIdentifier oid ? "curve " + oid.getId() : "given explicitly"));
      }
    } else if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      type = Type.ED25519;
    } else if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      int bits;
      try {
        BigInteger n = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus();
        bits = n.bitLength();
      } catch (IOException | RuntimeException e) {
        throw new UnsupportedSubjectKeyException(
            "subject public key: expected a PKCS#1 RSAPublicKey, found one that does not parse", e);
      }
      if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
        throw new UnsupportedSubjectKeyException(
            "subject public key: expected an RSA modulus of " + RSA_MIN_BITS + " to " + RSA_MAX_BITS
                + " bits, found " + bits);
      }
      type = Type.RSA;
    } else {
      throw new UnsupportedSubjectKeyException(
          "subject public key: expected ECDSA P-256/P-384, Ed25519 or RSA, found algorithm " + alg.getId());
    }
    try {
      PublicKey key =
          KeyFactory.getInstance(type.keyFactory, Providers.bouncyCastle())
              .generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
      return new SubjectKey(key, type, spki);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new UnsupportedSubjectKeyException(
          "subject public key: expected a valid " + type.display + " key, found an invalid one (" + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * Parses a submitted public key: a PEM {@code PUBLIC KEY} block, or DER SubjectPublicKeyInfo bytes.
   *
   * @param field the request field, for messages
   */
  static SubjectKey parse(byte[] pemOrDer, String field) throws UnsupportedSubjectKeyException {
    byte[] der = pemOrDer;
    if (startsWithPem(pemOrDer)) {
      der = pemBlock(new String(pemOrDer, StandardCharsets.US_ASCII), "PUBLIC KEY", field);
    }
    try {
      return fromSpki(der);
    } catch (UnsupportedSubjectKeyException e) {
      throw new UnsupportedSubjectKeyException(field + ": " + e.getMessage(), e);
    }
  }

  static boolean startsWithPem(byte[] b) {
    String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.US_ASCII).stripLeading();
    return head.startsWith("-----BEGIN ");
  }

  /** The DER bytes of the single PEM block of one of {@code types} that {@code text} holds. */
  static byte[] pemBlock(String text, String type, String field) throws UnsupportedSubjectKeyException {
    return pemBlock(text, new String[] {type}, field);
  }

  static byte[] pemBlock(String text, String[] types, String field) throws UnsupportedSubjectKeyException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    for (String type : types) {
      try {
        return KeyFiles.onlyBlock(b, type);
      } catch (PemException e) {
        throw new UnsupportedSubjectKeyException(field + ": " + e.getMessage());
      } catch (IllegalArgumentException notThisType) {
        // the next type, or the message below
      }
    }
    throw new UnsupportedSubjectKeyException(
        field + ": expected exactly one PEM block of type " + String.join(" or ", types) + ", found "
            + describePem(text.strip()));
  }

  private static String describePem(String t) {
    int nl = t.indexOf('\n');
    String first = nl < 0 ? t : t.substring(0, nl);
    if (first.length() > 40) {
      first = first.substring(0, 40) + "...";
    }
    return "\"" + first.strip() + "\"";
  }

  /**
   * Checks a proof of possession: {@code signature} over {@code message} with {@code key}, using the algorithm Fulcio
   * uses for its type. Never throws for a bad signature; returns false.
   */
  static boolean verifyProof(SubjectKey key, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance(key.type().proofAlgorithm, Providers.bouncyCastle());
      s.initVerify(key.key());
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
