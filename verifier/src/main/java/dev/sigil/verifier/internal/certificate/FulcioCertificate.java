package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.SubjectAlternativeName;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * A parsed view of a Sigstore (Fulcio) signing certificate: its subject alternative names, its OIDC issuer and its
 * other Fulcio extensions. Immutable and thread-safe; built only by {@link #parse(X509Certificate)}, so every value
 * here was read from the certificate it wraps.
 *
 * <p>Parsing does not verify anything: whether the certificate chains to a trusted CA is for
 * {@link CertificateChainVerifier}, and whether the identity is the expected one is for {@link IdentityMatcher}.
 */
public final class FulcioCertificate {
  /** The otherName type Fulcio uses for username SANs. */
  public static final String USERNAME_OTHER_NAME_OID = FulcioExtension.FULCIO_ARC + ".7";

  /** DER contents of the subjectAltName OID, 2.5.29.17. */
  private static final byte[] SAN_OID = {0x55, 0x1d, 0x11};

  /** DER contents of {@link FulcioExtension#FULCIO_ARC}, 1.3.6.1.4.1.57264.1; each extension adds one byte. */
  private static final byte[] FULCIO_ARC_DER = {0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x83, (byte) 0xbf, 0x30, 0x01};

  private static final List<FulcioExtension> FULCIO_EXTENSIONS = List.of(FulcioExtension.values());

  private final X509Certificate certificate;
  private final List<SubjectAlternativeName> subjectAlternativeNames;
  private final String issuer;
  private final String issuerV1;
  private final String issuerV2;
  private final Map<String, String> extensions;

  private FulcioCertificate(
      X509Certificate certificate,
      List<SubjectAlternativeName> subjectAlternativeNames,
      String issuerV1,
      String issuerV2,
      Map<String, String> extensions) {
    this.certificate = certificate;
    this.subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    this.issuerV1 = issuerV1;
    this.issuerV2 = issuerV2;
    this.issuer = issuerV2 != null ? issuerV2 : issuerV1;
    this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /**
   * Reads a certificate's SANs and Fulcio extensions.
   *
   * @throws MalformedCertificateException if the certificate, its SAN extension or any Fulcio extension is not
   *     encoded as specified (e.g. a 1.8+ extension that is not exactly one DER UTF8String, or text that is not
   *     UTF-8); the message names the extension, what was expected and what was found
   */
  public static FulcioCertificate parse(X509Certificate certificate) throws MalformedCertificateException {
    Objects.requireNonNull(certificate, "certificate");
    byte[] der;
    try {
      der = certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      return parseWithBouncyCastle(certificate); // which reports the missing encoding as before
    }
    List<RegularCertificate.Ext> exts = RegularCertificate.extensions(der);
    if (exts == null) {
      return parseWithBouncyCastle(certificate);
    }
    List<SubjectAlternativeName> sans = new ArrayList<>();
    Map<FulcioExtension, String> values = new EnumMap<>(FulcioExtension.class);
    for (RegularCertificate.Ext ext : exts) {
      int oidLength = ext.oidEnd() - ext.oidStart();
      if (Arrays.equals(der, ext.oidStart(), ext.oidEnd(), SAN_OID, 0, SAN_OID.length)) {
        byte[] value = Arrays.copyOfRange(der, ext.valueStart(), ext.valueEnd());
        readSubjectAlternativeNames(new Extension(Extension.subjectAlternativeName, ext.critical(), value), sans);
      } else if (oidLength == FULCIO_ARC_DER.length + 1
          && Arrays.equals(der, ext.oidStart(), ext.oidEnd() - 1, FULCIO_ARC_DER, 0, FULCIO_ARC_DER.length)) {
        FulcioExtension fe = byArc(der[ext.oidEnd() - 1]);
        if (fe != null) {
          values.put(fe, value(fe, Arrays.copyOfRange(der, ext.valueStart(), ext.valueEnd())));
        }
      }
    }
    return of(certificate, sans, values);
  }

  /**
   * The original route: BouncyCastle parses the whole certificate. Taken whenever {@link RegularCertificate} is not
   * sure BouncyCastle would agree, so malformed certificates are refused (or accepted) exactly as before, with the
   * same messages.
   */
  private static FulcioCertificate parseWithBouncyCastle(X509Certificate certificate)
      throws MalformedCertificateException {
    Extensions exts = Der.parse(certificate).getTBSCertificate().getExtensions();
    List<SubjectAlternativeName> sans = new ArrayList<>();
    Map<FulcioExtension, String> values = new EnumMap<>(FulcioExtension.class);
    if (exts != null) {
      for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
        Extension ext = exts.getExtension(oid);
        if (oid.equals(Extension.subjectAlternativeName)) {
          readSubjectAlternativeNames(ext, sans);
          continue;
        }
        Optional<FulcioExtension> known = FulcioExtension.byOid(oid.getId());
        if (known.isPresent()) {
          values.put(known.get(), value(known.get(), ext.getExtnValue().getOctets()));
        }
      }
    }
    return of(certificate, sans, values);
  }

  /** The Fulcio extension with this last arc under {@link FulcioExtension#FULCIO_ARC}, or null. */
  private static FulcioExtension byArc(byte arc) {
    for (FulcioExtension fe : FULCIO_EXTENSIONS) {
      if (fe.arc() == arc) {
        return fe;
      }
    }
    return null;
  }

  private static String value(FulcioExtension fe, byte[] value) throws MalformedCertificateException {
    return fe.encoding() == FulcioExtension.Encoding.RAW
        ? Der.utf8(value, "certificate extension " + fe.describe())
        : Der.utf8String(value, "certificate extension " + fe.describe());
  }

  private static FulcioCertificate of(
      X509Certificate certificate, List<SubjectAlternativeName> sans, Map<FulcioExtension, String> values) {
    Map<String, String> others = new LinkedHashMap<>();
    for (Map.Entry<FulcioExtension, String> e : values.entrySet()) {
      if (!e.getKey().isIssuer()) {
        others.put(e.getKey().claimName(), e.getValue());
      }
    }
    return new FulcioCertificate(
        certificate,
        sans,
        values.get(FulcioExtension.ISSUER_V1),
        values.get(FulcioExtension.ISSUER),
        others);
  }

  private static void readSubjectAlternativeNames(Extension ext, List<SubjectAlternativeName> out)
      throws MalformedCertificateException {
    GeneralName[] names;
    try {
      names = GeneralNames.getInstance(ext.getParsedValue()).getNames();
    } catch (RuntimeException e) {
      throw new MalformedCertificateException(
          "certificate subject alternative names: expected a DER GeneralNames SEQUENCE, found a value that does not"
              + " parse ("
              + e.getMessage()
              + ")");
    }
    for (GeneralName name : names) {
      try {
        switch (name.getTagNo()) {
          case GeneralName.rfc822Name -> out.add(
              new SubjectAlternativeName(SubjectAlternativeName.Type.EMAIL, string(name.getName())));
          case GeneralName.uniformResourceIdentifier -> out.add(
              new SubjectAlternativeName(SubjectAlternativeName.Type.URI, string(name.getName())));
          case GeneralName.dNSName -> out.add(
              new SubjectAlternativeName(SubjectAlternativeName.Type.DNS, string(name.getName())));
          case GeneralName.iPAddress -> out.add(
              new SubjectAlternativeName(
                  SubjectAlternativeName.Type.IP_ADDRESS,
                  InetAddress.getByAddress(ASN1OctetString.getInstance(name.getName()).getOctets())
                      .getHostAddress()));
          case GeneralName.otherName -> {
            OtherName other = OtherName.getInstance(name.getName());
            if (other.getTypeID().getId().equals(USERNAME_OTHER_NAME_OID)) {
              ASN1Encodable value = other.getValue();
              if (!(value instanceof ASN1UTF8String utf8)) {
                throw new MalformedCertificateException(
                    "certificate subject alternative name otherName "
                        + USERNAME_OTHER_NAME_OID
                        + ": expected a UTF8String, found "
                        + value.getClass().getSimpleName());
              }
              out.add(
                  new SubjectAlternativeName(
                      SubjectAlternativeName.Type.USERNAME,
                      Der.utf8String(
                          utf8.getEncoded(ASN1Encoding.DER),
                          "certificate subject alternative name otherName " + USERNAME_OTHER_NAME_OID)));
            }
          }
          default -> {
            // directoryName, x400Address, ediPartyName, registeredID: not identities Sigstore issues.
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new MalformedCertificateException(
            "certificate subject alternative name (GeneralName tag "
                + name.getTagNo()
                + "): expected a well-formed entry, found one that does not parse ("
                + e.getMessage()
                + ")");
      }
    }
  }

  private static String string(ASN1Encodable value) {
    if (value instanceof ASN1String s) {
      return s.getString();
    }
    throw new IllegalArgumentException("expected an ASN.1 string, found " + value.getClass().getSimpleName());
  }

  /** The certificate this view was read from. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Every SAN entry Sigil reads (email, URI, username otherName, DNS, IP), in certificate order. */
  public List<SubjectAlternativeName> subjectAlternativeNames() {
    return subjectAlternativeNames;
  }

  /**
   * The signer's identity as one string, the way sigstore-go summarises it: the first URI SAN, else the first email
   * SAN, else the first username SAN; empty if there is none.
   */
  public Optional<String> subjectAlternativeName() {
    for (SubjectAlternativeName.Type t :
        List.of(
            SubjectAlternativeName.Type.URI,
            SubjectAlternativeName.Type.EMAIL,
            SubjectAlternativeName.Type.USERNAME)) {
      for (SubjectAlternativeName san : subjectAlternativeNames) {
        if (san.type() == t) {
          return Optional.of(san.value());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The OIDC issuer: from extension 1.8 (DER UTF8String) when present, otherwise from the deprecated 1.1 (raw
   * string); empty if the certificate has neither.
   */
  public Optional<String> issuer() {
    return Optional.ofNullable(issuer);
  }

  /** The issuer as the deprecated 1.1 extension states it, for diagnostics. */
  public Optional<String> deprecatedIssuer() {
    return Optional.ofNullable(issuerV1);
  }

  /** The issuer as the 1.8 extension states it, for diagnostics. */
  public Optional<String> issuerV2() {
    return Optional.ofNullable(issuerV2);
  }

  /**
   * Every Fulcio extension present other than the two issuer extensions, keyed by
   * {@link FulcioExtension#claimName()}, in OID order. Unmodifiable.
   */
  public Map<String, String> extensions() {
    return extensions;
  }

  /** The value of one Fulcio extension, if present (for the issuer extensions, their own values). */
  public Optional<String> extension(FulcioExtension extension) {
    return switch (extension) {
      case ISSUER -> issuerV2();
      case ISSUER_V1 -> deprecatedIssuer();
      default -> Optional.ofNullable(extensions.get(extension.claimName()));
    };
  }

  /** This certificate as a verified signer: its SANs, issuer, every Fulcio extension, issuing CA and validity. */
  public CertificateSigner toSigner() {
    Map<FulcioExtension, String> all = new EnumMap<>(FulcioExtension.class);
    for (FulcioExtension x : FulcioExtension.values()) {
      Optional<String> v = extension(x);
      if (v.isPresent()) {
        all.put(x, v.get());
      }
    }
    byte[] der;
    try {
      der = certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate re-encodes", e);
    }
    return new CertificateSigner(
        subjectAlternativeNames,
        issuer(),
        all,
        certificate.getIssuerX500Principal().getName(),
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        der);
  }

  @Override
  public String toString() {
    return "FulcioCertificate[san="
        + subjectAlternativeNames.stream().map(SubjectAlternativeName::describe).toList()
        + ", issuer="
        + issuer
        + ", extensions="
        + extensions
        + "]";
  }
}
