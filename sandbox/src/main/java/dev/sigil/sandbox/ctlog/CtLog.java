package dev.sigil.sandbox.ctlog;

import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.verifier.internal.certificate.TrustedCtLog;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The sandbox's certificate transparency log: an ECDSA P-256 key that issues RFC 6962 v1 SCTs for precertificates.
 * Nothing is appended to a Merkle tree; the sandbox only needs the promise (the SCT) that its CA embeds, which is all
 * Sigstore clients verify.
 *
 * <p>Each SCT signs, with ECDSA over SHA-256 (TLS hash 4, signature 3):
 *
 * <pre>
 * version 0 | signature_type certificate_timestamp 0 | timestamp (uint64 ms) | entry_type precert_entry (uint16 1)
 *   | issuer_key_hash (SHA-256 of the issuer's DER SubjectPublicKeyInfo)
 *   | uint24 length + the precertificate's DER TBSCertificate with the poison extension removed
 *   | uint16 length + extensions (empty)
 * </pre>
 *
 * <p>The data directory holds {@code ctlog-key.pem} (PKCS#8 {@code PRIVATE KEY}, mode 0600) and
 * {@code ctlog-created-at.txt} (the ISO-8601 instant the log was created, its trusted-root {@code validFor.start}).
 * The first {@link #open} creates them, each atomically, the key last; later opens reload them, so the
 * {@link #logId()}, {@link #publicKey()} and {@link #createdAt()} stay the same across restarts. Thread-safe.
 */
public final class CtLog {
  /** The precertificate poison extension (RFC 6962 section 3.1): critical, value ASN.1 NULL. */
  public static final String POISON_OID = "1.3.6.1.4.1.11129.2.4.3";

  static final String KEY_FILE = "ctlog-key.pem";
  static final String CREATED_AT_FILE = "ctlog-created-at.txt";
  /** The log's window starts a little before its creation, so a slightly slow clock elsewhere does not reject it. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final ASN1ObjectIdentifier POISON = new ASN1ObjectIdentifier(POISON_OID);
  private static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier(Sct.SCT_LIST_OID);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final Provider bc = Providers.bouncyCastle();
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final byte[] logId;
  private final Instant createdAt;

  private CtLog(PrivateKey privateKey, PublicKey publicKey, byte[] logId, Instant createdAt) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.logId = logId;
    this.createdAt = createdAt;
  }

  /** Opens (creating on first use) the log kept in {@code dataDir}, with the system clock. */
  public static CtLog open(Path dataDir) throws IOException {
    return open(dataDir, Clock.systemUTC());
  }

  /**
   * Opens (creating on first use) the log kept in {@code dataDir}.
   *
   * @param clock gives the creation time when the log is created (backdated by five minutes, whole seconds)
   * @throws IOException if the directory cannot be used or holds an incomplete or unreadable log key
   */
  public static CtLog open(Path dataDir, Clock clock) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clock, "clock");
    Files.createDirectories(dataDir);
    if (!Files.exists(dataDir.resolve(KEY_FILE))) {
      create(dataDir, clock.instant());
    }
    return load(dataDir);
  }

  private static void create(Path dir, Instant now) throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      pair = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("generating the P-256 CT log key failed", e);
    }
    Instant created = now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
    KeyFiles.writeAtomically(
        dir.resolve(CREATED_AT_FILE), (created + "\n").getBytes(StandardCharsets.US_ASCII), null);
    // Last: its presence marks the log as complete.
    KeyFiles.writeAtomically(
        dir.resolve(KEY_FILE), KeyFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), KeyFiles.OWNER_ONLY);
  }

  private static CtLog load(Path dir) throws IOException {
    Path createdFile = dir.resolve(CREATED_AT_FILE);
    if (!Files.exists(createdFile)) {
      throw new IOException(createdFile + ": missing, while " + KEY_FILE + " exists; the CT log is incomplete");
    }
    Instant createdAt;
    String text = Files.readString(createdFile, StandardCharsets.US_ASCII).strip();
    try {
      createdAt = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IOException(createdFile + ": expected an ISO-8601 instant, found \"" + text + "\"", e);
    }
    PrivateKey key = KeyFiles.readEcPrivateKey(dir.resolve(KEY_FILE), 256);
    PublicKey pub = publicKeyOf(dir.resolve(KEY_FILE), key);
    byte[] spki = pub.getEncoded();
    return new CtLog(key, pub, sha256(spki), createdAt);
  }

  /** Derives Q = d*G from the private key, and returns it as a JDK key with a named-curve SubjectPublicKeyInfo. */
  private static PublicKey publicKeyOf(Path file, PrivateKey key) throws IOException {
    try {
      Provider bc = Providers.bouncyCastle();
      ECPrivateKey bcKey =
          (ECPrivateKey)
              KeyFactory.getInstance("EC", bc).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      ECPoint q = bcKey.getParameters().getG().multiply(bcKey.getD()).normalize();
      PublicKey bcPub = KeyFactory.getInstance("EC", bc).generatePublic(new ECPublicKeySpec(q, bcKey.getParameters()));
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(bcPub.getEncoded());
      ASN1Encodable params = spki.getAlgorithm().getParameters();
      if (!X9ObjectIdentifiers.prime256v1.equals(params) && !SECObjectIdentifiers.secp256r1.equals(params)) {
        throw new IOException(file + ": expected a key on the named curve P-256, found parameters " + params);
      }
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + ": cannot derive the public key (" + e.getMessage() + ")", e);
    }
  }

  // ------------------------------------------------------------------------------------------------- accessors

  /** The log ID: SHA-256 of the log's DER SubjectPublicKeyInfo (RFC 6962 section 3.2), 32 bytes, a copy. */
  public byte[] logId() {
    return logId.clone();
  }

  /** The log ID in standard base64, as trusted_root.json's {@code logId.keyId} writes it. */
  public String logIdBase64() {
    return Base64.getEncoder().encodeToString(logId);
  }

  /** The log's P-256 public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** When the log was created (backdated five minutes), stable across restarts: its {@code validFor.start}. */
  public Instant createdAt() {
    return createdAt;
  }

  /** This log as Sigil's verifier trusts it: valid from {@link #createdAt()}, open-ended. */
  public TrustedCtLog trusted() {
    return new TrustedCtLog(logId, publicKey, createdAt, Optional.empty());
  }

  // ------------------------------------------------------------------------------------------------- issuing

  /**
   * Issues an SCT for a precertificate (RFC 6962 {@code add-pre-chain} without the log).
   *
   * @param precertificate a certificate carrying the critical poison extension ({@value #POISON_OID}, value NULL)
   *     and no SCT list, signed by {@code issuer}
   * @param issuer the CA certificate that signed it (and will sign the final certificate); its SubjectPublicKeyInfo
   *     is what {@code issuer_key_hash} commits to
   * @param timestamp the SCT's time; truncated to milliseconds
   * @throws InvalidPrecertificateException if the precertificate lacks the poison, already carries SCTs, is not
   *     issued and signed by {@code issuer}, or does not parse
   */
  public Sct addPreChain(X509Certificate precertificate, X509Certificate issuer, Instant timestamp)
      throws InvalidPrecertificateException {
    Objects.requireNonNull(precertificate, "precertificate");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!precertificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new InvalidPrecertificateException(
          "precertificate issuer: expected \""
              + issuer.getSubjectX500Principal().getName()
              + "\", found \""
              + precertificate.getIssuerX500Principal().getName()
              + "\"");
    }
    try {
      precertificate.verify(issuer.getPublicKey(), bc);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidPrecertificateException(
          "precertificate signature: expected it to verify with the issuer's key, found it does not ("
              + e.getMessage()
              + ")");
    }
    byte[] tbs;
    byte[] issuerSpki;
    try {
      tbs = tbsWithoutPoison(precertificate.getTBSCertificate());
      issuerSpki =
          Certificate.getInstance(issuer.getEncoded()).getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
    } catch (CertificateEncodingException | IOException | RuntimeException e) {
      throw new InvalidPrecertificateException(
          "precertificate: expected a DER X.509 certificate, found one that does not parse (" + e.getMessage() + ")",
          e);
    }
    long ms = timestamp.toEpochMilli();
    byte[] signed = signedData(ms, sha256(issuerSpki), tbs);
    try {
      Signature s = Signature.getInstance(SIGNATURE_ALGORITHM, bc);
      s.initSign(privateKey);
      s.update(signed);
      return new Sct(logId, ms, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing the SCT with the P-256 log key failed", e);
    }
  }

  /**
   * The precertificate's TBSCertificate with the poison extension cut out, every other element kept as it was
   * encoded (re-encoding parsed DER as DER reproduces its bytes).
   */
  static byte[] tbsWithoutPoison(byte[] tbsDer) throws InvalidPrecertificateException, IOException {
    ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(tbsDer));
    ASN1EncodableVector out = new ASN1EncodableVector();
    boolean poisoned = false;
    for (ASN1Encodable element : tbs) {
      if (element instanceof ASN1TaggedObject tagged
          && tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC
          && tagged.getTagNo() == 3) {
        ASN1Sequence exts = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
        ASN1EncodableVector kept = new ASN1EncodableVector();
        for (ASN1Encodable e : exts) {
          Extension ext = Extension.getInstance(e);
          if (ext.getExtnId().equals(POISON)) {
            if (poisoned) {
              throw new InvalidPrecertificateException(
                  "precertificate poison extension (" + POISON_OID + "): expected one, found two");
            }
            if (!ext.isCritical()) {
              throw new InvalidPrecertificateException(
                  "precertificate poison extension (" + POISON_OID + "): expected critical, found non-critical");
            }
            ASN1Primitive value = ASN1Primitive.fromByteArray(ext.getExtnValue().getOctets());
            if (!(value instanceof ASN1Null)) {
              throw new InvalidPrecertificateException(
                  "precertificate poison extension (" + POISON_OID + "): expected an ASN.1 NULL value, found "
                      + value.getClass().getSimpleName());
            }
            poisoned = true;
            continue;
          }
          if (ext.getExtnId().equals(SCT_LIST)) {
            throw new InvalidPrecertificateException(
                "precertificate: expected no SCT list extension (" + Sct.SCT_LIST_OID + "), found one");
          }
          kept.add(e);
        }
        if (kept.size() > 0) {
          out.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
        }
        continue;
      }
      out.add(element);
    }
    if (!poisoned) {
      throw new InvalidPrecertificateException(
          "precertificate: expected the critical poison extension (" + POISON_OID + "), found none");
    }
    return new DERSequence(out).getEncoded(ASN1Encoding.DER);
  }

  /** The RFC 6962 section 3.2 {@code digitally-signed} input for a precert_entry SCT with no extensions. */
  static byte[] signedData(long timestamp, byte[] issuerKeyHash, byte[] tbs) {
    if (tbs.length > 0xffffff) {
      throw new IllegalArgumentException("TBSCertificate: expected at most 2^24-1 bytes, found " + tbs.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(tbs.length + 50);
    out.write(0); // sct_version v1
    out.write(0); // signature_type certificate_timestamp
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (timestamp >>> shift) & 0xff);
    }
    out.write(0); // entry_type precert_entry (uint16 1)
    out.write(1);
    out.writeBytes(issuerKeyHash);
    out.write((tbs.length >>> 16) & 0xff);
    out.write((tbs.length >>> 8) & 0xff);
    out.write(tbs.length & 0xff);
    out.writeBytes(tbs);
    out.write(0); // extensions: uint16 length 0
    out.write(0);
    return out.toByteArray();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public String toString() {
    return "CtLog[logId=" + logIdBase64() + ", createdAt=" + createdAt + "]";
  }
}
