package dev.sigil.sandbox.oidc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.http.Exchanges;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP face of an {@link OidcIssuer}, for the JDK's {@link HttpServer}, under the issuer URL's path {@code P}:
 *
 * <ul>
 *   <li>{@code GET P/.well-known/openid-configuration}: the discovery document ({@link OidcIssuer#discoveryJson()}).
 *   <li>{@code GET P/jwks}: the public keys ({@link OidcIssuer#jwksJson()}, {@code application/jwk-set+json}).
 *   <li>{@code POST P/token}, with {@code application/x-www-form-urlencoded} or {@code application/json}: mints a
 *       token. Fields: {@code subject} (required), {@code email}, {@code audience}, {@code lifetime_seconds} (1 to
 *       3600), and extra string claims, as a JSON object {@code claims} (in a form: {@code claims} holding that JSON,
 *       and/or one {@code claim.<name>} field per claim). Answers {@code {"id_token": t, "access_token": t,
 *       "token_type": "Bearer", "expires_in": seconds}}. There is no authentication: this is for local use and tests.
 * </ul>
 *
 * Errors are {@code {"error": "...", "error_description": "..."}}: 400 ({@code invalid_request}) for bad input, 413
 * for bodies over the limit ({@value #DEFAULT_MAX_REQUEST_BYTES} bytes unless set), 415 for other content types, 405
 * (with {@code Allow}) for other methods, 404 for other paths. Tokens are never logged.
 */
public final class OidcHttpHandler implements HttpHandler {
  /** The default bound on request bodies: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  static final String FORM_TYPE = "application/x-www-form-urlencoded";
  static final String JSON_TYPE = "application/json";
  static final String CLAIM_PREFIX = "claim.";

  private static final System.Logger LOG = System.getLogger(OidcHttpHandler.class.getName());
  private static final Set<String> FIELDS = Set.of("subject", "email", "audience", "lifetime_seconds", "claims");

  private final OidcIssuer issuer;
  private final int maxRequestBytes;
  private final String basePath;
  private final ObjectMapper json;

  public OidcHttpHandler(OidcIssuer issuer) {
    this(issuer, DEFAULT_MAX_REQUEST_BYTES);
  }

  /** @param maxRequestBytes the largest request body accepted (larger ones get 413) */
  public OidcHttpHandler(OidcIssuer issuer, int maxRequestBytes) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: expected a positive value, found " + maxRequestBytes);
    }
    this.maxRequestBytes = maxRequestBytes;
    String p = issuer.issuerUrl().getRawPath();
    this.basePath = p == null ? "" : p; // the issuer URL has no trailing '/'
    this.json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    this.json.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(maxRequestBytes).build());
  }

  /** The path this handler serves under: the issuer URL's path ({@code /} when it has none). */
  public String contextPath() {
    return basePath.isEmpty() ? "/" : basePath;
  }

  /** Registers this handler for {@link #contextPath()} (and below) on {@code server}. */
  public HttpContext mount(HttpServer server) {
    return server.createContext(contextPath(), this);
  }

  @Override
  public void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (HttpError e) {
        Exchanges.drain(ex.getRequestBody());
        sendError(ex, e.status, e.error, e.getMessage(), e.headers);
      } catch (RuntimeException | IOException e) {
        LOG.log(System.Logger.Level.WARNING, "OIDC issuer: " + ex.getRequestMethod() + " failed", e);
        sendError(ex, 500, "server_error", "internal error", Map.of());
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "OIDC issuer: could not send the response", e);
    }
  }

  private void route(HttpExchange ex) throws IOException, HttpError {
    String path = Exchanges.path(ex);
    String method = ex.getRequestMethod();
    String rest = path.startsWith(basePath) ? path.substring(basePath.length()) : null;
    if (OidcIssuer.DISCOVERY_SUFFIX.equals(rest)) {
      requireGet(method);
      Exchanges.drain(ex.getRequestBody());
      Exchanges.send(ex, 200, JSON_TYPE, utf8(issuer.discoveryJson()), Map.of());
    } else if (OidcIssuer.JWKS_SUFFIX.equals(rest)) {
      requireGet(method);
      Exchanges.drain(ex.getRequestBody());
      Exchanges.send(ex, 200, "application/jwk-set+json", utf8(issuer.jwksJson()), Map.of());
    } else if (OidcIssuer.TOKEN_SUFFIX.equals(rest)) {
      if (!method.equals("POST")) {
        throw new HttpError(405, "method_not_allowed", "expected POST, found " + method, Map.of("Allow", "POST"));
      }
      token(ex);
    } else {
      throw new HttpError(404, "not_found", "no such endpoint under " + contextPath(), Map.of());
    }
  }

  private static void requireGet(String method) throws HttpError {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new HttpError(
          405, "method_not_allowed", "expected GET or HEAD, found " + method, Map.of("Allow", "GET, HEAD"));
    }
  }

  // ------------------------------------------------------------------------------------------------- token

  private void token(HttpExchange ex) throws IOException, HttpError {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    String type = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals(FORM_TYPE) && !type.equals(JSON_TYPE)) {
      throw new HttpError(
          415, "invalid_request",
          "Content-Type: expected " + FORM_TYPE + " or " + JSON_TYPE + ", found "
              + (type.isEmpty() ? "none" : Texts.quote(type)),
          Map.of());
    }
    String body = readBody(ex);
    Fields f = type.equals(FORM_TYPE) ? form(body) : json(body);
    TokenRequest request;
    try {
      request =
          new TokenRequest(
              f.subject.orElseThrow(() -> badRequest("subject: expected a subject, found none")),
              f.email,
              f.audience.orElse(OidcIssuer.DEFAULT_AUDIENCE),
              f.lifetime.orElse(OidcIssuer.DEFAULT_LIFETIME),
              f.claims);
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    String token = issuer.mint(request);
    ObjectNode o = json.createObjectNode();
    o.put("id_token", token);
    o.put("access_token", token);
    o.put("token_type", "Bearer");
    o.put("expires_in", request.lifetime().toSeconds());
    Exchanges.send(ex, 200, JSON_TYPE, json.writeValueAsBytes(o), Map.of("Pragma", "no-cache"));
  }

  /** The fields of a token request, parsed but not yet validated by {@link TokenRequest}. */
  private static final class Fields {
    Optional<String> subject = Optional.empty();
    Optional<String> email = Optional.empty();
    Optional<String> audience = Optional.empty();
    Optional<Duration> lifetime = Optional.empty();
    final Map<String, String> claims = new LinkedHashMap<>();

    void claim(String name, String value) throws HttpError {
      if (claims.putIfAbsent(name, value) != null) {
        throw badRequest("claims: expected each claim once, found " + Texts.quote(name) + " twice");
      }
    }
  }

  private Fields form(String body) throws HttpError {
    Fields f = new Fields();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String part : body.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k;
      String v;
      try {
        k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw badRequest("body: expected application/x-www-form-urlencoded, found a malformed percent-escape");
      }
      if (seen.putIfAbsent(k, v) != null) {
        throw badRequest("form field " + Texts.quote(k) + ": expected once, found more than once");
      }
      if (k.startsWith(CLAIM_PREFIX)) {
        f.claim(k.substring(CLAIM_PREFIX.length()), v);
        continue;
      }
      switch (k) {
        case "subject" -> f.subject = Optional.of(v);
        case "email" -> f.email = v.isEmpty() ? Optional.empty() : Optional.of(v);
        case "audience" -> f.audience = v.isEmpty() ? Optional.empty() : Optional.of(v);
        case "lifetime_seconds" -> f.lifetime = v.isEmpty() ? Optional.empty() : Optional.of(lifetime(v));
        case "claims" -> {
          JsonNode n = parseJson(v, "claims");
          claims(f, n);
        }
        default -> throw unknownField(k);
      }
    }
    return f;
  }

  private Fields json(String body) throws HttpError {
    JsonNode root = parseJson(body, "body");
    if (!root.isObject()) {
      throw badRequest("body: expected a JSON object, found " + kind(root));
    }
    Fields f = new Fields();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (!FIELDS.contains(k)) {
        throw unknownField(k);
      }
      if (v.isNull()) {
        continue;
      }
      switch (k) {
        case "subject" -> f.subject = Optional.of(text(k, v));
        case "email" -> f.email = Optional.of(text(k, v));
        case "audience" -> f.audience = Optional.of(text(k, v));
        case "lifetime_seconds" -> {
          if (!v.isIntegralNumber() && !v.isTextual()) {
            throw badRequest("lifetime_seconds: expected an integer, found " + kind(v));
          }
          f.lifetime = Optional.of(lifetime(v.isTextual() ? v.textValue() : v.asText()));
        }
        default -> claims(f, v); // "claims"
      }
    }
    return f;
  }

  private JsonNode parseJson(String text, String what) throws HttpError {
    try {
      JsonNode n = json.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw badRequest(what + ": expected JSON, found nothing");
      }
      return n;
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      throw badRequest(
          what + ": expected JSON, found malformed JSON ("
              + (msg == null ? "no detail" : msg.length() > 120 ? msg.substring(0, 120) + "..." : msg) + ")");
    }
  }

  private static void claims(Fields f, JsonNode n) throws HttpError {
    if (!n.isObject()) {
      throw badRequest("claims: expected a JSON object of string values, found " + kind(n));
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw badRequest(
            "claims." + e.getKey() + ": expected a string, found " + kind(e.getValue()));
      }
      f.claim(e.getKey(), e.getValue().textValue());
    }
  }

  private static String text(String field, JsonNode v) throws HttpError {
    if (!v.isTextual()) {
      throw badRequest(field + ": expected a string, found " + kind(v));
    }
    return v.textValue();
  }

  private static Duration lifetime(String v) throws HttpError {
    long max = OidcIssuer.MAX_LIFETIME.toSeconds();
    long s;
    try {
      s = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw badRequest("lifetime_seconds: expected an integer from 1 to " + max + ", found " + Texts.quote(v));
    }
    if (s < 1 || s > max) {
      throw badRequest("lifetime_seconds: expected an integer from 1 to " + max + ", found " + s);
    }
    return Duration.ofSeconds(s);
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  private static HttpError unknownField(String k) {
    return badRequest(
        "unknown field " + Texts.quote(k) + ": expected subject, email, audience, lifetime_seconds, claims"
            + " (or claim.<name> in a form)");
  }

  private static HttpError badRequest(String message) {
    return new HttpError(400, "invalid_request", message, Map.of());
  }

  /** The request body as UTF-8, at most {@link #maxRequestBytes}; a larger one is drained and 413'd. */
  private String readBody(HttpExchange ex) throws IOException, HttpError {
    byte[] body;
    try {
      body = Exchanges.readBody(ex, maxRequestBytes);
    } catch (Exchanges.BodyRefused e) {
      throw e.tooLarge()
          ? tooLarge()
          : badRequest("Content-Length: expected an integer, found " + Texts.quote(e.contentLength()));
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw badRequest("body: expected UTF-8, found malformed bytes");
    }
  }

  private HttpError tooLarge() {
    return new HttpError(
        413, "invalid_request", "body: expected at most " + maxRequestBytes + " bytes, found more", Map.of());
  }

  // ------------------------------------------------------------------------------------------------- responses

  private void sendError(HttpExchange ex, int status, String error, String description, Map<String, String> headers)
      throws IOException {
    ObjectNode o = json.createObjectNode();
    o.put("error", error);
    o.put("error_description", description == null ? "" : description);
    Exchanges.send(ex, status, JSON_TYPE, json.writeValueAsBytes(o), headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A 4xx answer: status, OAuth-style error code, description, extra headers. */
  private static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;
    final transient Map<String, String> headers;

    HttpError(int status, String error, String description, Map<String, String> headers) {
      super(description, null, false, false);
      this.status = status;
      this.error = error;
      this.headers = headers;
    }
  }
}
