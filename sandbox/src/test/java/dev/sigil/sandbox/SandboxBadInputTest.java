package dev.sigil.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.sandbox.oidc.OidcIssuer;
import dev.sigil.sandbox.oidc.TokenRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input against an in-process sandbox over real HTTP: expired, wrongly signed, wrong-audience, unknown-issuer and
 * unsigned tokens; a proof of possession for another key; malformed log entries; oversized bodies. Each gets a clear
 * 4xx (the message names what was wrong), no response echoes the token, and nothing is written to the log.
 */
class SandboxBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
  private static final String EMAIL = "bad-input@example.com";
  private static final String V1 = "/api/v1/signingCert";
  private static final String V2 = "/api/v2/signingCert";
  private static final String ENTRIES = "/api/v1/log/entries";

  @TempDir static Path dir;
  static Sandbox sandbox;
  static URI base;
  static KeyPair key;

  private long sizeBefore;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(dir.resolve("data"), 0);
    base = sandbox.uri();
    key = ecKey();
  }

  @AfterAll
  static void stop() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @BeforeEach
  void recordSize() {
    sizeBefore = sandbox.log().size();
  }

  @AfterEach
  void nothingWasLogged() {
    assertEquals(sizeBefore, sandbox.log().size(), "the log grew on bad input");
  }

  // ------------------------------------------------------------------------------------------------- tokens

  @Test
  void aGoodTokenIsAcceptedByBothEndpoints() throws Exception {
    // The control: the same requests with a good token issue certificates (and write nothing to the log).
    String token = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    assertEquals(201, v2(token, key.getPublic(), pop(key.getPrivate(), EMAIL)).statusCode());
    assertEquals(201, v1(token, key.getPublic(), pop(key.getPrivate(), EMAIL)).statusCode());
  }

  @Test
  void expiredToken() throws Exception {
    // The sandbox's own key, through a second issuer on the same key directory whose clock is two hours behind.
    OidcIssuer past = OidcIssuer.open(dir.resolve("data").resolve("oidc"), sandbox.oidcIssuerUrl(),
        Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
    assertEquals(sandbox.oidcIssuer().keyId(), past.keyId());
    String token = past.mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    rejectedToken(token, "exp", "expired");
  }

  @Test
  void notYetValidToken() throws Exception {
    OidcIssuer future = OidcIssuer.open(dir.resolve("data").resolve("oidc"), sandbox.oidcIssuerUrl(),
        Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
    rejectedToken(future.mint(TokenRequest.of(EMAIL).withEmail(EMAIL)), "not yet valid");
  }

  @Test
  void wrongAudience() throws Exception {
    String token = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL).withAudience("not-sigstore"));
    rejectedToken(token, "aud", "sigstore", "not-sigstore");
  }

  @Test
  void wronglySigned() throws Exception {
    // Same iss and kid as the sandbox's issuer, but signed by another P-256 key.
    String token = es256(ecKey().getPrivate(), sandbox.oidcIssuer().keyId(), claims(sandbox.oidcIssuer().issuer()));
    rejectedToken(token, "signature", "does not verify");
    // Same iss, another key under a kid the issuer does not have.
    rejectedToken(es256(ecKey().getPrivate(), "unknown-kid", claims(sandbox.oidcIssuer().issuer())), "kid",
        "unknown-kid");
  }

  @Test
  void tamperedPayload() throws Exception {
    String good = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    String[] p = good.split("\\.");
    String other = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims(sandbox.oidcIssuer().issuer()).toString().getBytes(StandardCharsets.UTF_8));
    rejectedToken(p[0] + "." + other + "." + p[2], "signature", "does not verify");
  }

  @Test
  void unknownIssuer() throws Exception {
    String token = es256(ecKey().getPrivate(), "some-kid", claims("https://issuer.invalid/oidc"));
    rejectedToken(token, "iss", "unknown issuer", "https://issuer.invalid/oidc");
  }

  @Test
  void unsignedTokens() throws Exception {
    String none = new PlainJWT(claims(sandbox.oidcIssuer().issuer())).serialize(); // "header.payload."
    rejectedToken(none, "unsigned tokens are never accepted");
    // alg none with something in the signature segment still fails on the algorithm.
    rejectedToken(none + "c2lnbmF0dXJl", "alg", "none");
  }

  @Test
  void hmacToken() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
        claims(sandbox.oidcIssuer().issuer()));
    jwt.sign(new MACSigner(secret));
    rejectedToken(jwt.serialize(), "alg", "HMAC");
  }

  @Test
  void garbageAndMissingTokens() throws Exception {
    rejectedToken("not-a-token", "compact JWS");
    rejectedToken("a.b.c.d.e", "compact JWS");
    // No token at all.
    ObjectNode v2 = v2Body(null, key.getPublic(), pop(key.getPrivate(), EMAIL));
    expectError(post(V2, "application/json", JSON.writeValueAsBytes(v2), null), 401, "oidcIdentityToken");
    expectError(post(V1, "application/json", JSON.writeValueAsBytes(v1Body(key.getPublic(),
        pop(key.getPrivate(), EMAIL))), null), 401, "Authorization");
    expectError(post(V1, "application/json", JSON.writeValueAsBytes(v1Body(key.getPublic(),
        pop(key.getPrivate(), EMAIL))), "Basic dXNlcjpwYXNz"), 401, "Bearer");
  }

  // ------------------------------------------------------------------------------------------------- proofs

  @Test
  void proofOfPossessionByAnotherKey() throws Exception {
    String token = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    KeyPair other = ecKey();
    byte[] wrongPop = pop(other.getPrivate(), EMAIL);
    noTokenEcho(token, expectError(v2(token, key.getPublic(), wrongPop), 400,
        "publicKeyRequest.proofOfPossession", "does not verify"));
    noTokenEcho(token, expectError(v1(token, key.getPublic(), wrongPop), 400,
        "signedEmailAddress", "does not verify"));
    // The right key, but over another principal.
    byte[] otherPrincipal = pop(key.getPrivate(), "someone-else@example.com");
    noTokenEcho(token, expectError(v2(token, key.getPublic(), otherPrincipal), 400,
        "publicKeyRequest.proofOfPossession", "does not verify"));
    // A CSR for one key signed by another.
    byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bad-input"), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate())).getEncoded();
    ObjectNode body = JSON.createObjectNode();
    body.putObject("credentials").put("oidcIdentityToken", token);
    body.put("certificateSigningRequest", Base64.getEncoder().encodeToString(csr));
    noTokenEcho(token, expectError(post(V2, "application/json", JSON.writeValueAsBytes(body), null), 400,
        "certificateSigningRequest", "signed by its own"));
    // Not a key at all.
    ObjectNode notAKey = v2Body(token, key.getPublic(), wrongPop);
    ((ObjectNode) notAKey.get("publicKeyRequest").get("publicKey")).put("content",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    noTokenEcho(token, expectError(post(V2, "application/json", JSON.writeValueAsBytes(notAKey), null), 400,
        "publicKeyRequest.publicKey.content"));
  }

  @Test
  void malformedSigningCertRequests() throws Exception {
    String token = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    expectError(post(V2, "application/json", "{\"credentials\":".getBytes(StandardCharsets.UTF_8), null), 400,
        "malformed JSON");
    expectError(post(V2, "application/json", "[]".getBytes(StandardCharsets.UTF_8), null), 400,
        "expected a JSON object");
    ObjectNode neither = JSON.createObjectNode();
    neither.putObject("credentials").put("oidcIdentityToken", token);
    noTokenEcho(token, expectError(post(V2, "application/json", JSON.writeValueAsBytes(neither), null), 400,
        "publicKeyRequest", "certificateSigningRequest"));
    // Duplicate keys: a second token must not be able to hide behind the first.
    String dup = "{\"credentials\":{\"oidcIdentityToken\":\"" + token + "\"},\"credentials\":{}}";
    noTokenEcho(token, expectError(post(V2, "application/json", dup.getBytes(StandardCharsets.UTF_8), null), 400,
        "malformed JSON"));
    ObjectNode badPop = v2Body(token, key.getPublic(), new byte[] {1});
    ((ObjectNode) badPop.get("publicKeyRequest")).put("proofOfPossession", "%%% not base64 %%%");
    noTokenEcho(token, expectError(post(V2, "application/json", JSON.writeValueAsBytes(badPop), null), 400,
        "proofOfPossession", "base64"));
  }

  // ------------------------------------------------------------------------------------------------- entries

  @Test
  void malformedEntries() throws Exception {
    byte[] digest = sha256("artifact".getBytes(StandardCharsets.UTF_8));
    byte[] sig = signDigestless(key.getPrivate(), "artifact".getBytes(StandardCharsets.UTF_8));

    expectError(postEntry("{\"kind\": \"hashedrekord\""), 400, "JSON");
    expectError(postEntry(""), 400, "empty");
    expectError(postEntry("[1, 2]"), 400, "object");
    expectError(postEntry("\"hashedrekord\""), 400, "object");

    ObjectNode good = hashedRekord(digest, sig, key.getPublic());
    // A signature that does not verify: by another key, and over another digest.
    expectError(postEntry(hashedRekord(digest, signDigestless(ecKey().getPrivate(), "artifact".getBytes(
        StandardCharsets.UTF_8)), key.getPublic())), 400, "spec.signature.content", "does not");
    expectError(postEntry(hashedRekord(sha256(new byte[] {1}), sig, key.getPublic())), 400,
        "spec.signature.content", "does not");
    // Wrong kind and version.
    ObjectNode kind = good.deepCopy().put("kind", "rekord");
    expectError(postEntry(kind), 400, "kind", "rekord");
    ObjectNode version = good.deepCopy().put("apiVersion", "9.9.9");
    expectError(postEntry(version), 400, "apiVersion", "9.9.9");
    // Missing fields.
    ObjectNode noSpec = good.deepCopy();
    noSpec.remove("spec");
    expectError(postEntry(noSpec), 400, "spec");
    ObjectNode noSig = good.deepCopy();
    ((ObjectNode) noSig.get("spec")).remove("signature");
    expectError(postEntry(noSig), 400, "spec.signature");
    ObjectNode noKey = good.deepCopy();
    ((ObjectNode) noKey.get("spec").get("signature")).remove("publicKey");
    expectError(postEntry(noKey), 400, "spec.signature.publicKey");
    ObjectNode noHash = good.deepCopy();
    ((ObjectNode) noHash.get("spec").get("data").get("hash")).remove("value");
    expectError(postEntry(noHash), 400, "spec.data.hash.value");
    // Mistyped and malformed values.
    ObjectNode shortHash = good.deepCopy();
    ((ObjectNode) shortHash.get("spec").get("data").get("hash")).put("value", "abcd");
    expectError(postEntry(shortHash), 400, "spec.data.hash.value", "64 hex digits");
    ObjectNode badAlg = good.deepCopy();
    ((ObjectNode) badAlg.get("spec").get("data").get("hash")).put("algorithm", "md5");
    expectError(postEntry(badAlg), 400, "spec.data.hash.algorithm", "md5");
    ObjectNode badB64 = good.deepCopy();
    ((ObjectNode) badB64.get("spec").get("signature")).put("content", "not base64!");
    expectError(postEntry(badB64), 400, "spec.signature.content", "base64");
    ObjectNode numberSig = good.deepCopy();
    ((ObjectNode) numberSig.get("spec").get("signature")).put("content", 42);
    expectError(postEntry(numberSig), 400, "spec.signature.content");
    ObjectNode badPem = good.deepCopy();
    ((ObjectNode) badPem.get("spec").get("signature").get("publicKey")).put("content",
        Base64.getEncoder().encodeToString("not a PEM block".getBytes(StandardCharsets.US_ASCII)));
    expectError(postEntry(badPem), 400, "spec.signature.publicKey.content");
    // A dsse entry without its content.
    ObjectNode dsse = JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "dsse");
    dsse.putObject("spec");
    expectError(postEntry(dsse), 400, "spec.proposedContent");
    // Not JSON at all, by content type.
    expectError(post(ENTRIES, "text/plain", JSON.writeValueAsBytes(good), null), 415, "content type");
    // The control entry is valid: the log only grows by one, and a second submission is a 409 duplicate.
    long before = sandbox.log().size();
    HttpResponse<byte[]> created = postEntry(good);
    assertEquals(201, created.statusCode(), () -> new String(created.body(), StandardCharsets.UTF_8));
    assertEquals(before + 1, sandbox.log().size());
    sizeBefore = sandbox.log().size();
    HttpResponse<byte[]> dup = expectError(postEntry(good), 409, "already exists");
    assertTrue(dup.headers().firstValue("Location").orElse("").startsWith(ENTRIES + "/"));
  }

  // ------------------------------------------------------------------------------------------------- sizes

  @Test
  void oversizedBodies() throws Exception {
    String token = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    int fulcioMax = 64 * 1024;
    int rekorMax = 1 << 20;
    // Just above each limit: 413, with and without a Content-Length.
    for (String path : List.of(V1, V2)) {
      for (boolean chunked : new boolean[] {false, true}) {
        noTokenEcho(token, expectError(send(path, "application/json", jsonOfSize(fulcioMax + 1), "Bearer " + token,
            chunked), 413, "at most " + fulcioMax + " bytes"));
      }
    }
    for (String path : List.of(ENTRIES, ENTRIES + "/retrieve")) {
      for (boolean chunked : new boolean[] {false, true}) {
        expectError(send(path, "application/json", jsonOfSize(rekorMax + 1), null, chunked), 413,
            "larger than " + rekorMax + " bytes");
      }
    }
    HttpResponse<byte[]> tokenEndpoint = send(sandbox.oidcIssuerUrl().getRawPath() + "/token", "application/json",
        jsonOfSize(64 * 1024 + 1), null, false);
    assertEquals(413, tokenEndpoint.statusCode(), () -> new String(tokenEndpoint.body(), StandardCharsets.UTF_8));
    assertTrue(new String(tokenEndpoint.body(), StandardCharsets.UTF_8).contains("at most 65536 bytes"));
    HttpResponse<byte[]> tsa = send("/api/v1/timestamp", "application/timestamp-query", new byte[64 * 1024 + 1],
        null, false);
    assertEquals(413, tsa.statusCode());

    // At the limit the size is fine and the content is judged instead (not 413).
    for (String path : List.of(V1, V2)) {
      HttpResponse<byte[]> r = send(path, "application/json", jsonOfSize(fulcioMax), "Bearer " + token, false);
      assertNotEquals(413, r.statusCode(), path + " at exactly " + fulcioMax + " bytes");
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, path + ": " + r.statusCode());
      noTokenEcho(token, r);
    }
    HttpResponse<byte[]> atLimit = send(ENTRIES, "application/json", jsonOfSize(rekorMax), null, false);
    assertEquals(400, atLimit.statusCode(), () -> new String(atLimit.body(), StandardCharsets.UTF_8));

    // An oversized token (in the Authorization header, as it cannot fit in a body under the limit) is refused as a
    // token, without echoing it.
    String huge = "eyJ" + "A".repeat(64 * 1024) + ".e30.c2ln";
    noTokenEcho(huge, expectError(v1(huge, key.getPublic(), pop(key.getPrivate(), EMAIL)), 401,
        "at most " + (64 * 1024) + " characters"));
  }

  // ------------------------------------------------------------------------------------------------- helpers

  /** Both signing-cert endpoints refuse {@code token} with 401 and a message containing all of {@code expected}. */
  private static void rejectedToken(String token, String... expected) throws Exception {
    byte[] pop = pop(key.getPrivate(), EMAIL);
    noTokenEcho(token, expectError(v2(token, key.getPublic(), pop), 401, expected));
    noTokenEcho(token, expectError(v1(token, key.getPublic(), pop), 401, expected));
    // The token also fails when given to v2 as a bearer header instead of in the body.
    ObjectNode body = v2Body(null, key.getPublic(), pop);
    noTokenEcho(token,
        expectError(post(V2, "application/json", JSON.writeValueAsBytes(body), "Bearer " + token), 401, expected));
  }

  private static HttpResponse<byte[]> expectError(HttpResponse<byte[]> r, int status, String... expected)
      throws Exception {
    String text = new String(r.body(), StandardCharsets.UTF_8);
    Supplier<String> what = () -> r.request().method() + " " + r.request().uri().getRawPath() + " -> "
        + r.statusCode() + " " + text;
    assertEquals(status, r.statusCode(), what);
    JsonNode err = JSON.readTree(r.body());
    assertEquals(status, err.path("code").asInt(), what);
    String message = err.path("message").asText();
    assertFalse(message.isBlank(), what);
    for (String e : expected) {
      assertTrue(message.contains(e), () -> "expected the message to contain \"" + e + "\": " + what.get());
    }
    assertFalse(text.contains("\tat ") || text.contains("Exception"), what);
    return r;
  }

  /** The response contains neither the token nor any of its segments. */
  private static void noTokenEcho(String token, HttpResponse<byte[]> r) {
    String text = new String(r.body(), StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>(List.of(token));
    for (String s : token.split("\\.")) {
      if (s.length() >= 12) {
        parts.add(s);
      }
    }
    for (String p : parts) {
      assertFalse(text.contains(p), () -> "the response echoes (part of) the token: " + text);
    }
    r.headers().map().forEach((k, v) -> v.forEach(h -> assertFalse(h.contains(token), "header " + k)));
  }

  private static HttpResponse<byte[]> v2(String token, PublicKey pub, byte[] pop) throws Exception {
    return post(V2, "application/json", JSON.writeValueAsBytes(v2Body(token, pub, pop)), null);
  }

  private static HttpResponse<byte[]> v1(String token, PublicKey pub, byte[] pop) throws Exception {
    return post(V1, "application/json", JSON.writeValueAsBytes(v1Body(pub, pop)), "Bearer " + token);
  }

  private static ObjectNode v2Body(String token, PublicKey pub, byte[] pop) {
    ObjectNode b = JSON.createObjectNode();
    if (token != null) {
      b.putObject("credentials").put("oidcIdentityToken", token);
    }
    ObjectNode pkr = b.putObject("publicKeyRequest");
    pkr.putObject("publicKey").put("algorithm", "ECDSA").put("content", pem(pub));
    pkr.put("proofOfPossession", Base64.getEncoder().encodeToString(pop));
    return b;
  }

  private static ObjectNode v1Body(PublicKey pub, byte[] pop) {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("publicKey").put("algorithm", "ecdsa")
        .put("content", Base64.getEncoder().encodeToString(pem(pub).getBytes(StandardCharsets.US_ASCII)));
    b.put("signedEmailAddress", Base64.getEncoder().encodeToString(pop));
    return b;
  }

  private static ObjectNode hashedRekord(byte[] digest, byte[] sig, PublicKey pub) {
    ObjectNode e = JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "hashedrekord");
    ObjectNode spec = e.putObject("spec");
    spec.putObject("data").putObject("hash").put("algorithm", "sha256").put("value", HexFormat.of().formatHex(digest));
    ObjectNode s = spec.putObject("signature").put("content", Base64.getEncoder().encodeToString(sig));
    s.putObject("publicKey").put("content",
        Base64.getEncoder().encodeToString(pem(pub).getBytes(StandardCharsets.US_ASCII)));
    return e;
  }

  private static HttpResponse<byte[]> postEntry(Object body) throws Exception {
    byte[] b = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
    return post(ENTRIES, "application/json", b, null);
  }

  private static HttpResponse<byte[]> post(String path, String contentType, byte[] body, String authorization)
      throws Exception {
    return send(path, contentType, body, authorization, false);
  }

  private static HttpResponse<byte[]> send(String path, String contentType, byte[] body, String authorization,
      boolean chunked) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    // ofInputStream has no known length, so the client sends it chunked (no Content-Length).
    b.POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A syntactically valid JSON object of exactly {@code n} bytes. */
  private static byte[] jsonOfSize(int n) {
    String prefix = "{\"pad\":\"";
    String suffix = "\"}";
    return (prefix + "x".repeat(n - prefix.length() - suffix.length()) + suffix).getBytes(StandardCharsets.US_ASCII);
  }

  private static JWTClaimsSet claims(String issuer) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer).subject(EMAIL).audience("sigstore").claim("email", EMAIL)
        .claim("email_verified", true).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .build();
  }

  private static String es256(PrivateKey signingKey, String kid, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new ECDSASigner((ECPrivateKey) signingKey));
    return jwt.serialize();
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static byte[] pop(PrivateKey k, String principal) throws Exception {
    return signDigestless(k, principal.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA256withECDSA over {@code message} (so over its SHA-256 digest), DER-encoded. */
  private static byte[] signDigestless(PrivateKey k, byte[] message) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(k);
    s.update(message);
    return s.sign();
  }

  private static String pem(PublicKey k) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }
}
