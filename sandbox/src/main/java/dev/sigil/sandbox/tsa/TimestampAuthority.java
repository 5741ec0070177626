package dev.sigil.sandbox.tsa;

import dev.sigil.sandbox.keys.KeyChainFiles;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.tsp.TimeStampReq;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 timestamp authority for the sandbox, with its own two-certificate PKI: a self-signed P-256 root CA and
 * a P-256 TSA leaf (not a CA, keyUsage digitalSignature, critical extendedKeyUsage id-kp-timeStamping only) issued by
 * it. Tokens are signed with ECDSA over SHA-256, carry an ESSCertIDv2 signing-certificate attribute (RFC 5816), the
 * {@link #policy() policy}, a random 128-bit serial number and the request's nonce, and embed the leaf certificate
 * when the request sets {@code certReq}.
 *
 * <p>The keys and certificates live in the data directory: {@code tsa-root-key.pem} and {@code tsa-leaf-key.pem}
 * (PKCS#8 {@code PRIVATE KEY}, mode 0600), {@code tsa-root-cert.pem} and {@code tsa-leaf-cert.pem}. They are created
 * by the first {@link #open} of a directory, each file written atomically (temporary file, sync, rename), the leaf
 * certificate last: while it is absent the set is incomplete and is created afresh. Later opens reload them, so the
 * {@link #chain()} stays the same across restarts.
 *
 * <p>{@link #respond} never throws for bad input: it answers with a rejection TimeStampResp instead. Thread-safe.
 */
public final class TimestampAuthority {
  /** The TSTInfo policy OID used unless another is given. */
  public static final String DEFAULT_POLICY = "1.3.6.1.4.1.57264.2";

  static final String ROOT_KEY = "tsa-root-key.pem";
  static final String LEAF_KEY = "tsa-leaf-key.pem";
  static final String ROOT_CERT = "tsa-root-cert.pem";
  static final String LEAF_CERT = "tsa-leaf-cert.pem";
  private static final KeyChainFiles FILES = new KeyChainFiles(ROOT_KEY, LEAF_KEY, ROOT_CERT, LEAF_CERT, "TSA");

  static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
  static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  /** Certificates start a little before their creation, so a slightly slow clock elsewhere does not reject them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final Set<ASN1ObjectIdentifier> ACCEPTED_ALGORITHMS =
      Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384, TSPAlgorithms.SHA512);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final Provider bc = Providers.bouncyCastle();
  private final PrivateKey leafKey;
  private final X509Certificate leaf;
  private final X509Certificate root;
  private final ASN1ObjectIdentifier policy;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private TimestampAuthority(
      PrivateKey leafKey, X509Certificate leaf, X509Certificate root, ASN1ObjectIdentifier policy, Clock clock) {
    this.leafKey = leafKey;
    this.leaf = leaf;
    this.root = root;
    this.policy = policy;
    this.clock = clock;
  }

  /** Opens (creating on first use) the authority kept in {@code dataDir}, with the system clock. */
  public static TimestampAuthority open(Path dataDir) throws IOException {
    return open(dataDir, Clock.systemUTC(), DEFAULT_POLICY);
  }

  /**
   * Opens (creating on first use) the authority kept in {@code dataDir}.
   *
   * @param clock the source of genTime, and of the certificates' validity start when they are created
   * @param policyOid the dotted TSTInfo policy OID; requests naming another {@code reqPolicy} are rejected
   * @throws IOException if the directory cannot be used, or holds an incomplete or inconsistent key set
   */
  public static TimestampAuthority open(Path dataDir, Clock clock, String policyOid) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(policyOid, "policyOid");
    ASN1ObjectIdentifier policy;
    try {
      policy = new ASN1ObjectIdentifier(policyOid);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policyOid: expected a dotted OID, found \"" + policyOid + "\"", e);
    }
    Files.createDirectories(dataDir);
    if (!FILES.existsIn(dataDir)) {
      create(dataDir, clock.instant());
    }
    return load(dataDir, policy, clock);
  }

  // ------------------------------------------------------------------------------------------------- key material

  private static void create(Path dir, Instant now) throws IOException {
    Provider bc = Providers.bouncyCastle();
    try {
      KeyPair rootPair = generate();
      KeyPair leafPair = generate();
      Instant notBefore = now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
      X500Name rootName = new X500Name("CN=Sigil sandbox TSA root,O=Sigil sandbox");
      X500Name leafName = new X500Name("CN=Sigil sandbox TSA,O=Sigil sandbox");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      ContentSigner rootSigner =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(bc).build(rootPair.getPrivate());

      X509v3CertificateBuilder rb =
          new JcaX509v3CertificateBuilder(
              rootName,
              serial(),
              Date.from(notBefore),
              Date.from(notBefore.plus(ROOT_VALIDITY)),
              rootName,
              rootPair.getPublic());
      rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootPair.getPublic()));
      X509CertificateHolder rootCert = rb.build(rootSigner);

      X509v3CertificateBuilder lb =
          new JcaX509v3CertificateBuilder(
              rootName,
              serial(),
              Date.from(notBefore),
              Date.from(notBefore.plus(LEAF_VALIDITY)),
              leafName,
              leafPair.getPublic());
      lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      lb.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      lb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafPair.getPublic()));
      lb.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootPair.getPublic()));
      X509CertificateHolder leafCert = lb.build(rootSigner);

      FILES.write(dir, rootPair, rootCert, leafPair, leafCert);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("creating the P-256 TSA keys and certificates failed", e);
    }
  }

  private static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).setBit(126);
  }

  private static TimestampAuthority load(Path dir, ASN1ObjectIdentifier policy, Clock clock) throws IOException {
    KeyChainFiles.Loaded k = FILES.load(dir, 256, SIGNATURE_ALGORITHM);
    return new TimestampAuthority(k.childKey(), k.child(), k.root(), policy, clock);
  }

  // ------------------------------------------------------------------------------------------------- accessors

  /** The chain for a trusted root's {@code timestampAuthorities[].certChain}: the TSA leaf, then the root. */
  public List<X509Certificate> chain() {
    return List.of(leaf, root);
  }

  /** The TSA signing certificate. */
  public X509Certificate leaf() {
    return leaf;
  }

  /** The self-signed root CA certificate. */
  public X509Certificate root() {
    return root;
  }

  /** The TSTInfo policy OID, dotted. */
  public String policy() {
    return policy.getId();
  }

  // ------------------------------------------------------------------------------------------------- responding

  /** What {@link #process} made of a request: the DER TimeStampResp, and whether the request parsed at all. */
  record Outcome(byte[] response, boolean wellFormed) {}

  /**
   * Answers a DER TimeStampReq with a DER TimeStampResp: granted (status 0) with a token, or a rejection (status 2)
   * with failInfo badAlg (imprint not SHA-256/384/512), badDataFormat (imprint length wrong), unacceptedPolicy,
   * unacceptedExtension or badRequest (not a version-1 TimeStampReq). Never throws for malformed input.
   */
  public byte[] respond(byte[] timeStampReqDer) {
    return process(timeStampReqDer).response();
  }

  Outcome process(byte[] der) {
    TimeStampRequest request;
    try {
      Objects.requireNonNull(der, "timeStampReqDer");
      // fromByteArray refuses trailing bytes after the outer SEQUENCE.
      TimeStampReq req = TimeStampReq.getInstance(ASN1Primitive.fromByteArray(der));
      if (req == null) {
        throw new IllegalArgumentException("empty request");
      }
      request = new TimeStampRequest(req);
      request.getMessageImprintAlgOID(); // forces the parse of the imprint
      if (request.getVersion() != 1) {
        return new Outcome(
            fail(PKIFailureInfo.badRequest, "TimeStampReq version: expected 1, found " + request.getVersion()), false);
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(fail(PKIFailureInfo.badRequest, "the request is not a DER TimeStampReq (RFC 3161)"), false);
    }
    try {
      request.validate(ACCEPTED_ALGORITHMS, Set.of(policy), Set.of());
    } catch (TSPValidationException e) {
      return new Outcome(fail(e.getFailureCode(), e.getMessage()), true);
    } catch (TSPException | RuntimeException e) {
      return new Outcome(fail(PKIFailureInfo.badRequest, "the request cannot be validated"), true);
    }
    try {
      return new Outcome(grant(request), true);
    } catch (TSPException | GeneralSecurityException | IOException
        | org.bouncycastle.operator.OperatorCreationException | RuntimeException e) {
      return new Outcome(fail(PKIFailureInfo.systemFailure, "the timestamp could not be issued"), true);
    }
  }

  private byte[] grant(TimeStampRequest request)
      throws TSPException, GeneralSecurityException, IOException,
          org.bouncycastle.operator.OperatorCreationException {
    // A generator per request: the underlying Signature objects are not thread-safe.
    DigestCalculator certIdDigest =
        new JcaDigestCalculatorProviderBuilder()
            .setProvider(bc)
            .build()
            .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)); // not SHA-1: ESSCertIDv2 (RFC 5816)
    TimeStampTokenGenerator tokens =
        new TimeStampTokenGenerator(
            new JcaSimpleSignerInfoGeneratorBuilder().setProvider(bc).build(SIGNATURE_ALGORITHM, leafKey, leaf),
            certIdDigest,
            policy);
    tokens.setAccuracySeconds(1);
    tokens.addCertificates(new JcaCertStore(List.of(leaf))); // embedded only when the request sets certReq
    TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, ACCEPTED_ALGORITHMS);
    BigInteger serial = new BigInteger(128, random);
    TimeStampResponse response =
        responses.generateGrantedResponse(request, serial, Date.from(clock.instant()));
    return response.getEncoded();
  }

  private static byte[] fail(int failInfo, String text) {
    try {
      return new TimeStampResponseGenerator(null, Set.of())
          .generateFailResponse(PKIStatus.REJECTION, failInfo, text)
          .getEncoded();
    } catch (TSPException | IOException e) {
      throw new IllegalStateException("encoding a rejection TimeStampResp cannot fail", e);
    }
  }

  @Override
  public String toString() {
    return "TimestampAuthority[" + leaf.getSubjectX500Principal().getName() + ", policy " + policy + "]";
  }
}
