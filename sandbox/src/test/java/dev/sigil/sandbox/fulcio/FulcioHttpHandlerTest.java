package dev.sigil.sandbox.fulcio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.sandbox.oidc.IdentityTokens;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FulcioHttpHandlerTest {
  static final String ISSUER = CertificateAuthorityTest.ISSUER;
  static final String ALICE_TOKEN = "alice-token";
  static final String GH_TOKEN = "github-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  CertificateAuthority ca;
  JwtIdentityTokens jwt;
  HttpServer server;
  String base;
  HttpClient http;

  /** Fixed strings for handler tests; anything else goes to the nimbus-based verifier. */
  IdentityTokens tokens() {
    return raw -> switch (raw) {
      case ALICE_TOKEN -> CertificateAuthorityTest.email("alice@example.com");
      case GH_TOKEN -> new VerifiedIdentity(
          CertificateAuthorityTest.GITHUB_ISSUER, "repo:octo/app:ref:refs/heads/main", Optional.empty(),
          CertificateAuthorityTest.githubClaims());
      default -> jwt.verify(raw);
    };
  }

  @BeforeEach
  void start() throws Exception {
    ca = CertificateAuthority.open(dir);
    jwt = new JwtIdentityTokens();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    assertEquals(4, new FulcioHttpHandler(ca, tokens()).mount(server).size());
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  // ------------------------------------------------------------------------------------------------- helpers

  HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postJson(String path, Object body, String... headers) throws Exception {
    List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
    h.addAll(List.of(headers));
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send("POST", path, text, h.toArray(String[]::new));
  }

  static KeyPair keys(String alg, Object param) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (param instanceof String curve) {
      g.initialize(new java.security.spec.ECGenParameterSpec(curve));
    } else if (param instanceof Integer bits) {
      g.initialize(bits);
    }
    return g.generateKeyPair();
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] sign(String alg, PrivateKey key, String message) throws Exception {
    Signature s = Signature.getInstance(alg);
    s.initSign(key);
    s.update(message.getBytes(StandardCharsets.UTF_8));
    return s.sign();
  }

  static String pem(KeyPair k) {
    return KeyFiles.pemString("PUBLIC KEY", k.getPublic().getEncoded());
  }

  static ObjectNode v2Key(String token, String pemKey, byte[] proof) {
    ObjectNode r = JSON.createObjectNode();
    if (token != null) {
      r.putObject("credentials").put("oidcIdentityToken", token);
    }
    ObjectNode pkr = r.putObject("publicKeyRequest");
    pkr.putObject("publicKey").put("algorithm", "ECDSA").put("content", pemKey);
    pkr.put("proofOfPossession", b64(proof));
    return r;
  }

  static ObjectNode v2Csr(String token, String csrPem) {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("credentials").put("oidcIdentityToken", token);
    r.put("certificateSigningRequest", b64(csrPem.getBytes(StandardCharsets.US_ASCII)));
    return r;
  }

  static ObjectNode v1Key(byte[] content, byte[] proof) {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("publicKey").put("content", b64(content)).put("algorithm", "ecdsa");
    r.put("signedEmailAddress", b64(proof));
    return r;
  }

  static String csr(KeyPair k, String sigAlg) throws Exception {
    var req =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored,O=whatever"), k.getPublic())
            .build(new JcaContentSignerBuilder(sigAlg).build(k.getPrivate()));
    return KeyFiles.pemString("CERTIFICATE REQUEST", req.getEncoded());
  }

  static List<X509Certificate> parsePems(List<String> pems) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (String p : pems) {
      out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(p.getBytes(StandardCharsets.US_ASCII))));
    }
    return out;
  }

  List<X509Certificate> v2Chain(HttpResponse<String> resp) throws Exception {
    assertEquals(201, resp.statusCode(), resp.body());
    assertEquals("application/json", resp.headers().firstValue("Content-Type").orElse(""));
    JsonNode certs = JSON.readTree(resp.body()).path("signedCertificateEmbeddedSct").path("chain").path("certificates");
    assertEquals(3, certs.size(), resp.body());
    List<String> pems = new ArrayList<>();
    certs.forEach(c -> pems.add(c.textValue()));
    List<X509Certificate> chain = parsePems(pems);
    assertEquals(ca.intermediate(), chain.get(1));
    assertEquals(ca.root(), chain.get(2));
    return chain;
  }

  List<X509Certificate> v1Chain(HttpResponse<String> resp) throws Exception {
    assertEquals(201, resp.statusCode(), resp.body());
    assertEquals("application/pem-certificate-chain", resp.headers().firstValue("Content-Type").orElse(""));
    assertTrue(resp.headers().firstValue("SCT").isEmpty());
    var certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(resp.body().getBytes(StandardCharsets.US_ASCII)));
    List<X509Certificate> chain = certs.stream().map(c -> (X509Certificate) c).toList();
    assertEquals(List.of(ca.intermediate(), ca.root()), chain.subList(1, 3));
    return chain;
  }

  void assertError(HttpResponse<String> resp, int status, String messagePart) throws Exception {
    assertEquals(status, resp.statusCode(), resp.body());
    assertEquals("application/json", resp.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = JSON.readTree(resp.body());
    assertEquals(status, body.path("code").intValue(), resp.body());
    String message = body.path("message").textValue();
    assertTrue(message != null && message.contains(messagePart), "expected \"" + messagePart + "\" in " + message);
  }

  // ------------------------------------------------------------------------------------------------- v2

  @Test
  void v2PublicKeyRequestIssuesAVerifiableCertificate() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    var resp = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(k), sign("SHA256withECDSA", k.getPrivate(), "alice@example.com")));
    List<X509Certificate> chain = v2Chain(resp);
    assertArrayEquals(k.getPublic().getEncoded(), chain.get(0).getPublicKey().getEncoded());
    Verification.assertVerifies(ca, chain.get(0), "alice@example.com", ISSUER);
  }

  @Test
  void v2WithARealJwtFromNimbus() throws Exception {
    KeyPair k = keys("EC", "secp384r1");
    String token = jwt.mint("user-42", Map.of("email", "bob@example.com", "email_verified", true));
    var resp = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(token, pem(k), sign("SHA384withECDSA", k.getPrivate(), "bob@example.com")));
    X509Certificate leaf = v2Chain(resp).get(0);
    Verification.assertVerifies(ca, leaf, "bob@example.com", JwtIdentityTokens.ISSUER);

    // Without a verified email the principal (what the proof signs) is the subject.
    String noEmail = jwt.mint("https://ci.example/jobs/7", Map.of("email", "x@example.com"));
    var resp2 = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(noEmail, pem(k), sign("SHA384withECDSA", k.getPrivate(), "https://ci.example/jobs/7")));
    Verification.assertVerifies(ca, v2Chain(resp2).get(0), "https://ci.example/jobs/7", JwtIdentityTokens.ISSUER);
  }

  @Test
  void v2RefusesExpiredOrForeignJwts() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    byte[] proof = sign("SHA256withECDSA", k.getPrivate(), "user-1");
    String expired = jwt.mint(JwtIdentityTokens.ISSUER, "user-1", Map.of(), Instant.now().minusSeconds(60));
    var r1 = postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Key(expired, pem(k), proof));
    assertError(r1, 401, "token exp");
    assertFalse(r1.body().contains(expired));
    String foreign = new JwtIdentityTokens().mint("user-1", Map.of());
    var r2 = postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Key(foreign, pem(k), proof));
    assertError(r2, 401, "token signature");
    assertFalse(r2.body().contains(foreign));
  }

  @Test
  void v2CsrRequest() throws Exception {
    KeyPair k = keys("EC", "secp384r1");
    var resp = postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Csr(ALICE_TOKEN, csr(k, "SHA384withECDSA")));
    X509Certificate leaf = v2Chain(resp).get(0);
    assertArrayEquals(k.getPublic().getEncoded(), leaf.getPublicKey().getEncoded());
    // The CSR's subject is ignored: the identity comes from the token.
    assertEquals("", leaf.getSubjectX500Principal().getName());
    Verification.assertVerifies(ca, leaf, "alice@example.com", ISSUER);
  }

  @Test
  void v2GithubTokenGetsWorkflowIdentity() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    var resp = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(GH_TOKEN, pem(k), sign("SHA256withECDSA", k.getPrivate(), "repo:octo/app:ref:refs/heads/main")));
    var fc = Verification.assertVerifies(ca, v2Chain(resp).get(0),
        "https://github.com/octo/builder/.github/workflows/release.yml@refs/tags/v1",
        CertificateAuthorityTest.GITHUB_ISSUER);
    assertEquals("https://github.com/octo/app", fc.extensions().get("source-repository-uri"));
  }

  @Test
  void v2Ed25519AndRsaProofs() throws Exception {
    KeyPair ed = keys("Ed25519", null);
    var r1 = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(ed), sign("Ed25519", ed.getPrivate(), "alice@example.com")));
    Verification.assertVerifies(ca, v2Chain(r1).get(0), "alice@example.com", ISSUER);
    KeyPair rsa = keys("RSA", 2048);
    var r2 = postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(rsa), sign("SHA256withRSA", rsa.getPrivate(), "alice@example.com")));
    Verification.assertVerifies(ca, v2Chain(r2).get(0), "alice@example.com", ISSUER);
  }

  // ------------------------------------------------------------------------------------------------- v1

  @Test
  void v1CosignStylePemKeyRequest() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    byte[] pemBytes = pem(k).getBytes(StandardCharsets.US_ASCII);
    var resp = postJson(FulcioHttpHandler.V1_SIGNING_CERT,
        v1Key(pemBytes, sign("SHA256withECDSA", k.getPrivate(), "alice@example.com")),
        "Authorization", "Bearer " + ALICE_TOKEN);
    List<X509Certificate> chain = v1Chain(resp);
    Verification.assertVerifies(ca, chain.get(0), "alice@example.com", ISSUER);
  }

  /**
   * cosign 2.5 sends exactly this: a base64'd PEM key without an algorithm, the proof, and {@code
   * "certificateSigningRequest": null} (Go's zero value). Null must count as absent; a real CSR beside a key must not.
   */
  @Test
  void v1CosignSendsANullCsrBesideTheKey() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    ObjectNode body = JSON.createObjectNode();
    body.putObject("publicKey").put("content", b64(pem(k).getBytes(StandardCharsets.US_ASCII)));
    body.put("signedEmailAddress", b64(sign("SHA256withECDSA", k.getPrivate(), "alice@example.com")));
    body.putNull("certificateSigningRequest");
    var resp = postJson(FulcioHttpHandler.V1_SIGNING_CERT, body, "Authorization", "Bearer " + ALICE_TOKEN);
    Verification.assertVerifies(ca, v1Chain(resp).get(0), "alice@example.com", ISSUER);

    body.put("certificateSigningRequest", b64(csr(k, "SHA256withECDSA").getBytes(StandardCharsets.US_ASCII)));
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, body, "Authorization", "Bearer " + ALICE_TOKEN), 400,
        "found both");
  }

  @Test
  void v1DerKeyAndCsrRequests() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    var r1 = postJson(FulcioHttpHandler.V1_SIGNING_CERT,
        v1Key(k.getPublic().getEncoded(), sign("SHA256withECDSA", k.getPrivate(), "alice@example.com")),
        "Authorization", "Bearer " + ALICE_TOKEN);
    Verification.assertVerifies(ca, v1Chain(r1).get(0), "alice@example.com", ISSUER);

    ObjectNode csrBody = JSON.createObjectNode();
    csrBody.put("certificateSigningRequest", b64(csr(k, "SHA256withECDSA").getBytes(StandardCharsets.US_ASCII)));
    var r2 = postJson(FulcioHttpHandler.V1_SIGNING_CERT, csrBody, "Authorization", "Bearer " + ALICE_TOKEN);
    Verification.assertVerifies(ca, v1Chain(r2).get(0), "alice@example.com", ISSUER);
  }

  // ------------------------------------------------------------------------------------------------- roots

  @Test
  void rootCertAndTrustBundle() throws Exception {
    var r1 = send("GET", FulcioHttpHandler.V1_ROOT_CERT, null);
    assertEquals(200, r1.statusCode());
    assertEquals("application/pem-certificate-chain", r1.headers().firstValue("Content-Type").orElse(""));
    var certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(r1.body().getBytes(StandardCharsets.US_ASCII)));
    assertEquals(ca.chain(), new ArrayList<>(certs));

    var r2 = send("GET", FulcioHttpHandler.V2_TRUST_BUNDLE, null);
    assertEquals(200, r2.statusCode());
    JsonNode chains = JSON.readTree(r2.body()).path("chains");
    assertEquals(1, chains.size());
    List<String> pems = new ArrayList<>();
    chains.get(0).path("certificates").forEach(c -> pems.add(c.textValue()));
    assertEquals(ca.chain(), parsePems(pems));

    var head = send("HEAD", FulcioHttpHandler.V1_ROOT_CERT, null);
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  // ------------------------------------------------------------------------------------------------- refusals

  @Test
  void wrongProofsAreBadRequests() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    KeyPair other = keys("EC", "secp256r1");
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(k), sign("SHA256withECDSA", k.getPrivate(), "mallory@example.com"))),
        400, "does not verify");
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(k), sign("SHA256withECDSA", other.getPrivate(), "alice@example.com"))),
        400, "publicKeyRequest.proofOfPossession");
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT,
        v1Key(pem(k).getBytes(StandardCharsets.US_ASCII), sign("SHA256withECDSA", other.getPrivate(), "alice@example.com")),
        "Authorization", "Bearer " + ALICE_TOKEN), 400, "signedEmailAddress");
    // P-384 proofs are SHA-384, as Fulcio checks them.
    KeyPair p384 = keys("EC", "secp384r1");
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(p384), sign("SHA256withECDSA", p384.getPrivate(), "alice@example.com"))),
        400, "SHA384withECDSA");
    // A CSR whose signature is not by its key.
    String good = csr(k, "SHA256withECDSA");
    byte[] der = KeyFilesAccess.der(good);
    der[der.length - 5] ^= 1;
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Csr(ALICE_TOKEN, KeyFiles.pemString("CERTIFICATE REQUEST", der))), 400, "certificateSigningRequest");
  }

  @Test
  void tokenProblemsAreUnauthorized() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    byte[] proof = sign("SHA256withECDSA", k.getPrivate(), "alice@example.com");
    var bad = postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Key("not.a.jwt-secret", pem(k), proof));
    assertError(bad, 401, "invalid OIDC ID token: token");
    assertFalse(bad.body().contains("not.a.jwt-secret"));
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Key(null, pem(k), proof)), 401, "oidcIdentityToken");
    // v2 also takes the token as a bearer header.
    v2Chain(postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Key(null, pem(k), proof), "Authorization", "Bearer " + ALICE_TOKEN));
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, v1Key(k.getPublic().getEncoded(), proof)), 401, "Authorization");
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, v1Key(k.getPublic().getEncoded(), proof),
        "Authorization", "Basic abc"), 401, "Bearer");
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, v1Key(k.getPublic().getEncoded(), proof),
        "Authorization", "Bearer nope-secret"), 401, "invalid OIDC ID token");
  }

  @Test
  void malformedRequestsAreBadRequests() throws Exception {
    KeyPair k = keys("EC", "secp256r1");
    byte[] proof = sign("SHA256withECDSA", k.getPrivate(), "alice@example.com");
    String path = FulcioHttpHandler.V2_SIGNING_CERT;
    assertError(postJson(path, "{\"credentials\":"), 400, "malformed JSON");
    assertError(postJson(path, "[1,2]"), 400, "expected a JSON object, found array");
    assertError(postJson(path, "{} {}"), 400, "malformed JSON");
    assertError(postJson(path, "{\"a\":1,\"a\":2}"), 400, "malformed JSON");
    assertError(postJson(path, ""), 400, "found nothing");
    ObjectNode neither = JSON.createObjectNode();
    neither.putObject("credentials").put("oidcIdentityToken", ALICE_TOKEN);
    assertError(postJson(path, neither), 400, "found neither");
    ObjectNode both = v2Key(ALICE_TOKEN, pem(k), proof);
    both.put("certificateSigningRequest", "AAAA");
    assertError(postJson(path, both), 400, "found both");
    ObjectNode noContent = v2Key(ALICE_TOKEN, pem(k), proof);
    ((ObjectNode) noContent.path("publicKeyRequest").path("publicKey")).remove("content");
    assertError(postJson(path, noContent), 400, "publicKeyRequest.publicKey.content: expected a non-empty string");
    ObjectNode noProof = v2Key(ALICE_TOKEN, pem(k), proof);
    ((ObjectNode) noProof.path("publicKeyRequest")).remove("proofOfPossession");
    assertError(postJson(path, noProof), 400, "proofOfPossession");
    ObjectNode numberKey = v2Key(ALICE_TOKEN, pem(k), proof);
    ((ObjectNode) numberKey.path("publicKeyRequest").path("publicKey")).put("content", 5);
    assertError(postJson(path, numberKey), 400, "expected a string, found number");
    ObjectNode badPem = v2Key(ALICE_TOKEN, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", proof);
    assertError(postJson(path, badPem), 400, "PUBLIC KEY");
    ObjectNode badB64 = v2Key(ALICE_TOKEN, pem(k), proof);
    ((ObjectNode) badB64.path("publicKeyRequest")).put("proofOfPossession", "!!!not base64");
    assertError(postJson(path, badB64), 400, "expected base64");
    assertError(postJson(path, v2Csr(ALICE_TOKEN, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")),
        400, "does not parse");
    ObjectNode v1NoKey = JSON.createObjectNode();
    v1NoKey.put("signedEmailAddress", b64(proof));
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, v1NoKey, "Authorization", "Bearer " + ALICE_TOKEN),
        400, "publicKey: expected an object");
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, v1Key(new byte[] {1, 2, 3}, proof),
        "Authorization", "Bearer " + ALICE_TOKEN), 400, "publicKey.content");
  }

  @Test
  void unsupportedKeysAreBadRequests() throws Exception {
    KeyPair p521 = keys("EC", "secp521r1");
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(p521), sign("SHA512withECDSA", p521.getPrivate(), "alice@example.com"))),
        400, "P-256 or P-384");
    KeyPair rsa = keys("RSA", 1024);
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT,
        v2Key(ALICE_TOKEN, pem(rsa), sign("SHA256withRSA", rsa.getPrivate(), "alice@example.com"))),
        400, "found 1024");
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT, v2Csr(ALICE_TOKEN, csr(rsa, "SHA256withRSA"))),
        400, "found 1024");
  }

  @Test
  void oversizeBodiesAre413() throws Exception {
    String big = "{\"pad\":\"" + "x".repeat(FulcioHttpHandler.DEFAULT_MAX_REQUEST_BYTES) + "\"}";
    assertError(postJson(FulcioHttpHandler.V2_SIGNING_CERT, big), 413, "at most 65536 bytes");
    assertError(postJson(FulcioHttpHandler.V1_SIGNING_CERT, big, "Authorization", "Bearer " + ALICE_TOKEN),
        413, "at most");
  }

  @Test
  void wrongMethodsAndPaths() throws Exception {
    var r1 = send("GET", FulcioHttpHandler.V2_SIGNING_CERT, null);
    assertError(r1, 405, "expected POST");
    assertEquals("POST", r1.headers().firstValue("Allow").orElse(""));
    var r2 = send("PUT", FulcioHttpHandler.V1_SIGNING_CERT, "{}");
    assertError(r2, 405, "expected POST");
    var r3 = send("POST", FulcioHttpHandler.V2_TRUST_BUNDLE, "{}");
    assertError(r3, 405, "GET or HEAD");
    assertEquals("GET, HEAD", r3.headers().firstValue("Allow").orElse(""));
    assertError(send("DELETE", FulcioHttpHandler.V1_ROOT_CERT, null), 405, "GET or HEAD");
    assertError(send("GET", FulcioHttpHandler.V1_ROOT_CERT + "/extra", null), 404, "no such endpoint");
    assertError(send("POST", FulcioHttpHandler.V2_SIGNING_CERT + "x", "{}"), 404, "no such endpoint");
    // A trailing slash is tolerated.
    assertEquals(200, send("GET", FulcioHttpHandler.V2_TRUST_BUNDLE + "/", null).statusCode());
  }

  /** Reads the DER inside a PEM string. */
  static final class KeyFilesAccess {
    static byte[] der(String pem) {
      String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return Base64.getDecoder().decode(body);
    }
  }
}
