package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.EcCurves;
import dev.sigil.verifier.internal.crypto.JcaBackend;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.crypto.RsaPss;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * {@link CryptoBackend#fastStart()}: Sigil's own DER certificate reader ({@link DerCertificate}), keys ({@link
 * EcKey}, {@link Ed25519Key}, {@link RsaKey}), ECDSA ({@link Ecdsa} over BouncyCastle's curve arithmetic), RSA and
 * SHA-2 ({@link Sha2}). None of it loads the JCA provider list or BouncyCastle's service registry, which is what a
 * one-shot process would otherwise spend most of its verification time on ({@code docs/fast-start.md}).
 *
 * <p>Its readers take what they handle exactly and hand everything else to the fallback backend (the JCA one), which
 * decides and words the error as the library default does: a certificate that is not plain DER, a key with explicit
 * curve parameters. Its fixed choices: no per-key tables, Sigil's SHA-2 for every input.
 *
 * <p>This package is fenced: no regular expressions, {@code String.format}, {@code java.time.format}, lambdas or
 * method references, no JCA provider lookups, no BouncyCastle class that starts its service registry. A build rule
 * (forbiddenapis and an ArchUnit test) enforces that here, and a start-up guard test checks what a one-shot
 * {@code sigil verify-bundle} loads.
 */
public final class FastStartBackend implements CryptoBackend {
  public static final FastStartBackend INSTANCE = new FastStartBackend(JcaBackend.INSTANCE);

  private final CryptoBackend fallback;

  private FastStartBackend(CryptoBackend fallback) {
    this.fallback = fallback;
  }

  @Override
  public String name() {
    return "fast-start";
  }

  /** The backend that reads what this one's readers do not. */
  CryptoBackend fallback() {
    return fallback;
  }

  @Override
  public X509Certificate parseCertificate(byte[] der) throws CertificateException {
    try {
      return DerCertificate.parse(der, this);
    } catch (CertificateParsingException notPlainDer) {
      return fallback.parseCertificate(der);
    }
  }

  @Override
  public PublicKey parsePublicKey(byte[] der) throws KeyParseException {
    PublicKey key = FastKeys.parse(der);
    return key != null ? key : fallback.parsePublicKey(der);
  }

  @Override
  public SignatureVerifier newVerifier(PublicKey key) throws UnsupportedKeyException {
    KeyAlgorithm alg = key instanceof EcKey ec ? ec.curve() : KeyAlgorithm.of(key);
    try {
      switch (alg) {
        case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> {
          ECPublicKeyParameters p =
              key instanceof EcKey ec ? ec.parameters() : EcCurves.publicKeyParameters((ECPublicKey) key, alg);
          return new EcdsaVerifier(key, alg, p);
        }
        case ED25519 -> {
          return new Ed25519Verifier(key, key instanceof Ed25519Key ed ? ed.raw() : PublicKeys.ed25519Raw(key));
        }
        case RSA_PKCS1V15 -> {
          return RsaVerifier.pkcs1((RSAPublicKey) key);
        }
        default -> throw new IllegalStateException("KeyAlgorithm.of never answers " + alg);
      }
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException("public key: unusable " + alg.displayName() + " key (" + e.getMessage() + ")");
    }
  }

  /** The same verifier as {@link #newVerifier}: a one-shot process never recovers the cost of per-key tables. */
  @Override
  public SignatureVerifier newTrustedVerifier(PublicKey key) throws UnsupportedKeyException {
    return newVerifier(key);
  }

  @Override
  public SignatureVerifier newRsaPssVerifier(PublicKey key, HashAlgorithm hash, int saltLength)
      throws UnsupportedKeyException {
    RsaPss.requireParameters(key, saltLength);
    return RsaVerifier.pss((RSAPublicKey) key, hash, saltLength);
  }

  @Override
  public MessageDigest newDigest(HashAlgorithm algorithm) {
    return new Sha2(algorithm);
  }

  @Override
  public String toString() {
    return name();
  }
}
