package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * Checks that a certificate was signed by an issuer's key, directly with BouncyCastle's lightweight verifiers (via
 * {@link SignatureVerifier}) rather than through the JCA or a CertPathValidator. Stateless.
 */
final class CertificateSignatures {
  /** Read-only: only ever cloned (see {@link #digest}). */

  private CertificateSignatures() {}

  /**
   * Verifies {@code cert}'s signature over its TBSCertificate with {@code issuerKey}.
   *
   * @throws InvalidSignatureException if it does not verify, or the algorithm is unsupported or does not fit the key
   */
  static void verify(X509Certificate cert, SignatureVerifier issuerKey) throws InvalidSignatureException {
    try {
      verifyUnchecked(cert, issuerKey);
    } catch (RuntimeException e) {
      throw new InvalidSignatureException(
          "certificate signature: expected a well-formed signature, found one the verifier refused ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
  }

  private static void verifyUnchecked(X509Certificate cert, SignatureVerifier issuerKey)
      throws InvalidSignatureException {
    String oid = cert.getSigAlgOID();
    byte[] tbs;
    try {
      tbs = cert.getTBSCertificate();
    } catch (CertificateEncodingException e) {
      throw new InvalidSignatureException("certificate: TBSCertificate cannot be encoded (" + e.getMessage() + ")");
    }
    byte[] signature = cert.getSignature();
    KeyAlgorithm keyAlg = issuerKey.algorithm();
    switch (oid) {
      case "1.2.840.10045.4.3.2" -> ecdsa(keyAlg, HashAlgorithm.SHA2_256, tbs, signature, issuerKey, oid);
      case "1.2.840.10045.4.3.3" -> ecdsa(keyAlg, HashAlgorithm.SHA2_384, tbs, signature, issuerKey, oid);
      case "1.2.840.10045.4.3.4" -> ecdsa(keyAlg, HashAlgorithm.SHA2_512, tbs, signature, issuerKey, oid);
      case "1.2.840.113549.1.1.11" -> rsa(keyAlg, HashAlgorithm.SHA2_256, tbs, signature, issuerKey, oid);
      case "1.2.840.113549.1.1.12" -> rsa(keyAlg, HashAlgorithm.SHA2_384, tbs, signature, issuerKey, oid);
      case "1.2.840.113549.1.1.13" -> rsa(keyAlg, HashAlgorithm.SHA2_512, tbs, signature, issuerKey, oid);
      case "1.3.101.112" -> {
        requireKey(keyAlg == KeyAlgorithm.ED25519, keyAlg, "Ed25519", oid);
        issuerKey.verifyMessage(tbs, signature);
      }
      default -> throw new InvalidSignatureException(
          "certificate signature algorithm: expected ECDSA with SHA-256/384/512, RSA PKCS#1 v1.5 with SHA-256/384/512"
              + " or Ed25519, found OID "
              + oid
              + " ("
              + cert.getSigAlgName()
              + ")");
    }
  }

  private static void ecdsa(
      KeyAlgorithm keyAlg, HashAlgorithm hash, byte[] tbs, byte[] sig, SignatureVerifier key, String oid)
      throws InvalidSignatureException {
    requireKey(
        keyAlg == KeyAlgorithm.ECDSA_P256 || keyAlg == KeyAlgorithm.ECDSA_P384 || keyAlg == KeyAlgorithm.ECDSA_P521,
        keyAlg,
        "ECDSA",
        oid);
    key.verifyDigest(hash, key.digest(hash, tbs), sig);
  }

  private static void rsa(
      KeyAlgorithm keyAlg, HashAlgorithm hash, byte[] tbs, byte[] sig, SignatureVerifier key, String oid)
      throws InvalidSignatureException {
    requireKey(keyAlg == KeyAlgorithm.RSA_PKCS1V15, keyAlg, "RSA", oid);
    key.verifyDigest(hash, key.digest(hash, tbs), sig);
  }

  private static void requireKey(boolean ok, KeyAlgorithm keyAlg, String expected, String oid)
      throws InvalidSignatureException {
    if (!ok) {
      throw new InvalidSignatureException(
          "certificate signature algorithm "
              + oid
              + ": expected an issuer key of type "
              + expected
              + ", found "
              + keyAlg.displayName());
    }
  }
}
