package dev.sigil.signer.keys;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Conversions between DER structures and JCA keys, limited to the key types cosign handles (EC, RSA, Ed25519), and
 * always through one private BouncyCastle provider instance (never installed with {@code Security.addProvider}).
 */
final class KeyMaterial {
  private static final Provider BC = new BouncyCastleProvider();

  private KeyMaterial() {}

  static Provider provider() {
    return BC;
  }

  /** "EC", "RSA" or "Ed25519" for a supported key algorithm OID, else null. */
  static String algorithmName(AlgorithmIdentifier alg) {
    if (alg == null) {
      return null;
    }
    ASN1ObjectIdentifier oid = alg.getAlgorithm();
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return "EC";
    }
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return "RSA";
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      return "Ed25519";
    }
    return null;
  }

  /** Parses PKCS#8 DER (no trailing bytes) into a JCA private key. */
  static PrivateKey privateKeyFromPkcs8(byte[] der, String what) throws KeyFormatException {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyFormatException(what + ": expected PKCS#8 PrivateKeyInfo DER, found malformed DER", e);
    }
    if (info == null) {
      throw new KeyFormatException(what + ": expected PKCS#8 PrivateKeyInfo DER, found nothing");
    }
    return privateKey(info, what);
  }

  /** Builds a JCA private key from a parsed PKCS#8 structure of a supported algorithm. */
  static PrivateKey privateKey(PrivateKeyInfo info, String what) throws KeyFormatException {
    AlgorithmIdentifier alg;
    try {
      alg = info.getPrivateKeyAlgorithm();
    } catch (RuntimeException e) {
      throw new KeyFormatException(what + ": expected a PKCS#8 algorithm identifier, found a malformed one", e);
    }
    if (algorithmName(alg) == null) {
      throw new KeyFormatException(
          what + ": expected an EC, RSA or Ed25519 private key, found algorithm OID "
              + (alg == null ? "(none)" : alg.getAlgorithm().getId()));
    }
    try {
      return new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(
          what + ": expected a valid " + algorithmName(alg) + " private key, found one BouncyCastle rejects ("
              + oneLine(e) + ")",
          e);
    }
  }

  /** Builds a JCA public key from SubjectPublicKeyInfo of a supported algorithm. */
  static PublicKey publicKey(SubjectPublicKeyInfo spki, String what) throws KeyFormatException {
    AlgorithmIdentifier alg;
    try {
      alg = spki.getAlgorithm();
    } catch (RuntimeException e) {
      throw new KeyFormatException(what + ": expected an algorithm identifier, found a malformed one", e);
    }
    if (algorithmName(alg) == null) {
      throw new KeyFormatException(
          what + ": expected an EC, RSA or Ed25519 public key, found algorithm OID "
              + (alg == null ? "(none)" : alg.getAlgorithm().getId()));
    }
    try {
      return new JcaPEMKeyConverter().setProvider(BC).getPublicKey(spki);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException(
          what + ": expected a valid " + algorithmName(alg) + " public key, found one BouncyCastle rejects ("
              + oneLine(e) + ")",
          e);
    }
  }

  /** An exception's message reduced to one short line (these messages describe structure, never key bytes). */
  static String oneLine(Throwable e) {
    Throwable t = e;
    String msg = t.getMessage();
    while ((msg == null || msg.isBlank()) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      msg = t.getMessage();
    }
    if (msg == null || msg.isBlank()) {
      return t.getClass().getSimpleName();
    }
    return Pem.printable(msg.replace('\n', ' ').replace('\r', ' '));
  }
}
