package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.crypto.Certificates;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.util.Lazy;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Checks that a signing certificate chains to one of a fixed set of trusted certificate authorities at the time of
 * signing (the "hybrid model" of the Sigstore client spec: every certificate in the path must be valid at the signing
 * time, not now). Build once from the trusted root and reuse; immutable apart from a bounded cache, and thread-safe.
 *
 * <p>Rules, for a leaf, bundle certificates and a signing time {@code t}:
 *
 * <ul>
 *   <li>the leaf is an X.509 v3 certificate that is not a CA (basicConstraints cA absent or false), has the
 *       digitalSignature key usage and the codeSigning extended key usage (1.3.6.1.5.5.7.3.3), and no critical
 *       extension Sigil does not process;
 *   <li>its issuer DN names a certificate of a trusted CA's chain, whose key verifies the leaf's signature;
 *   <li>the path continues up that CA's chain to its root, every issuer a CA (basicConstraints cA, keyCertSign if key
 *       usage is present, pathLenConstraint respected, any extended key usage allowing code signing);
 *   <li>every certificate of the path is valid at {@code t} ({@code notBefore <= t <= notAfter}), and {@code t} is in
 *       the CA's trusted window ({@code [validFrom, validUntil]}, closed).
 * </ul>
 *
 * <p>Certificates the bundle supplies beyond the leaf are never used to build the path: everything above the leaf
 * comes from the trusted root. Following the bundle spec (protobuf-specs {@code sigstore_bundle.proto}: verifiers
 * "SHOULD handle ... superfluous intermediate and/or root CA certificates by either ignoring them or explicitly
 * considering them untrusted for the purposes of chain building"), they are ignored and reported in
 * {@link VerifiedChain#unusedBundleCertificates()}. Callers that want to refuse bundles carrying a root
 * certificate (the spec's "Signers MUST NOT include root CA certificates") use {@link #rejectsRootInBundle(List)}.
 *
 * <p>Costs: a CA chain's own signatures (intermediate by root) are verified once, the first time a leaf names one of
 * its certificates as issuer (so a one-shot verification checks only the CA it needs); a CA whose chain is broken or
 * uses an unsupported algorithm is set aside, reported when a leaf names it and by {@link #unusableAuthorities()}. The
 * leaf's signature is verified per call, except that successful verifications are remembered in a small LRU cache
 * keyed by the leaf's exact DER bytes and the issuing certificate (a pure function of those bytes). Time checks are
 * always made.
 */
public final class CertificateChainVerifier {
  /** The codeSigning extended key usage. */
  public static final String CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3";

  /**
   * The most certificates a bundle's chain may hold, leaf included. Fulcio chains are a leaf and one or two
   * intermediates; anything much longer is malformed or hostile, and is refused before any certificate of it is
   * looked at, so that the cost of a call is bounded whatever the caller passes.
   */
  public static final int MAX_BUNDLE_CERTIFICATES = 10;

  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String ANY_EKU = "2.5.29.37.0";
  private static final int DEFAULT_CACHE_CAPACITY = 1024;
  private static final int KU_DIGITAL_SIGNATURE = 0;
  private static final int KU_KEY_CERT_SIGN = 5;

  /** Critical extensions this class processes (or, for the SAN, FulcioCertificate does). */
  private static final Set<String> HANDLED_CRITICAL =
      Set.of(
          "2.5.29.15", // keyUsage
          "2.5.29.19", // basicConstraints
          "2.5.29.37", // extKeyUsage
          "2.5.29.17", // subjectAltName
          "2.5.29.14", // subjectKeyIdentifier
          "2.5.29.35"); // authorityKeyIdentifier

  private final List<Candidate> candidates;
  private final Map<LeafKey, Boolean> verifiedLeaves;
  private final int cacheCapacity;

  private CertificateChainVerifier(List<Candidate> candidates, int cacheCapacity) {
    this.candidates = List.copyOf(candidates);
    this.cacheCapacity = cacheCapacity;
    this.verifiedLeaves =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<LeafKey, Boolean> eldest) {
                return size() > CertificateChainVerifier.this.cacheCapacity;
              }
            });
  }

  /** A verifier for these CAs, with the default leaf-signature cache (1024 entries). */
  public static CertificateChainVerifier of(List<TrustedCertificateAuthority> authorities) {
    return of(authorities, DEFAULT_CACHE_CAPACITY);
  }

  /**
   * A verifier for these CAs. Each CA chain's internal signatures and CA constraints are checked once, on first use
   * of that CA; a CA that fails is kept out of verification and listed by {@link #unusableAuthorities()}.
   *
   * @param cacheCapacity how many successful leaf-signature verifications to remember; 0 disables the cache
   */
  public static CertificateChainVerifier of(List<TrustedCertificateAuthority> authorities, int cacheCapacity) {
    Objects.requireNonNull(authorities, "authorities");
    if (cacheCapacity < 0) {
      throw new IllegalArgumentException("cacheCapacity: expected >= 0, found " + cacheCapacity);
    }
    List<Candidate> candidates = new ArrayList<>(authorities.size());
    for (int i = 0; i < authorities.size(); i++) {
      candidates.add(new Candidate(i, Objects.requireNonNull(authorities.get(i), "authorities[" + i + "]")));
    }
    return new CertificateChainVerifier(candidates, cacheCapacity);
  }

  /**
   * Why each trusted CA that cannot be used was set aside (empty when all are usable). Checks every CA chain not
   * yet checked.
   */
  public List<String> unusableAuthorities() {
    List<String> unusable = new ArrayList<>();
    for (Candidate c : candidates) {
      Outcome<Authority> p = c.prepared.get();
      if (!p.isOk()) {
        unusable.add(p.detail());
      }
    }
    return unusable;
  }

  private int usableCount() {
    int n = 0;
    for (Candidate c : candidates) {
      if (c.prepared.get().isOk()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Checks that {@code leaf} chains to a trusted CA at {@code signingTime}.
   *
   * @param leaf the signing certificate
   * @param bundleCertificates the certificates the bundle carries after the leaf (may be empty); never trusted, only
   *     reported back when unused
   * @param signingTime when the signature was made, from a verified log entry or timestamp (never the clock)
   * @return the verified chain, or a failure: {@link Reason#CERTIFICATE_CHAIN_SHAPE} for more than
   *     {@link #MAX_BUNDLE_CERTIFICATES} certificates, {@link Reason#CERTIFICATE_UNTRUSTED} for everything else
   */
  public Outcome<VerifiedChain> verify(
      X509Certificate leaf, List<X509Certificate> bundleCertificates, Instant signingTime) {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(bundleCertificates, "bundleCertificates");
    Objects.requireNonNull(signingTime, "signingTime");
    if (bundleCertificates.size() >= MAX_BUNDLE_CERTIFICATES) {
      return Outcome.failure(
          Reason.CERTIFICATE_CHAIN_SHAPE,
          "bundle certificate chain: expected at most "
              + MAX_BUNDLE_CERTIFICATES
              + " certificates (a leaf and its intermediates), found "
              + (bundleCertificates.size() + 1));
    }

    Optional<String> leafProblem = checkLeaf(leaf, signingTime);
    if (leafProblem.isPresent()) {
      return untrusted(leafProblem.get());
    }
    byte[] leafDer;
    try {
      leafDer = leaf.getEncoded();
    } catch (CertificateEncodingException e) {
      return untrusted("leaf certificate: expected a DER encoding, found none");
    }

    byte[] issuerDer = Certificates.issuerDer(leaf);
    List<String> reasons = new ArrayList<>();
    // CA certificates whose subject has the issuer's exact encoding first, then those equal only under X.500's
    // canonical comparison, which computes RFC 2253 strings (~5 ms the first time in a process, profiled).
    for (boolean exact : new boolean[] {true, false}) {
      for (Candidate candidate : candidates) {
        for (int k = 0; k < candidate.subjectsDer.size(); k++) {
          boolean sameBytes = Arrays.equals(candidate.subjectsDer.get(k), issuerDer);
          if (exact
              ? !sameBytes
              : sameBytes
                  || !candidate.ca.chain().get(k).getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
            continue;
          }
          Outcome<Authority> prepared = candidate.prepared.get();
          if (!prepared.isOk()) {
            reasons.add(prepared.detail());
            break;
          }
          Authority authority = prepared.value();
          Optional<String> problem = checkPath(authority, k, leaf, leafDer, signingTime);
          if (problem.isEmpty()) {
            List<X509Certificate> path = new ArrayList<>();
            path.add(leaf);
            for (int j = k; j < authority.nodes.size(); j++) {
              path.add(authority.nodes.get(j).cert);
            }
            return Outcome.ok(new VerifiedChain(authority.ca, path, unused(bundleCertificates, leafDer, path)));
          }
          reasons.add("trusted CA #" + (authority.index + 1) + " " + authority.ca.describe() + ": " + problem.get());
        }
      }
    }
    if (reasons.isEmpty()) {
      List<String> unusable = unusableAuthorities();
      StringBuilder sb =
          new StringBuilder("certificate chain: expected the leaf's issuer \"")
              .append(leaf.getIssuerX500Principal().getName())
              .append("\" to be a certificate of a trusted CA, found it in none of the ")
              .append(usableCount())
              .append(" usable trusted CA chain(s)");
      if (!unusable.isEmpty()) {
        sb.append(" (set aside: ").append(String.join("; ", unusable)).append(")");
      }
      return untrusted(sb.toString());
    }
    return untrusted(
        "certificate chain: the leaf does not chain to a trusted CA at " + signingTime + ": " + String.join("; ", reasons));
  }

  private static Outcome<VerifiedChain> untrusted(String detail) {
    return Outcome.failure(Reason.CERTIFICATE_UNTRUSTED, detail);
  }

  /**
   * A separate, stricter check for callers that refuse bundles carrying a root certificate: the bundle spec says
   * signers MUST NOT include one, and sigstore-conformance's {@code bundle-with-root-cert_fail} is such a bundle.
   *
   * <p>A certificate counts as a root when it is self-issued (subject equals issuer) and either is a CA or verifies
   * under its own key. Pass the bundle's certificates in order (the leaf may be included).
   *
   * @return why the bundle is refused, or empty if it carries no root certificate
   */
  public static Optional<String> rejectsRootInBundle(List<X509Certificate> bundleCertificates) {
    Objects.requireNonNull(bundleCertificates, "bundleCertificates");
    if (bundleCertificates.size() > MAX_BUNDLE_CERTIFICATES) {
      return Optional.of(
          "bundle certificate chain: expected at most "
              + MAX_BUNDLE_CERTIFICATES
              + " certificates (a leaf and its intermediates), found "
              + bundleCertificates.size());
    }
    // Cheap facts first, over every certificate: names and basicConstraints. Only then is a signature checked, and
    // only one: the signature of a self-issued certificate that is not a CA (is it a self-signed root?), or of the
    // first self-issued CA (which is refused either way; its signature only words the message).
    int firstSelfIssuedCa = -1;
    List<Integer> selfIssued = new ArrayList<>();
    for (int i = 0; i < bundleCertificates.size(); i++) {
      X509Certificate c = bundleCertificates.get(i);
      if (!issuedBy(c, c)) {
        continue;
      }
      Optional<Integer> bc;
      try {
        bc = basicConstraints(c);
      } catch (CertificateParsingException e) {
        return Optional.of(
            "bundle certificate chain: certificate #" + (i + 1) + " basicConstraints: " + e.getMessage());
      }
      if (bc.isPresent() && firstSelfIssuedCa < 0) {
        firstSelfIssuedCa = i;
      }
      selfIssued.add(i);
    }
    if (firstSelfIssuedCa >= 0) {
      X509Certificate c = bundleCertificates.get(firstSelfIssuedCa);
      return Optional.of(rootMessage(c, firstSelfIssuedCa, selfSigned(c), true));
    }
    for (int i : selfIssued) {
      X509Certificate c = bundleCertificates.get(i);
      if (selfSigned(c)) {
        return Optional.of(rootMessage(c, i, true, false));
      }
    }
    return Optional.empty();
  }

  private static boolean selfSigned(X509Certificate c) {
    try {
      CertificateSignatures.verify(c, SignatureVerifier.of(c.getPublicKey()));
      return true;
    } catch (InvalidSignatureException | UnsupportedKeyException | RuntimeException e) {
      // not self-signed, or not checkable (an undecodable key: BouncyCastle throws IllegalStateException)
      return false;
    }
  }

  private static String rootMessage(X509Certificate c, int i, boolean selfSigned, boolean ca) {
    return "bundle certificate chain: expected no root certificate (roots come from the trusted root only), found "
        + (selfSigned ? "self-signed" : "self-issued")
        + (ca ? " CA" : "")
        + " certificate #"
        + (i + 1)
        + " \""
        + c.getSubjectX500Principal().getName()
        + "\"";
  }

  /**
   * The basicConstraints extension read from its bytes, never through {@link X509Certificate#getBasicConstraints()}
   * (BouncyCastle's provider throws ArithmeticException there for a pathLenConstraint of 2^31 or more): empty for an
   * end entity (no extension, or cA false), else the path length constraint, {@link Integer#MAX_VALUE} when absent
   * or larger than an int (no limit a real chain can reach).
   *
   * @throws CertificateParsingException if the extension is not a well-formed BasicConstraints
   */
  static Optional<Integer> basicConstraints(X509Certificate c) throws CertificateParsingException {
    byte[] ext = c.getExtensionValue(BASIC_CONSTRAINTS);
    if (ext == null) {
      return Optional.empty();
    }
    org.bouncycastle.asn1.x509.BasicConstraints bc;
    try {
      bc =
          org.bouncycastle.asn1.x509.BasicConstraints.getInstance(
              org.bouncycastle.asn1.ASN1Primitive.fromByteArray(
                  org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()));
    } catch (java.io.IOException | RuntimeException e) {
      throw new CertificateParsingException("expected a well-formed extension, found a malformed one");
    }
    if (!bc.isCA()) {
      return Optional.empty();
    }
    java.math.BigInteger len = bc.getPathLenConstraint();
    if (len == null || len.bitLength() > 31) {
      return Optional.of(Integer.MAX_VALUE);
    }
    return Optional.of(len.intValue());
  }

  // ---- leaf and path checks ----

  private static Optional<String> checkLeaf(X509Certificate leaf, Instant t) {
    if (leaf.getVersion() != 3) {
      return Optional.of("leaf certificate version: expected X.509 v3, found v" + leaf.getVersion());
    }
    try {
      if (basicConstraints(leaf).isPresent()) {
        return Optional.of("leaf certificate basicConstraints: expected cA false (an end-entity), found a CA certificate");
      }
    } catch (CertificateParsingException e) {
      return Optional.of("leaf certificate basicConstraints: " + e.getMessage());
    }
    boolean[] ku = leaf.getKeyUsage();
    if (ku == null) {
      return Optional.of("leaf certificate key usage: expected digitalSignature, found no key usage extension");
    }
    if (ku.length <= KU_DIGITAL_SIGNATURE || !ku[KU_DIGITAL_SIGNATURE]) {
      return Optional.of("leaf certificate key usage: expected digitalSignature, found it not set");
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return Optional.of("leaf certificate extended key usage: expected a well-formed extension, found a malformed one");
    }
    if (eku == null) {
      return Optional.of(
          "leaf certificate extended key usage: expected codeSigning (" + CODE_SIGNING_EKU + "), found no extension");
    }
    if (!eku.contains(CODE_SIGNING_EKU)) {
      return Optional.of(
          "leaf certificate extended key usage: expected codeSigning (" + CODE_SIGNING_EKU + "), found " + eku);
    }
    Optional<String> critical = unhandledCritical(leaf);
    if (critical.isPresent()) {
      return Optional.of("leaf certificate: " + critical.get());
    }
    Optional<String> invalid = validAt(leaf, t);
    return invalid.isPresent() ? Optional.of("leaf certificate " + invalid.get()) : Optional.empty();
  }

  private Optional<String> checkPath(Authority authority, int k, X509Certificate leaf, byte[] leafDer, Instant t) {
    if (!authority.ca.windowContains(t)) {
      return Optional.of(
          "signing time: expected inside the CA's trusted window " + authority.ca.describeWindow() + ", found " + t);
    }
    Node issuer = authority.nodes.get(k);
    LeafKey key = new LeafKey(new Bytes(leafDer), authority.index, k);
    if (cacheCapacity == 0 || verifiedLeaves.get(key) == null) {
      try {
        CertificateSignatures.verify(leaf, issuer.key);
      } catch (InvalidSignatureException e) {
        return Optional.of(
            "leaf signature: expected it to verify with the key of \""
                + issuer.subject().getName()
                + "\", found it does not ("
                + e.getMessage()
                + ")");
      }
      if (cacheCapacity > 0) {
        verifiedLeaves.put(key, Boolean.TRUE);
      }
    }
    for (int j = k; j < authority.nodes.size(); j++) {
      Node n = authority.nodes.get(j);
      int casBelow = j - k;
      if (casBelow > n.pathLen) {
        return Optional.of(
            "CA certificate \""
                + n.subject().getName()
                + "\" pathLenConstraint: expected at most "
                + n.pathLen
                + " CA certificate(s) below it, found "
                + casBelow);
      }
      Optional<String> time = validAt(n.cert, t);
      if (time.isPresent()) {
        return Optional.of("CA certificate \"" + n.subject().getName() + "\" " + time.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validAt(X509Certificate cert, Instant t) {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    if (t.isBefore(notBefore) || t.isAfter(notAfter)) {
      return Optional.of(
          "validity: expected the signing time "
              + t
              + " inside [notBefore "
              + notBefore
              + ", notAfter "
              + notAfter
              + "], found it "
              + (t.isBefore(notBefore) ? "before notBefore" : "after notAfter"));
    }
    return Optional.empty();
  }

  private static Optional<String> unhandledCritical(X509Certificate cert) {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    if (critical == null) {
      return Optional.empty();
    }
    List<String> unhandled = new ArrayList<>();
    for (String oid : critical) {
      if (!HANDLED_CRITICAL.contains(oid)) {
        unhandled.add(oid);
      }
    }
    Collections.sort(unhandled);
    if (unhandled.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("critical extensions: expected only ones Sigil processes, found unprocessed " + unhandled);
  }

  private static List<X509Certificate> unused(
      List<X509Certificate> bundleCertificates, byte[] leafDer, List<X509Certificate> path) {
    List<X509Certificate> out = new ArrayList<>();
    for (X509Certificate c : bundleCertificates) {
      byte[] der;
      try {
        der = c.getEncoded();
      } catch (CertificateEncodingException e) {
        out.add(c);
        continue;
      }
      if (Arrays.equals(der, leafDer)) {
        continue;
      }
      boolean inPath = false;
      for (X509Certificate p : path) {
        try {
          if (Arrays.equals(der, p.getEncoded())) {
            inPath = true;
            break;
          }
        } catch (CertificateEncodingException e) {
          // cannot match
        }
      }
      if (!inPath) {
        out.add(c);
      }
    }
    return out;
  }

  // ---- construction ----

  private static Authority prepare(int index, TrustedCertificateAuthority ca) throws UnusableAuthorityException {
    List<X509Certificate> chain = ca.chain();
    List<Node> nodes = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      Optional<Integer> basic;
      try {
        basic = basicConstraints(c);
      } catch (CertificateParsingException e) {
        throw new UnusableAuthorityException(chainName(i, c) + ": basicConstraints: " + e.getMessage());
      }
      if (basic.isEmpty()) {
        throw new UnusableAuthorityException(chainName(i, c) + ": expected a CA (basicConstraints cA true), found none");
      }
      int bc = basic.get();
      boolean[] ku = c.getKeyUsage();
      if (ku != null && (ku.length <= KU_KEY_CERT_SIGN || !ku[KU_KEY_CERT_SIGN])) {
        throw new UnusableAuthorityException(chainName(i, c) + ": expected the keyCertSign key usage, found it not set");
      }
      try {
        List<String> eku = c.getExtendedKeyUsage();
        if (eku != null && !eku.contains(CODE_SIGNING_EKU) && !eku.contains(ANY_EKU)) {
          throw new UnusableAuthorityException(
              chainName(i, c) + ": expected its extended key usage to allow codeSigning, found " + eku);
        }
      } catch (CertificateParsingException e) {
        throw new UnusableAuthorityException(chainName(i, c) + ": malformed extended key usage");
      }
      Optional<String> critical = unhandledCritical(c);
      if (critical.isPresent()) {
        throw new UnusableAuthorityException(chainName(i, c) + ": " + critical.get());
      }
      SignatureVerifier key;
      try {
        key = SignatureVerifier.longLived(c.getPublicKey());
      } catch (UnsupportedKeyException e) {
        throw new UnusableAuthorityException(chainName(i, c) + ": " + e.getMessage());
      }
      nodes.add(new Node(c, key, bc));
    }
    for (int i = 0; i + 1 < nodes.size(); i++) {
      Node child = nodes.get(i);
      Node parent = nodes.get(i + 1);
      if (!issuedBy(child.cert, parent.cert)) {
        throw new UnusableAuthorityException(
            "chain certificate #"
                + (i + 1)
                + ": expected it to be issued by the next certificate \""
                + parent.subject().getName()
                + "\", found issuer \""
                + child.cert.getIssuerX500Principal().getName()
                + "\"");
      }
      try {
        CertificateSignatures.verify(child.cert, parent.key);
      } catch (InvalidSignatureException e) {
        throw new UnusableAuthorityException(
            "chain certificate #"
                + (i + 1)
                + " \""
                + child.subject().getName()
                + "\": expected its signature to verify with the key of \""
                + parent.subject().getName()
                + "\", found it does not ("
                + e.getMessage()
                + ")");
      }
    }
    return new Authority(index, ca, nodes);
  }

  private record Authority(int index, TrustedCertificateAuthority ca, List<Node> nodes) {}

  /**
   * A trusted CA as given, with its chain's subject names for matching issuers; its chain is checked on first use
   * and the outcome kept: the prepared {@link Authority}, or why the CA is unusable.
   */
  private static final class Candidate {
    final int index;
    final TrustedCertificateAuthority ca;
    final List<byte[]> subjectsDer;
    final Lazy<Outcome<Authority>> prepared;

    Candidate(int index, TrustedCertificateAuthority ca) {
      this.index = index;
      this.ca = ca;
      List<byte[]> ders = new ArrayList<>(ca.chain().size());
      for (X509Certificate c : ca.chain()) {
        ders.add(Certificates.subjectDer(c));
      }
      this.subjectsDer = List.copyOf(ders);
      this.prepared =
          new Lazy<>() {
            @Override
            protected Outcome<Authority> compute() {
              try {
                return Outcome.ok(prepare(index, ca));
              } catch (UnusableAuthorityException e) {
                return Outcome.failure(
                    Reason.CERTIFICATE_UNTRUSTED, "trusted CA #" + (index + 1) + " " + ca.describe() + ": " + e.getMessage());
              }
            }
          };
    }
  }

  private record Node(X509Certificate cert, SignatureVerifier key, int pathLen) {
    /** Built on demand: only messages need it (names are matched by encoding first). */
    X500Principal subject() {
      return cert.getSubjectX500Principal();
    }
  }

  /**
   * Whether two names, given by their encodings, are equal under X500Principal.equals (RFC 5280 name comparison),
   * when the encodings settle it: the same bytes are the same name, and the empty name equals only itself; null
   * otherwise. X500Principal's canonical form normalises Unicode (NFKD), whose tables cost a one-shot run ~10 ms to
   * load (profiled); for names Fulcio and Rekor issue, the encodings always settle it.
   */
  static Boolean sameNameByEncoding(byte[] x, byte[] y) {
    if (Arrays.equals(x, y)) {
      return Boolean.TRUE;
    }
    if (isEmptyName(x) || isEmptyName(y)) {
      return Boolean.FALSE;
    }
    return null;
  }

  /** Whether {@code child}'s issuer name is {@code parent}'s subject name (X500Principal.equals). */
  private static boolean issuedBy(X509Certificate child, X509Certificate parent) {
    Boolean byEncoding = sameNameByEncoding(Certificates.issuerDer(child), Certificates.subjectDer(parent));
    return byEncoding != null
        ? byEncoding
        : child.getIssuerX500Principal().equals(parent.getSubjectX500Principal());
  }

  private static String chainName(int i, X509Certificate c) {
    return "chain certificate #" + (i + 1) + " \"" + c.getSubjectX500Principal().getName() + "\"";
  }

  private static boolean isEmptyName(byte[] der) {
    return der.length == 2 && der[0] == 0x30 && der[1] == 0;
  }

  /** Explicit equals and hashCode: a record's generated ones cost ~10 ms to bootstrap on first use (profiled). */
  private record LeafKey(Bytes leafDer, int authority, int position) {
    @Override
    public boolean equals(Object o) {
      return o instanceof LeafKey k && authority == k.authority && position == k.position && leafDer.equals(k.leafDer);
    }

    @Override
    public int hashCode() {
      return (leafDer.hashCode() * 31 + authority) * 31 + position;
    }
  }

  /** Exact bytes as a map key. */
  private static final class Bytes {
    private final byte[] value;
    private final int hash;

    Bytes(byte[] value) {
      this.value = value;
      this.hash = Arrays.hashCode(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final class UnusableAuthorityException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableAuthorityException(String message) {
      super(message);
    }
  }
}
