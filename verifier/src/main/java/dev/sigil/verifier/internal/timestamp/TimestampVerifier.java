package dev.sigil.verifier.internal.timestamp;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies RFC 3161 signed timestamps, as carried by Sigstore bundles in
 * {@code verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp}, against a fixed list of
 * trusted timestamp authorities.
 *
 * <p>Build once per trusted root and reuse: the constructor checks every authority's chain (names, signatures, CA
 * flags, EKUs) and parses every leaf key once; {@link #verify} then costs one CMS signature verification plus
 * parsing. An authority whose chain is unusable does not stop construction; a timestamp whose signer is that
 * authority's leaf is rejected with {@link Reason#INVALID_CHAIN} and the problem found here (see
 * {@link #problemWith(int)}). Instances are immutable and thread-safe; the constructor does no I/O.
 *
 * <p>A timestamp is accepted when all of these hold, checked in this order:
 *
 * <ol>
 *   <li>The input is one DER TimeStampResp and nothing else (RFC 3161 §2.4.2); its PKIStatus is granted (0) or
 *       grantedWithMods (1) and it carries a timeStampToken. A bare TimeStampToken (CMS ContentInfo) is rejected:
 *       the Sigstore field is defined as the whole TimeStampResp (protobuf-specs {@code RFC3161SignedTimestamp}),
 *       and sigstore-go, through digitorus/timestamp {@code ParseResponse}, does not accept a bare token either.
 *   <li>The token is CMS SignedData over an id-ct-TSTInfo with exactly one signer and a signing-certificate
 *       attribute (ESSCertID, RFC 3161 §2.4.1, or ESSCertIDv2, RFC 5816), TSTInfo version 1, a genTime in the
 *       RFC 3161 form {@code YYYYMMDDhhmmss[.s...]Z}, a message imprint and CMS digest that are SHA-256, SHA-384 or
 *       SHA-512.
 *   <li>The signer identifier (issuer and serial, or subject key identifier) names the leaf of a trusted authority.
 *       Certificates embedded in the token are never used to verify; if the token embeds a certificate for the
 *       signer identifier, it must be byte-identical to that trusted leaf.
 *   <li>That authority's chain passed the construction-time checks (RFC 3161 §2.3 EKU on the leaf, chain links).
 *   <li>Every chain certificate was valid at genTime (not at the current time: an expired chain that was valid then
 *       is fine), and genTime lies in the authority's closed {@code [validFrom, validUntil]} window.
 *   <li>The CMS signature verifies with the trusted leaf's key and the ESSCertID(v2) identifies that leaf
 *       (BouncyCastle {@link TimeStampToken#validate}).
 *   <li>The message imprint equals the hash of the signed data (compared in constant time).
 * </ol>
 *
 * <p>Not checked, as in sigstore-go: the TSTInfo {@code tsa} name, policy, nonce, accuracy, and revocation. The caller
 * must still check that genTime lies within the signing certificate's validity, and de-duplicate and count timestamps
 * against its threshold.
 */
public final class TimestampVerifier {
  private static final ASN1ObjectIdentifier ID_SIGNED_DATA = CMSObjectIdentifiers.signedData;
  private static final Pattern GEN_TIME =
      Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(?:\\.(\\d{1,30}))?Z");
  private static final HexFormat HEX = HexFormat.of();

  private final List<TrustedTimestampAuthority> authorities;
  private final List<PreparedAuthority> prepared;

  /**
   * Prepares a verifier for {@code authorities}; an empty list yields a verifier that rejects every timestamp.
   *
   * @throws NullPointerException if the list or an element is null
   */
  public TimestampVerifier(List<TrustedTimestampAuthority> authorities) {
    this.authorities = List.copyOf(Objects.requireNonNull(authorities, "authorities"));
    List<PreparedAuthority> p = new ArrayList<>(this.authorities.size());
    for (int i = 0; i < this.authorities.size(); i++) {
      p.add(PreparedAuthority.prepare(i, this.authorities.get(i)));
    }
    this.prepared = List.copyOf(p);
  }

  /** The authorities this verifier trusts, in the order given. */
  public List<TrustedTimestampAuthority> authorities() {
    return authorities;
  }

  /**
   * Why the authority at {@code index} can vouch for no timestamp (its chain failed the construction-time checks),
   * or empty if it is usable.
   *
   * @throws IndexOutOfBoundsException if there is no such authority
   */
  public Optional<String> problemWith(int index) {
    return prepared.get(index).problem();
  }

  /**
   * Verifies {@code signedTimestamp}, a DER RFC 3161 TimeStampResp, as a timestamp over {@code signedData} (for
   * Sigstore: the artifact signature bytes, {@code messageSignature.signature} or the DSSE signature).
   *
   * @return the verified timestamp (genTime and the authority used), or a failure
   *     with the reason; malformed input never throws
   * @throws NullPointerException if an argument is null
   */
  public Outcome<VerifiedTimestamp> verify(byte[] signedTimestamp, byte[] signedData) {
    Objects.requireNonNull(signedTimestamp, "signedTimestamp");
    Objects.requireNonNull(signedData, "signedData");
    try {
      return verifyChecked(signedTimestamp, signedData);
    } catch (RuntimeException e) {
      // Parsers and providers signal malformed input with unchecked exceptions in places not anticipated below.
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "signedTimestamp: expected a well-formed RFC 3161 TimeStampResp, processing failed with "
              + e.getClass().getSimpleName() + " (" + e.getMessage() + ")");
    }
  }

  private Outcome<VerifiedTimestamp> verifyChecked(byte[] signedTimestamp, byte[] signedData) {
    // RFC 3161 §2.4.2: TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
    ASN1Primitive outer;
    try {
      outer = ASN1Primitive.fromByteArray(signedTimestamp);
    } catch (IOException | RuntimeException e) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "signedTimestamp: expected exactly one DER TimeStampResp (RFC 3161 §2.4.2), found "
              + signedTimestamp.length + " bytes that are not one ASN.1 value (" + e.getMessage() + ")");
    }
    if (!(outer instanceof ASN1Sequence seq) || seq.size() < 1 || seq.size() > 2) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "signedTimestamp: expected a TimeStampResp SEQUENCE of status and optional token (RFC 3161 §2.4.2), found "
              + describeShape(outer));
    }
    if (seq.getObjectAt(0) instanceof ASN1ObjectIdentifier oid) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "signedTimestamp: expected a TimeStampResp (status, token), found a bare ContentInfo of type " + oid.getId()
              + (ID_SIGNED_DATA.equals(oid) ? " (a TimeStampToken without the response wrapper)" : "")
              + "; Sigstore bundles carry the whole TimeStampResp, and sigstore-go rejects bare tokens too");
    }
    TimeStampResp response;
    PKIStatusInfo statusInfo;
    BigInteger status;
    try {
      response = TimeStampResp.getInstance(seq);
      statusInfo = response.getStatus();
      status = statusInfo.getStatus();
    } catch (RuntimeException e) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "signedTimestamp: expected a TimeStampResp of a PKIStatusInfo and an optional TimeStampToken"
              + " (RFC 3161 §2.4.2), found a malformed one (" + e.getMessage() + ")");
    }
    // RFC 3161 §2.4.2: "When the status contains the value zero or one, a TimeStampToken MUST be present."
    if (!BigInteger.ZERO.equals(status) && !BigInteger.ONE.equals(status)) {
      return rejected(
          Reason.TIMESTAMP_NOT_GRANTED,
          "TimeStampResp status: expected granted (0) or grantedWithMods (1), found " + describeStatus(statusInfo));
    }
    ContentInfo tokenInfo;
    try {
      tokenInfo = response.getTimeStampToken();
    } catch (RuntimeException e) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "TimeStampResp timeStampToken: expected a CMS ContentInfo, found a malformed one (" + e.getMessage() + ")");
    }
    if (tokenInfo == null) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "TimeStampResp: status is " + describeStatus(statusInfo)
              + ", so a timeStampToken must be present (RFC 3161 §2.4.2), found none");
    }
    if (!org.bouncycastle.asn1.cms.CMSObjectIdentifiers.signedData.equals(tokenInfo.getContentType())) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "timeStampToken content type: expected id-signedData (RFC 3161 §2.4.2), found " + tokenInfo.getContentType());
    }
    TimeStampToken token;
    try {
      token = new TimeStampToken(tokenInfo);
    } catch (TSPException | IOException | RuntimeException e) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "timeStampToken: expected CMS SignedData over a TSTInfo with one signer and a signing-certificate attribute"
              + " (RFC 3161 §2.4.1, RFC 5816), found an unusable token (" + e.getMessage() + ")");
    }

    TSTInfo info = token.getTimeStampInfo().toASN1Structure();
    if (info.getVersion() == null || !BigInteger.ONE.equals(info.getVersion().getValue())) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "TSTInfo version: expected 1 (RFC 3161 §2.4.2), found "
              + (info.getVersion() == null ? "none" : info.getVersion().getValue()));
    }
    String genTimeText = info.getGenTime().getTimeString();
    Optional<Instant> parsedGenTime = parseGenTime(genTimeText);
    if (parsedGenTime.isEmpty()) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "TSTInfo genTime: expected UTC in the form YYYYMMDDhhmmss[.s...]Z (RFC 3161 §2.4.2), found \""
              + genTimeText + "\"");
    }
    Instant genTime = parsedGenTime.get();

    ASN1ObjectIdentifier imprintAlgOid = info.getMessageImprint().getHashAlgorithm().getAlgorithm();
    Optional<HashAlgorithm> imprintAlg = hashAlgorithm(imprintAlgOid);
    if (imprintAlg.isEmpty()) {
      return rejected(
          Reason.TIMESTAMP_ALGORITHM_UNSUPPORTED,
          "TSTInfo messageImprint hash algorithm: expected SHA-256, SHA-384 or SHA-512, found "
              + describeHash(imprintAlgOid));
    }
    HashAlgorithm hashAlgorithm = imprintAlg.get();
    byte[] imprint = info.getMessageImprint().getHashedMessage();
    if (imprint == null || imprint.length != hashAlgorithm.length()) {
      return rejected(
          Reason.TIMESTAMP_MALFORMED,
          "TSTInfo messageImprint: expected a " + hashAlgorithm.length() + "-byte " + hashAlgorithm.jcaName()
              + " digest, found " + (imprint == null ? 0 : imprint.length) + " bytes");
    }

    SignerInformation signerInfo = token.toCMSSignedData().getSignerInfos().getSigners().iterator().next();
    ASN1ObjectIdentifier cmsDigestOid = signerInfo.getDigestAlgorithmID().getAlgorithm();
    if (hashAlgorithm(cmsDigestOid).isEmpty()) {
      return rejected(
          Reason.TIMESTAMP_ALGORITHM_UNSUPPORTED,
          "token SignerInfo digest algorithm: expected SHA-256, SHA-384 or SHA-512, found "
              + describeHash(cmsDigestOid));
    }

    SignerId sid = token.getSID();
    List<PreparedAuthority> candidates = new ArrayList<>();
    for (PreparedAuthority p : prepared) {
      if (p.leaf() != null && sid.match(p.leaf())) {
        candidates.add(p);
      }
    }
    Collection<X509CertificateHolder> embedded = embeddedMatches(token, sid);
    if (embedded == null) {
      // sigstore-go rejects tokens whose certificates do not parse; a strict verifier should not skip over them.
      return rejected(
          Reason.TIMESTAMP_MALFORMED, "token certificates: expected well-formed X.509 certificates, found one that does not parse");
    }
    if (candidates.isEmpty()) {
      return rejected(Reason.TIMESTAMP_UNTRUSTED, untrustedSignerDetail(sid, embedded));
    }

    List<Outcome.Failed<VerifiedTimestamp>> failures = new ArrayList<>();
    PreparedAuthority used = null;
    for (PreparedAuthority p : candidates) {
      Optional<Outcome.Failed<VerifiedTimestamp>> failure = checkWithAuthority(p, token, genTime, embedded);
      if (failure.isEmpty()) {
        used = p;
        break;
      }
      failures.add(failure.get());
    }
    if (used == null) {
      if (failures.size() == 1) {
        return failures.get(0);
      }
      StringBuilder sb = new StringBuilder("the token's signer matches " + failures.size()
          + " trusted timestamp authorities and none accepts it: ");
      for (int i = 0; i < failures.size(); i++) {
        sb.append(i == 0 ? "" : "; ").append(failures.get(i).detail());
      }
      return rejected(failures.get(0).reason(), sb.toString());
    }

    // RFC 3161 §2.4.2 messageImprint: the hash of the datum to be time-stamped.
    byte[] computed = Digests.digest(hashAlgorithm, signedData);
    if (!MessageDigest.isEqual(computed, imprint)) {
      return rejected(
          Reason.TIMESTAMP_IMPRINT_MISMATCH,
          "TSTInfo messageImprint: expected the " + hashAlgorithm.jcaName() + " of the " + signedData.length
              + "-byte signed data, " + HEX.formatHex(computed) + ", found " + HEX.formatHex(imprint));
    }

    BigInteger serial = info.getSerialNumber().getValue();
    String policy = info.getPolicy() == null ? "" : info.getPolicy().getId();
    return Outcome.ok(
        new VerifiedTimestamp(genTime, used.index(), used.authority(), used.subject(), hashAlgorithm, serial, policy));
  }

  /** The checks that depend on which trusted authority vouches: chain state, validity at genTime, signature. */
  private static Optional<Outcome.Failed<VerifiedTimestamp>> checkWithAuthority(
      PreparedAuthority p, TimeStampToken token, Instant genTime, Collection<X509CertificateHolder> embedded) {
    for (X509CertificateHolder cert : embedded) {
      byte[] encoded;
      try {
        encoded = cert.getEncoded();
      } catch (IOException e) {
        encoded = new byte[0];
      }
      if (!Arrays.equals(encoded, p.leafEncoded())) {
        return Optional.of(
            new Outcome.Failed<VerifiedTimestamp>(
                Reason.TIMESTAMP_UNTRUSTED,
                "embedded certificate for the token's signer: expected it to be the leaf of " + p.label()
                    + " byte for byte, found a different certificate (subject \"" + cert.getSubject()
                    + "\"); embedded certificates are never trusted"));
      }
    }
    if (p.problem().isPresent()) {
      return Optional.of(
          new Outcome.Failed<VerifiedTimestamp>(
              Reason.TIMESTAMP_AUTHORITY_UNUSABLE,
              "the token is signed by the leaf of " + p.label() + ", whose chain is unusable: " + p.problem().get()));
    }
    for (int i = 0; i < p.windows().size(); i++) {
      PreparedAuthority.CertWindow w = p.windows().get(i);
      if (!w.contains(genTime)) {
        return Optional.of(
            new Outcome.Failed<VerifiedTimestamp>(
                Reason.TIMESTAMP_CERTIFICATE_NOT_VALID,
                "validity of chain certificate #" + i + " (" + w.subject() + ") of " + p.label()
                    + " at genTime: expected genTime " + genTime + " within [" + w.notBefore() + ", "
                    + w.notAfter() + "], found it " + (genTime.isBefore(w.notBefore()) ? "before" : "after")
                    + " that period"));
      }
    }
    if (!p.authority().isValidAt(genTime)) {
      return Optional.of(
          new Outcome.Failed<VerifiedTimestamp>(
              Reason.TIMESTAMP_OUTSIDE_AUTHORITY_VALIDITY,
              "validity window of " + p.label() + ": expected genTime " + genTime + " within "
                  + p.authority().describeWindow() + " (closed interval), found it outside"));
    }
    try {
      // Checks the ESSCertID(v2) against the leaf, the leaf's EKU and validity at genTime, and the CMS signature
      // (content-type and message-digest attributes included) with the leaf's key.
      token.validate(p.signerVerifier());
    } catch (TSPValidationException e) {
      return Optional.of(
          new Outcome.Failed<VerifiedTimestamp>(
              Reason.TIMESTAMP_INVALID,
              "token signature and signing-certificate attribute checked with the leaf of " + p.label()
                  + ": expected both to match, found: " + e.getMessage()));
    } catch (TSPException | RuntimeException e) {
      return Optional.of(
          new Outcome.Failed<VerifiedTimestamp>(
              Reason.TIMESTAMP_INVALID,
              "token signature checked with the leaf of " + p.label() + ": expected a verifiable signature, found"
                  + " one that cannot be processed (" + e.getMessage() + ")"));
    }
    return Optional.empty();
  }

  /** Embedded certificates matching the signer id, or null when the token's certificates do not all parse. */
  private static Collection<X509CertificateHolder> embeddedMatches(TimeStampToken token, SignerId sid) {
    List<X509CertificateHolder> matches = new ArrayList<>();
    try {
      for (X509CertificateHolder cert : token.getCertificates().getMatches(null)) {
        cert.toASN1Structure(); // forces the parse
        if (sid.match(cert)) {
          matches.add(cert);
        }
      }
    } catch (RuntimeException e) {
      return null;
    }
    return matches;
  }

  private String untrustedSignerDetail(SignerId sid, Collection<X509CertificateHolder> embedded) {
    StringBuilder sb = new StringBuilder("token signer: expected the leaf certificate of one of the ")
        .append(prepared.size())
        .append(" trusted timestamp authorities, found ")
        .append(describeSigner(sid));
    if (!embedded.isEmpty()) {
      sb.append(" (the token embeds its certificate, subject \"")
          .append(embedded.iterator().next().getSubject())
          .append("\", which is not trusted: embedded certificates are never trusted)");
    }
    sb.append(" matching none");
    List<String> unreadable = new ArrayList<>();
    for (PreparedAuthority p : prepared) {
      if (p.leaf() == null) {
        unreadable.add(p.label() + ": " + p.problem().orElse("unreadable"));
      }
    }
    if (!unreadable.isEmpty()) {
      sb.append("; authorities whose leaf could not be read: ").append(unreadable);
    }
    return sb.toString();
  }

  private static String describeSigner(SignerId sid) {
    if (sid.getSubjectKeyIdentifier() != null) {
      return "subjectKeyIdentifier " + HEX.formatHex(sid.getSubjectKeyIdentifier());
    }
    return "issuer \"" + sid.getIssuer() + "\" and serial 0x"
        + (sid.getSerialNumber() == null ? "?" : sid.getSerialNumber().toString(16));
  }

  private static String describeStatus(PKIStatusInfo info) {
    BigInteger s = info.getStatus();
    String name =
        switch (s.intValue()) {
          case 0 -> "granted";
          case 1 -> "grantedWithMods";
          case 2 -> "rejection";
          case 3 -> "waiting";
          case 4 -> "revocationWarning";
          case 5 -> "revocationNotification";
          default -> "unknown";
        };
    StringBuilder sb = new StringBuilder(name).append(" (").append(s).append(')');
    try {
      PKIFreeText text = info.getStatusString();
      if (text != null && text.size() > 0) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
          parts.add(text.getStringAtUTF8(i).getString());
        }
        sb.append(", statusString ").append(parts);
      }
      if (info.getFailInfo() != null) {
        sb.append(", failInfo bits 0x").append(Integer.toHexString(info.getFailInfo().intValue()));
      }
    } catch (RuntimeException e) {
      sb.append(", with an unreadable statusString or failInfo");
    }
    return sb.toString();
  }

  private static String describeShape(ASN1Primitive p) {
    if (p == null) {
      return "no ASN.1 value";
    }
    if (p instanceof ASN1Sequence s) {
      return "a SEQUENCE of " + s.size() + " elements";
    }
    return "a " + p.getClass().getSimpleName().replace("DER", "").replace("DL", "").replace("BER", "");
  }

  private static Optional<HashAlgorithm> hashAlgorithm(ASN1ObjectIdentifier oid) {
    if (NISTObjectIdentifiers.id_sha256.equals(oid)) {
      return Optional.of(HashAlgorithm.SHA2_256);
    }
    if (NISTObjectIdentifiers.id_sha384.equals(oid)) {
      return Optional.of(HashAlgorithm.SHA2_384);
    }
    if (NISTObjectIdentifiers.id_sha512.equals(oid)) {
      return Optional.of(HashAlgorithm.SHA2_512);
    }
    return Optional.empty();
  }

  private static String describeHash(ASN1ObjectIdentifier oid) {
    if (OIWObjectIdentifiers.idSHA1.equals(oid)) {
      return "SHA-1 (" + oid.getId() + "), which is too weak (sigstore's timestamp-authority rejects it too)";
    }
    return "OID " + oid.getId();
  }

  /**
   * The genTime a TimeStampResp (or a bare TimeStampToken) states, read without verifying anything: for display of
   * an entity that was not verified. Empty if it cannot be read.
   */
  public static Optional<Instant> readGenTimeUnverified(byte[] signedTimestamp) {
    try {
      ASN1Primitive outer = ASN1Primitive.fromByteArray(signedTimestamp);
      ContentInfo tokenInfo;
      if (outer instanceof ASN1Sequence seq && seq.size() > 0 && seq.getObjectAt(0) instanceof ASN1ObjectIdentifier) {
        tokenInfo = ContentInfo.getInstance(seq);
      } else {
        tokenInfo = TimeStampResp.getInstance(outer).getTimeStampToken();
      }
      if (tokenInfo == null) {
        return Optional.empty();
      }
      TSTInfo info = new TimeStampToken(tokenInfo).getTimeStampInfo().toASN1Structure();
      return parseGenTime(info.getGenTime().getTimeString());
    } catch (IOException | TSPException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses an RFC 3161 genTime, {@code YYYYMMDDhhmmss[.s...]Z}, to full precision (fractions beyond nanoseconds are
   * truncated). Local times, offsets and missing seconds are rejected, as RFC 3161 §2.4.2 requires UTC with seconds.
   */
  static Optional<Instant> parseGenTime(String text) {
    Matcher m = GEN_TIME.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      LocalDateTime t =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)));
      int nanos = 0;
      if (m.group(7) != null) {
        String digits = (m.group(7) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(digits);
      }
      return Optional.of(t.withNano(nanos).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Outcome<VerifiedTimestamp> rejected(Reason reason, String detail) {
    return Outcome.failure(reason, detail);
  }
}
