package dev.sigil.verifier.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sigil.verifier.internal.json.JsonFormatException;
import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.json.JsonValue;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.KeyParseException;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import dev.sigil.verifier.internal.crypto.Certificates;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Reads {@link TrustedRoot}s from protobuf JSON. Stateless; see {@link TrustedRoot#parse(byte[])}. */
final class TrustedRootReader {
  private static final String P256_OID = "1.2.840.10045.3.1.7";
  private static final String P384_OID = "1.3.132.0.34";
  private static final String P521_OID = "1.3.132.0.35";


  /** The most entries of any list in a trusted root (public-good's has a handful). */
  private static final int MAX_ENTRIES = 1000;

  private TrustedRootReader() {}

  static TrustedRoot read(byte[] json) throws TrustedRootException {
    if (json == null) {
      throw new TrustedRootException("trusted root: missing (null)");
    }
    if (json.length > TrustedRoot.MAX_TRUSTED_ROOT_BYTES) {
      throw new TrustedRootException(
          "trusted root size: expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found " + json.length);
    }
    JsonNode root;
    try {
      root = JsonNode.parse(json);
    } catch (JsonProcessingException e) {
      throw new TrustedRootException("trusted root JSON: malformed (" + oneLine(e.getOriginalMessage()) + ")");
    } catch (IOException | RuntimeException e) {
      throw new TrustedRootException("trusted root JSON: unreadable (" + oneLine(e.getMessage()) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new TrustedRootException("trusted root JSON: expected an object, found an empty document");
    }
    try {
      return read(JsonValue.root(root, JsonValue.Dialect.TRUSTED_ROOT));
    } catch (JsonFormatException e) {
      throw new TrustedRootException(e.getMessage());
    }
  }

  private static TrustedRoot read(JsonValue r) throws TrustedRootException, JsonFormatException {
    r.requireObject();
    JsonValue mt = r.required("mediaType");
    String mediaType = mt.text();
    if (!TrustedRoot.MEDIA_TYPES.contains(mediaType)) {
      throw new TrustedRootException(
          mt.path()
              + ": expected a trusted root media type ("
              + String.join(", ", TrustedRoot.MEDIA_TYPES)
              + "), found \""
              + abbreviate(mediaType)
              + "\"");
    }
    List<TransparencyLogInstance> tlogs = logs(r, "tlogs");
    List<CertificateAuthority> cas = new ArrayList<>();
    for (JsonValue n : r.optionalArray("certificateAuthorities", MAX_ENTRIES)) {
      cas.add(authority(n));
    }
    List<TransparencyLogInstance> ctlogs = logs(r, "ctlogs");
    List<CertificateAuthority> tsas = new ArrayList<>();
    for (JsonValue n : r.optionalArray("timestampAuthorities", MAX_ENTRIES)) {
      tsas.add(authority(n));
    }
    return new TrustedRoot(mediaType, cas, tlogs, ctlogs, tsas);
  }

  private static List<TransparencyLogInstance> logs(JsonValue root, String field) throws TrustedRootException, JsonFormatException {
    List<TransparencyLogInstance> out = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (JsonValue n : root.optionalArray(field, MAX_ENTRIES)) {
      TransparencyLogInstance log = log(n);
      for (int i = 0; i < out.size(); i++) {
        if (log.hasLogId(out.get(i).logId())) {
          throw new TrustedRootException(
              n.path()
                  + ".logId.keyId: expected a log ID unique among "
                  + field
                  + ", found "
                  + HexFormat.of().formatHex(log.logId())
                  + ", already used by "
                  + paths.get(i));
        }
      }
      out.add(log);
      paths.add(n.path());
    }
    return out;
  }

  private static TransparencyLogInstance log(JsonValue n) throws TrustedRootException, JsonFormatException {
    n.requireObject();
    String baseUrl = n.optionalText("baseUrl").orElse("");
    JsonValue hashNode = n.required("hashAlgorithm");
    String hashName = hashNode.enumName(HashAlgorithmNames.NAMES);
    if (!"SHA2_256".equals(hashName)) {
      throw new TrustedRootException(
          hashNode.path() + ": expected SHA2_256 (the only Merkle tree hash Sigil implements), found " + hashName);
    }
    JsonValue pk = n.required("publicKey");
    pk.requireObject();
    JsonValue detailsNode = pk.required("keyDetails");
    PublicKeyDetails details = keyDetails(detailsNode);
    if (!details.supportedForLogs()) {
      throw new TrustedRootException(
          detailsNode.path()
              + ": expected a log key scheme Sigil supports (PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384,"
              + " PKIX_ECDSA_P521_SHA_512, PKIX_ED25519, PKIX_RSA_PKCS1V15_*_SHA256, PKCS1_RSA_PKCS1V5), found "
              + details);
    }
    JsonValue raw = pk.required("rawBytes");
    PublicKey key = publicKey(raw, details);
    Optional<JsonValue> validForField = pk.optional("validFor");
    if (validForField.isEmpty()) {
      throw new TrustedRootException(
          pk.path() + ".validFor: required field is missing (a transparency log key needs a validity period with a start)");
    }
    JsonValue validForNode = validForField.get();
    validForNode.requireObject();
    Optional<JsonValue> startField = validForNode.optional("start");
    if (startField.isEmpty()) {
      throw new TrustedRootException(
          validForNode.path()
              + ".start: required field is missing (a transparency log key with no start of validity cannot be trusted)");
    }
    Instant start = startField.get().timestamp();
    Instant end = validForNode.optional("end").isPresent() ? validForNode.optional("end").get().timestamp() : null;
    ValidityPeriod validFor = validity(validForNode, start, end);
    byte[] logId = keyId(n.required("logId"), true);
    Optional<byte[]> checkpointKeyId = Optional.empty();
    Optional<JsonValue> ck = n.optional("checkpointKeyId");
    if (ck.isPresent()) {
      checkpointKeyId = Optional.of(keyId(ck.get(), false));
    }
    String operator = n.optionalText("operator").orElse("");
    return new TransparencyLogInstance(
        baseUrl, HashAlgorithm.SHA2_256, details, key, validFor, logId, checkpointKeyId, operator);
  }

  /** A key ID; log IDs are SHA-256 hashes (RFC 6962, C2SP), checkpoint key IDs may be 4-byte note key hints. */
  private static byte[] keyId(JsonValue n, boolean sha256) throws TrustedRootException, JsonFormatException {
    n.requireObject();
    byte[] id = n.required("keyId").bytes();
    if (id.length == 0) {
      throw new TrustedRootException(n.path() + ".keyId: expected a non-empty key ID, found 0 bytes");
    }
    if (sha256 && id.length != 32) {
      throw new TrustedRootException(
          n.path() + ".keyId: expected a 32-byte log ID (a SHA-256 hash), found " + id.length + " bytes");
    }
    return id;
  }

  private static PublicKeyDetails keyDetails(JsonValue n) throws TrustedRootException, JsonFormatException {
    JsonNode v = n.node();
    if (v.isTextual()) {
      Optional<PublicKeyDetails> named = PublicKeyDetails.fromName(v.textValue());
      if (named.isEmpty()) {
        throw new TrustedRootException(
            n.path() + ": expected a PublicKeyDetails name, found unknown \"" + abbreviate(v.textValue()) + "\"");
      }
      return named.get();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      Optional<PublicKeyDetails> numbered = PublicKeyDetails.fromNumber(v.longValue());
      if (numbered.isEmpty()) {
        throw new TrustedRootException(n.path() + ": expected a PublicKeyDetails number, found unknown " + v);
      }
      return numbered.get();
    }
    throw new TrustedRootException(n.path() + ": expected a PublicKeyDetails name or number, found " + n.describe());
  }

  private static PublicKey publicKey(JsonValue raw, PublicKeyDetails details) throws TrustedRootException, JsonFormatException {
    byte[] der = raw.bytes();
    PublicKey key;
    try {
      if (details == PublicKeyDetails.PKCS1_RSA_PKCS1V5) {
        key = PublicKeys.fromDer(pkcs1ToPkix(der));
      } else {
        key = PublicKeys.fromDer(der);
      }
    } catch (KeyParseException e) {
      throw new TrustedRootException(
          raw.path() + ": expected a " + details + " key, found an unparseable one (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      throw new TrustedRootException(
          raw.path() + ": expected a " + details + " key, found an unparseable one (" + oneLine(e.getMessage()) + ")");
    }
    String mismatch = keyMismatch(key, details);
    if (mismatch != null) {
      throw new TrustedRootException(raw.path() + ": expected a key matching " + details + ", found " + mismatch);
    }
    return key;
  }

  /** Wraps a PKCS#1 {@code RSAPublicKey} in a PKIX SubjectPublicKeyInfo, refusing anything but exact DER. */
  private static byte[] pkcs1ToPkix(byte[] der) throws KeyParseException {
    org.bouncycastle.asn1.pkcs.RSAPublicKey rsa;
    try {
      rsa = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
      if (!Arrays.equals(rsa.getEncoded(ASN1Encoding.DER), der)) {
        throw new KeyParseException("PKCS#1 RSA public key: expected DER, found a non-canonical or padded encoding");
      }
      AlgorithmIdentifier alg = new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
      return new SubjectPublicKeyInfo(alg, rsa).getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new KeyParseException("PKCS#1 RSA public key: malformed (" + oneLine(e.getMessage()) + ")");
    }
  }

  /** Null when the parsed key is what {@code details} declares, else a description of what it is. */
  private static String keyMismatch(PublicKey key, PublicKeyDetails details) {
    switch (details) {
      case PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384, PKIX_ECDSA_P521_SHA_512 -> {
        int want =
            details == PublicKeyDetails.PKIX_ECDSA_P256_SHA_256
                ? 256
                : details == PublicKeyDetails.PKIX_ECDSA_P384_SHA_384 ? 384 : 521;
        if (!(key instanceof ECPublicKey)) {
          return "a key of type " + PublicKeys.describeType(key);
        }
        String wantOid = want == 256 ? P256_OID : want == 384 ? P384_OID : P521_OID;
        String curve = namedCurveOid(key);
        if (curve == null) {
          return "an ECDSA key with explicit curve parameters instead of a named curve";
        }
        return curve.equals(wantOid) ? null : "an ECDSA key on the curve with OID " + curve;
      }
      case PKIX_ED25519 -> {
        String alg = PublicKeys.describeType(key);
        return "Ed25519".equalsIgnoreCase(alg) ? null : "a key of type " + alg;
      }
      case PKIX_RSA_PKCS1V15_2048_SHA256, PKIX_RSA_PKCS1V15_3072_SHA256, PKIX_RSA_PKCS1V15_4096_SHA256 -> {
        int want =
            details == PublicKeyDetails.PKIX_RSA_PKCS1V15_2048_SHA256
                ? 2048
                : details == PublicKeyDetails.PKIX_RSA_PKCS1V15_3072_SHA256 ? 3072 : 4096;
        if (!(key instanceof java.security.interfaces.RSAPublicKey rsa)) {
          return "a key of type " + PublicKeys.describeType(key);
        }
        int bits = rsa.getModulus().bitLength();
        return bits == want ? null : "a " + bits + "-bit RSA key";
      }
      case PKCS1_RSA_PKCS1V5 -> {
        return key instanceof java.security.interfaces.RSAPublicKey ? null : "a key of type " + key.getAlgorithm();
      }
      default -> {
        return "an unsupported scheme";
      }
    }
  }

  /** The named-curve OID of an EC key's PKIX encoding, or null if it has explicit parameters. */
  private static String namedCurveOid(PublicKey key) {
    try {
      ASN1Encodable params = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
      return params instanceof ASN1ObjectIdentifier oid ? oid.getId() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static CertificateAuthority authority(JsonValue n) throws TrustedRootException, JsonFormatException {
    n.requireObject();
    DistinguishedName subject = DistinguishedName.empty();
    Optional<JsonValue> s = n.optional("subject");
    if (s.isPresent()) {
      s.get().requireObject();
      subject =
          new DistinguishedName(
              s.get().optionalText("organization").orElse(""), s.get().optionalText("commonName").orElse(""));
    }
    String uri = n.optionalText("uri").orElse("");
    JsonValue chain = n.required("certChain");
    chain.requireObject();
    List<JsonValue> certNodes = chain.optionalArray("certificates", MAX_ENTRIES);
    if (certNodes.isEmpty()) {
      throw new TrustedRootException(chain.path() + ".certificates: expected at least one certificate, found none");
    }
    List<X509Certificate> parsed = new ArrayList<>();
    for (JsonValue c : certNodes) {
      c.requireObject();
      parsed.add(certificate(c.required("rawBytes")));
    }
    ValidityPeriod validFor = ValidityPeriod.unbounded();
    Optional<JsonValue> vf = n.optional("validFor");
    if (vf.isPresent()) {
      JsonValue v = vf.get();
      v.requireObject();
      Optional<JsonValue> start = v.optional("start");
      Optional<JsonValue> end = v.optional("end");
      validFor =
          validity(
              v,
              start.isPresent() ? start.get().timestamp() : null,
              end.isPresent() ? end.get().timestamp() : null);
    }
    String operator = n.optionalText("operator").orElse("");
    return new CertificateAuthority(subject, uri, parsed, validFor, operator);
  }

  private static X509Certificate certificate(JsonValue raw) throws TrustedRootException, JsonFormatException {
    byte[] der = raw.bytes();
    Certificate cert;
    try {
      cert = Certificates.parse(der);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TrustedRootException(
          raw.path() + ": expected a DER X.509 certificate, found an unparseable one (" + oneLine(e.getMessage()) + ")");
    }
    if (!(cert instanceof X509Certificate x509)) {
      throw new TrustedRootException(raw.path() + ": expected an X.509 certificate, found " + cert.getType());
    }
    try {
      if (!Arrays.equals(x509.getEncoded(), der)) {
        throw new TrustedRootException(
            raw.path() + ": expected exactly one DER X.509 certificate, found extra or non-DER bytes");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TrustedRootException(
          raw.path()
              + ": expected a DER X.509 certificate, found one that cannot be re-encoded ("
              + oneLine(e.getMessage())
              + ")");
    }
    try {
      if (x509.getPublicKey() == null) {
        throw new IllegalStateException("no public key");
      }
    } catch (RuntimeException e) {
      // BouncyCastle-parsed certificates defer key decoding; an undecodable key must fail here, not in verify.
      throw new TrustedRootException(
          raw.path() + ": expected a certificate with a decodable public key, found one that is not (" + oneLine(e.getMessage()) + ")");
    }
    return x509;
  }

  private static ValidityPeriod validity(JsonValue where, Instant start, Instant end) throws TrustedRootException, JsonFormatException {
    if (start != null && end != null && end.isBefore(start)) {
      throw new TrustedRootException(
          where.path() + ": expected start <= end, found start " + start + " after end " + end);
    }
    return new ValidityPeriod(start, end);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "no detail";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** The protobuf-specs HashAlgorithm enum: names by number. */
  private static final class HashAlgorithmNames {
    static final List<String> NAMES =
        List.of("HASH_ALGORITHM_UNSPECIFIED", "SHA2_256", "SHA2_384", "SHA2_512", "SHA3_256", "SHA3_384");

    private HashAlgorithmNames() {}
  }

  /** See {@link JsonValue#simpleUtc}. */
  static Instant simpleUtc(String s) {
    return JsonValue.simpleUtc(s);
  }

}
