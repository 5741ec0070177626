package dev.sigil.sandbox.fulcio;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.http.Exchanges;
import dev.sigil.sandbox.oidc.IdentityTokens;
import dev.sigil.sandbox.oidc.InvalidTokenException;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Fulcio's REST API over a {@link CertificateAuthority}, for the JDK's {@link HttpServer}:
 *
 * <ul>
 *   <li>{@code POST /api/v2/signingCert} (sigstore-js, sigstore-python, sigstore-java): JSON
 *       {@code {"credentials":{"oidcIdentityToken":T}, "publicKeyRequest":{"publicKey":{"algorithm":A,"content":PEM},
 *       "proofOfPossession":base64}}} or {@code {"credentials":..., "certificateSigningRequest":base64(PEM or DER)}};
 *       the token may instead come as {@code Authorization: Bearer T}. 201 with
 *       {@code {"signedCertificateEmbeddedSct":{"chain":{"certificates":[leaf, intermediate, root]}}}} (PEM).
 *   <li>{@code POST /api/v1/signingCert} (cosign): {@code Authorization: Bearer T} and JSON
 *       {@code {"publicKey":{"content":base64(PEM or DER),"algorithm":A}, "signedEmailAddress":base64}} or
 *       {@code {"certificateSigningRequest":base64(PEM or DER)}}. 201 with {@code application/pem-certificate-chain}:
 *       leaf, intermediate, root. The SCT is embedded, so there is no {@code SCT} header.
 *   <li>{@code GET /api/v1/rootCert}: the CA chain (intermediate, root) as concatenated PEM.
 *   <li>{@code GET /api/v2/trustBundle}: {@code {"chains":[{"certificates":[intermediate, root]}]}}.
 * </ul>
 *
 * <p>The proof of possession is a signature over the UTF-8 bytes of {@link VerifiedIdentity#principal()} (ECDSA
 * P-256 with SHA-256, P-384 with SHA-384, Ed25519, RSA PKCS#1 v1.5 with SHA-256); with a CSR, the CSR's own signature
 * is the proof and its subject and extensions are ignored. The {@code algorithm} fields are ignored: the key says
 * what it is.
 *
 * <p>Errors are JSON {@code {"code": status, "message": "..."}}: 400 for malformed JSON, missing or mistyped fields,
 * bad keys and failed proofs; 401 for a missing or refused token (with the verifier's message); 413 for bodies over
 * the limit; 405 (with {@code Allow}) for other methods; 404 for other paths below the mounted ones. Tokens are never
 * logged or echoed.
 */
public final class FulcioHttpHandler implements HttpHandler {
  public static final String V1_SIGNING_CERT = "/api/v1/signingCert";
  public static final String V1_ROOT_CERT = "/api/v1/rootCert";
  public static final String V2_SIGNING_CERT = "/api/v2/signingCert";
  public static final String V2_TRUST_BUNDLE = "/api/v2/trustBundle";
  /** The default bound on request bodies: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  static final String JSON = "application/json";
  static final String PEM_CHAIN = "application/pem-certificate-chain";

  private static final System.Logger LOG = System.getLogger(FulcioHttpHandler.class.getName());

  private final CertificateAuthority ca;
  private final IdentityTokens tokens;
  private final Clock clock;
  private final int maxRequestBytes;
  private final ObjectMapper json =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public FulcioHttpHandler(CertificateAuthority ca, IdentityTokens tokens) {
    this(ca, tokens, Clock.systemUTC(), DEFAULT_MAX_REQUEST_BYTES);
  }

  /**
   * @param clock the issuing time of certificates and SCTs
   * @param maxRequestBytes the largest request body accepted (larger ones get 413)
   */
  public FulcioHttpHandler(CertificateAuthority ca, IdentityTokens tokens, Clock clock, int maxRequestBytes) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: expected a positive value, found " + maxRequestBytes);
    }
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Registers this handler for its four paths on {@code server} (which may serve other paths too). */
  public List<HttpContext> mount(HttpServer server) {
    return List.of(
        server.createContext(V1_SIGNING_CERT, this),
        server.createContext(V1_ROOT_CERT, this),
        server.createContext(V2_SIGNING_CERT, this),
        server.createContext(V2_TRUST_BUNDLE, this));
  }

  /** The CA this handler issues from. */
  public CertificateAuthority authority() {
    return ca;
  }

  @Override
  public void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (RequestException e) {
        Exchanges.drain(ex.getRequestBody());
        sendError(ex, e.status, e.getMessage(), e.headers);
      } catch (RuntimeException | IOException e) {
        // The exception never carries the token: it is only ever passed to IdentityTokens.
        LOG.log(System.Logger.Level.WARNING, "Fulcio API: " + ex.getRequestMethod() + " failed", e);
        sendError(ex, 500, "internal error", Map.of());
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "Fulcio API: could not send the response", e);
    }
  }

  private void route(HttpExchange ex) throws IOException, RequestException {
    String path = Exchanges.path(ex);
    String method = ex.getRequestMethod();
    switch (path) {
      case V1_SIGNING_CERT, V2_SIGNING_CERT -> {
        if (!method.equals("POST")) {
          throw new RequestException(405, "method " + method + " not allowed; expected POST", Map.of("Allow", "POST"));
        }
        if (path.equals(V1_SIGNING_CERT)) {
          signingCertV1(ex);
        } else {
          signingCertV2(ex);
        }
      }
      case V1_ROOT_CERT, V2_TRUST_BUNDLE -> {
        if (!method.equals("GET") && !method.equals("HEAD")) {
          throw new RequestException(
              405, "method " + method + " not allowed; expected GET or HEAD", Map.of("Allow", "GET, HEAD"));
        }
        Exchanges.drain(ex.getRequestBody());
        if (path.equals(V1_ROOT_CERT)) {
          StringBuilder sb = new StringBuilder();
          for (X509Certificate c : ca.chain()) {
            sb.append(IssuedCertificate.pem(c));
          }
          Exchanges.send(ex, 200, PEM_CHAIN, sb.toString().getBytes(StandardCharsets.US_ASCII), Map.of());
        } else {
          ObjectNode root = json.createObjectNode();
          ArrayNode certs = root.putArray("chains").addObject().putArray("certificates");
          ca.chain().forEach(c -> certs.add(IssuedCertificate.pem(c)));
          sendJson(ex, 200, root);
        }
      }
      default -> throw new RequestException(404, "no such endpoint: " + path, Map.of());
    }
  }

  // ------------------------------------------------------------------------------------------------- signing

  /** A field that is there and not JSON null: Go clients (cosign) send {@code "certificateSigningRequest": null}. */
  private static boolean present(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n != null && !n.isNull();
  }

  private void signingCertV1(HttpExchange ex) throws IOException, RequestException {
    JsonNode body = readJson(ex);
    String token = bearer(ex);
    if (token == null) {
      throw new RequestException(401, "expected an \"Authorization: Bearer <OIDC ID token>\" header, found none");
    }
    KeyRequest request;
    if (present(body, "certificateSigningRequest")) {
      if (present(body, "publicKey") || present(body, "signedEmailAddress")) {
        throw badRequest("expected either certificateSigningRequest or publicKey with signedEmailAddress, found both");
      }
      request = new CsrRequest(base64(text(body, "certificateSigningRequest"), "certificateSigningRequest"));
    } else {
      JsonNode key = object(body, "publicKey");
      byte[] content = base64(text(key, "content", "publicKey.content"), "publicKey.content");
      optionalText(key, "algorithm", "publicKey.algorithm");
      byte[] proof = base64(text(body, "signedEmailAddress"), "signedEmailAddress");
      request = new PublicKeyRequest(content, "publicKey.content", proof, "signedEmailAddress");
    }
    IssuedCertificate issued = issue(token, request);
    String chain = String.join("", issued.pemChain());
    Exchanges.send(ex, 201, PEM_CHAIN, chain.getBytes(StandardCharsets.US_ASCII), Map.of());
  }

  private void signingCertV2(HttpExchange ex) throws IOException, RequestException {
    JsonNode body = readJson(ex);
    String token = null;
    if (present(body, "credentials")) {
      JsonNode creds = object(body, "credentials");
      token = optionalText(creds, "oidcIdentityToken", "credentials.oidcIdentityToken");
    }
    if (token == null || token.isEmpty()) {
      token = bearer(ex);
    }
    if (token == null || token.isEmpty()) {
      throw new RequestException(
          401, "expected an OIDC ID token in credentials.oidcIdentityToken (or an Authorization header), found none");
    }
    KeyRequest request;
    boolean hasKey = present(body, "publicKeyRequest");
    boolean hasCsr = present(body, "certificateSigningRequest");
    if (hasKey == hasCsr) {
      throw badRequest(
          "expected exactly one of publicKeyRequest and certificateSigningRequest, found "
              + (hasKey ? "both" : "neither"));
    }
    if (hasCsr) {
      request = new CsrRequest(base64(text(body, "certificateSigningRequest"), "certificateSigningRequest"));
    } else {
      JsonNode pkr = object(body, "publicKeyRequest");
      JsonNode key = object(pkr, "publicKey", "publicKeyRequest.publicKey");
      optionalText(key, "algorithm", "publicKeyRequest.publicKey.algorithm");
      String content = text(key, "content", "publicKeyRequest.publicKey.content");
      byte[] keyBytes =
          SubjectKeys.startsWithPem(content.getBytes(StandardCharsets.UTF_8))
              ? content.getBytes(StandardCharsets.UTF_8)
              : base64(content, "publicKeyRequest.publicKey.content");
      byte[] proof =
          base64(
              text(pkr, "proofOfPossession", "publicKeyRequest.proofOfPossession"),
              "publicKeyRequest.proofOfPossession");
      request =
          new PublicKeyRequest(
              keyBytes, "publicKeyRequest.publicKey.content", proof, "publicKeyRequest.proofOfPossession");
    }
    IssuedCertificate issued = issue(token, request);
    ObjectNode root = json.createObjectNode();
    ArrayNode certs =
        root.putObject("signedCertificateEmbeddedSct").putObject("chain").putArray("certificates");
    issued.pemChain().forEach(certs::add);
    sendJson(ex, 201, root);
  }

  /** The key part of a request: a public key with a proof of possession, or a CSR. */
  private sealed interface KeyRequest permits PublicKeyRequest, CsrRequest {}

  private record PublicKeyRequest(byte[] key, String keyField, byte[] proof, String proofField)
      implements KeyRequest {}

  private record CsrRequest(byte[] csr) implements KeyRequest {}

  /** Verifies the token (401), then the key and its proof (400), then issues. */
  private IssuedCertificate issue(String token, KeyRequest request) throws RequestException {
    VerifiedIdentity identity;
    try {
      identity = tokens.verify(token);
    } catch (InvalidTokenException e) {
      throw new RequestException(401, "invalid OIDC ID token: " + e.getMessage());
    }
    SubjectPublicKeyInfo spki;
    if (request instanceof PublicKeyRequest p) {
      SubjectKeys.SubjectKey key;
      try {
        key = SubjectKeys.parse(p.key(), p.keyField());
      } catch (UnsupportedSubjectKeyException e) {
        throw badRequest(e.getMessage());
      }
      if (!SubjectKeys.verifyProof(key, identity.principal().getBytes(StandardCharsets.UTF_8), p.proof())) {
        throw badRequest(
            p.proofField()
                + ": expected a "
                + key.type().proofAlgorithm
                + " signature by the submitted key over the token's principal (e-mail address, else subject),"
                + " found one that does not verify");
      }
      spki = key.spki();
    } else {
      spki = csrKey(((CsrRequest) request).csr());
    }
    return ca.issue(identity, spki, clock.instant());
  }

  /** Parses a CSR (PEM or DER), checks its key and that it is signed by that key; returns the key. */
  private SubjectPublicKeyInfo csrKey(byte[] bytes) throws RequestException {
    String field = "certificateSigningRequest";
    PKCS10CertificationRequest csr;
    try {
      byte[] der =
          SubjectKeys.startsWithPem(bytes)
              ? SubjectKeys.pemBlock(
                  new String(bytes, StandardCharsets.US_ASCII),
                  new String[] {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"},
                  field)
              : bytes;
      csr = new PKCS10CertificationRequest(der);
    } catch (UnsupportedSubjectKeyException e) {
      throw badRequest(e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw badRequest(field + ": expected a PKCS#10 certificate signing request (PEM or DER), found one that does not parse");
    }
    SubjectKeys.SubjectKey key;
    try {
      key = SubjectKeys.fromSpki(csr.getSubjectPublicKeyInfo());
    } catch (UnsupportedSubjectKeyException e) {
      throw badRequest(field + ": " + e.getMessage());
    }
    boolean valid;
    try {
      valid =
          csr.isSignatureValid(
              new JcaContentVerifierProviderBuilder().setProvider(Providers.bouncyCastle()).build(key.key()));
    } catch (Exception e) { // OperatorCreationException, PKCSException, or a runtime failure on odd algorithms
      valid = false;
    }
    if (!valid) {
      throw badRequest(
          field + ": expected the CSR to be signed by its own " + key.type().display + " key, found a signature that"
              + " does not verify");
    }
    return key.spki();
  }

  // ------------------------------------------------------------------------------------------------- request parsing

  private JsonNode readJson(HttpExchange ex) throws IOException, RequestException {
    byte[] body;
    try {
      body = Exchanges.readBody(ex, maxRequestBytes);
    } catch (Exchanges.BodyRefused e) {
      throw e.tooLarge()
          ? tooLarge()
          : badRequest("Content-Length: expected a number, found \"" + e.contentLength() + "\"");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw badRequest("request body: expected a JSON object, found malformed JSON" + where);
    }
    if (node == null || !node.isObject()) {
      throw badRequest(
          "request body: expected a JSON object, found " + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase()));
    }
    return node;
  }

  private RequestException tooLarge() {
    return new RequestException(413, "request body: expected at most " + maxRequestBytes + " bytes, found more");
  }

  private static String bearer(HttpExchange ex) throws RequestException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return null;
    }
    String a = auth.strip();
    if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7) || a.substring(7).isBlank()) {
      throw new RequestException(401, "Authorization header: expected \"Bearer <OIDC ID token>\", found another scheme");
    }
    return a.substring(7).strip();
  }

  private static JsonNode object(JsonNode parent, String name) throws RequestException {
    return object(parent, name, name);
  }

  private static JsonNode object(JsonNode parent, String name, String field) throws RequestException {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      throw badRequest(field + ": expected an object, found none");
    }
    if (!n.isObject()) {
      throw badRequest(field + ": expected an object, found " + kind(n));
    }
    return n;
  }

  private static String text(JsonNode parent, String name) throws RequestException {
    return text(parent, name, name);
  }

  private static String text(JsonNode parent, String name, String field) throws RequestException {
    String s = optionalText(parent, name, field);
    if (s == null || s.isEmpty()) {
      throw badRequest(field + ": expected a non-empty string, found none");
    }
    return s;
  }

  private static String optionalText(JsonNode parent, String name, String field) throws RequestException {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw badRequest(field + ": expected a string, found " + kind(n));
    }
    return n.textValue();
  }

  private static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase();
  }

  private static byte[] base64(String value, String field) throws RequestException {
    try {
      byte[] b = Base64.getDecoder().decode(value.strip());
      if (b.length == 0) {
        throw badRequest(field + ": expected non-empty base64, found empty content");
      }
      return b;
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(value.strip());
      } catch (IllegalArgumentException e2) {
        throw badRequest(field + ": expected base64, found text that does not decode");
      }
    }
  }

  private static RequestException badRequest(String message) {
    return new RequestException(400, message);
  }

  // ------------------------------------------------------------------------------------------------- responses

  private void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    Exchanges.send(ex, status, JSON, json.writeValueAsBytes(body), Map.of());
  }

  private void sendError(HttpExchange ex, int status, String message, Map<String, String> headers)
      throws IOException {
    ObjectNode body = json.createObjectNode();
    body.put("code", status);
    body.put("message", message);
    Exchanges.send(ex, status, JSON, json.writeValueAsBytes(body), headers);
  }

  /** A request refused with a 4xx status; the message is safe to return (it never contains the token). */
  private static final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient Map<String, String> headers;

    RequestException(int status, String message) {
      this(status, message, Map.of());
    }

    RequestException(int status, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.headers = headers;
    }
  }
}
