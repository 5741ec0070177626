package dev.sigil.sandbox.fulcio;

import dev.sigil.sandbox.ctlog.CtLog;
import dev.sigil.sandbox.ctlog.InvalidPrecertificateException;
import dev.sigil.sandbox.keys.KeyChainFiles;
import dev.sigil.sandbox.ctlog.Sct;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import dev.sigil.verifier.internal.certificate.TrustedCertificateAuthority;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Fulcio-compatible certificate authority for the sandbox: a self-signed P-384 root (CA, pathLen 1, keyCertSign)
 * and a P-384 intermediate (CA, pathLen 0, extended key usage codeSigning, as Fulcio's intermediate has) that issues
 * ten-minute code-signing certificates for verified OIDC identities, each with an SCT from a {@link CtLog} embedded.
 *
 * <p>A leaf has an empty subject, a random 159-bit serial, a critical subject alternative name (the e-mail address as
 * rfc822Name; for GitHub Actions tokens the workflow URI {@code https://github.com/} + {@code job_workflow_ref}; else
 * the subject as URI when it is an absolute URI with a host; else the subject as a username otherName
 * {@code 1.3.6.1.4.1.57264.1.7}), critical keyUsage digitalSignature, extendedKeyUsage codeSigning, subject and
 * authority key identifiers, and Fulcio's extensions: the issuer in {@code 1.3.6.1.4.1.57264.1.1} (raw) and {@code .8}
 * (DER UTF8String) and, for tokens with GitHub Actions claims, {@code .2}-{@code .6} (raw, deprecated) and
 * {@code .9}-{@code .23} (DER UTF8String) for the claims present. It is first issued as a precertificate (critical
 * poison extension), timestamped by the log, then issued again with the SCT list in place of the poison, with the same
 * serial, validity and other extensions, in the same order. Leaves are signed with ECDSA over SHA-384.
 *
 * <p>The data directory holds {@code fulcio-root-key.pem} and {@code fulcio-intermediate-key.pem} (PKCS#8, mode 0600),
 * {@code fulcio-root-cert.pem} and {@code fulcio-intermediate-cert.pem}, written atomically by the first {@link #open},
 * the intermediate certificate last (while it is absent the set is created afresh); later opens reload them. Thread-
 * safe.
 */
public final class CertificateAuthority {
  /** How long a signing certificate is valid, as Fulcio issues them. */
  public static final Duration LEAF_VALIDITY = Duration.ofMinutes(10);
  /** The otherName type of a username SAN. */
  public static final String USERNAME_OID = "1.3.6.1.4.1.57264.1.7";
  /** The base of GitHub Actions URIs. */
  public static final String GITHUB_URL = "https://github.com/";

  static final String ROOT_KEY = "fulcio-root-key.pem";
  static final String INTERMEDIATE_KEY = "fulcio-intermediate-key.pem";
  static final String ROOT_CERT = "fulcio-root-cert.pem";
  static final String INTERMEDIATE_CERT = "fulcio-intermediate-cert.pem";
  private static final KeyChainFiles FILES =
      new KeyChainFiles(ROOT_KEY, INTERMEDIATE_KEY, ROOT_CERT, INTERMEDIATE_CERT, "CA");

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** CA certificates start a little before their creation, so a slightly slow clock elsewhere does not reject them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);
  static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";

  private static final String FULCIO = "1.3.6.1.4.1.57264.1.";
  private static final ASN1ObjectIdentifier POISON = new ASN1ObjectIdentifier(CtLog.POISON_OID);
  private static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier(Sct.SCT_LIST_OID);

  private final Provider bc = Providers.bouncyCastle();
  private final SecureRandom random = new SecureRandom();
  private final PrivateKey intermediateKey;
  private final X509Certificate intermediate;
  private final X509Certificate root;
  private final X500Name issuerName;
  private final AuthorityKeyIdentifier authorityKeyId;
  private final CtLog ctLog;

  private CertificateAuthority(
      PrivateKey intermediateKey, X509Certificate intermediate, X509Certificate root, CtLog ctLog) {
    this.intermediateKey = intermediateKey;
    this.intermediate = intermediate;
    this.root = root;
    this.ctLog = ctLog;
    this.issuerName = X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded());
    try {
      this.authorityKeyId = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(intermediate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 for key identifiers is always available", e);
    }
  }

  /** Opens (creating on first use) the CA and its CT log kept in {@code dataDir}, with the system clock. */
  public static CertificateAuthority open(Path dataDir) throws IOException {
    return open(dataDir, Clock.systemUTC());
  }

  /** Opens (creating on first use) the CA and its CT log ({@link CtLog#open(Path, Clock)}) kept in {@code dataDir}. */
  public static CertificateAuthority open(Path dataDir, Clock clock) throws IOException {
    return open(dataDir, clock, CtLog.open(dataDir, clock));
  }

  /**
   * Opens (creating on first use) the CA kept in {@code dataDir}, timestamping with {@code ctLog}.
   *
   * @param clock gives the CA certificates' validity start when they are created
   * @throws IOException if the directory cannot be used, or holds an incomplete or inconsistent key set
   */
  public static CertificateAuthority open(Path dataDir, Clock clock, CtLog ctLog) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ctLog, "ctLog");
    Files.createDirectories(dataDir);
    if (!FILES.existsIn(dataDir)) {
      create(dataDir, clock.instant());
    }
    return load(dataDir, ctLog);
  }

  // ------------------------------------------------------------------------------------------------- key material

  private static void create(Path dir, Instant now) throws IOException {
    Provider bc = Providers.bouncyCastle();
    try {
      KeyPair rootPair = generate();
      KeyPair interPair = generate();
      Instant notBefore = now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
      Date from = Date.from(notBefore);
      Date until = Date.from(notBefore.plus(CA_VALIDITY));
      X500Name rootName = new X500Name("CN=Sigil sandbox Fulcio root,O=Sigil sandbox");
      X500Name interName = new X500Name("CN=Sigil sandbox Fulcio intermediate,O=Sigil sandbox");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      ContentSigner rootSigner =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(bc).build(rootPair.getPrivate());

      X509v3CertificateBuilder rb =
          new JcaX509v3CertificateBuilder(rootName, serial(), from, until, rootName, rootPair.getPublic());
      rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
      rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootPair.getPublic()));
      X509CertificateHolder rootCert = rb.build(rootSigner);

      X509v3CertificateBuilder ib =
          new JcaX509v3CertificateBuilder(rootName, serial(), from, until, interName, interPair.getPublic());
      ib.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      ib.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ib.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      ib.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(interPair.getPublic()));
      ib.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootPair.getPublic()));
      X509CertificateHolder interCert = ib.build(rootSigner);

      FILES.write(dir, rootPair, rootCert, interPair, interCert);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("creating the P-384 CA keys and certificates failed", e);
    }
  }

  private static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(159, new SecureRandom()).setBit(158);
  }

  private static CertificateAuthority load(Path dir, CtLog ctLog) throws IOException {
    KeyChainFiles.Loaded k = FILES.load(dir, 384, SIGNATURE_ALGORITHM);
    return new CertificateAuthority(k.childKey(), k.child(), k.root(), ctLog);
  }

  // ------------------------------------------------------------------------------------------------- accessors

  /** The CA chain for a trusted root's {@code certificateAuthorities[].certChain}: intermediate, then root. */
  public List<X509Certificate> chain() {
    return List.of(intermediate, root);
  }

  /** The self-signed root certificate. */
  public X509Certificate root() {
    return root;
  }

  /** The intermediate certificate, which signs the leaves. */
  public X509Certificate intermediate() {
    return intermediate;
  }

  /** The CT log whose SCTs the leaves embed. */
  public CtLog ctLog() {
    return ctLog;
  }

  /** The CA's trusted-root {@code validFor.start}: the root's notBefore, stable across restarts. */
  public Instant validFrom() {
    return root.getNotBefore().toInstant();
  }

  /** This CA as Sigil's verifier trusts it: the {@link #chain()}, valid from {@link #validFrom()}, open-ended. */
  public TrustedCertificateAuthority trusted() {
    return TrustedCertificateAuthority.openEnded(chain(), validFrom());
  }

  // ------------------------------------------------------------------------------------------------- issuing

  /**
   * Issues a signing certificate for {@code identity}'s {@code subjectKey}, valid from {@code now} (whole seconds)
   * for {@link #LEAF_VALIDITY}, with an SCT from the {@link #ctLog()} timestamped {@code now}. The caller has
   * verified the identity token and the proof of possession.
   *
   * @throws UnsupportedSubjectKeyException if the key is not ECDSA P-256/P-384, Ed25519 or RSA of 2048-4096 bits
   */
  public IssuedCertificate issue(VerifiedIdentity identity, PublicKey subjectKey, Instant now)
      throws UnsupportedSubjectKeyException {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(now, "now");
    return issue(identity, SubjectKeys.check(subjectKey).spki(), now);
  }

  IssuedCertificate issue(VerifiedIdentity identity, SubjectPublicKeyInfo spki, Instant now) {
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    BigInteger serial = new BigInteger(159, random).setBit(158);
    List<Extension> extensions = leafExtensions(identity, spki);
    try {
      List<Extension> pre = new ArrayList<>(extensions);
      pre.add(new Extension(POISON, true, DERNull.INSTANCE.getEncoded()));
      X509Certificate precert = build(serial, notBefore, spki, pre);
      Sct sct = ctLog.addPreChain(precert, intermediate, now);
      List<Extension> fin = new ArrayList<>(extensions);
      fin.add(new Extension(SCT_LIST, false, Sct.extensionValue(List.of(sct))));
      X509Certificate leaf = build(serial, notBefore, spki, fin);
      return new IssuedCertificate(List.of(leaf, intermediate, root), sct);
    } catch (IOException | GeneralSecurityException | OperatorCreationException | InvalidPrecertificateException e) {
      throw new IllegalStateException("issuing a certificate from valid inputs failed: " + e.getMessage(), e);
    }
  }

  private X509Certificate build(BigInteger serial, Instant notBefore, SubjectPublicKeyInfo spki, List<Extension> exts)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            issuerName,
            serial,
            Date.from(notBefore),
            Date.from(notBefore.plus(LEAF_VALIDITY)),
            new X500Name(new RDN[0]),
            spki);
    for (Extension e : exts) {
      b.addExtension(e);
    }
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(bc).build(intermediateKey);
    byte[] der = b.build(signer).getEncoded();
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private List<Extension> leafExtensions(VerifiedIdentity id, SubjectPublicKeyInfo spki) {
    try {
      List<Extension> out = new ArrayList<>();
      out.add(new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded()));
      out.add(
          new Extension(
              Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning).getEncoded()));
      SubjectKeyIdentifier ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(spki);
      out.add(new Extension(Extension.subjectKeyIdentifier, false, ski.getEncoded()));
      out.add(new Extension(Extension.authorityKeyIdentifier, false, authorityKeyId.getEncoded()));
      out.add(new Extension(Extension.subjectAlternativeName, true, new GeneralNames(san(id)).getEncoded()));
      out.add(raw(1, id.issuer()));
      Map<String, Object> c = id.claims();
      boolean github = claim(c, "job_workflow_ref").isPresent() || claim(c, "repository").isPresent();
      if (github) {
        claim(c, "event_name").ifPresent(v -> out.add(raw(2, v)));
        claim(c, "sha").ifPresent(v -> out.add(raw(3, v)));
        claim(c, "workflow").ifPresent(v -> out.add(raw(4, v)));
        claim(c, "repository").ifPresent(v -> out.add(raw(5, v)));
        claim(c, "ref").ifPresent(v -> out.add(raw(6, v)));
      }
      out.add(utf8(8, id.issuer()));
      if (github) {
        claim(c, "job_workflow_ref").ifPresent(v -> out.add(utf8(9, GITHUB_URL + v)));
        claim(c, "job_workflow_sha").ifPresent(v -> out.add(utf8(10, v)));
        claim(c, "runner_environment").ifPresent(v -> out.add(utf8(11, v)));
        claim(c, "repository").ifPresent(v -> out.add(utf8(12, GITHUB_URL + v)));
        claim(c, "sha").ifPresent(v -> out.add(utf8(13, v)));
        claim(c, "ref").ifPresent(v -> out.add(utf8(14, v)));
        claim(c, "repository_id").ifPresent(v -> out.add(utf8(15, v)));
        claim(c, "repository_owner").ifPresent(v -> out.add(utf8(16, GITHUB_URL + v)));
        claim(c, "repository_owner_id").ifPresent(v -> out.add(utf8(17, v)));
        claim(c, "workflow_ref").ifPresent(v -> out.add(utf8(18, GITHUB_URL + v)));
        claim(c, "workflow_sha").ifPresent(v -> out.add(utf8(19, v)));
        claim(c, "event_name").ifPresent(v -> out.add(utf8(20, v)));
        Optional<String> repo = claim(c, "repository");
        Optional<String> runId = claim(c, "run_id");
        Optional<String> attempt = claim(c, "run_attempt");
        if (repo.isPresent() && runId.isPresent() && attempt.isPresent()) {
          out.add(
              utf8(21, GITHUB_URL + repo.get() + "/actions/runs/" + runId.get() + "/attempts/" + attempt.get()));
        }
        claim(c, "repository_visibility").ifPresent(v -> out.add(utf8(22, v)));
        claim(c, "environment").ifPresent(v -> out.add(utf8(23, v)));
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("encoding leaf extensions failed", e);
    }
  }

  /**
   * The single SAN: the e-mail address; else, for a GitHub Actions token, the workflow URI; else the subject as a URI
   * when it is an absolute hierarchical URI with a host (e.g. {@code https://...}, {@code spiffe://...}); else the
   * subject as a username otherName.
   */
  static GeneralName san(VerifiedIdentity id) {
    if (id.email().isPresent()) {
      return new GeneralName(GeneralName.rfc822Name, id.email().get());
    }
    Optional<String> workflow = claim(id.claims(), "job_workflow_ref");
    if (workflow.isPresent()) {
      return new GeneralName(GeneralName.uniformResourceIdentifier, GITHUB_URL + workflow.get());
    }
    if (isAbsoluteUri(id.subject())) {
      return new GeneralName(GeneralName.uniformResourceIdentifier, id.subject());
    }
    return new GeneralName(
        GeneralName.otherName,
        new DERSequence(
            new ASN1Encodable[] {
              new ASN1ObjectIdentifier(USERNAME_OID), new DERTaggedObject(true, 0, new DERUTF8String(id.subject()))
            }));
  }

  static boolean isAbsoluteUri(String s) {
    try {
      URI u = new URI(s);
      return u.isAbsolute() && !u.isOpaque() && u.getHost() != null && !u.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** A claim as text when it is a non-empty string, a number or a boolean. */
  static Optional<String> claim(Map<String, Object> claims, String name) {
    Object v = claims.get(name);
    if (v instanceof String s && !s.isEmpty()) {
      return Optional.of(s);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return Optional.of(v.toString());
    }
    return Optional.empty();
  }

  /** A deprecated Fulcio extension (1.1-1.6): the UTF-8 bytes themselves, no ASN.1. */
  private static Extension raw(int arc, String value) {
    return new Extension(
        new ASN1ObjectIdentifier(FULCIO + arc), false, new DEROctetString(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** A Fulcio extension from 1.8 on: one DER UTF8String. */
  private static Extension utf8(int arc, String value) {
    try {
      return new Extension(new ASN1ObjectIdentifier(FULCIO + arc), false, new DERUTF8String(value).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("encoding a UTF8String cannot fail", e);
    }
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + intermediate.getSubjectX500Principal().getName() + ", " + ctLog + "]";
  }
}
