package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Checks that a certificate was signed by an issuer's key, with the verifier's {@link CryptoBackend} rather than a
 * CertPathValidator. Stateless.
 */
final class CertificateSignatures {
  private CertificateSignatures() {}

  /**
   * Verifies {@code cert}'s signature over its TBSCertificate with {@code issuerKey}.
   *
   * @throws InvalidSignatureException if it does not verify, or the algorithm is unsupported or does not fit the key
   */
  static void verify(X509Certificate cert, SignatureVerifier issuerKey, CryptoBackend crypto)
      throws InvalidSignatureException {
    try {
      verifyUnchecked(cert, issuerKey, crypto);
    } catch (RuntimeException e) {
      throw new InvalidSignatureException(
          "certificate signature: expected a well-formed signature, found one the verifier refused ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
  }

  private static void verifyUnchecked(X509Certificate cert, SignatureVerifier issuerKey, CryptoBackend crypto)
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
      case "1.2.840.113549.1.1.10" -> {
        requireKey(keyAlg == KeyAlgorithm.RSA_PKCS1V15, keyAlg, "RSA", oid);
        pss(cert.getSigAlgParams(), issuerKey, crypto).verifyMessage(tbs, signature);
      }
      case "1.3.101.112" -> {
        requireKey(keyAlg == KeyAlgorithm.ED25519, keyAlg, "Ed25519", oid);
        issuerKey.verifyMessage(tbs, signature);
      }
      default -> throw new InvalidSignatureException(
          "certificate signature algorithm: expected ECDSA with SHA-256/384/512, RSA PKCS#1 v1.5 or PSS with"
              + " SHA-256/384/512, or Ed25519, found OID "
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
    key.verifyMessage(hash, tbs, sig);
  }

  private static void rsa(
      KeyAlgorithm keyAlg, HashAlgorithm hash, byte[] tbs, byte[] sig, SignatureVerifier key, String oid)
      throws InvalidSignatureException {
    requireKey(keyAlg == KeyAlgorithm.RSA_PKCS1V15, keyAlg, "RSA", oid);
    key.verifyMessage(hash, tbs, sig);
  }

  /**
   * A PSS verifier for the issuer's RSA key from {@code RSASSA-PSS-params} (RFC 4055 3.1): SHA-256, SHA-384 or
   * SHA-512, MGF1 with the same hash, the trailer field 1. The defaults (SHA-1) are refused.
   */
  private static SignatureVerifier pss(byte[] encodedParams, SignatureVerifier issuerKey, CryptoBackend crypto)
      throws InvalidSignatureException {
    if (encodedParams == null) {
      throw new InvalidSignatureException("RSASSA-PSS certificate signature: expected parameters, found none");
    }
    RSASSAPSSparams params = RSASSAPSSparams.getInstance(encodedParams);
    HashAlgorithm hash = sha2(params.getHashAlgorithm().getAlgorithm());
    AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
    if (hash == null
        || !mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)
        || sha2(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm()) != hash
        || params.getTrailerField().intValueExact() != 1) {
      throw new InvalidSignatureException(
          "RSASSA-PSS certificate signature: expected SHA-256, SHA-384 or SHA-512 with MGF1 of the same hash and"
              + " trailer field 1, found hash " + params.getHashAlgorithm().getAlgorithm().getId() + ", mask "
              + mgf.getAlgorithm().getId());
    }
    try {
      return crypto.newRsaPssVerifier(issuerKey.publicKey(), hash, params.getSaltLength().intValueExact());
    } catch (UnsupportedKeyException e) {
      throw new InvalidSignatureException("RSASSA-PSS certificate signature: " + e.getMessage());
    }
  }

  private static HashAlgorithm sha2(ASN1ObjectIdentifier oid) {
    if (oid.equals(NISTObjectIdentifiers.id_sha256)) {
      return HashAlgorithm.SHA2_256;
    }
    if (oid.equals(NISTObjectIdentifiers.id_sha384)) {
      return HashAlgorithm.SHA2_384;
    }
    return oid.equals(NISTObjectIdentifiers.id_sha512) ? HashAlgorithm.SHA2_512 : null;
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
