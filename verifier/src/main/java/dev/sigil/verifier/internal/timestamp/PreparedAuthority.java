package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.crypto.CryptoBackend;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;

/**
 * One trusted authority with everything that does not depend on a token worked out once: the chain checked (names,
 * signatures, CA flags, EKUs), the leaf's key parsed by BouncyCastle, and a reusable CMS signer verifier. Immutable
 * and safe to share between threads (BouncyCastle's verifier providers create a fresh {@code Signature} per use).
 */
final class PreparedAuthority {
  private final int index;
  private final TrustedTimestampAuthority authority;
  private final String subject;
  private final X509CertificateHolder leaf;
  private final byte[] leafEncoded;
  private final List<CertWindow> windows;
  private final Optional<String> problem;
  private final SignerInformationVerifier signerVerifier; // null iff problem is present

  /** A chain certificate's validity period, both ends inclusive (RFC 5280 §4.1.2.5). */
  record CertWindow(String subject, Instant notBefore, Instant notAfter) {
    boolean contains(Instant t) {
      return !t.isBefore(notBefore) && !t.isAfter(notAfter);
    }
  }

  private PreparedAuthority(
      int index,
      TrustedTimestampAuthority authority,
      String subject,
      X509CertificateHolder leaf,
      byte[] leafEncoded,
      List<CertWindow> windows,
      Optional<String> problem,
      SignerInformationVerifier signerVerifier) {
    this.index = index;
    this.authority = authority;
    this.subject = subject;
    this.leaf = leaf;
    this.leafEncoded = leafEncoded;
    this.windows = windows;
    this.problem = problem;
    this.signerVerifier = signerVerifier;
  }

  int index() {
    return index;
  }

  TrustedTimestampAuthority authority() {
    return authority;
  }

  String subject() {
    return subject;
  }

  /** The leaf as BouncyCastle sees it; null only if the leaf could not even be re-read (then problem is set). */
  X509CertificateHolder leaf() {
    return leaf;
  }

  byte[] leafEncoded() {
    return leafEncoded;
  }

  List<CertWindow> windows() {
    return windows;
  }

  /** Why this authority cannot vouch for any timestamp, if it cannot. */
  Optional<String> problem() {
    return problem;
  }

  /** The CMS verifier bound to the leaf; only call when {@link #problem()} is empty. */
  SignerInformationVerifier signerVerifier() {
    return Objects.requireNonNull(signerVerifier, "authority is unusable: " + problem.orElse(""));
  }

  String label() {
    return "trusted timestamp authority #" + index + " (" + subject + ")";
  }

  /** Checks the chain of {@code authority} and prepares its verifier. Never throws for bad certificates. */
  static PreparedAuthority prepare(int index, TrustedTimestampAuthority authority, CryptoBackend crypto) {
    List<X509Certificate> chain = authority.chain();
    String subject = chain.get(0).getSubjectX500Principal().getName();
    List<CertWindow> windows = new ArrayList<>(chain.size());
    List<X509CertificateHolder> holders = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      windows.add(
          new CertWindow(
              c.getSubjectX500Principal().getName(),
              c.getNotBefore().toInstant(),
              c.getNotAfter().toInstant()));
      try {
        holders.add(new X509CertificateHolder(c.getEncoded()));
      } catch (CertificateException | IOException | RuntimeException e) {
        return unusable(index, authority, subject, null, null, windows,
            "chain certificate #" + i + " cannot be re-read as DER X.509 (" + e.getMessage() + ")");
      }
    }
    X509CertificateHolder leaf = holders.get(0);
    byte[] leafEncoded;
    try {
      leafEncoded = leaf.getEncoded();
    } catch (IOException e) {
      return unusable(index, authority, subject, null, null, windows,
          "leaf certificate cannot be encoded (" + e.getMessage() + ")");
    }
    List<CertWindow> frozen = List.copyOf(windows);
    Optional<String> problem;
    try {
      problem = checkChain(holders, crypto);
    } catch (RuntimeException e) {
      problem = Optional.of("chain: malformed certificate extension (" + e.getMessage() + ")");
    }
    if (problem.isPresent()) {
      return unusable(index, authority, subject, leaf, leafEncoded, frozen, problem.get());
    }
    try {
      SignerInformationVerifier verifier = signerVerifier(leaf, crypto);
      return new PreparedAuthority(
          index, authority, subject, leaf, leafEncoded, frozen, Optional.empty(), verifier);
    } catch (OperatorCreationException | RuntimeException e) {
      return unusable(index, authority, subject, leaf, leafEncoded, frozen,
          "leaf public key is not usable for verification (" + e.getMessage() + ")");
    }
  }

  private static PreparedAuthority unusable(
      int index,
      TrustedTimestampAuthority authority,
      String subject,
      X509CertificateHolder leaf,
      byte[] leafEncoded,
      List<CertWindow> windows,
      String problem) {
    return new PreparedAuthority(
        index, authority, subject, leaf, leafEncoded, List.copyOf(windows), Optional.of(problem), null);
  }

  /**
   * The token-independent chain checks. The leaf: X.509 v3, not a CA, an EKU extension that is critical and holds
   * id-kp-timeStamping alone (RFC 3161 §2.3). Each link: issuer name equals the next subject, signature verifies with
   * the next key, the next is a CA (basicConstraints cA, keyCertSign if keyUsage is present, pathLenConstraint).
   * Intermediates: no EKU, or one allowing timeStamping or anyExtendedKeyUsage ("EKU chaining", as sigstore's
   * timestamp-authority verifies). The root is the trust anchor: its self-signature is not checked.
   */
  private static Optional<String> checkChain(List<X509CertificateHolder> chain, CryptoBackend crypto) {
    if (chain.size() < 2) {
      return Optional.of(
          "chain has only the leaf; expected the TSA leaf followed by its issuers up to a root");
    }
    X509CertificateHolder leaf = chain.get(0);
    if (leaf.toASN1Structure().getVersionNumber() != 3) {
      return Optional.of(
          "leaf: expected an X.509 v3 certificate, found version " + leaf.toASN1Structure().getVersionNumber());
    }
    BasicConstraints leafBc = basicConstraints(leaf);
    if (leafBc != null && leafBc.isCA()) {
      return Optional.of(
          "leaf: expected an end-entity TSA certificate, found a CA certificate (basicConstraints cA=true)");
    }
    Extension eku = leaf.getExtension(Extension.extendedKeyUsage);
    if (eku == null) {
      return Optional.of(
          "leaf: expected an extendedKeyUsage extension with id-kp-timeStamping (RFC 3161 §2.3), found none");
    }
    if (!eku.isCritical()) {
      return Optional.of(
          "leaf: expected the extendedKeyUsage extension to be critical (RFC 3161 §2.3), found it non-critical");
    }
    ExtendedKeyUsage leafEku = ExtendedKeyUsage.getInstance(eku.getParsedValue());
    if (leafEku.size() != 1 || !leafEku.hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping)) {
      return Optional.of(
          "leaf: expected extendedKeyUsage to be exactly id-kp-timeStamping (1.3.6.1.5.5.7.3.8, RFC 3161 §2.3), found "
              + describe(leafEku));
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509CertificateHolder child = chain.get(i);
      X509CertificateHolder issuer = chain.get(i + 1);
      if (!child.getIssuer().equals(issuer.getSubject())) {
        return Optional.of(
            "chain certificate #" + i + ": issuer \"" + child.getIssuer() + "\" does not match the subject \""
                + issuer.getSubject() + "\" of chain certificate #" + (i + 1));
      }
      BasicConstraints bc = basicConstraints(issuer);
      if (bc == null || !bc.isCA()) {
        return Optional.of(
            "chain certificate #" + (i + 1) + " (" + issuer.getSubject()
                + "): expected a CA certificate (basicConstraints cA=true) to issue #" + i + ", found "
                + (bc == null ? "no basicConstraints" : "cA=false"));
      }
      BigInteger pathLen = bc.getPathLenConstraint();
      if (pathLen != null && pathLen.compareTo(BigInteger.valueOf(i)) < 0) {
        return Optional.of(
            "chain certificate #" + (i + 1) + " (" + issuer.getSubject() + "): pathLenConstraint " + pathLen
                + " allows fewer than the " + i + " intermediate(s) below it");
      }
      KeyUsage ku = KeyUsage.fromExtensions(issuer.getExtensions());
      if (ku != null && !ku.hasUsages(KeyUsage.keyCertSign)) {
        return Optional.of(
            "chain certificate #" + (i + 1) + " (" + issuer.getSubject()
                + "): expected keyUsage to include keyCertSign, found it without");
      }
      if (i + 1 < chain.size() - 1) {
        Extension iEku = issuer.getExtension(Extension.extendedKeyUsage);
        if (iEku != null) {
          ExtendedKeyUsage usages = ExtendedKeyUsage.getInstance(iEku.getParsedValue());
          if (!usages.hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping)
              && !usages.hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage)) {
            return Optional.of(
                "intermediate #" + (i + 1) + " (" + issuer.getSubject()
                    + "): expected no extendedKeyUsage or one allowing timeStamping, found " + describe(usages));
          }
        }
      }
      try {
        ContentVerifierProvider byIssuer = lightweightVerifier(issuer, crypto);
        if (!child.isSignatureValid(byIssuer)) {
          return Optional.of(
              "chain certificate #" + i + " (" + child.getSubject() + "): signature does not verify with the key of #"
                  + (i + 1) + " (" + issuer.getSubject() + ")");
        }
      } catch (OperatorCreationException | CertException | RuntimeException e) {
        return Optional.of(
            "chain certificate #" + i + " (" + child.getSubject() + "): signature cannot be checked with the key of #"
                + (i + 1) + " (" + e.getMessage() + ")");
      }
    }
    return Optional.empty();
  }

  private static BasicConstraints basicConstraints(X509CertificateHolder cert) {
    return BasicConstraints.fromExtensions(cert.getExtensions());
  }

  private static String describe(ExtendedKeyUsage eku) {
    List<String> ids = new ArrayList<>();
    for (KeyPurposeId id : eku.getUsages()) {
      ids.add(id.toOID().getId());
    }
    return ids.toString();
  }

  /**
   * A CMS verifier bound to the leaf certificate (BouncyCastle's {@code TimeStampToken.validate} needs the
   * certificate for the ESSCertID check), built once, here, not on every verify.
   */
  private static SignerInformationVerifier signerVerifier(X509CertificateHolder leaf, CryptoBackend crypto)
      throws OperatorCreationException {
    return new SignerInformationVerifier(
        new DefaultCMSSignatureAlgorithmNameGenerator(),
        new DefaultSignatureAlgorithmIdentifierFinder(),
        lightweightVerifier(leaf, crypto),
        KeyVerifiers.digests(crypto));
  }

  /**
   * Signature verification with the certificate's key, bound to the certificate: ECDSA and Ed25519 keys with the
   * default crypto backend ({@link KeyVerifiers}), RSA keys (PKCS#1 v1.5) with BouncyCastle's lightweight operators.
   */
  static ContentVerifierProvider lightweightVerifier(X509CertificateHolder cert) throws OperatorCreationException {
    return lightweightVerifier(cert, CryptoBackend.jca());
  }

  /** As {@link #lightweightVerifier(X509CertificateHolder)}, ECDSA and Ed25519 with {@code crypto}. */
  static ContentVerifierProvider lightweightVerifier(X509CertificateHolder cert, CryptoBackend crypto)
      throws OperatorCreationException {
    ASN1ObjectIdentifier alg = cert.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm();
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey) || alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return KeyVerifiers.forCertificate(cert, crypto);
    }
    if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return new BcRSAContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(cert);
    }
    throw new OperatorCreationException("expected an ECDSA, RSA or Ed25519 key, found key algorithm " + alg.getId());
  }
}
