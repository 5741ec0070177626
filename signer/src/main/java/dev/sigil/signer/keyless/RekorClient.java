package dev.sigil.signer.keyless;

import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.SigningException;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Rekor v1 REST client: uploads a proposed entry ({@code POST {base}/api/v1/log/entries}) and returns it as a
 * bundle's transparency-log entry, with its signed entry timestamp and inclusion proof. When the log already holds
 * an equivalent entry (HTTP 409) the existing one is fetched from the {@code Location} the log names. Thread-safe; the
 * constructor does no I/O.
 *
 * <p>Entry kinds: {@code hashedrekord 0.0.1} (message signatures) and {@code dsse 0.0.1} (DSSE envelopes: what
 * sigstore-go, sigstore-python, cosign 3 and cosign 2.5's {@code attest} write).
 */
public final class RekorClient implements TransparencyLogClient {
  public static final String ENTRIES_PATH = "/api/v1/log/entries";
  private static final String SERVICE = "Rekor";

  private final URI baseUrl;
  private final URI endpoint;
  private final Http http;

  /** A client with {@link Timeouts#defaults()}. */
  public RekorClient(URI baseUrl) {
    this(baseUrl, Timeouts.defaults());
  }

  public RekorClient(URI baseUrl, Timeouts timeouts) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.endpoint = Http.resolve(baseUrl, ENTRIES_PATH);
    this.http = new Http(timeouts);
  }

  @Override
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public int majorApiVersion() {
    return 1;
  }

  /** An entry to propose to the log. */
  public sealed interface ProposedEntry permits HashedRekord, Dsse {}

  /**
   * A {@code hashedrekord 0.0.1} entry: a signature over an artifact digest, with the PEM of the key or certificate
   * that verifies it.
   *
   * @param hash SHA2_256, SHA2_384 or SHA2_512 (as the 0.0.1 schema allows)
   * @param verifierPem a PEM {@code CERTIFICATE} (keyless) or {@code PUBLIC KEY} (key-based)
   */
  public record HashedRekord(byte[] signature, HashAlgorithm hash, byte[] digest, String verifierPem)
      implements ProposedEntry {
    public HashedRekord {
      signature = signature.clone();
      Objects.requireNonNull(hash, "hash");
      digest = digest.clone();
      Objects.requireNonNull(verifierPem, "verifierPem");
      if (digest.length != hash.length()) {
        throw new IllegalArgumentException(
            "digest: expected " + hash.length() + " bytes for " + hash + ", found " + digest.length);
      }
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public byte[] digest() {
      return digest.clone();
    }
  }

  /**
   * A {@code dsse 0.0.1} entry: a DSSE envelope (its JSON, sent as a string) and the PEMs of the keys or certificates
   * that verify its signatures. The log verifies every signature over the PAE and stores hashes of the envelope and
   * payload with the signatures and verifiers, not the envelope itself.
   */
  public record Dsse(byte[] envelopeJson, List<String> verifierPems) implements ProposedEntry {
    public Dsse {
      envelopeJson = envelopeJson.clone();
      verifierPems = List.copyOf(verifierPems);
      if (verifierPems.isEmpty()) {
        throw new IllegalArgumentException("a dsse entry needs at least one verifier");
      }
    }

    @Override
    public byte[] envelopeJson() {
      return envelopeJson.clone();
    }
  }

  /**
   * Uploads the entry and returns the logged entry (from the 201 response, or the existing entry after a 409).
   *
   * @throws SigningException for a network error, a refusal (status and the log's message) or a malformed response
   */
  @Override
  public TransparencyLogEntry upload(ProposedEntry entry) throws SigningException {
    Objects.requireNonNull(entry, "entry");
    ObjectNode req = Json.MAPPER.createObjectNode();
    String kind;
    String sent;
    if (entry instanceof HashedRekord h) {
      kind = "hashedrekord";
      String alg = rekorHashName(h.hash());
      String digestHex = HexFormat.of().formatHex(h.digest);
      req.put("apiVersion", "0.0.1").put("kind", kind);
      ObjectNode spec = req.putObject("spec");
      ObjectNode sig = spec.putObject("signature");
      sig.put("content", Base64.getEncoder().encodeToString(h.signature));
      sig.putObject("publicKey")
          .put("content", Base64.getEncoder().encodeToString(h.verifierPem.getBytes(StandardCharsets.UTF_8)));
      spec.putObject("data").putObject("hash").put("algorithm", alg).put("value", digestHex);
      String what = h.verifierPem.contains("BEGIN CERTIFICATE") ? "certificate" : "public key";
      sent = "a hashedrekord 0.0.1 entry for " + alg + ":" + digestHex + " (signature and " + what + ")";
    } else {
      Dsse d = (Dsse) entry;
      kind = "dsse";
      req.put("apiVersion", "0.0.1").put("kind", kind);
      ObjectNode content = req.putObject("spec").putObject("proposedContent");
      content.put("envelope", new String(d.envelopeJson, StandardCharsets.UTF_8));
      var verifiers = content.putArray("verifiers");
      for (String pem : d.verifierPems) {
        verifiers.add(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)));
      }
      String what = d.verifierPems.get(0).contains("BEGIN CERTIFICATE") ? "certificate" : "public key";
      sent = "a dsse 0.0.1 entry for a DSSE envelope of " + d.envelopeJson.length + " bytes (with its " + what + ")";
    }
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(req);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a JSON tree cannot fail", e);
    }
    Http.Response r =
        http.send(SERVICE, "POST", endpoint, "application/json", body, "application/json", sent, null);
    if (r.status() == 409) {
      return fetchExisting(r, sent, kind);
    }
    if (r.status() != 201 && r.status() != 200) {
      throw Http.unexpectedStatus(SERVICE, endpoint, sent, "HTTP 201 with the new log entry", r);
    }
    try {
      return parseEntry(r.body(), kind, "0.0.1");
    } catch (Json.ShapeException e) {
      throw Http.malformed(SERVICE, endpoint, sent, e.getMessage(), r);
    }
  }

  private TransparencyLogEntry fetchExisting(Http.Response conflict, String sent, String kind)
      throws SigningException {
    Optional<String> location = conflict.header("Location");
    if (location.isEmpty()) {
      throw new SigningException(
          "Rekor at " + endpoint + ": " + sent + " already exists in the log (HTTP 409), but the response names no"
              + " Location to fetch it from" + Http.serverMessage(conflict));
    }
    URI existing;
    try {
      existing = endpoint.resolve(location.get());
    } catch (IllegalArgumentException e) {
      throw new SigningException(
          "Rekor at " + endpoint + ": HTTP 409 with Location " + Http.quote(location.get())
              + ": expected a URL or path, found an unparsable one");
    }
    if (!Objects.equals(existing.getHost(), endpoint.getHost())
        || !Objects.equals(existing.getScheme(), endpoint.getScheme())
        || existing.getPort() != endpoint.getPort()) {
      throw new SigningException(
          "Rekor at " + endpoint + ": HTTP 409 Location " + existing + ": expected a URL on the same log, found "
              + "another host");
    }
    String fetch = "a request for the existing entry " + existing.getPath();
    Http.Response r = http.send(SERVICE, "GET", existing, null, null, "application/json", fetch, null);
    if (r.status() != 200) {
      throw Http.unexpectedStatus(SERVICE, existing, fetch + " (after HTTP 409 for " + sent + ")", "HTTP 200", r);
    }
    try {
      return parseEntry(r.body(), kind, "0.0.1");
    } catch (Json.ShapeException e) {
      throw Http.malformed(SERVICE, existing, fetch, e.getMessage(), r);
    }
  }

  static String rekorHashName(HashAlgorithm h) {
    return switch (h) {
      case SHA2_256 -> "sha256";
      case SHA2_384 -> "sha384";
      case SHA2_512 -> "sha512";
    };
  }

  /**
   * Reads a Rekor v1 {@code LogEntry} response: an object with exactly one key (the entry UUID) whose value holds
   * {@code body}, {@code integratedTime}, {@code logID}, {@code logIndex} and {@code verification}.
   */
  static TransparencyLogEntry parseEntry(byte[] json, String expectedKind, String expectedVersion)
      throws Json.ShapeException {
    JsonNode root = Json.parseObject(json);
    if (root.size() != 1) {
      throw new Json.ShapeException(
          "log entry response: expected one entry keyed by its UUID, found " + root.size() + " keys");
    }
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    Map.Entry<String, JsonNode> only = it.next();
    String p = only.getKey() + ".";
    JsonNode e = only.getValue();
    if (!e.isObject()) {
      throw new Json.ShapeException(only.getKey() + ": expected an object, found " + Json.kind(e));
    }
    byte[] body = base64(Json.string(e, "body", p), p + "body");
    long integratedTime = Json.nonNegativeLong(e, "integratedTime", p);
    byte[] logId = hex(Json.string(e, "logID", p), p + "logID");
    long logIndex = Json.nonNegativeLong(e, "logIndex", p);
    JsonNode v = Json.object(e, "verification", p);
    String vp = p + "verification.";
    byte[] set = base64(Json.string(v, "signedEntryTimestamp", vp), vp + "signedEntryTimestamp");
    JsonNode ip = Json.object(v, "inclusionProof", vp);
    String ipp = vp + "inclusionProof.";
    long proofIndex = Json.nonNegativeLong(ip, "logIndex", ipp);
    long treeSize = Json.nonNegativeLong(ip, "treeSize", ipp);
    byte[] rootHash = hex(Json.string(ip, "rootHash", ipp), ipp + "rootHash");
    String checkpoint = Json.string(ip, "checkpoint", ipp);
    JsonNode hashesNode = ip.get("hashes");
    List<byte[]> hashes = new ArrayList<>();
    if (hashesNode != null && !hashesNode.isNull()) {
      if (!hashesNode.isArray()) {
        throw new Json.ShapeException(ipp + "hashes: expected an array of hex strings, found " + Json.kind(hashesNode));
      }
      for (int i = 0; i < hashesNode.size(); i++) {
        JsonNode h = hashesNode.get(i);
        if (!h.isTextual()) {
          throw new Json.ShapeException(ipp + "hashes[" + i + "]: expected a hex string, found " + Json.kind(h));
        }
        hashes.add(hex(h.textValue(), ipp + "hashes[" + i + "]"));
      }
    }
    if (proofIndex >= treeSize) {
      throw new Json.ShapeException(
          ipp + "logIndex: expected less than treeSize " + treeSize + ", found " + proofIndex);
    }
    JsonNode bodyJson = Json.parseObject(body);
    String kind = bodyJson.path("kind").asText("");
    String version = bodyJson.path("apiVersion").asText("");
    if (!expectedKind.equals(kind) || !expectedVersion.equals(version)) {
      throw new Json.ShapeException(
          p + "body: expected a " + expectedKind + " " + expectedVersion + " entry, found kind \"" + kind
              + "\" apiVersion \"" + version + "\"");
    }
    return new TransparencyLogEntry(
        logIndex,
        logId,
        kind,
        version,
        integratedTime,
        Optional.of(set),
        Optional.of(new InclusionProof(proofIndex, rootHash, treeSize, hashes, Optional.of(checkpoint))),
        body);
  }

  private static byte[] base64(String s, String path) throws Json.ShapeException {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new Json.ShapeException(path + ": expected base64, found " + Http.quote(s));
    }
  }

  private static byte[] hex(String s, String path) throws Json.ShapeException {
    try {
      byte[] b = HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
      if (b.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new Json.ShapeException(path + ": expected hex, found " + Http.quote(s));
    }
  }
}
