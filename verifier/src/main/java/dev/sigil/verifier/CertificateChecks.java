package dev.sigil.verifier;

import dev.sigil.verifier.internal.certificate.CertificateChainVerifier;
import dev.sigil.verifier.internal.certificate.FulcioCertificate;
import dev.sigil.verifier.internal.certificate.MalformedCertificateException;
import dev.sigil.verifier.internal.certificate.SctVerification;
import dev.sigil.verifier.internal.certificate.SctVerifier;
import dev.sigil.verifier.internal.certificate.TrustedCertificateAuthority;
import dev.sigil.verifier.internal.certificate.TrustedCtLog;
import dev.sigil.verifier.internal.certificate.VerifiedChain;
import dev.sigil.verifier.internal.crypto.Certificates;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Adapts the trusted root's CAs and CT logs to the certificate checks; built once per verifier. */
final class CertificateChecks {
  private final CertificateChainVerifier chains;
  private final SctVerifier scts;
  /**
   * Leaf certificates parsed from bundles, keyed by their exact DER (a pure function of those bytes; the
   * certificates are immutable), so that the same bundles verified again (an admission webhook seeing the same image)
   * skip the ~50 us parse. Only leaves a trusted CA signed are kept ({@link #verifyChain}), at most
   * {@link #MAX_CACHED_DER} bytes each, and at most as many as the verified-leaf cache holds; off with it. Anyone
   * can send a bundle, so what merely parses is not kept: a stream of large self-signed certificates would fill
   * the heap.
   */
  private final DerCache<X509Certificate> parsed;
  /** Fulcio leaves are 1-2 KiB; larger ones are parsed every time. */
  static final int MAX_CACHED_DER = 16 * 1024;

  CertificateChecks(TrustedMaterial root, int ctThreshold, int verifiedLeafCache) {
    List<TrustedCertificateAuthority> cas = new ArrayList<>();
    for (CertificateAuthority ca : root.certificateAuthorities()) {
      cas.add(
          new TrustedCertificateAuthority(ca.certChain(), ca.validFor()));
    }
    List<TrustedCtLog> logs = new ArrayList<>();
    for (TransparencyLogInstance ct : root.ctlogs()) {
      logs.add(
          new TrustedCtLog(ct.logId(), ct.publicKey(), ct.validFor()));
    }
    this.chains = CertificateChainVerifier.of(cas, verifiedLeafCache);
    // A threshold of 0 means SCTs are not checked (Verifier never calls verifySct); the SCT verifier itself needs 1+.
    this.scts = SctVerifier.of(logs, Math.max(1, ctThreshold));
    this.parsed = new DerCache<>(verifiedLeafCache);
  }

  /** How many parsed leaves are kept (for tests). */
  int cachedLeaves() {
    return parsed.size();
  }

  /** Keeps a leaf a trusted CA signed for {@link #parseCached}, within the cache's bounds. */
  private void remember(X509Certificate leaf) {
    byte[] der = der(leaf); // a copy of its own
    if (der.length <= MAX_CACHED_DER) {
      parsed.put(der, leaf);
    }
  }

  /** Parses a bundle's certificates, taking those already seen from the cache of parsed certificates. */
  Outcome<List<X509Certificate>> parseCached(List<byte[]> ders) {
    List<X509Certificate> out = new ArrayList<>(ders.size());
    for (int i = 0; i < ders.size(); i++) {
      X509Certificate c = parsed.get(ders.get(i));
      if (c == null) {
        Outcome<X509Certificate> one = parseOne(ders.get(i), i);
        if (!one.isOk()) {
          return one.propagate();
        }
        c = one.value();
      }
      out.add(c);
    }
    return Outcome.ok(out);
  }

  private static Outcome<X509Certificate> parseOne(byte[] der, int index) {
    if (der.length == 0) {
      return Outcome.failure(Reason.CERTIFICATE_MALFORMED, "certificate " + (index + 1) + ": empty");
    }
    try {
      return Outcome.ok(Certificates.parse(der));
    } catch (CertificateException | RuntimeException e) {
      return Outcome.failure(
          Reason.CERTIFICATE_MALFORMED, "certificate " + (index + 1) + ": malformed (" + e.getMessage() + ")");
    }
  }

  static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate re-encodes", e);
    }
  }

  /** Signers must not include a root CA certificate in the bundle (bundle spec; sigstore-conformance). */
  Outcome<String> checkBundleChain(List<X509Certificate> chain) {
    Optional<String> root;
    try {
      root = CertificateChainVerifier.rejectsRootInBundle(chain);
    } catch (RuntimeException e) {
      // getPublicKey() of a certificate with an undecodable key throws (BouncyCastle: IllegalStateException).
      return Outcome.failure(
          Reason.CERTIFICATE_MALFORMED,
          "bundle certificate chain: a certificate has an undecodable public key (" + e.getMessage() + ")");
    }
    return root.isPresent()
        ? Outcome.failure(Reason.CERTIFICATE_CHAIN_SHAPE, root.get())
        : Outcome.ok("no root certificate in the bundle");
  }

  /** The leaf chains to a trusted CA at {@code t}; returns the leaf's issuer. */
  Outcome<X509Certificate> verifyChain(X509Certificate leaf, List<X509Certificate> bundleCerts, Instant t) {
    Outcome<VerifiedChain> v = chains.verify(leaf, bundleCerts, t);
    if (!v.isOk()) {
      return v.propagate();
    }
    remember(leaf);
    return Outcome.ok(v.value().issuer());
  }

  Outcome<String> verifySct(X509Certificate leaf, X509Certificate issuer) {
    SctVerification v = scts.verify(leaf, issuer);
    return v.verified() ? Outcome.ok(v.summary()) : Outcome.failure(Reason.SCT_THRESHOLD, v.summary());
  }

  /** What a verified leaf names: its SANs, issuer and every Fulcio extension. */
  Outcome<CertificateSigner> signer(X509Certificate leaf) {
    FulcioCertificate fc;
    try {
      fc = FulcioCertificate.parse(leaf);
    } catch (MalformedCertificateException e) {
      return Outcome.failure(Reason.CERTIFICATE_IDENTITY_MALFORMED, e.getMessage());
    }
    return Outcome.ok(fc.toSigner());
  }
}
