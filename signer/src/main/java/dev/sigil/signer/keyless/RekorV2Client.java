package dev.sigil.signer.keyless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.SigningException;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.KeyParseException;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Rekor v2 client: {@code POST {base}/api/v2/log/entries} with a {@code CreateEntryRequest} (protobuf JSON), and the
 * returned {@code TransparencyLogEntry} (inclusion proof and checkpoint, no integrated time, no SET) taken as the
 * bundle's entry as it is. Thread-safe; the constructor does no I/O.
 *
 * <p>Entry kinds: message signatures are {@code hashedrekord 0.0.2} (the digest the signature covers, the signature,
 * and the key or certificate with its {@code keyDetails}). DSSE envelopes are, by default, {@code hashedrekord 0.0.2}
 * over the hash of the envelope's PAE with the envelope's signature ({@link DsseEntry#HASHEDREKORD}, rekor-v2-spec
 * 6.1.4: what Sigstore's public-good Rekor v2 accepts, and what sigstore-go, sigstore-python and sigstore-rust write
 * since mid-2026); {@link DsseEntry#DSSE} writes the older {@code dsse 0.0.2} request, which only logs that still
 * take it do (and which verifiers older than that change, such as {@code @sigstore/verify} 3.x, understand).
 *
 * <p>A Rekor v2 write returns once the entry is in a published checkpoint, which takes seconds; the request timeout
 * is at least {@link #MIN_REQUEST_TIMEOUT}, as Sigstore's clients allow.
 */
public final class RekorV2Client implements TransparencyLogClient {
  public static final String ENTRIES_PATH = "/api/v2/log/entries";
  /** Rekor v2 asks clients to wait at least this long for a write. */
  public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(20);
  private static final String SERVICE = "Rekor v2";

  /** How a DSSE envelope is logged. */
  public enum DsseEntry {
    /** {@code hashedrekord 0.0.2} over the hash of the PAE (rekor-v2-spec 6.1.4); the default. */
    HASHEDREKORD,
    /** {@code dsse 0.0.2} (the envelope and its verifiers; dropped by current Rekor v2 deployments). */
    DSSE
  }

  private final URI baseUrl;
  private final URI endpoint;
  private final Http http;
  private final DsseEntry dsseEntry;

  /** A client with default timeouts (the request timeout raised to {@link #MIN_REQUEST_TIMEOUT}). */
  public RekorV2Client(URI baseUrl) {
    this(baseUrl, Timeouts.defaults(), DsseEntry.HASHEDREKORD);
  }

  public RekorV2Client(URI baseUrl, Timeouts timeouts, DsseEntry dsseEntry) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.endpoint = Http.resolve(baseUrl, ENTRIES_PATH);
    Objects.requireNonNull(timeouts, "timeouts");
    this.http = new Http(timeouts.request().compareTo(MIN_REQUEST_TIMEOUT) >= 0
        ? timeouts : new Timeouts(timeouts.connect(), MIN_REQUEST_TIMEOUT));
    this.dsseEntry = Objects.requireNonNull(dsseEntry, "dsseEntry");
  }

  @Override
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public int majorApiVersion() {
    return 2;
  }

  public DsseEntry dsseEntry() {
    return dsseEntry;
  }

  @Override
  public TransparencyLogEntry upload(RekorClient.ProposedEntry entry) throws SigningException {
    Objects.requireNonNull(entry, "entry");
    ObjectNode req = Json.MAPPER.createObjectNode();
    String kind;
    String sent;
    if (entry instanceof RekorClient.HashedRekord h) {
      Verifier v = verifier(h.verifierPem());
      if (v.hash() != h.hash()) {
        throw new IllegalArgumentException("digest: expected " + v.hash() + " for a " + v.keyDetails()
            + " key in a hashedrekord 0.0.2 entry, found " + h.hash());
      }
      hashedRekord(req, h.digest(), h.signature(), v);
      kind = "hashedrekord";
      sent = "a hashedrekord 0.0.2 entry for " + h.hash() + ":" + hex(h.digest()) + " (signature and " + v.what() + ")";
    } else {
      RekorClient.Dsse d = (RekorClient.Dsse) entry;
      if (d.verifierPems().size() != 1) {
        throw new IllegalArgumentException("a DSSE envelope logged in Rekor v2 needs exactly one verifier, found "
            + d.verifierPems().size());
      }
      Verifier v = verifier(d.verifierPems().get(0));
      Envelope env = Envelope.parse(d.envelopeJson());
      if (dsseEntry == DsseEntry.HASHEDREKORD) {
        byte[] digest = digest(v.hash(), env.pae());
        hashedRekord(req, digest, env.signature(), v);
        kind = "hashedrekord";
        sent = "a hashedrekord 0.0.2 entry for the DSSE envelope's PAE (" + v.hash() + ":" + hex(digest) + ", with its "
            + v.what() + ")";
      } else {
        ObjectNode r = req.putObject("dsseRequestV002");
        r.set("envelope", env.json());
        r.putArray("verifiers").add(v.json());
        kind = "dsse";
        sent = "a dsse 0.0.2 entry for a DSSE envelope of " + d.envelopeJson().length + " bytes (with its " + v.what()
            + ")";
      }
    }
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(req);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
    Http.Response r = http.send(SERVICE, "POST", endpoint, "application/json", body, "application/json", sent, null);
    if (r.status() != 201 && r.status() != 200) {
      throw Http.unexpectedStatus(SERVICE, endpoint, sent, "HTTP 201 with the new log entry", r);
    }
    try {
      return parseEntry(r.body(), kind);
    } catch (Json.ShapeException e) {
      throw Http.malformed(SERVICE, endpoint, sent, e.getMessage(), r);
    }
  }

  private static void hashedRekord(ObjectNode req, byte[] digest, byte[] signature, Verifier v) {
    ObjectNode hr = req.putObject("hashedRekordRequestV002");
    hr.put("digest", b64(digest));
    ObjectNode sig = hr.putObject("signature");
    sig.put("content", b64(signature));
    sig.set("verifier", v.json());
  }

  /** The key or certificate of a PEM, with the protobuf key details and digest Rekor v2 expects for it. */
  record Verifier(boolean certificate, byte[] der, String keyDetails, HashAlgorithm hash) {
    ObjectNode json() {
      ObjectNode v = Json.MAPPER.createObjectNode();
      v.putObject(certificate ? "x509Certificate" : "publicKey").put("rawBytes", b64(der));
      v.put("keyDetails", keyDetails);
      return v;
    }

    String what() {
      return certificate ? "certificate" : "public key";
    }
  }

  static Verifier verifier(String pem) {
    boolean cert = pem.contains("-----BEGIN CERTIFICATE-----");
    PublicKey key;
    byte[] der;
    try {
      if (cert) {
        String b = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----") + 27, pem.indexOf("-----END CERTIFICATE-----"));
        der = Base64.getMimeDecoder().decode(b);
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
        key = c.getPublicKey();
      } else {
        key = PublicKeys.fromPem(pem);
        der = key.getEncoded();
      }
    } catch (GeneralSecurityException | KeyParseException | RuntimeException e) {
      throw new IllegalArgumentException("verifier: expected a PEM certificate or public key, found one that does not"
          + " parse (" + e.getMessage() + ")", e);
    }
    KeyAlgorithm alg;
    try {
      alg = KeyAlgorithm.of(key);
    } catch (UnsupportedKeyException e) {
      throw new IllegalArgumentException("verifier: " + e.getMessage(), e);
    }
    String details = switch (alg) {
      case ECDSA_P256 -> "PKIX_ECDSA_P256_SHA_256";
      case ECDSA_P384 -> "PKIX_ECDSA_P384_SHA_384";
      case ECDSA_P521 -> "PKIX_ECDSA_P521_SHA_512";
      case RSA_PKCS1V15 -> "PKIX_RSA_PKCS1V15_" + ((RSAPublicKey) key).getModulus().bitLength() + "_SHA256";
      case ED25519 -> throw new IllegalArgumentException(
          "verifier: expected an ECDSA or RSA key (a Rekor v2 hashedrekord entry holds a signature over a digest),"
              + " found Ed25519");
    };
    return new Verifier(cert, der, details, alg.hash().orElseThrow());
  }

  /** The parts of a DSSE envelope's JSON a Rekor v2 request needs; exactly one signature. */
  record Envelope(String payloadType, byte[] payload, byte[] signature, String keyid) {
    static Envelope parse(byte[] json) {
      try {
        JsonNode e = Json.parseObject(json);
        String type = Json.string(e, "payloadType", "envelope.");
        byte[] payload = Base64.getDecoder().decode(Json.string(e, "payload", "envelope."));
        JsonNode sigs = Json.array(e, "signatures", "envelope.");
        if (sigs.size() != 1 || !sigs.get(0).isObject()) {
          throw new IllegalArgumentException("envelope.signatures: expected exactly one signature, found "
              + sigs.size());
        }
        byte[] sig = Base64.getDecoder().decode(Json.string(sigs.get(0), "sig", "envelope.signatures[0]."));
        JsonNode keyid = sigs.get(0).get("keyid");
        return new Envelope(type, payload, sig, keyid == null || !keyid.isTextual() ? "" : keyid.textValue());
      } catch (Json.ShapeException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    byte[] pae() {
      byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
      byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
          .getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[head.length + payload.length];
      System.arraycopy(head, 0, out, 0, head.length);
      System.arraycopy(payload, 0, out, head.length, payload.length);
      return out;
    }

    ObjectNode json() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("payload", b64(payload));
      o.put("payloadType", payloadType);
      ArrayNode sigs = o.putArray("signatures");
      ObjectNode s = sigs.addObject();
      s.put("sig", b64(signature));
      s.put("keyid", keyid);
      return o;
    }
  }

  /**
   * Reads a {@code TransparencyLogEntry} (protobuf JSON): {@code logIndex} (int64, as a string or number), {@code
   * logId.keyId}, {@code kindVersion}, {@code inclusionProof} with {@code checkpoint.envelope}, and {@code
   * canonicalizedBody}. A Rekor v2 entry has neither an integrated time nor an inclusion promise: either is refused.
   */
  static TransparencyLogEntry parseEntry(byte[] json, String expectedKind) throws Json.ShapeException {
    JsonNode e = Json.parseObject(json);
    long logIndex = int64(e, "logIndex", "", true);
    byte[] logId = base64(Json.string(Json.object(e, "logId", ""), "keyId", "logId."), "logId.keyId");
    JsonNode kv = Json.object(e, "kindVersion", "");
    String kind = Json.string(kv, "kind", "kindVersion.");
    String version = Json.string(kv, "version", "kindVersion.");
    if (!expectedKind.equals(kind) || !"0.0.2".equals(version)) {
      throw new Json.ShapeException("kindVersion: expected " + expectedKind + " 0.0.2, found " + kind + " " + version);
    }
    if (int64(e, "integratedTime", "", false) != 0) {
      throw new Json.ShapeException("integratedTime: expected none (Rekor v2 entries carry no integrated time), found "
          + Json.kind(e.get("integratedTime")));
    }
    if (e.has("inclusionPromise")) {
      throw new Json.ShapeException("inclusionPromise: expected none from a Rekor v2 log, found one");
    }
    JsonNode ip = Json.object(e, "inclusionProof", "");
    String p = "inclusionProof.";
    long proofIndex = int64(ip, "logIndex", p, true);
    long treeSize = int64(ip, "treeSize", p, true);
    byte[] rootHash = base64(Json.string(ip, "rootHash", p), p + "rootHash");
    String checkpoint = Json.string(Json.object(ip, "checkpoint", p), "envelope", p + "checkpoint.");
    List<byte[]> hashes = new ArrayList<>();
    JsonNode hs = ip.get("hashes");
    if (hs != null && !hs.isNull()) {
      if (!hs.isArray()) {
        throw new Json.ShapeException(p + "hashes: expected an array of base64 strings, found " + Json.kind(hs));
      }
      for (int i = 0; i < hs.size(); i++) {
        if (!hs.get(i).isTextual()) {
          throw new Json.ShapeException(p + "hashes[" + i + "]: expected base64, found " + Json.kind(hs.get(i)));
        }
        hashes.add(base64(hs.get(i).textValue(), p + "hashes[" + i + "]"));
      }
    }
    if (proofIndex != logIndex || proofIndex >= treeSize) {
      throw new Json.ShapeException(p + "logIndex: expected " + logIndex + " (the entry's) and less than treeSize "
          + treeSize + ", found " + proofIndex);
    }
    byte[] body = base64(Json.string(e, "canonicalizedBody", ""), "canonicalizedBody");
    JsonNode b = Json.parseObject(body);
    if (!kind.equals(b.path("kind").asText("")) || !version.equals(b.path("apiVersion").asText(""))) {
      throw new Json.ShapeException("canonicalizedBody: expected a " + kind + " " + version + " body, found kind \""
          + b.path("kind").asText("") + "\" apiVersion \"" + b.path("apiVersion").asText("") + "\"");
    }
    return new TransparencyLogEntry(logIndex, logId, kind, version, 0, Optional.empty(),
        Optional.of(new InclusionProof(proofIndex, rootHash, treeSize, hashes, Optional.of(checkpoint))), body);
  }

  /** A protobuf JSON int64: a decimal string or a number; absent means 0 unless required. */
  private static long int64(JsonNode parent, String field, String path, boolean required) throws Json.ShapeException {
    JsonNode n = parent.get(field);
    if (n == null) {
      if (required && !field.equals("logIndex")) {
        throw new Json.ShapeException(path + field + ": expected an integer, found no such field");
      }
      return 0; // protobuf JSON leaves out zero values, a log index of 0 among them
    }
    try {
      long v = n.isTextual() ? Long.parseLong(n.textValue()) : n.isIntegralNumber() && n.canConvertToLong()
          ? n.longValue() : -1;
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException ex) {
      throw new Json.ShapeException(path + field + ": expected a non-negative int64, found " + Json.kind(n));
    }
  }

  private static byte[] base64(String s, String path) throws Json.ShapeException {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new Json.ShapeException(path + ": expected base64, found " + Http.quote(s));
    }
  }

  private static byte[] digest(HashAlgorithm h, byte[] data) {
    try {
      return MessageDigest.getInstance(h.jcaName()).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-2 is in every JDK", e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  @Override
  public String toString() {
    return "RekorV2Client[" + baseUrl + ", DSSE as " + dsseEntry + "]";
  }
}
