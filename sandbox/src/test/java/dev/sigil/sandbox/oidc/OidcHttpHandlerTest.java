package dev.sigil.sandbox.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcHttpHandlerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  HttpServer server;
  OidcIssuer issuer;
  HttpClient http;
  String base;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    issuer = OidcIssuer.open(dir, OidcIssuer.localIssuerUrl(server.getAddress().getPort()));
    new OidcHttpHandler(issuer).mount(server);
    server.start();
    base = issuer.issuer();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (type != null) {
      b.header("Content-Type", type);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  HttpResponse<String> form(String body) throws Exception {
    return send("POST", "/token", "application/x-www-form-urlencoded", body);
  }

  HttpResponse<String> json(String body) throws Exception {
    return send("POST", "/token", "application/json", body);
  }

  static JsonNode error(HttpResponse<String> r, int status, String code, String descriptionStart) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode n = JSON.readTree(r.body());
    assertEquals(code, n.get("error").asText(), r.body());
    assertTrue(n.get("error_description").asText().startsWith(descriptionStart), r.body());
    return n;
  }

  @Test
  void issuerUrlSaysWhatItIsFor() {
    assertTrue(base.startsWith("http://127.0.0.1:"), base);
    assertTrue(base.endsWith("/oidc/sigil-sandbox-local-testing-only"), base);
  }

  @Test
  void discovery() throws Exception {
    HttpResponse<String> r = get("/.well-known/openid-configuration");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode d = JSON.readTree(r.body());
    assertEquals(base, d.get("issuer").asText());
    assertEquals(base + "/jwks", d.get("jwks_uri").asText());
    assertEquals(base + "/token", d.get("token_endpoint").asText());
    assertEquals("ES256", d.get("id_token_signing_alg_values_supported").get(0).asText());
    // The advertised jwks_uri is served.
    HttpResponse<String> jwks =
        http.send(HttpRequest.newBuilder(URI.create(d.get("jwks_uri").asText())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, jwks.statusCode());
  }

  @Test
  void jwks() throws Exception {
    HttpResponse<String> r = get("/jwks");
    assertEquals(200, r.statusCode());
    assertEquals("application/jwk-set+json", r.headers().firstValue("Content-Type").orElse(""));
    JWKSet set = JWKSet.parse(r.body());
    assertEquals(1, set.getKeys().size());
    assertFalse(set.getKeys().get(0).isPrivate());
    assertEquals(issuer.keyId(), set.getKeys().get(0).getKeyID());
    // Keys fetched over HTTP verify the tokens the endpoint mints.
    TrustedIssuers v = TrustedIssuers.of(List.of(new TrustedIssuer(base, set)));
    String token = JSON.readTree(form("subject=alice").body()).get("id_token").asText();
    assertEquals("alice", v.verify(token).subject());
    assertEquals(200, send("HEAD", "/jwks", null, null).statusCode());
  }

  @Test
  void tokenFromAForm() throws Exception {
    HttpResponse<String> r =
        form("subject=repo%3Aocto%2Fhello%3Aref%3Arefs%2Fheads%2Fmain&email=ci%40example.com&lifetime_seconds=120"
            + "&claim.repository=octo%2Fhello&claim.event_name=push");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    JsonNode n = JSON.readTree(r.body());
    assertEquals("Bearer", n.get("token_type").asText());
    assertEquals(120, n.get("expires_in").asInt());
    assertEquals(n.get("id_token").asText(), n.get("access_token").asText());
    VerifiedIdentity id = TrustedIssuers.of(issuer).verify(n.get("id_token").asText());
    assertEquals("repo:octo/hello:ref:refs/heads/main", id.subject());
    assertEquals(Optional.of("ci@example.com"), id.email());
    assertEquals("octo/hello", id.claims().get("repository"));
    assertEquals("push", id.claims().get("event_name"));
  }

  @Test
  void tokenFromJson() throws Exception {
    HttpResponse<String> r =
        send("POST", "/token", "application/json; charset=utf-8",
            "{\"subject\":\"https://github.com/octo/hello/.github/workflows/ci.yml@refs/heads/main\","
                + "\"audience\":\"sigstore\",\"lifetime_seconds\":300,"
                + "\"claims\":{\"repository\":\"octo/hello\",\"sha\":\"0123abcd\","
                + "\"job_workflow_ref\":\"octo/hello/.github/workflows/ci.yml@refs/heads/main\"}}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    assertEquals(300, n.get("expires_in").asInt());
    VerifiedIdentity id = TrustedIssuers.of(issuer).verify(n.get("id_token").asText());
    assertEquals("https://github.com/octo/hello/.github/workflows/ci.yml@refs/heads/main", id.principal());
    assertEquals("0123abcd", id.claims().get("sha"));
    assertEquals(Optional.empty(), id.email());
    // Defaults: ten minutes.
    assertEquals(600, JSON.readTree(json("{\"subject\":\"bob\"}").body()).get("expires_in").asInt());
  }

  @Test
  void tokenForAnotherAudienceIsRefusedBySigstoreVerifiers() throws Exception {
    String token = JSON.readTree(form("subject=alice&audience=elsewhere").body()).get("id_token").asText();
    InvalidTokenException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidTokenException.class, () -> TrustedIssuers.of(issuer).verify(token));
    assertTrue(e.getMessage().startsWith("aud: expected to contain \"sigstore\""), e.getMessage());
  }

  @Test
  void badRequests() throws Exception {
    error(form(""), 400, "invalid_request", "subject: expected a subject, found none");
    error(form("email=a%40example.com"), 400, "invalid_request", "subject: expected a subject");
    error(form("subject=+++"), 400, "invalid_request", "subject: expected a non-blank string");
    error(form("subject=a&email=not-an-address"), 400, "invalid_request", "email: expected local@domain");
    error(form("subject=a&lifetime_seconds=3601"), 400, "invalid_request",
        "lifetime_seconds: expected an integer from 1 to 3600, found 3601");
    error(form("subject=a&lifetime_seconds=soon"), 400, "invalid_request",
        "lifetime_seconds: expected an integer from 1 to 3600, found \"soon\"");
    error(form("subject=a&subject=b"), 400, "invalid_request", "form field \"subject\": expected once");
    error(form("subject=a&colour=blue"), 400, "invalid_request", "unknown field \"colour\"");
    error(form("subject=a&claim.iss=https%3A%2F%2Fevil"), 400, "invalid_request",
        "claim iss: expected an extra claim, found one the issuer sets itself");
    error(form("subject=a&claim.email_verified=true"), 400, "invalid_request", "claim email_verified");
    error(form("subject=%zz"), 400, "invalid_request", "body: expected application/x-www-form-urlencoded");
    error(json("{\"subject\":"), 400, "invalid_request", "body: expected JSON, found malformed JSON");
    error(json("[]"), 400, "invalid_request", "body: expected a JSON object, found an array");
    error(json(""), 400, "invalid_request", "body: expected JSON, found nothing");
    error(json("{\"subject\":42}"), 400, "invalid_request", "subject: expected a string, found a number");
    error(json("{\"subject\":\"a\",\"subject\":\"b\"}"), 400, "invalid_request", "body: expected JSON, found malformed");
    error(json("{\"subject\":\"a\",\"lifetime_seconds\":1.5}"), 400, "invalid_request",
        "lifetime_seconds: expected an integer, found a number");
    error(json("{\"subject\":\"a\",\"claims\":{\"repository\":1}}"), 400, "invalid_request",
        "claims.repository: expected a string, found a number");
    error(json("{\"subject\":\"a\",\"claims\":[\"x\"]}"), 400, "invalid_request",
        "claims: expected a JSON object of string values, found an array");
    error(json("{\"subject\":\"a\",\"claims\":{\"sub\":\"root\"}}"), 400, "invalid_request", "claim sub:");
    error(json("{\"subject\":\"a\",\"scope\":\"x\"}"), 400, "invalid_request", "unknown field \"scope\"");
    error(send("POST", "/token", "text/plain", "subject=a"), 415, "invalid_request",
        "Content-Type: expected application/x-www-form-urlencoded or application/json, found \"text/plain\"");
    error(send("POST", "/token", null, "subject=a"), 415, "invalid_request", "Content-Type: expected");
  }

  @Test
  void invalidUtf8IsRefused() throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(base + "/token"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    error(r, 400, "invalid_request", "body: expected UTF-8");
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    String big = "subject=a&claim.x=" + "y".repeat(64 * 1024);
    error(form(big), 413, "invalid_request", "body: expected at most 65536 bytes, found more");
    // Without a declared length (chunked), too.
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(base + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    error(r, 413, "invalid_request", "body: expected at most 65536 bytes");
    // Exactly at the limit is read (and then judged on its content).
    String atLimit = "subject=a&claim.x=" + "y".repeat(64 * 1024 - "subject=a&claim.x=".length());
    error(form(atLimit), 400, "invalid_request", "claim x: expected at most 2048 characters");
  }

  @Test
  void wrongMethodsAre405() throws Exception {
    HttpResponse<String> r = get("/token");
    error(r, 405, "method_not_allowed", "expected POST, found GET");
    assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    r = send("POST", "/jwks", "application/json", "{}");
    error(r, 405, "method_not_allowed", "expected GET or HEAD, found POST");
    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
    r = send("DELETE", "/.well-known/openid-configuration", null, null);
    error(r, 405, "method_not_allowed", "expected GET or HEAD, found DELETE");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    error(get("/authorize"), 404, "not_found", "no such endpoint");
    error(get(""), 404, "not_found", "no such endpoint");
    error(get("/jwks/extra"), 404, "not_found", "no such endpoint");
    // A sibling path sharing the context's prefix is not served either.
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(base + "-not/jwks")).build(), HttpResponse.BodyHandlers.ofString());
    error(r, 404, "not_found", "no such endpoint");
    assertEquals(200, get("/jwks/").statusCode(), "a trailing slash is tolerated");
  }

  @Test
  void handlerAtTheRoot() throws Exception {
    HttpServer root = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    try {
      OidcIssuer atRoot = OidcIssuer.open(dir.resolve("root"),
          URI.create("http://127.0.0.1:" + root.getAddress().getPort()));
      OidcHttpHandler h = new OidcHttpHandler(atRoot);
      assertEquals("/", h.contextPath());
      h.mount(root);
      root.start();
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(atRoot.issuer() + "/.well-known/openid-configuration")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals(atRoot.issuer(), JSON.readTree(r.body()).get("issuer").asText());
    } finally {
      root.stop(0);
    }
  }
}
