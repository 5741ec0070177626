package dev.sigil.sandbox.tsa;

import dev.sigil.sandbox.keys.KeyFiles;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import dev.sigil.sandbox.http.Exchanges;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 3161 HTTP transport (RFC 3161 §3.4) of a {@link TimestampAuthority}, as sigstore's timestamp-authority
 * serves it, for the JDK's {@link HttpServer}:
 *
 * <ul>
 *   <li>{@code POST /api/v1/timestamp} with {@code Content-Type: application/timestamp-query} and a DER TimeStampReq:
 *       200 with {@code application/timestamp-reply} (the TimeStampResp, which may itself be a rejection such as
 *       badAlg); 400 (with a rejection TimeStampResp as body) when the body is not a TimeStampReq; 413 for bodies
 *       over {@link #DEFAULT_MAX_REQUEST_BYTES}; 415 for other content types; 405 for other methods.
 *   <li>{@code GET /api/v1/timestamp/certchain}: the chain (leaf, root) as PEM ({@code application/pem-certificate-chain}).
 * </ul>
 *
 * Errors other than the 400 are short {@code text/plain} messages. Mount it with {@link #mount(HttpServer)} on a
 * server that may also serve other paths (e.g. the Rekor API).
 */
public final class TsaHttpHandler implements HttpHandler {
  /** The timestamp endpoint. */
  public static final String PATH = "/api/v1/timestamp";
  /** The certificate-chain endpoint. */
  public static final String CERT_CHAIN_PATH = PATH + "/certchain";
  /** The default bound on request bodies: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  static final String QUERY_TYPE = "application/timestamp-query";
  static final String REPLY_TYPE = "application/timestamp-reply";

  private static final System.Logger LOG = System.getLogger(TsaHttpHandler.class.getName());

  private final TimestampAuthority authority;
  private final int maxRequestBytes;

  public TsaHttpHandler(TimestampAuthority authority) {
    this(authority, DEFAULT_MAX_REQUEST_BYTES);
  }

  /** @param maxRequestBytes the largest request body accepted (larger ones get 413) */
  public TsaHttpHandler(TimestampAuthority authority, int maxRequestBytes) {
    this.authority = Objects.requireNonNull(authority, "authority");
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: expected a positive value, found " + maxRequestBytes);
    }
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Registers this handler for {@link #PATH} (and below) on {@code server}. */
  public HttpContext mount(HttpServer server) {
    return server.createContext(PATH, this);
  }

  @Override
  public void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (RuntimeException | IOException e) {
        LOG.log(System.Logger.Level.WARNING, "timestamp API: " + ex.getRequestMethod() + " failed", e);
        sendText(ex, 500, "internal error", Map.of());
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "timestamp API: could not send the response", e);
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = Exchanges.path(ex);
    String method = ex.getRequestMethod();
    if (path.equals(PATH)) {
      if (!method.equals("POST")) {
        Exchanges.drain(ex.getRequestBody());
        sendText(ex, 405, "method not allowed", Map.of("Allow", "POST"));
        return;
      }
      timestamp(ex);
    } else if (path.equals(CERT_CHAIN_PATH)) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        Exchanges.drain(ex.getRequestBody());
        sendText(ex, 405, "method not allowed", Map.of("Allow", "GET, HEAD"));
        return;
      }
      certChain(ex);
    } else {
      Exchanges.drain(ex.getRequestBody());
      sendText(ex, 404, "not found", Map.of());
    }
  }

  private void timestamp(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(QUERY_TYPE) && !mediaType.equals("application/json")) {
      Exchanges.drain(ex.getRequestBody());
      sendText(ex, 415, "expected Content-Type " + QUERY_TYPE + " or application/json", Map.of());
      return;
    }
    byte[] body;
    try {
      body = Exchanges.readBody(ex, maxRequestBytes);
    } catch (Exchanges.BodyRefused e) {
      if (e.tooLarge()) {
        sendText(ex, 413, "request body is larger than " + maxRequestBytes + " bytes", Map.of());
      } else {
        sendText(ex, 400, "invalid Content-Length", Map.of());
      }
      return;
    }
    if (mediaType.equals("application/json")) {
      try {
        body = jsonRequest(body);
      } catch (IllegalArgumentException e) {
        sendText(ex, 400, e.getMessage(), Map.of());
        return;
      }
    }
    TimestampAuthority.Outcome outcome = authority.process(body);
    Exchanges.send(ex, outcome.wellFormed() ? 200 : 400, REPLY_TYPE, outcome.response(), Map.of());
  }

  /**
   * The JSON form of sigstore/timestamp-authority's request ({@code {"artifactHash": base64, "hashAlgorithm":
   * "sha256"|"sha384"|"sha512", "certificates": bool, "nonce": int, "tsaPolicyOID": "1.2..."}}, what sigstore-js
   * sends) as the DER TimeStampReq it stands for.
   *
   * @throws IllegalArgumentException naming the field that is not as expected
   */
  static byte[] jsonRequest(byte[] json) {
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("request: expected JSON, found malformed content");
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("request: expected a JSON object");
    }
    String alg = n.path("hashAlgorithm").asText("sha256");
    org.bouncycastle.asn1.ASN1ObjectIdentifier oid = switch (alg) {
      case "sha256" -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256;
      case "sha384" -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha384;
      case "sha512" -> org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha512;
      default -> throw new IllegalArgumentException("hashAlgorithm: expected sha256, sha384 or sha512, found " + alg);
    };
    byte[] hash;
    try {
      hash = java.util.Base64.getDecoder().decode(n.path("artifactHash").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("artifactHash: expected base64");
    }
    int expected = alg.equals("sha256") ? 32 : alg.equals("sha384") ? 48 : 64;
    if (hash.length != expected) {
      throw new IllegalArgumentException("artifactHash: expected " + expected + " bytes of " + alg + ", found "
          + hash.length);
    }
    org.bouncycastle.tsp.TimeStampRequestGenerator g = new org.bouncycastle.tsp.TimeStampRequestGenerator();
    g.setCertReq(n.path("certificates").asBoolean(false));
    if (n.hasNonNull("tsaPolicyOID")) {
      try {
        g.setReqPolicy(new org.bouncycastle.asn1.ASN1ObjectIdentifier(n.path("tsaPolicyOID").asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tsaPolicyOID: expected an OID");
      }
    }
    java.math.BigInteger nonce = n.hasNonNull("nonce") ? n.path("nonce").bigIntegerValue() : null;
    try {
      return (nonce == null ? g.generate(oid, hash) : g.generate(oid, hash, nonce)).getEncoded();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("request: cannot be encoded as a TimeStampReq (" + e.getMessage() + ")");
    }
  }

  private void certChain(HttpExchange ex) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (X509Certificate c : authority.chain()) {
        out.write(KeyFiles.pem("CERTIFICATE", c.getEncoded()));
      }
    } catch (CertificateEncodingException e) {
      throw new IOException("encoding the chain failed", e);
    }
    Exchanges.send(ex, 200, "application/pem-certificate-chain", out.toByteArray(), Map.of());
  }

  private static void sendText(HttpExchange ex, int status, String message, Map<String, String> headers)
      throws IOException {
    Exchanges.send(ex, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), headers);
  }

}
