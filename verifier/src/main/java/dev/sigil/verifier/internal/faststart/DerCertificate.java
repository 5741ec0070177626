package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.crypto.Certificates;
import java.io.IOException;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * An X.509 certificate read with BouncyCastle's ASN.1 parser instead of the JDK's {@code CertificateFactory}, answering
 * every {@link X509Certificate} query from that structure. {@code DerCertificateTest} holds each answer to the JDK's
 * for every certificate in the test corpora, and {@code CertificateParserFuzzTest} for any bytes.
 *
 * <p>What it accepts: exactly one DER-headed Certificate SEQUENCE whose TBSCertificate BouncyCastle reads (version 1
 * to 3, extensions only in version 3, no extension twice), whose inner and outer signature algorithms agree, whose
 * names the JDK's {@link X500Principal} reads, and whose key {@link FastKeys} reads. Anything else is refused here,
 * and {@link FastStartBackend#parseCertificate} hands it to the JCA backend. The {@link #verify} methods, which the
 * verifier does not use, {@link #hasUnsupportedCriticalExtension} (whose list is the JDK's) and the decoded alternative
 * names ask the JCA backend's parse of the same bytes.
 */
final class DerCertificate extends X509Certificate implements Certificates.EncodedNames {
  private static final long serialVersionUID = 1L;

  private final byte[] der;
  private final byte[] tbsDer;
  private final transient TBSCertificate tbs;
  private final transient Certificate cert;
  private final transient byte[] issuerDer;
  private final transient byte[] subjectDer;
  private transient volatile X500Principal issuer;
  private transient volatile X500Principal subject;
  private final transient PublicKey publicKey;
  private final transient boolean[] keyUsage;
  private final transient int basicConstraints;
  private final transient List<String> extendedKeyUsage;
  private final transient long notBefore;
  private final transient long notAfter;
  private final transient CryptoBackend fallback;
  private transient volatile X509Certificate jdk;

  private DerCertificate(
      byte[] der,
      byte[] tbsDer,
      Certificate cert,
      byte[] issuerDer,
      byte[] subjectDer,
      PublicKey key,
      CryptoBackend fallback)
      throws CertificateParsingException {
    this.der = der;
    this.fallback = fallback;
    this.tbsDer = tbsDer;
    this.cert = cert;
    this.tbs = cert.getTBSCertificate();
    this.issuerDer = issuerDer;
    this.subjectDer = subjectDer;
    this.publicKey = key;
    this.notBefore = epochMillis(tbs.getStartDate());
    this.notAfter = epochMillis(tbs.getEndDate());
    // The extensions the JDK (and BouncyCastle's provider) parse eagerly are parsed here too, so that a malformed
    // one is refused at parse time as before rather than failing a later query.
    this.keyUsage = readKeyUsage();
    this.basicConstraints = readBasicConstraints();
    this.extendedKeyUsage = readExtendedKeyUsage();
    Extension san = extension(Extension.subjectAlternativeName);
    if (san != null) {
      org.bouncycastle.asn1.x509.GeneralNames.getInstance(san.getParsedValue());
    }
  }

  /**
   * Reads {@code der}; throws when it is not a certificate this class answers for (the backend then asks its
   * fallback).
   */
  static DerCertificate parse(byte[] der, FastStartBackend backend) throws CertificateParsingException {
    byte[] copy = der.clone();
    try {
      int[] outer = header(copy, 0);
      if (copy[0] != 0x30 || outer[1] != copy.length) {
        throw new CertificateParsingException("expected one DER SEQUENCE filling the input");
      }
      int[] inner = header(copy, outer[0]);
      if (copy[outer[0]] != 0x30) {
        throw new CertificateParsingException("expected a TBSCertificate SEQUENCE first");
      }
      byte[] tbsDer = java.util.Arrays.copyOfRange(copy, outer[0], inner[1]);
      Certificate c = Certificate.getInstance(ASN1Primitive.fromByteArray(copy));
      // DER only: BouncyCastle also reads BER (indefinite and non-minimal lengths), and this class answers with the
      // input bytes, where the JDK re-encodes headers and BouncyCastle's provider re-encodes everything. Anything
      // not DER goes to them, as before.
      if (!java.util.Arrays.equals(c.getEncoded(ASN1Encoding.DER), copy)) {
        throw new CertificateParsingException("not DER");
      }
      TBSCertificate t = c.getTBSCertificate();
      if (!c.getSignatureAlgorithm().equals(t.getSignature())) {
        throw new CertificateParsingException("signature algorithm mismatch between TBSCertificate and Certificate");
      }
      int version = t.getVersionNumber();
      if (version < 1 || version > 3 || (t.getExtensions() != null && version != 3)) {
        throw new CertificateParsingException("unexpected version " + version + " for the fields present");
      }
      // The names stay encoded until asked for: verification compares names by encoding (Certificates.subjectDer).
      byte[] issuer = t.getIssuer().getEncoded(ASN1Encoding.DER);
      byte[] subject = t.getSubject().getEncoded(ASN1Encoding.DER);
      requireNameShape(issuer, "issuer");
      requireNameShape(subject, "subject");
      PublicKey key = FastKeys.parse(t.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER));
      if (key == null) {
        throw new CertificateParsingException("a public key for the JCA backend to read");
      }
      return new DerCertificate(copy, tbsDer, c, issuer, subject, key, backend.fallback());
    } catch (IOException | RuntimeException e) {
      throw new CertificateParsingException(e.getMessage());
    }
  }

  /**
   * The shape the JDK's X.500 name parser requires, so that what this class accepts X500Principal can read later:
   * {@code SEQUENCE OF SET OF SEQUENCE { OBJECT IDENTIFIER, one value }}, nothing left over at any level, every set
   * non-empty. (Checked on the DER BouncyCastle re-encodes; its own reading accepts looser shapes.)
   */
  private static void requireNameShape(byte[] name, String which) throws CertificateParsingException {
    int[] seq = header(name, 0);
    if (name[0] != 0x30 || seq[1] != name.length) {
      throw new CertificateParsingException(which + " name: expected one SEQUENCE");
    }
    int p = seq[0];
    while (p < name.length) {
      int[] set = header(name, p);
      if (name[p] != 0x31 || set[0] == set[1]) {
        throw new CertificateParsingException(which + " name: expected a non-empty SET (an RDN)");
      }
      int q = set[0];
      while (q < set[1]) {
        int[] ava = header(name, q);
        if (name[q] != 0x30 || ava[1] > set[1]) {
          throw new CertificateParsingException(which + " name: expected an AttributeTypeAndValue SEQUENCE");
        }
        int[] oid = header(name, ava[0]);
        if (name[ava[0]] != 0x06 || oid[0] == oid[1] || oid[1] >= ava[1]) {
          throw new CertificateParsingException(which + " name: expected an attribute type OID and a value");
        }
        int[] value = header(name, oid[1]);
        if (value[1] != ava[1]) {
          throw new CertificateParsingException(which + " name: expected exactly one value per attribute");
        }
        q = ava[1];
      }
      if (q != set[1]) {
        throw new CertificateParsingException(which + " name: RDN overruns its SET");
      }
      p = set[1];
    }
  }

  /** {header length + offset, end offset} of the definite-length TLV at {@code off}, single-byte tags only. */
  private static int[] header(byte[] b, int off) throws CertificateParsingException {
    if (off + 2 > b.length || (b[off] & 0x1f) == 0x1f) {
      throw new CertificateParsingException("truncated or multi-byte tag at offset " + off);
    }
    int first = b[off + 1] & 0xff;
    int p = off + 2;
    long len;
    if (first < 0x80) {
      len = first;
    } else {
      int n = first & 0x7f;
      if (n == 0 || n > 4 || p + n > b.length) {
        throw new CertificateParsingException("indefinite or oversized length at offset " + off);
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[p++] & 0xff);
      }
    }
    if (p + len > b.length) {
      throw new CertificateParsingException("length past the end at offset " + off);
    }
    return new int[] {p, (int) (p + len)};
  }

  /** The fallback backend's parse of the same bytes, for the queries this class delegates. */
  private X509Certificate jdk() throws CertificateException {
    X509Certificate j = jdk;
    if (j == null) {
      j = fallback.parseCertificate(der);
      jdk = j;
    }
    return j;
  }

  @Override
  public byte[] getEncoded() {
    return der.clone();
  }

  @Override
  public byte[] getTBSCertificate() {
    return tbsDer.clone();
  }

  @Override
  public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
    checkValidity(new Date());
  }

  @Override
  public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
    if (date.before(getNotBefore())) {
      throw new CertificateNotYetValidException("NotBefore: " + getNotBefore());
    }
    if (date.after(getNotAfter())) {
      throw new CertificateExpiredException("NotAfter: " + getNotAfter());
    }
  }

  @Override
  public int getVersion() {
    return tbs.getVersionNumber();
  }

  @Override
  public BigInteger getSerialNumber() {
    return tbs.getSerialNumber().getValue();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getIssuerDN() {
    return getIssuerX500Principal();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getSubjectDN() {
    return getSubjectX500Principal();
  }

  @Override
  public X500Principal getIssuerX500Principal() {
    X500Principal p = issuer;
    if (p == null) {
      p = new X500Principal(issuerDer);
      issuer = p;
    }
    return p;
  }

  @Override
  public X500Principal getSubjectX500Principal() {
    X500Principal p = subject;
    if (p == null) {
      p = new X500Principal(subjectDer);
      subject = p;
    }
    return p;
  }

  /** The issuer name's DER encoding (a copy). */
  @Override
  public byte[] issuerDer() {
    return issuerDer.clone();
  }

  /** The subject name's DER encoding (a copy). */
  @Override
  public byte[] subjectDer() {
    return subjectDer.clone();
  }

  @Override
  public Date getNotBefore() {
    return new Date(notBefore);
  }

  @Override
  public Date getNotAfter() {
    return new Date(notAfter);
  }

  /**
   * Milliseconds since the epoch of a validity time. The DER forms RFC 5280 prescribes ({@code YYMMDDHHMMSSZ},
   * {@code YYYYMMDDHHMMSSZ}) with a valid calendar date are read here; anything else goes through BouncyCastle's
   * {@code Time.getDate()} (which parses with {@code SimpleDateFormat}).
   */
  static long epochMillis(org.bouncycastle.asn1.x509.Time t) {
    try {
      byte[] enc = t.toASN1Primitive().getEncoded(ASN1Encoding.DER);
      int tag = enc[0];
      int n = enc[1];
      if ((tag == 0x17 && n == 13) || (tag == 0x18 && n == 15)) {
        int p = 2;
        int year;
        if (tag == 0x17) {
          year = digits(enc, p, 2);
          year += year >= 50 ? 1900 : 2000;
          p += 2;
        } else {
          year = digits(enc, p, 4);
          p += 4;
        }
        int month = digits(enc, p, 2);
        int day = digits(enc, p + 2, 2);
        int hour = digits(enc, p + 4, 2);
        int minute = digits(enc, p + 6, 2);
        int second = digits(enc, p + 8, 2);
        if (enc[p + 10] == 'Z' && year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
            && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
          return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1000L;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to BouncyCastle's reading
    }
    return t.getDate().getTime();
  }

  /** The value of {@code count} ASCII digits at {@code off}, or -1 if any is not a digit. */
  private static int digits(byte[] b, int off, int count) {
    int v = 0;
    for (int i = off; i < off + count; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1_000_000;
      }
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  private static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  @Override
  public byte[] getSignature() {
    return cert.getSignature().getBytes();
  }

  @Override
  public String getSigAlgName() {
    String oid = getSigAlgOID();
    return switch (oid) {
      case "1.2.840.10045.4.3.2" -> "SHA256withECDSA";
      case "1.2.840.10045.4.3.3" -> "SHA384withECDSA";
      case "1.2.840.10045.4.3.4" -> "SHA512withECDSA";
      case "1.2.840.10045.4.3.1" -> "SHA224withECDSA";
      case "1.2.840.10045.4.1" -> "SHA1withECDSA";
      case "1.2.840.113549.1.1.11" -> "SHA256withRSA";
      case "1.2.840.113549.1.1.12" -> "SHA384withRSA";
      case "1.2.840.113549.1.1.13" -> "SHA512withRSA";
      case "1.2.840.113549.1.1.14" -> "SHA224withRSA";
      case "1.2.840.113549.1.1.5" -> "SHA1withRSA";
      case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
      case "1.3.101.112" -> "Ed25519";
      case "1.3.101.113" -> "Ed448";
      default -> jdkSigAlgName(oid); // rare algorithms: the JDK's own name for them
    };
  }

  private String jdkSigAlgName(String oid) {
    try {
      return jdk().getSigAlgName();
    } catch (CertificateException | RuntimeException e) {
      return oid;
    }
  }

  @Override
  public String getSigAlgOID() {
    return cert.getSignatureAlgorithm().getAlgorithm().getId();
  }

  /** The encoded parameters, or null when absent or NULL (as the JDK answers). */
  @Override
  public byte[] getSigAlgParams() {
    ASN1Encodable p = cert.getSignatureAlgorithm().getParameters();
    if (p == null || p instanceof ASN1Null) {
      return null;
    }
    try {
      return p.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public boolean[] getIssuerUniqueID() {
    return bits(tbs.getIssuerUniqueId());
  }

  @Override
  public boolean[] getSubjectUniqueID() {
    return bits(tbs.getSubjectUniqueId());
  }

  private static boolean[] bits(ASN1BitString s) {
    if (s == null) {
      return null;
    }
    byte[] bytes = s.getBytes();
    boolean[] out = new boolean[bytes.length * 8 - s.getPadBits()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (bytes[i / 8] & (0x80 >>> (i % 8))) != 0;
    }
    return out;
  }

  private Extension extension(ASN1ObjectIdentifier oid) {
    Extensions e = tbs.getExtensions();
    return e == null ? null : e.getExtension(oid);
  }

  /** The key usage bits, padded to the nine named ones (as the JDK answers); null without the extension. */
  @Override
  public boolean[] getKeyUsage() {
    return keyUsage == null ? null : keyUsage.clone();
  }

  private boolean[] readKeyUsage() {
    Extension e = extension(Extension.keyUsage);
    if (e == null) {
      return null;
    }
    boolean[] b = bits(ASN1BitString.getInstance(e.getParsedValue()));
    if (b.length < 9) {
      boolean[] padded = new boolean[9];
      System.arraycopy(b, 0, padded, 0, b.length);
      b = padded;
    }
    return b;
  }

  @Override
  public List<String> getExtendedKeyUsage() {
    return extendedKeyUsage;
  }

  private List<String> readExtendedKeyUsage() throws CertificateParsingException {
    Extension e = extension(Extension.extendedKeyUsage);
    if (e == null) {
      return null;
    }
    try {
      ASN1Sequence s = ASN1Sequence.getInstance(e.getParsedValue());
      List<String> out = new ArrayList<>(s.size());
      for (int i = 0; i < s.size(); i++) {
        out.add(KeyPurposeId.getInstance(s.getObjectAt(i)).getId());
      }
      return Collections.unmodifiableList(out);
    } catch (RuntimeException ex) {
      throw new CertificateParsingException("extended key usage: " + ex.getMessage());
    }
  }

  /** -1 unless a CA; then the path length constraint, or Integer.MAX_VALUE without one (as the JDK answers). */
  @Override
  public int getBasicConstraints() {
    return basicConstraints;
  }

  private int readBasicConstraints() {
    Extension e = extension(Extension.basicConstraints);
    if (e == null) {
      return -1;
    }
    BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
    if (!bc.isCA()) {
      return -1;
    }
    BigInteger len = bc.getPathLenConstraint();
    return len == null ? Integer.MAX_VALUE : len.intValueExact();
  }

  @Override
  public Set<String> getCriticalExtensionOIDs() {
    return extensionOids(true);
  }

  @Override
  public Set<String> getNonCriticalExtensionOIDs() {
    return extensionOids(false);
  }

  private Set<String> extensionOids(boolean critical) {
    Extensions e = tbs.getExtensions();
    if (e == null) {
      return null;
    }
    Set<String> out = new TreeSet<>();
    for (ASN1ObjectIdentifier oid : e.getExtensionOIDs()) {
      if (e.getExtension(oid).isCritical() == critical) {
        out.add(oid.getId());
      }
    }
    return out;
  }

  /** The DER OCTET STRING holding the extension's value, or null without the extension. */
  @Override
  public byte[] getExtensionValue(String oid) {
    Extension e;
    try {
      e = extension(new ASN1ObjectIdentifier(oid));
    } catch (IllegalArgumentException bad) {
      return null;
    }
    if (e == null) {
      return null;
    }
    try {
      return e.getExtnValue().getEncoded(ASN1Encoding.DER);
    } catch (IOException ex) {
      return null;
    }
  }

  /**
   * Whether a critical extension is one the JDK's certificate parser does not implement: the JDK's answer, since the
   * list is the JDK's (the verifier does not ask; it checks critical extensions itself).
   */
  @Override
  public boolean hasUnsupportedCriticalExtension() {
    try {
      return jdk().hasUnsupportedCriticalExtension();
    } catch (CertificateException e) {
      return true;
    }
  }

  @Override
  public PublicKey getPublicKey() {
    return publicKey;
  }

  /**
   * The JDK's decoding, which answers null for a non-critical extension it cannot decode (the verifier reads the
   * extension's bytes instead and does not ask).
   */
  @Override
  public Collection<List<?>> getSubjectAlternativeNames() throws CertificateParsingException {
    try {
      return jdk().getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw e;
    } catch (CertificateException e) {
      throw new CertificateParsingException(e.getMessage());
    }
  }

  /** As {@link #getSubjectAlternativeNames()}. */
  @Override
  public Collection<List<?>> getIssuerAlternativeNames() throws CertificateParsingException {
    try {
      return jdk().getIssuerAlternativeNames();
    } catch (CertificateParsingException e) {
      throw e;
    } catch (CertificateException e) {
      throw new CertificateParsingException(e.getMessage());
    }
  }

  @Override
  public void verify(PublicKey key)
      throws CertificateException, NoSuchAlgorithmException, InvalidKeyException, NoSuchProviderException,
          SignatureException {
    jdk().verify(key);
  }

  @Override
  public void verify(PublicKey key, String sigProvider)
      throws CertificateException, NoSuchAlgorithmException, InvalidKeyException, NoSuchProviderException,
          SignatureException {
    jdk().verify(key, sigProvider);
  }

  @Override
  public void verify(PublicKey key, Provider sigProvider)
      throws CertificateException, NoSuchAlgorithmException, InvalidKeyException, SignatureException {
    jdk().verify(key, sigProvider);
  }

  @Override
  public String toString() {
    return "X.509 certificate [subject=" + getSubjectX500Principal().getName() + ", issuer="
        + getIssuerX500Principal().getName() + ", serial="
        + getSerialNumber().toString(16) + ", valid " + getNotBefore().toInstant() + " to " + getNotAfter().toInstant() + "]";
  }
}
