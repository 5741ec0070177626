package dev.sigil.verifier.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.json.JsonNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.Certificate;
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


  private TrustedRootReader() {}

  static TrustedRoot read(byte[] json, CryptoBackend crypto) throws TrustedRootException {
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
    Node r = new Node(root, "$");
    r.requireObject();
    Node mt = r.required("mediaType");
    String mediaType = mt.text();
    if (!TrustedRoot.MEDIA_TYPES.contains(mediaType)) {
      throw new TrustedRootException(
          mt.path
              + ": expected a trusted root media type ("
              + String.join(", ", TrustedRoot.MEDIA_TYPES)
              + "), found \""
              + abbreviate(mediaType)
              + "\"");
    }
    List<TransparencyLogInstance> tlogs = logs(r, "tlogs", crypto);
    List<CertificateAuthority> cas = new ArrayList<>();
    for (Node n : r.array("certificateAuthorities")) {
      cas.add(authority(n, crypto));
    }
    List<TransparencyLogInstance> ctlogs = logs(r, "ctlogs", crypto);
    List<CertificateAuthority> tsas = new ArrayList<>();
    for (Node n : r.array("timestampAuthorities")) {
      tsas.add(authority(n, crypto));
    }
    return new TrustedRoot(mediaType, cas, tlogs, ctlogs, tsas);
  }

  private static List<TransparencyLogInstance> logs(Node root, String field, CryptoBackend crypto)
      throws TrustedRootException {
    List<TransparencyLogInstance> out = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (Node n : root.array(field)) {
      TransparencyLogInstance log = log(n, crypto);
      for (int i = 0; i < out.size(); i++) {
        if (log.hasLogId(out.get(i).logId())) {
          throw new TrustedRootException(
              n.path
                  + ".logId.keyId: expected a log ID unique among "
                  + field
                  + ", found "
                  + HexFormat.of().formatHex(log.logId())
                  + ", already used by "
                  + paths.get(i));
        }
      }
      out.add(log);
      paths.add(n.path);
    }
    return out;
  }

  private static TransparencyLogInstance log(Node n, CryptoBackend crypto) throws TrustedRootException {
    n.requireObject();
    String baseUrl = n.optionalText("baseUrl").orElse("");
    Node hashNode = n.required("hashAlgorithm");
    String hashName = hashNode.enumName(HashAlgorithmNames.NAMES);
    if (!"SHA2_256".equals(hashName)) {
      throw new TrustedRootException(
          hashNode.path + ": expected SHA2_256 (the only Merkle tree hash Sigil implements), found " + hashName);
    }
    Node pk = n.required("publicKey");
    pk.requireObject();
    Node detailsNode = pk.required("keyDetails");
    PublicKeyDetails details = keyDetails(detailsNode);
    if (!details.supportedForLogs()) {
      throw new TrustedRootException(
          detailsNode.path
              + ": expected a log key scheme Sigil supports (PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384,"
              + " PKIX_ECDSA_P521_SHA_512, PKIX_ED25519, PKIX_RSA_PKCS1V15_*_SHA256, PKCS1_RSA_PKCS1V5), found "
              + details);
    }
    Node raw = pk.required("rawBytes");
    PublicKey key = publicKey(raw, details, crypto);
    Optional<Node> validForField = pk.field("validFor");
    if (validForField.isEmpty()) {
      throw new TrustedRootException(
          pk.path + ".validFor: required field is missing (a transparency log key needs a validity period with a start)");
    }
    Node validForNode = validForField.get();
    validForNode.requireObject();
    Optional<Node> startField = validForNode.field("start");
    if (startField.isEmpty()) {
      throw new TrustedRootException(
          validForNode.path
              + ".start: required field is missing (a transparency log key with no start of validity cannot be trusted)");
    }
    Instant start = startField.get().timestamp();
    Instant end = validForNode.field("end").isPresent() ? validForNode.field("end").get().timestamp() : null;
    ValidityPeriod validFor = validity(validForNode, start, end);
    byte[] logId = keyId(n.required("logId"), true);
    Optional<byte[]> checkpointKeyId = Optional.empty();
    Optional<Node> ck = n.field("checkpointKeyId");
    if (ck.isPresent()) {
      checkpointKeyId = Optional.of(keyId(ck.get(), false));
    }
    String operator = n.optionalText("operator").orElse("");
    return new TransparencyLogInstance(
        baseUrl, HashAlgorithm.SHA2_256, details, key, validFor, logId, checkpointKeyId, operator);
  }

  /** A key ID; log IDs are SHA-256 hashes (RFC 6962, C2SP), checkpoint key IDs may be 4-byte note key hints. */
  private static byte[] keyId(Node n, boolean sha256) throws TrustedRootException {
    n.requireObject();
    byte[] id = n.required("keyId").bytes();
    if (id.length == 0) {
      throw new TrustedRootException(n.path + ".keyId: expected a non-empty key ID, found 0 bytes");
    }
    if (sha256 && id.length != 32) {
      throw new TrustedRootException(
          n.path + ".keyId: expected a 32-byte log ID (a SHA-256 hash), found " + id.length + " bytes");
    }
    return id;
  }

  private static PublicKeyDetails keyDetails(Node n) throws TrustedRootException {
    JsonNode v = n.node;
    if (v.isTextual()) {
      Optional<PublicKeyDetails> named = PublicKeyDetails.fromName(v.textValue());
      if (named.isEmpty()) {
        throw new TrustedRootException(
            n.path + ": expected a PublicKeyDetails name, found unknown \"" + abbreviate(v.textValue()) + "\"");
      }
      return named.get();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      Optional<PublicKeyDetails> numbered = PublicKeyDetails.fromNumber(v.longValue());
      if (numbered.isEmpty()) {
        throw new TrustedRootException(n.path + ": expected a PublicKeyDetails number, found unknown " + v);
      }
      return numbered.get();
    }
    throw new TrustedRootException(n.path + ": expected a PublicKeyDetails name or number, found " + Node.describe(v));
  }

  private static PublicKey publicKey(Node raw, PublicKeyDetails details, CryptoBackend crypto)
      throws TrustedRootException {
    byte[] der = raw.bytes();
    PublicKey key;
    try {
      if (details == PublicKeyDetails.PKCS1_RSA_PKCS1V5) {
        key = crypto.parsePublicKey(pkcs1ToPkix(der));
      } else {
        key = crypto.parsePublicKey(der);
      }
    } catch (KeyParseException e) {
      throw new TrustedRootException(
          raw.path + ": expected a " + details + " key, found an unparseable one (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      throw new TrustedRootException(
          raw.path + ": expected a " + details + " key, found an unparseable one (" + oneLine(e.getMessage()) + ")");
    }
    String mismatch = keyMismatch(key, details);
    if (mismatch != null) {
      throw new TrustedRootException(raw.path + ": expected a key matching " + details + ", found " + mismatch);
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

  private static CertificateAuthority authority(Node n, CryptoBackend crypto) throws TrustedRootException {
    n.requireObject();
    DistinguishedName subject = DistinguishedName.empty();
    Optional<Node> s = n.field("subject");
    if (s.isPresent()) {
      s.get().requireObject();
      subject =
          new DistinguishedName(
              s.get().optionalText("organization").orElse(""), s.get().optionalText("commonName").orElse(""));
    }
    String uri = n.optionalText("uri").orElse("");
    Node chain = n.required("certChain");
    chain.requireObject();
    List<Node> certNodes = chain.array("certificates");
    if (certNodes.isEmpty()) {
      throw new TrustedRootException(chain.path + ".certificates: expected at least one certificate, found none");
    }
    List<X509Certificate> parsed = new ArrayList<>();
    for (Node c : certNodes) {
      c.requireObject();
      parsed.add(certificate(c.required("rawBytes"), crypto));
    }
    ValidityPeriod validFor = ValidityPeriod.unbounded();
    Optional<Node> vf = n.field("validFor");
    if (vf.isPresent()) {
      Node v = vf.get();
      v.requireObject();
      Optional<Node> start = v.field("start");
      Optional<Node> end = v.field("end");
      validFor =
          validity(
              v,
              start.isPresent() ? start.get().timestamp() : null,
              end.isPresent() ? end.get().timestamp() : null);
    }
    String operator = n.optionalText("operator").orElse("");
    return new CertificateAuthority(subject, uri, parsed, validFor, operator);
  }

  private static X509Certificate certificate(Node raw, CryptoBackend crypto) throws TrustedRootException {
    byte[] der = raw.bytes();
    Certificate cert;
    try {
      cert = crypto.parseCertificate(der);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TrustedRootException(
          raw.path + ": expected a DER X.509 certificate, found an unparseable one (" + oneLine(e.getMessage()) + ")");
    }
    if (!(cert instanceof X509Certificate x509)) {
      throw new TrustedRootException(raw.path + ": expected an X.509 certificate, found " + cert.getType());
    }
    try {
      if (!Arrays.equals(x509.getEncoded(), der)) {
        throw new TrustedRootException(
            raw.path + ": expected exactly one DER X.509 certificate, found extra or non-DER bytes");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TrustedRootException(
          raw.path
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
          raw.path + ": expected a certificate with a decodable public key, found one that is not (" + oneLine(e.getMessage()) + ")");
    }
    return x509;
  }

  private static ValidityPeriod validity(Node where, Instant start, Instant end) throws TrustedRootException {
    if (start != null && end != null && end.isBefore(start)) {
      throw new TrustedRootException(
          where.path + ": expected start <= end, found start " + start + " after end " + end);
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

  /**
   * The common form {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} (every timestamp Sigstore's roots carry), read without
   * java.time's formatter (the one-shot path, docs/fast-start.md). Null for anything else, including invalid dates
   * and times, which then take the formatter's path and get its verdict.
   */
  static Instant simpleUtc(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || n == 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.') {
        return null;
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    try {
      return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** The decimal number in s[from, to), or -1 if any character there is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** A JSON node with its path, for error messages. Field names are looked up in camelCase and snake_case. */
  private record Node(JsonNode node, String path) {
    void requireObject() throws TrustedRootException {
      if (!node.isObject()) {
        throw new TrustedRootException(path + ": expected an object, found " + describe(node));
      }
    }

    /** The field (by lowerCamelCase name, or its snake_case original), or empty when absent or null. */
    Optional<Node> field(String camel) throws TrustedRootException {
      requireObject();
      String snake = snakeCase(camel);
      JsonNode a = node.get(camel);
      JsonNode b = snake.equals(camel) ? null : node.get(snake);
      boolean hasA = a != null && !a.isNull();
      boolean hasB = b != null && !b.isNull();
      if (hasA && hasB) {
        throw new TrustedRootException(
            path + ": expected one of " + camel + " and " + snake + " (the same field), found both");
      }
      if (hasA) {
        return Optional.of(new Node(a, path + "." + camel));
      }
      if (hasB) {
        return Optional.of(new Node(b, path + "." + snake));
      }
      return Optional.empty();
    }

    Node required(String camel) throws TrustedRootException {
      Optional<Node> n = field(camel);
      if (n.isEmpty()) {
        throw new TrustedRootException(path + "." + camel + ": required field is missing");
      }
      return n.get();
    }

    Optional<String> optionalText(String camel) throws TrustedRootException {
      Optional<Node> n = field(camel);
      return n.isPresent() ? Optional.of(n.get().text()) : Optional.empty();
    }

    String text() throws TrustedRootException {
      if (!node.isTextual()) {
        throw new TrustedRootException(path + ": expected a string, found " + describe(node));
      }
      return node.textValue();
    }

    List<Node> array(String camel) throws TrustedRootException {
      Optional<Node> n = field(camel);
      if (n.isEmpty()) {
        return List.of();
      }
      JsonNode v = n.get().node;
      if (!v.isArray()) {
        throw new TrustedRootException(n.get().path + ": expected an array, found " + describe(v));
      }
      List<Node> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        out.add(new Node(v.get(i), n.get().path + "[" + i + "]"));
      }
      return out;
    }

    byte[] bytes() throws TrustedRootException {
      if (!node.isTextual()) {
        throw new TrustedRootException(path + ": expected base64 text, found " + describe(node));
      }
      String s = node.textValue();
      boolean url = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
      try {
        return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
      } catch (IllegalArgumentException e) {
        throw new TrustedRootException(
            path + ": expected base64, found invalid base64 (" + oneLine(e.getMessage()) + ")");
      }
    }

    Instant timestamp() throws TrustedRootException {
      if (!node.isTextual()) {
        throw new TrustedRootException(path + ": expected an RFC 3339 timestamp string, found " + describe(node));
      }
      String s = node.textValue();
      Instant simple = simpleUtc(s);
      if (simple != null) {
        return simple;
      }
      try {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw new TrustedRootException(
            path + ": expected an RFC 3339 timestamp such as 2021-01-12T11:53:27Z, found \"" + abbreviate(s) + "\"");
      }
    }

    /** An enum value given by name or by number, returned as its name. */
    String enumName(List<String> namesByNumber) throws TrustedRootException {
      if (node.isTextual()) {
        String s = node.textValue();
        if (!namesByNumber.contains(s)) {
          throw new TrustedRootException(
              path + ": expected one of " + namesByNumber + ", found \"" + abbreviate(s) + "\"");
        }
        return s;
      }
      if (node.isIntegralNumber() && node.canConvertToInt()) {
        int i = node.intValue();
        if (i < 0 || i >= namesByNumber.size()) {
          throw new TrustedRootException(
              path + ": expected an enum number from 0 to " + (namesByNumber.size() - 1) + ", found " + i);
        }
        return namesByNumber.get(i);
      }
      throw new TrustedRootException(path + ": expected an enum name or number, found " + describe(node));
    }

    static String snakeCase(String camel) {
      StringBuilder b = new StringBuilder(camel.length() + 4);
      for (int i = 0; i < camel.length(); i++) {
        char c = camel.charAt(i);
        if (Character.isUpperCase(c)) {
          b.append('_').append(Character.toLowerCase(c));
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }

    static String describe(JsonNode v) {
      if (v.isTextual()) {
        return "the string \"" + abbreviate(v.textValue()) + "\"";
      }
      return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }
}
