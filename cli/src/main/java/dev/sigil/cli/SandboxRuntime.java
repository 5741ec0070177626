package dev.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.sandbox.Sandbox;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code sandbox} commands do, kept out of the picocli-reflected command classes: starting an in-process
 * {@link Sandbox}, and talking to a running one over HTTP (its signing config, trusted root and token endpoint).
 */
final class SandboxRuntime {
  /** Sandbox responses are small; anything bigger than this is not a sandbox. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SandboxRuntime() {}

  /** A started sandbox. {@link #close} is idempotent and never throws. */
  record Running(Sandbox sandbox) implements AutoCloseable {
    URI uri() {
      return sandbox.uri();
    }

    /** Service name to URL (or file), in the order a newcomer reads them. */
    Map<String, String> endpoints() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("oidcIssuer", sandbox.oidcIssuerUrl().toString());
      m.put("fulcio", sandbox.uri().toString());
      if (sandbox.servesRekorV1()) {
        m.put("rekor", sandbox.uri().toString());
      }
      if (sandbox.logV2().isPresent()) {
        m.put("rekorV2", sandbox.uri().toString());
        m.put("rekorV2Checkpoint", sandbox.uri().resolve("/checkpoint").toString());
      }
      m.put("tsa", sandbox.tsaUrl().toString());
      m.put("trustedRoot", sandbox.uri().resolve(Sandbox.TRUSTED_ROOT_PATH).toString());
      m.put("signingConfig", sandbox.uri().resolve(Sandbox.SIGNING_CONFIG_PATH).toString());
      m.put("trustedRootFile", sandbox.trustedRootFile().toString());
      m.put("signingConfigFile", sandbox.signingConfigFile().toString());
      m.put("publicMaterialDir", sandbox.publicMaterialDir().toString());
      return m;
    }

    @Override
    public void close() {
      try {
        sandbox.close();
      } catch (IOException | RuntimeException e) {
        System.err.println("WARNING: closing the sandbox: " + e.getMessage());
      }
    }
  }

  static Running start(Path dir, int port) throws CliException {
    return start(dir, port, Sandbox.RekorVersions.V1);
  }

  static Running start(Path dir, int port, Sandbox.RekorVersions versions) throws CliException {
    try {
      return new Running(Sandbox.start(dir, port, versions));
    } catch (java.net.BindException e) {
      throw new CliException(ExitCode.ENVIRONMENT, "sandbox: port " + port + " on 127.0.0.1 is in use: "
          + e.getMessage() + "; pick another with --port, or --port 0 for any free port", e);
    } catch (IOException e) {
      throw CliException.environment("sandbox: cannot serve from " + dir + ": " + e.getMessage(), e);
    }
  }

  /** GETs {@code path} below a running sandbox, e.g. {@link Sandbox#TRUSTED_ROOT_PATH}. */
  static byte[] fetch(HttpClient http, URI sandbox, String path) throws CliException {
    return get(http, base(sandbox).resolve(path), "sandbox " + base(sandbox));
  }

  /**
   * Asks the sandbox's local issuer for a token: its signing config names the issuer, whose discovery document names
   * the token endpoint.
   */
  static String token(URI sandbox, String subject, String email, String audience, Duration lifetime,
      Map<String, String> claims) throws CliException {
    return tokenFromIssuer(issuer(client(), sandbox), subject, email, audience, lifetime, claims);
  }

  /** As {@link #token}, for a sandbox issuer already known (e.g. from a signing config read earlier). */
  static String tokenFromIssuer(URI issuer, String subject, String email, String audience, Duration lifetime,
      Map<String, String> claims) throws CliException {
    if (subject == null || subject.isBlank()) {
      throw CliException.badInput("--subject: expected a non-empty subject");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofHours(1)) > 0) {
      throw CliException.badInput("--lifetime: expected 1 to 3600 seconds, found " + lifetime.toSeconds());
    }
    HttpClient http = client();
    URI discovery = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration");
    JsonNode disco = json(get(http, discovery, "OIDC discovery"), discovery);
    String tokenEndpoint = disco.path("token_endpoint").asText("");
    if (tokenEndpoint.isEmpty()) {
      throw new CliException(ExitCode.ENVIRONMENT,
          "OIDC discovery at " + discovery + ": expected a token_endpoint, found none");
    }
    ObjectNode req = new ObjectMapper().createObjectNode();
    req.put("subject", subject);
    String mail = email != null ? email : (subject.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") ? subject : null);
    if (mail != null) {
      req.put("email", mail);
    }
    req.put("audience", audience);
    req.put("lifetime_seconds", lifetime.toSeconds());
    ObjectNode c = req.putObject("claims");
    claims.forEach(c::put);
    URI endpoint = URI.create(tokenEndpoint);
    HttpResponse<byte[]> resp = send(http, HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(req.toString().getBytes(StandardCharsets.UTF_8))).build(),
        "OIDC token endpoint " + endpoint);
    if (resp.statusCode() / 100 != 2) {
      String why;
      try {
        JsonNode err = new ObjectMapper().readTree(resp.body());
        why = err.path("error_description").asText(err.path("error").asText("no reason given"));
      } catch (IOException e) {
        why = new String(resp.body(), 0, Math.min(resp.body().length, 300), StandardCharsets.UTF_8);
      }
      int code = resp.statusCode() / 100 == 4 ? ExitCode.BAD_INPUT : ExitCode.ENVIRONMENT;
      throw new CliException(code, "OIDC token endpoint " + endpoint + " refused the request: HTTP "
          + resp.statusCode() + ": " + why);
    }
    JsonNode body = json(resp.body(), endpoint);
    String token = body.path("id_token").asText("");
    if (token.isEmpty()) {
      throw new CliException(ExitCode.ENVIRONMENT,
          "OIDC token endpoint " + endpoint + ": expected an id_token in the response, found none");
    }
    return token;
  }

  /** The sandbox's OIDC issuer, from its signing config's {@code oidcUrls}. */
  static URI issuer(HttpClient http, URI sandbox) throws CliException {
    URI where = base(sandbox).resolve(Sandbox.SIGNING_CONFIG_PATH);
    JsonNode cfg = json(get(http, where, "sandbox signing config"), where);
    String url = cfg.path("oidcUrls").path(0).path("url").asText("");
    if (url.isEmpty()) {
      throw new CliException(ExitCode.ENVIRONMENT, "signing config at " + where
          + ": expected an OIDC issuer in oidcUrls, found none (is " + sandbox + " a Sigil sandbox?)");
    }
    return URI.create(url);
  }

  static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static URI base(URI sandbox) {
    String s = sandbox.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  private static byte[] get(HttpClient http, URI uri, String what) throws CliException {
    HttpResponse<byte[]> resp = send(http, HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), what);
    if (resp.statusCode() != 200) {
      throw new CliException(ExitCode.ENVIRONMENT,
          what + ": GET " + uri + " answered HTTP " + resp.statusCode() + ", expected 200");
    }
    return resp.body();
  }

  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest req, String what) throws CliException {
    if (!"http".equals(req.uri().getScheme()) && !"https".equals(req.uri().getScheme())) {
      throw CliException.badInput(what + ": expected an http(s) URL, found " + req.uri());
    }
    try {
      HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (resp.body().length > MAX_RESPONSE_BYTES) {
        throw new CliException(ExitCode.ENVIRONMENT, what + ": response of " + resp.body().length
            + " bytes, expected at most " + MAX_RESPONSE_BYTES);
      }
      return resp;
    } catch (ConnectException e) {
      throw new CliException(ExitCode.ENVIRONMENT, what + ": nothing answers at " + req.uri()
          + " (is the sandbox running? start it with: sigil sandbox serve)", e);
    } catch (IOException e) {
      throw CliException.environment(what + ": " + req.method() + " " + req.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.environment(what + ": interrupted", e);
    }
  }

  private static JsonNode json(byte[] body, URI from) throws CliException {
    try {
      return new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new CliException(ExitCode.ENVIRONMENT, "response from " + from + ": expected JSON, found "
          + body.length + " bytes that do not parse: " + e.getMessage(), e);
    }
  }
}
