package dev.sigil.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.RegistryException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.internal.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place that talks HTTP to one repository of one registry (jib's {@code RegistryEndpointCaller} layer): picks
 * the scheme, answers {@code WWW-Authenticate} challenges (Basic, Bearer token with pull or pull,push scope), follows
 * redirects (dropping {@code Authorization} across origins), bounds bodies and time, retries with backoff and jitter,
 * and maps failures to {@link RegistryException}s. Never logs; messages carry no credentials or tokens.
 */
final class RegistryCaller {
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_TOKEN_BYTES = 1 << 20;

  /** One HTTP call as the endpoints describe it. {@code target} is a path under the registry or an absolute URI. */
  record Request(
      String method, String target, Map<String, String> headers, byte[] body, boolean push, long maxBody,
      String what) {
    Request {
      headers = Map.copyOf(headers);
      body = body == null ? null : body.clone();
    }

    static Request get(String path, Map<String, String> headers, long maxBody, String what) {
      return new Request("GET", path, headers, null, false, maxBody, what);
    }

    static Request head(String path, Map<String, String> headers, String what) {
      return new Request("HEAD", path, headers, null, false, 0, what);
    }
  }

  /** A response; {@code credentialUser} says who we were (null: anonymous), for 401 messages. */
  record Response(int status, HttpHeaders headers, byte[] body, URI uri, String credentialUser) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final RegistryClient client;
  private final RegistryOptions options;
  final String registry;
  final String repository;
  private final String host;

  RegistryCaller(RegistryClient client, String registry, String repository) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = client.options();
    this.registry = Objects.requireNonNull(registry, "registry");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.host = RegistryReference.endpointHost(registry);
  }

  String location() {
    return registry + "/" + repository;
  }

  RegistryClient client() {
    return client;
  }

  /** Performs {@code r} with authentication and retries; returns the final response whatever its status. */
  Response call(Request r) throws RegistryException {
    return withRetries(r, true);
  }

  private Response withRetries(Request r, boolean authenticate) throws RegistryException {
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        Response resp = authenticate ? authorized(r) : exchange(r, null, null);
        if (isRetryableStatus(resp.status()) && attempt < options.maxAttempts()) {
          Optional<Duration> retryAfter = retryAfter(resp);
          Duration wait = retryAfter.orElse(backoff(attempt));
          if (wait.compareTo(options.maxBackoff()) > 0) {
            return resp;
          }
          sleep(wait, r);
          continue;
        }
        return resp;
      } catch (RegistryException e) {
        if (!e.retryable() || attempt >= options.maxAttempts()) {
          throw e;
        }
        sleep(backoff(attempt), r);
      }
    }
  }

  private Response authorized(Request r) throws RegistryException {
    String scope = "repository:" + repository + ":" + (r.push() ? "pull,push" : "pull");
    String scopeKey = registry + " " + scope;
    String basicKey = registry + " basic";
    String auth = client.authorizations.get(scopeKey);
    if (auth == null) {
      auth = client.authorizations.get(basicKey);
    }
    Response resp = exchange(r, auth, null);
    if (resp.status() != 401) {
      return resp;
    }
    Optional<Challenge> challenge = Challenge.parse(resp.header("WWW-Authenticate").orElse(null));
    if (challenge.isEmpty()) {
      return resp;
    }
    Optional<Credentials> creds;
    try {
      creds = options.credentials().lookup(registry);
    } catch (OciException e) {
      throw new RegistryException(
          Reason.CREDENTIALS, registry, repository, 401, r.what() + ": " + e.getMessage(), false, e);
    }
    String user = creds.map(RegistryCaller::userOf).orElse(null);
    if (challenge.get().isBasic()) {
      if (creds.isEmpty() || !(creds.get() instanceof Credentials.Basic b)) {
        return resp;
      }
      String header = basicHeader(b);
      client.authorizations.put(basicKey, header);
      return exchange(r, header, user);
    }
    String token = fetchToken(challenge.get(), scope, creds.orElse(null), r);
    String header = "Bearer " + token;
    client.authorizations.put(scopeKey, header);
    return exchange(r, header, user);
  }

  private String fetchToken(Challenge c, String scope, Credentials creds, Request r) throws RegistryException {
    String realm = c.param("realm");
    if (realm == null || realm.isEmpty()) {
      throw error(Reason.PROTOCOL, 401, r.what() + ": the registry's Bearer challenge has no realm", false, null);
    }
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw error(Reason.PROTOCOL, 401, r.what() + ": the registry's token realm is not a URI", false, e);
    }
    StringBuilder q = new StringBuilder();
    if (c.param("service") != null) {
      q.append("service=").append(enc(c.param("service")));
    }
    String challengeScope = c.param("scope");
    for (String s : challengeScope != null && !challengeScope.equals(scope) && !challengeScope.isEmpty()
        ? new String[] {scope, challengeScope} : new String[] {scope}) {
      q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
    }
    Request tokenRequest;
    Map<String, String> headers = new LinkedHashMap<>();
    if (creds instanceof Credentials.IdentityToken it) {
      headers.put("Content-Type", "application/x-www-form-urlencoded");
      String form = "grant_type=refresh_token&client_id=sigil&refresh_token=" + enc(it.token()) + "&" + q;
      tokenRequest =
          new Request("POST", realm, headers, form.getBytes(StandardCharsets.UTF_8), false, MAX_TOKEN_BYTES,
              "requesting a token from " + realmUri.getHost() + " for " + location());
    } else {
      if (creds instanceof Credentials.Basic b) {
        headers.put("Authorization", basicHeader(b));
      }
      String sep = realm.indexOf('?') >= 0 ? "&" : "?";
      tokenRequest =
          new Request("GET", realm + (q.length() == 0 ? "" : sep + q), headers, null, false, MAX_TOKEN_BYTES,
              "requesting a token from " + realmUri.getHost() + " for " + location());
    }
    Response tr = withRetries(tokenRequest, false);
    if (tr.status() == 401 || tr.status() == 403) {
      throw error(
          Reason.UNAUTHORIZED, tr.status(),
          creds == null
              ? "registry " + registry + " requires authentication for " + repository
                  + " and no credentials were found for " + registry + " (token endpoint HTTP " + tr.status() + ")"
              : "registry " + registry + " refused the credentials" + userPart(userOf(creds)) + " for " + repository
                  + " (token endpoint HTTP " + tr.status() + ")",
          false, null);
    }
    if (!tr.ok()) {
      throw failure(tokenRequest, tr);
    }
    try {
      JsonNode n = Json.parse(tr.body());
      JsonNode t = n.has("token") ? n.get("token") : n.get("access_token");
      if (t == null || !t.isTextual() || t.asText().isEmpty()) {
        throw error(Reason.PROTOCOL, tr.status(), tokenRequest.what() + ": the answer has no token", false, null);
      }
      return t.asText();
    } catch (Json.MalformedJsonException e) {
      throw error(Reason.PROTOCOL, tr.status(), tokenRequest.what() + ": the answer is not JSON", false, e);
    }
  }

  /** One HTTP exchange, following redirects for GET and HEAD, with the bounded body and the timeout. */
  private Response exchange(Request r, String authorization, String user) throws RegistryException {
    URI original = target(r.target());
    URI uri = original;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.requestTimeout());
      b.header("User-Agent", options.userAgent());
      r.headers().forEach(b::header);
      if (authorization != null && sameOrigin(uri, original)) {
        b.setHeader("Authorization", authorization);
      }
      b.method(r.method(), r.body() == null
          ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
      HttpResponse<byte[]> resp;
      try {
        resp = send(b.build(), r);
      } catch (SslFailure e) {
        if (options.allowInsecureRegistry() && "https".equals(uri.getScheme()) && hop == 0
            && uri.getAuthority().equalsIgnoreCase(host) && !client.plainHttp.containsKey(registry)) {
          client.plainHttp.put(registry, Boolean.TRUE);
          original = target(r.target());
          uri = original;
          hop = -1;
          continue;
        }
        throw error(Reason.PROTOCOL, 0, r.what() + ": TLS with " + uri.getAuthority() + " failed: " + oneLine(e.getCause()), false, e.getCause());
      }
      int s = resp.statusCode();
      boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
      if (redirect && (r.method().equals("GET") || r.method().equals("HEAD"))) {
        Optional<String> loc = resp.headers().firstValue("Location");
        if (loc.isEmpty()) {
          throw error(Reason.PROTOCOL, s, r.what() + ": redirect without Location", false, null);
        }
        URI next;
        try {
          next = uri.resolve(loc.get());
        } catch (IllegalArgumentException e) {
          throw error(Reason.PROTOCOL, s, r.what() + ": redirect to an invalid URI", false, e);
        }
        checkScheme(next, r);
        uri = next;
        continue;
      }
      return new Response(s, resp.headers(), resp.body() == null ? new byte[0] : resp.body(), uri, user);
    }
    throw error(Reason.PROTOCOL, 0, r.what() + ": more than " + MAX_REDIRECTS + " redirects", false, null);
  }

  private static final class SslFailure extends Exception {
    private static final long serialVersionUID = 1L;

    SslFailure(Throwable cause) {
      super(cause);
    }
  }

  private HttpResponse<byte[]> send(HttpRequest req, Request r) throws RegistryException, SslFailure {
    HttpResponse.BodyHandler<byte[]> handler = req.method().equals("HEAD")
        ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
        : BoundedBody.handler(r.maxBody());
    CompletableFuture<HttpResponse<byte[]>> f = client.http().sendAsync(req, handler);
    String where = " (" + req.uri().getAuthority() + ")";
    try {
      return f.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw error(Reason.TIMEOUT, 0, r.what() + ": no answer within " + human(options.requestTimeout()) + where, true, e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw error(Reason.UNAVAILABLE, 0, r.what() + ": interrupted", false, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      for (Throwable t = c; t != null; t = t.getCause()) {
        if (t instanceof BoundedBody.TooLarge tl) {
          throw error(Reason.TOO_LARGE, 200, r.what() + ": the response is larger than " + tl.limit + " bytes", false, t);
        }
        if (t instanceof HttpTimeoutException) {
          throw error(Reason.TIMEOUT, 0, r.what() + ": " + (t instanceof java.net.http.HttpConnectTimeoutException
              ? "no connection within " + human(options.connectTimeout())
              : "no answer within " + human(options.requestTimeout())) + where, true, t);
        }
        if (t instanceof SSLException) {
          throw new SslFailure(t);
        }
        if (t instanceof ConnectException) {
          throw error(Reason.UNAVAILABLE, 0, r.what() + ": cannot connect" + where + ": " + oneLine(t), true, t);
        }
      }
      if (c instanceof IOException) {
        throw error(Reason.UNAVAILABLE, 0, r.what() + ": " + oneLine(c) + where, true, c);
      }
      throw error(Reason.PROTOCOL, 0, r.what() + ": " + oneLine(c) + where, false, c);
    }
  }

  /** Maps a non-2xx response to an exception with a one-line reason. */
  RegistryException failure(Request r, Response resp) {
    int s = resp.status();
    String detail = errorDetail(resp);
    String suffix = " (HTTP " + s + (detail.isEmpty() ? "" : " " + detail) + ")";
    switch (s) {
      case 401:
        return error(Reason.UNAUTHORIZED, s,
            resp.credentialUser() == null
                ? r.what() + ": registry " + registry + " requires authentication for " + repository
                    + " and no credentials were found for " + registry + suffix
                : r.what() + ": registry " + registry + " refused the credentials" + userPart(resp.credentialUser())
                    + suffix,
            false, null);
      case 403:
        return error(Reason.DENIED, s, r.what() + ": registry " + registry + " denied access" + suffix, false, null);
      case 404:
        return error(Reason.NOT_FOUND, s, r.what() + ": not found" + suffix, false, null);
      case 429:
      case 500:
      case 502:
      case 503:
      case 504:
        return error(Reason.UNAVAILABLE, s,
            r.what() + ": registry " + registry + " is unavailable after " + options.maxAttempts() + " attempt(s)"
                + retryAfter(resp).map(d -> ", asked to retry after " + human(d)).orElse("") + suffix,
            true, null);
      default:
        return error(Reason.PROTOCOL, s, r.what() + ": unexpected answer" + suffix, false, null);
    }
  }

  RegistryException error(Reason reason, int status, String message, boolean retryable, Throwable cause) {
    return new RegistryException(reason, registry, repository, status, message, retryable, cause);
  }

  private URI target(String t) throws RegistryException {
    if (t.startsWith("http://") || t.startsWith("https://")) {
      URI u = URI.create(t);
      checkScheme(u, null);
      return u;
    }
    boolean plain = RegistryClient.isLoopback(registry) || client.plainHttp.containsKey(registry);
    return URI.create((plain ? "http" : "https") + "://" + host + t);
  }

  /** Plain HTTP only to loopback hosts, or to any host when insecure registries are allowed. */
  private void checkScheme(URI u, Request r) throws RegistryException {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http")
        && (options.allowInsecureRegistry() || (u.getAuthority() != null && RegistryClient.isLoopback(u.getAuthority())))) {
      return;
    }
    throw error(Reason.INSECURE_REFUSED, 0,
        (r == null ? "" : r.what() + ": ") + "refusing " + scheme + " to " + u.getAuthority()
            + " (plain HTTP is allowed only for loopback registries or with allowInsecureRegistry)",
        false, null);
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
  }

  private static boolean isRetryableStatus(int s) {
    return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
  }

  private Duration backoff(int attempt) {
    long base = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long cap = Math.min(base, options.maxBackoff().toMillis());
    long half = cap / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(cap - half + 1));
  }

  /** {@code Retry-After} as delta-seconds or an HTTP-date, when present and valid. */
  static Optional<Duration> retryAfter(Response resp) {
    Optional<String> v = resp.header("Retry-After");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String s = v.get().trim();
    try {
      long secs = Long.parseLong(s);
      return secs < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(secs, 86_400)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private void sleep(Duration d, Request r) throws RegistryException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error(Reason.UNAVAILABLE, 0, r.what() + ": interrupted while waiting to retry", false, e);
    }
  }

  /** The distribution error body's first {@code code: message}, cut to one short line; else empty. */
  private static String errorDetail(Response resp) {
    byte[] b = resp.body();
    if (b == null || b.length == 0) {
      return "";
    }
    try {
      JsonNode n = Json.parse(b);
      JsonNode errs = n.get("errors");
      if (errs != null && errs.isArray() && errs.size() > 0) {
        JsonNode e = errs.get(0);
        String code = e.path("code").asText("");
        String msg = e.path("message").asText("");
        return clip(oneLine(code + (msg.isEmpty() ? "" : ": " + msg)));
      }
    } catch (Json.MalformedJsonException e) {
      // not a distribution error body
    }
    return "";
  }

  static String basicHeader(Credentials.Basic b) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static String userOf(Credentials c) {
    return c instanceof Credentials.Basic b ? b.username() : "<identity token>";
  }

  private static String userPart(String user) {
    return user == null || user.isEmpty() ? "" : " of user " + user;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage();
    return oneLine(t.getClass().getSimpleName() + (m == null ? "" : ": " + m));
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  private static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
