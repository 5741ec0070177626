package dev.sigil.signer.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Unencrypted PEM keys: private keys as {@code PRIVATE KEY} (PKCS#8), {@code EC PRIVATE KEY} (SEC1) or
 * {@code RSA PRIVATE KEY} (PKCS#1), and public keys as {@code PUBLIC KEY} (SubjectPublicKeyInfo). EC, RSA and Ed25519
 * keys are supported; keys are built with a private BouncyCastle provider instance.
 *
 * <p>Only the first PEM block of the text is read (text before it is ignored). Every malformed or unsupported input
 * is reported as a {@link KeyFormatException}.
 */
public final class PemKeys {
  static final String PKCS8_LABEL = "PRIVATE KEY";
  static final String SEC1_LABEL = "EC PRIVATE KEY";
  static final String PKCS1_LABEL = "RSA PRIVATE KEY";
  static final String PUBLIC_LABEL = "PUBLIC KEY";

  private static final String PRIVATE_WHAT = "private key PEM";
  private static final String PUBLIC_WHAT = "public key PEM";

  private PemKeys() {}

  /**
   * Reads an unencrypted private key PEM ({@code PRIVATE KEY}, {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}).
   *
   * @throws KeyFormatException if there is no such block, it is encrypted, malformed, or of an unsupported algorithm
   */
  public static PrivateKey readUnencryptedPrivateKey(String pem) throws KeyFormatException {
    String label = Pem.firstLabel(pem);
    if (label != null && EncryptedKeys.isEncrypted(pem)) {
      throw new KeyFormatException(
          PRIVATE_WHAT + ": expected an unencrypted private key, found \"" + label
              + "\" (password-encrypted; decrypt it with EncryptedKeys.decrypt)");
    }
    if ("ENCRYPTED PRIVATE KEY".equals(label)) {
      throw new KeyFormatException(
          PRIVATE_WHAT + ": expected an unencrypted private key, found \"ENCRYPTED PRIVATE KEY\" (PKCS#8 password"
              + " encryption is not supported; use a cosign-style encrypted key instead)");
    }
    if (label != null && !PKCS8_LABEL.equals(label) && !SEC1_LABEL.equals(label) && !PKCS1_LABEL.equals(label)) {
      throw new KeyFormatException(
          PRIVATE_WHAT + ": expected PEM label \"" + PKCS8_LABEL + "\", \"" + SEC1_LABEL + "\" or \"" + PKCS1_LABEL
              + "\", found \"" + Pem.printable(label) + "\"");
    }
    if ((PKCS1_LABEL.equals(label) || SEC1_LABEL.equals(label)) && pem.contains("Proc-Type:")) {
      throw new KeyFormatException(
          PRIVATE_WHAT + ": expected an unencrypted private key, found an OpenSSL-encrypted PEM (Proc-Type"
              + " header), which is not supported");
    }
    Pem.Block block = Pem.decodeFirst(pem, PRIVATE_WHAT);
    String what = PRIVATE_WHAT + " \"" + block.label() + "\"";
    PrivateKeyInfo info;
    try {
      info =
          switch (block.label()) {
            case PKCS8_LABEL -> PrivateKeyInfo.getInstance(block.der());
            case SEC1_LABEL -> sec1ToPkcs8(block.der(), what);
            case PKCS1_LABEL -> new PrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                RSAPrivateKey.getInstance(block.der()));
            default -> throw new KeyFormatException(
                PRIVATE_WHAT + ": expected PEM label \"" + PKCS8_LABEL + "\", \"" + SEC1_LABEL + "\" or \""
                    + PKCS1_LABEL + "\", found \"" + Pem.printable(block.label()) + "\"");
          };
    } catch (java.io.IOException | RuntimeException e) {
      throw new KeyFormatException(what + ": expected " + structureName(block.label()) + " DER, found malformed DER",
          e);
    }
    if (info == null) {
      throw new KeyFormatException(what + ": expected " + structureName(block.label()) + " DER, found nothing");
    }
    return KeyMaterial.privateKey(info, what);
  }

  /**
   * Reads a {@code PUBLIC KEY} PEM (SubjectPublicKeyInfo) holding an EC, RSA or Ed25519 key.
   *
   * @throws KeyFormatException if there is no such block, or it is malformed or of an unsupported algorithm
   */
  public static PublicKey readPublicKey(String pem) throws KeyFormatException {
    Pem.Block block = Pem.decodeFirst(pem, PUBLIC_WHAT);
    if (!PUBLIC_LABEL.equals(block.label())) {
      throw new KeyFormatException(
          PUBLIC_WHAT + ": expected PEM label \"" + PUBLIC_LABEL + "\", found \"" + Pem.printable(block.label())
              + "\"");
    }
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(block.der());
    } catch (RuntimeException e) {
      throw new KeyFormatException(PUBLIC_WHAT + ": expected SubjectPublicKeyInfo DER, found malformed DER", e);
    }
    if (spki == null) {
      throw new KeyFormatException(PUBLIC_WHAT + ": expected SubjectPublicKeyInfo DER, found nothing");
    }
    return KeyMaterial.publicKey(spki, PUBLIC_WHAT);
  }

  /**
   * Writes {@code key} as a {@code -----BEGIN PUBLIC KEY-----} PEM (SubjectPublicKeyInfo, 64-character lines,
   * trailing newline), the same text cosign writes to {@code cosign.pub}.
   *
   * @throws IllegalArgumentException if the key has no X.509 (SubjectPublicKeyInfo) encoding
   */
  public static String publicKeyPem(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] der = "X.509".equalsIgnoreCase(key.getFormat()) ? key.getEncoded() : null;
    if (der == null) {
      throw new IllegalArgumentException(
          "public key: expected an X.509 (SubjectPublicKeyInfo) encoding, found format " + key.getFormat() + " ("
              + key.getAlgorithm() + ")");
    }
    return Pem.encode(PUBLIC_LABEL, der);
  }

  private static PrivateKeyInfo sec1ToPkcs8(byte[] der, String what) throws java.io.IOException, KeyFormatException {
    ECPrivateKey ec = ECPrivateKey.getInstance(der);
    ASN1Encodable params = ec.getParametersObject();
    if (params == null) {
      throw new KeyFormatException(
          what + ": expected SEC1 ECPrivateKey with curve parameters, found none (the curve is unknown)");
    }
    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), ec);
  }

  private static String structureName(String label) {
    return switch (label) {
      case SEC1_LABEL -> "SEC1 ECPrivateKey";
      case PKCS1_LABEL -> "PKCS#1 RSAPrivateKey";
      default -> "PKCS#8 PrivateKeyInfo";
    };
  }
}
