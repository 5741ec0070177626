package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Providers;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertID;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A throwaway timestamp authority for tests: a root CA, an optional intermediate and a TSA leaf, all EC P-256 keys
 * made fresh per instance, that mints RFC 3161 TimeStampResp bytes (what Sigstore bundles carry in
 * {@code rfc3161Timestamps[].signedTimestamp}) over any data, including deliberately wrong ones.
 *
 * <pre>{@code
 * TestTimestampAuthority tsa = TestTimestampAuthority.create();
 * byte[] resp = tsa.stamp(signatureBytes).genTime(Instant.parse("2025-06-01T12:00:00Z")).build();
 * TimestampVerifier verifier = new TimestampVerifier(List.of(tsa.trusted()));
 * }</pre>
 *
 * <p>{@link Stamp#build()} assembles the CMS itself (so it can also produce tokens BouncyCastle's generator refuses:
 * wrong EKU, missing or wrong ESSCertID, two signers); {@link #bcGeneratedResponse} and {@link #failResponse} go
 * through BouncyCastle's own {@link TimeStampResponseGenerator}. Certificates default to the validity
 * {@link #DEFAULT_NOT_BEFORE}..{@link #DEFAULT_NOT_AFTER} and stamps to genTime {@link #DEFAULT_GEN_TIME}, so tests are
 * deterministic. A built instance holds no mutable state.
 */
public final class TestTimestampAuthority {
  public static final Instant DEFAULT_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
  public static final Instant DEFAULT_NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");
  public static final Instant DEFAULT_GEN_TIME = Instant.parse("2025-06-01T12:00:00Z");
  /** The Sigstore TSA policy OID, as the public TSA uses it. */
  public static final String SIGSTORE_POLICY = "1.3.6.1.4.1.57264.2";

  private final KeyPair leafKey;
  private final X509Certificate leaf;
  private final List<X509Certificate> chain;

  private TestTimestampAuthority(KeyPair leafKey, List<X509Certificate> chain) {
    this.leafKey = leafKey;
    this.leaf = chain.get(0);
    this.chain = List.copyOf(chain);
  }

  /** A TSA with default settings: root, intermediate, leaf with a critical id-kp-timeStamping EKU. */
  public static TestTimestampAuthority create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Leaf first, root last, as in a trusted root's {@code certChain}. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate leaf() {
    return leaf;
  }

  /** This TSA as a trusted authority valid from {@link #DEFAULT_NOT_BEFORE} with no end. */
  public TrustedTimestampAuthority trusted() {
    return TrustedTimestampAuthority.openEnded(chain, DEFAULT_NOT_BEFORE);
  }

  /** This TSA as a trusted authority with the given window. */
  public TrustedTimestampAuthority trusted(Instant validFrom, Optional<Instant> validUntil) {
    return new TrustedTimestampAuthority(chain, validFrom, validUntil);
  }

  /**
   * A certificate with the leaf's subject, issuer and serial number but a fresh key, self-signed: what an attacker
   * could embed in a token to impersonate the leaf. Nothing should ever trust it.
   */
  public X509Certificate leafLookalike() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair stray = g.generateKeyPair();
      X509CertificateHolder real = new X509CertificateHolder(leaf.getEncoded());
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              real.getIssuer(), real.getSerialNumber(), real.getNotBefore(), real.getNotAfter(), real.getSubject(),
              stray.getPublic());
      b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA")
              .setProvider(Providers.bouncyCastle())
              .build(stray.getPrivate());
      return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("building a look-alike leaf failed", e);
    }
  }

  /** Starts a timestamp over {@code data}; set options, then {@link Stamp#build()}. */
  public Stamp stamp(byte[] data) {
    return new Stamp(this, data);
  }

  /**
   * A granted TimeStampResp produced entirely by BouncyCastle's {@link TimeStampTokenGenerator} and
   * {@link TimeStampResponseGenerator} (SHA-256 imprint, ESSCertIDv2, no embedded certificates).
   */
  public byte[] bcGeneratedResponse(byte[] data, Instant genTime) {
    try {
      TimeStampRequest request =
          new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, digest(HashAlgorithm.SHA2_256, data));
      return bcResponseGenerator()
          .generate(request, randomSerial(), Date.from(genTime))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("minting a BouncyCastle-generated timestamp failed", e);
    }
  }

  /**
   * A TimeStampResp without a token, with the given PKIStatus, failure-info bits ({@code PKIFailureInfo}) and text,
   * produced by BouncyCastle's {@link TimeStampResponseGenerator#generateFailResponse}.
   */
  public byte[] failResponse(int status, int failInfo, String text) {
    try {
      return bcResponseGenerator().generateFailResponse(status, failInfo, text).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("minting a failure response failed", e);
    }
  }

  private TimeStampResponseGenerator bcResponseGenerator() throws Exception {
    SignerInfoGenerator signerInfo =
        new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build())
            .build(signer("SHA256withECDSA"), new X509CertificateHolder(leaf.getEncoded()));
    DigestCalculator sha256 =
        new JcaDigestCalculatorProviderBuilder()
            .setProvider(Providers.bouncyCastle())
            .build()
            .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
    TimeStampTokenGenerator tokens =
        new TimeStampTokenGenerator(signerInfo, sha256, new ASN1ObjectIdentifier(SIGSTORE_POLICY));
    return new TimeStampResponseGenerator(tokens, Set.of(TSPAlgorithms.SHA256));
  }

  private ContentSigner signer(String algorithm) throws Exception {
    return new JcaContentSignerBuilder(algorithm).setProvider(Providers.bouncyCastle()).build(leafKey.getPrivate());
  }

  static byte[] digest(HashAlgorithm alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg.jcaName(), Providers.bouncyCastle()).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How the token identifies its signing certificate in the signed attributes. */
  public enum SigningCertificateAttribute {
    /** SigningCertificateV2 with a SHA-256 ESSCertIDv2 (RFC 5816), as Sigstore's TSA does. */
    V2,
    /** SigningCertificate with a SHA-1 ESSCertID (RFC 3161 §2.4.1 / RFC 2634). */
    V1,
    /** No signing-certificate attribute at all (not RFC 3161 conformant). */
    NONE,
    /** SigningCertificateV2 whose certificate hash is of the wrong bytes. */
    WRONG_HASH
  }

  /** Options for one minted timestamp. */
  public static final class Stamp {
    private final TestTimestampAuthority tsa;
    private final byte[] data;
    private Instant genTime = DEFAULT_GEN_TIME;
    private HashAlgorithm hash = HashAlgorithm.SHA2_256;
    private ASN1ObjectIdentifier imprintAlgorithm;
    private byte[] imprint;
    private int status = PKIStatus.GRANTED;
    private boolean includeToken = true;
    private List<X509Certificate> embedded = List.of();
    private boolean signerBySubjectKeyId;
    private SigningCertificateAttribute signingCertificate = SigningCertificateAttribute.V2;
    private String policy = SIGSTORE_POLICY;
    private String genTimeText;
    private boolean secondSigner;
    private Instant signingTime;

    private Stamp(TestTimestampAuthority tsa, byte[] data) {
      this.tsa = tsa;
      this.data = data.clone();
    }

    public Stamp genTime(Instant t) {
      this.genTime = Objects.requireNonNull(t);
      return this;
    }

    /** The genTime exactly as encoded, overriding {@link #genTime(Instant)} (for malformed-time tests). */
    public Stamp genTimeText(String text) {
      this.genTimeText = text;
      return this;
    }

    public Stamp hash(HashAlgorithm h) {
      this.hash = Objects.requireNonNull(h);
      return this;
    }

    /** Uses SHA-1 for the message imprint (a weak algorithm verifiers should refuse). */
    public Stamp sha1Imprint() {
      this.imprintAlgorithm = OIWObjectIdentifiers.idSHA1;
      this.imprint = sha1(data);
      return this;
    }

    /** Puts {@code bytes} in the message imprint instead of the hash of the data. */
    public Stamp imprint(byte[] bytes) {
      this.imprint = bytes.clone();
      return this;
    }

    /** The PKIStatus of the response; the token is still included. */
    public Stamp status(int s) {
      this.status = s;
      return this;
    }

    /** Leaves the token out of the response (keeping the status). */
    public Stamp withoutToken() {
      this.includeToken = false;
      return this;
    }

    /** Embeds this TSA's whole chain in the token's certificates field. */
    public Stamp includeCertificates() {
      this.embedded = tsa.chain;
      return this;
    }

    /** Embeds exactly these certificates in the token. */
    public Stamp embed(List<X509Certificate> certs) {
      this.embedded = List.copyOf(certs);
      return this;
    }

    /** Identifies the signer by subject key identifier (SignerInfo v3) instead of issuer and serial. */
    public Stamp signerBySubjectKeyId() {
      this.signerBySubjectKeyId = true;
      return this;
    }

    public Stamp signingCertificate(SigningCertificateAttribute a) {
      this.signingCertificate = Objects.requireNonNull(a);
      return this;
    }

    public Stamp policy(String oid) {
      this.policy = oid;
      return this;
    }

    /**
     * The CMS signing-time attribute; by default it equals genTime. (BouncyCastle 1.87 refuses a token whose
     * signing-time differs from genTime by more than 60 s plus the stated accuracy.)
     */
    public Stamp signingTime(Instant t) {
      this.signingTime = t;
      return this;
    }

    /** Adds a second SignerInfo (RFC 3161 §2.4.1 allows only the TSA's). */
    public Stamp secondSigner() {
      this.secondSigner = true;
      return this;
    }

    /** The DER TimeStampResp. */
    public byte[] build() {
      try {
        PKIStatusInfo statusInfo =
            status == PKIStatus.GRANTED
                ? new PKIStatusInfo(PKIStatus.granted)
                : new PKIStatusInfo(
                    PKIStatus.getInstance(new ASN1Integer(status)),
                    new PKIFreeText("minted by TestTimestampAuthority"));
        return new TimeStampResp(statusInfo, includeToken ? token() : null).getEncoded(ASN1Encoding.DER);
      } catch (Exception e) {
        throw new IllegalStateException("minting a timestamp failed", e);
      }
    }

    /** The DER TimeStampToken alone (a CMS ContentInfo), without the response wrapper. */
    public byte[] buildBareToken() {
      try {
        return token().getEncoded(ASN1Encoding.DER);
      } catch (Exception e) {
        throw new IllegalStateException("minting a timestamp token failed", e);
      }
    }

    private ContentInfo token() throws Exception {
      ASN1ObjectIdentifier algOid = imprintAlgorithm != null ? imprintAlgorithm : oid(hash);
      byte[] hashed = imprint != null ? imprint : digest(hash, data);
      TSTInfo info =
          new TSTInfo(
              new ASN1ObjectIdentifier(policy),
              new MessageImprint(new AlgorithmIdentifier(algOid), hashed),
              new ASN1Integer(randomSerial()),
              new ASN1GeneralizedTime(genTimeText != null ? genTimeText : format(genTime)),
              null,
              null,
              null,
              null,
              null);
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addSignerInfoGenerator(signerInfoGenerator(tsa.leafKey, tsa.leaf));
      if (secondSigner) {
        TestTimestampAuthority other = TestTimestampAuthority.create();
        Stamp otherStamp = other.stamp(data);
        gen.addSignerInfoGenerator(otherStamp.signerInfoGenerator(other.leafKey, other.leaf));
      }
      if (!embedded.isEmpty()) {
        gen.addCertificates(new JcaCertStore(embedded));
      }
      CMSSignedData signed =
          gen.generate(
              new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo, info.getEncoded(ASN1Encoding.DER)),
              true);
      return signed.toASN1Structure();
    }

    private SignerInfoGenerator signerInfoGenerator(KeyPair key, X509Certificate cert) throws Exception {
      X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());
      AttributeTable extra =
          new AttributeTable(new ASN1EncodableVector())
              .add(CMSAttributes.signingTime, new Time(Date.from(signingTime != null ? signingTime : genTime)));
      IssuerSerial issuerSerial =
          new IssuerSerial(new GeneralNames(new GeneralName(holder.getIssuer())), holder.getSerialNumber());
      switch (signingCertificate) {
        case V2 -> extra =
            extra.add(
                PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new SigningCertificateV2(
                    new ESSCertIDv2(digest(HashAlgorithm.SHA2_256, cert.getEncoded()), issuerSerial)));
        case V1 -> extra =
            extra.add(
                PKCSObjectIdentifiers.id_aa_signingCertificate,
                new SigningCertificate(new ESSCertID(sha1(cert.getEncoded()), issuerSerial)));
        case WRONG_HASH -> extra =
            extra.add(
                PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new SigningCertificateV2(
                    new ESSCertIDv2(digest(HashAlgorithm.SHA2_256, "not the certificate".getBytes()), issuerSerial)));
        case NONE -> {}
      }
      JcaSignerInfoGeneratorBuilder builder =
          new JcaSignerInfoGeneratorBuilder(
                  new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bouncyCastle()).build())
              .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(extra));
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bouncyCastle()).build(key.getPrivate());
      if (signerBySubjectKeyId) {
        byte[] ski =
            SubjectKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifier();
        return builder.build(signer, ski);
      }
      return builder.build(signer, holder);
    }

    private static ASN1ObjectIdentifier oid(HashAlgorithm h) {
      return switch (h) {
        case SHA2_256 -> NISTObjectIdentifiers.id_sha256;
        case SHA2_384 -> NISTObjectIdentifiers.id_sha384;
        case SHA2_512 -> NISTObjectIdentifiers.id_sha512;
      };
    }

    /** RFC 3161 genTime text: UTC, seconds, a fraction only if non-zero and without trailing zeros. */
    private static String format(Instant t) {
      String base = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(t);
      if (t.getNano() == 0) {
        return base + "Z";
      }
      String frac = String.format("%09d", t.getNano()).replaceAll("0+$", "");
      return base + "." + frac + "Z";
    }
  }

  private static BigInteger randomSerial() {
    return new BigInteger(64, new SecureRandom()).setBit(63);
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1", Providers.bouncyCastle()).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Shapes the chain; every option defaults to a well-formed Sigstore-like TSA. */
  public static final class Builder {
    private String name = "Sigil Test TSA";
    private Instant notBefore = DEFAULT_NOT_BEFORE;
    private Instant notAfter = DEFAULT_NOT_AFTER;
    private Instant leafNotAfter;
    private boolean intermediate = true;
    private boolean ekuCritical = true;
    private List<KeyPurposeId> leafEku = List.of(KeyPurposeId.id_kp_timeStamping);
    private boolean leafIsCa;
    private boolean brokenSignature;
    private boolean brokenIssuerName;
    private boolean intermediateNotCa;
    private KeyPurposeId intermediateEku;

    private Builder() {}

    /** Prefix of every subject CN, so several TSAs in one test are told apart. */
    public Builder name(String n) {
      this.name = n;
      return this;
    }

    /** Validity of every certificate in the chain. */
    public Builder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** A different notAfter for the leaf only. */
    public Builder leafNotAfter(Instant to) {
      this.leafNotAfter = to;
      return this;
    }

    /** Leaf issued directly by the root. */
    public Builder withoutIntermediate() {
      this.intermediate = false;
      return this;
    }

    /** The leaf's extendedKeyUsage purposes (none: omit the extension). */
    public Builder leafExtendedKeyUsage(boolean critical, KeyPurposeId... ids) {
      this.ekuCritical = critical;
      this.leafEku = List.of(ids);
      return this;
    }

    /** Marks the leaf as a CA (basicConstraints cA=true). */
    public Builder leafIsCa() {
      this.leafIsCa = true;
      return this;
    }

    /** Signs the leaf with a stray key while still naming its issuer: the chain's signature link is broken. */
    public Builder brokenSignature() {
      this.brokenSignature = true;
      return this;
    }

    /** Names a different issuer in the leaf than the next certificate's subject. */
    public Builder brokenIssuerName() {
      this.brokenIssuerName = true;
      return this;
    }

    /** Issues the intermediate without basicConstraints cA=true. */
    public Builder intermediateNotCa() {
      this.intermediateNotCa = true;
      return this;
    }

    /** Gives the intermediate an extendedKeyUsage extension with this one purpose. */
    public Builder intermediateExtendedKeyUsage(KeyPurposeId id) {
      this.intermediateEku = id;
      return this;
    }

    public TestTimestampAuthority build() {
      try {
        KeyPair rootKey = ecKey();
        X500Name rootName = new X500Name("O=sigil-test, CN=" + name + " Root");
        X509Certificate root = cert(rootName, rootName, rootKey, rootKey, true, null, notAfter, null);
        KeyPair issuerKey = rootKey;
        X500Name issuerName = rootName;
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate inter = null;
        if (intermediate) {
          KeyPair interKey = ecKey();
          X500Name interName = new X500Name("O=sigil-test, CN=" + name + " Intermediate");
          inter = cert(interName, rootName, interKey, rootKey, !intermediateNotCa, null, notAfter, intermediateEku);
          issuerKey = interKey;
          issuerName = interName;
        }
        KeyPair leafKey = ecKey();
        X500Name leafName = new X500Name("O=sigil-test, CN=" + name);
        KeyPair leafSigner = brokenSignature ? ecKey() : issuerKey;
        X500Name leafIssuer = brokenIssuerName ? new X500Name("O=sigil-test, CN=Somebody Else") : issuerName;
        X509Certificate leaf =
            cert(leafName, leafIssuer, leafKey, leafSigner, leafIsCa, leafEku,
                leafNotAfter != null ? leafNotAfter : notAfter, null);
        chain.add(leaf);
        if (inter != null) {
          chain.add(inter);
        }
        chain.add(root);
        return new TestTimestampAuthority(leafKey, chain);
      } catch (Exception e) {
        throw new IllegalStateException("building a test TSA failed", e);
      }
    }

    private X509Certificate cert(
        X500Name subject,
        X500Name issuer,
        KeyPair subjectKey,
        KeyPair issuerKey,
        boolean ca,
        List<KeyPurposeId> eku,
        Instant until,
        KeyPurposeId caEku)
        throws Exception {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              randomSerial(),
              Date.from(notBefore),
              Date.from(until),
              subject,
              subjectKey.getPublic());
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey.getPublic()));
      if (ca) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      }
      if (eku != null && !eku.isEmpty()) {
        b.addExtension(
            Extension.extendedKeyUsage, ekuCritical, new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
      }
      if (caEku != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(caEku));
      }
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA")
              .setProvider(Providers.bouncyCastle())
              .build(issuerKey.getPrivate());
      return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle()).getCertificate(b.build(signer));
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    }
  }
}
