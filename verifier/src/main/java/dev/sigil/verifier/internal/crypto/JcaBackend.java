package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The library's default {@link CryptoBackend}: the JDK's certificate factory (BouncyCastle's provider for the
 * certificates the JDK refuses), key factories and digests, and BouncyCastle's lightweight signature verifiers over
 * key parameters prepared once per key, and for trusted ECDSA keys {@link Ecdsa} with comb tables. BouncyCastle
 * rather than the JDK's {@code Signature} for ECDSA: it verifies P-256 about ten times faster than SunEC here (see
 * {@code docs/fast-start.md}).
 */
public final class JcaBackend implements CryptoBackend {
  public static final JcaBackend INSTANCE = new JcaBackend();

  private JcaBackend() {}

  @Override
  public String name() {
    return "jca";
  }

  @Override
  public X509Certificate parseCertificate(byte[] der) throws CertificateException {
    return Certificates.viaProviders(der);
  }

  @Override
  public PublicKey parsePublicKey(byte[] der) throws KeyParseException {
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
    try {
      return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyParseException("public key: invalid " + alg + " key (" + e.getMessage() + ")");
    }
  }

  @Override
  public SignatureVerifier newVerifier(PublicKey key) throws UnsupportedKeyException {
    KeyAlgorithm alg = KeyAlgorithm.of(key);
    try {
      return switch (alg) {
        case ECDSA_P256, ECDSA_P384, ECDSA_P521 ->
            new BcEcdsaVerifier(key, alg, EcCurves.publicKeyParameters((ECPublicKey) key, alg));
        case ED25519 -> new BcEd25519Verifier(key, PublicKeys.ed25519Raw(key));
        case RSA_PKCS1V15 -> BcRsaVerifier.pkcs1((RSAPublicKey) key);
        case RSA_PSS -> throw new IllegalStateException("KeyAlgorithm.of never answers RSA_PSS");
      };
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException("public key: unusable " + alg.displayName() + " key (" + e.getMessage() + ")");
    }
  }

  /**
   * For ECDSA keys, a verifier with comb tables built now ({@link Ecdsa#withCombTables}: ~1.5 ms per key, then each
   * verification ~25-30% faster than {@code ECDSASigner}'s); for other keys the same as {@link #newVerifier}.
   */
  @Override
  public SignatureVerifier newTrustedVerifier(PublicKey key) throws UnsupportedKeyException {
    KeyAlgorithm alg = KeyAlgorithm.of(key);
    if (alg != KeyAlgorithm.ECDSA_P256 && alg != KeyAlgorithm.ECDSA_P384 && alg != KeyAlgorithm.ECDSA_P521) {
      return newVerifier(key);
    }
    try {
      return new CombEcdsaVerifier(key, alg, EcCurves.publicKeyParameters((ECPublicKey) key, alg));
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException("public key: unusable " + alg.displayName() + " key (" + e.getMessage() + ")");
    }
  }

  @Override
  public SignatureVerifier newRsaPssVerifier(PublicKey key, HashAlgorithm hash, int saltLength)
      throws UnsupportedKeyException {
    RsaPss.requireParameters(key, saltLength);
    try {
      return BcRsaVerifier.pss((RSAPublicKey) key, hash, saltLength);
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException("public key: unusable RSA key (" + e.getMessage() + ")");
    }
  }

  @Override
  public MessageDigest newDigest(HashAlgorithm algorithm) {
    MessageDigest prototype =
        switch (algorithm) {
          case SHA2_256 -> Prototypes.SHA256;
          case SHA2_384 -> Prototypes.SHA384;
          case SHA2_512 -> Prototypes.SHA512;
        };
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return jdk(algorithm);
    }
  }

  @Override
  public String toString() {
    return name();
  }

  private static MessageDigest jdk(HashAlgorithm algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.jcaName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm.jcaName() + " is in every JDK", e);
    }
  }

  /**
   * Never-updated digests, cloned for use: cheaper than a provider lookup per digest, and safe to share (cloning only
   * reads them).
   */
  private static final class Prototypes {
    static final MessageDigest SHA256 = jdk(HashAlgorithm.SHA2_256);
    static final MessageDigest SHA384 = jdk(HashAlgorithm.SHA2_384);
    static final MessageDigest SHA512 = jdk(HashAlgorithm.SHA2_512);
  }
}
