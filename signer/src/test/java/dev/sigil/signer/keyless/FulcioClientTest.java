package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.internal.crypto.Providers;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class FulcioClientTest {
  private static final String TOKEN =
      TestPki.jwt("{\"iss\":\"https://issuer.example\",\"sub\":\"subject-123\",\"email\":\"me@example.com\"}");

  private static String chainJson(X509Certificate... certs) throws Exception {
    StringBuilder b = new StringBuilder("{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[");
    for (int i = 0; i < certs.length; i++) {
      b.append(i == 0 ? "" : ",").append(Json.MAPPER.writeValueAsString(TestPki.pem(certs[i])));
    }
    return b.append("]}}}").toString();
  }

  private static SigningException request(FakeServer.Reply reply) throws Exception {
    try (FakeServer s = new FakeServer(r -> reply)) {
      SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
      IdToken t = IdToken.parse(TOKEN);
      SigningException e =
          assertThrows(
              SigningException.class,
              () -> new FulcioClient(s.base()).requestCertificate(t, key.publicKey(),
                  FulcioClient.proofOfPossession(key, t)));
      assertFalse(e.getMessage().contains(TOKEN), "the token leaked into: " + e.getMessage());
      assertTrue(e.getMessage().contains(s.base() + FulcioClient.SIGNING_CERT_PATH), e.getMessage());
      return e;
    }
  }

  @Test
  void sendsTheDocumentedRequestAndReadsTheChain() throws Exception {
    KeyPair ca = TestPki.p256();
    X509Certificate root = TestPki.selfSigned(ca, "root", false);
    X509Certificate leaf = TestPki.selfSigned(TestPki.p256(), "leaf", false);
    try (FakeServer s = new FakeServer(r -> FakeServer.Reply.json(201, chainJson(leaf, root)))) {
      SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
      IdToken t = IdToken.parse(TOKEN);
      List<X509Certificate> chain =
          new FulcioClient(s.base()).requestCertificate(t, key.publicKey(), FulcioClient.proofOfPossession(key, t));
      assertEquals(List.of(leaf, root), chain);

      FakeServer.Received got = s.received.get(0);
      assertEquals("POST", got.method());
      assertEquals(FulcioClient.SIGNING_CERT_PATH, got.uri().getPath());
      assertEquals("application/json", got.header("Content-Type"));
      JsonNode body = Json.MAPPER.readTree(got.body());
      assertEquals(TOKEN, body.at("/credentials/oidcIdentityToken").textValue());
      assertEquals("ECDSA", body.at("/publicKeyRequest/publicKey/algorithm").textValue());
      assertEquals(PublicKeys.toPem(key.publicKey()), body.at("/publicKeyRequest/publicKey/content").textValue());
      // The proof of possession is a SHA256withECDSA signature over the email claim (preferred over sub).
      byte[] pop = Base64.getDecoder().decode(body.at("/publicKeyRequest/proofOfPossession").textValue());
      Signature v = Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
      v.initVerify(key.publicKey());
      v.update("me@example.com".getBytes(StandardCharsets.UTF_8));
      assertTrue(v.verify(pop), "PoP over the email claim");
      v.initVerify(key.publicKey());
      v.update("subject-123".getBytes(StandardCharsets.UTF_8));
      assertFalse(v.verify(pop), "PoP must not be over sub when email is present");
    }
  }

  @Test
  void proofOfPossessionFallsBackToSubAndNeedsP256() throws Exception {
    IdToken t = IdToken.parse(TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"only-sub\"}"));
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    Signature v = Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
    v.initVerify(key.publicKey());
    v.update("only-sub".getBytes(StandardCharsets.UTF_8));
    assertTrue(v.verify(FulcioClient.proofOfPossession(key, t)));
    SigningException e =
        assertThrows(SigningException.class,
            () -> FulcioClient.proofOfPossession(SigningKey.generate(SigningKey.Type.ECDSA_P384, new SecureRandom()), t));
    assertTrue(e.getMessage().contains("expected an ECDSA P-256 key, found ecdsa-p384"), e.getMessage());
  }

  @Test
  void detachedSctIsRefusedClearly() throws Exception {
    SigningException e =
        request(FakeServer.Reply.json(201, "{\"signedCertificateDetachedSct\":{\"chain\":{\"certificates\":[]},"
            + "\"signedCertificateTimestamp\":\"AAAA\"}}"));
    assertTrue(e.getMessage().contains("detached SCTs are not supported"), e.getMessage());
  }

  @Test
  void serverErrorNamesStatusAndMessage() throws Exception {
    SigningException e = request(FakeServer.Reply.text(500, "database on fire"));
    assertTrue(e.getMessage().contains("found HTTP 500: \"database on fire\""), e.getMessage());
    assertTrue(e.getMessage().contains("identity \"me@example.com\""), e.getMessage());
  }

  @Test
  void badRequestQuotesTheJsonMessage() throws Exception {
    SigningException e =
        request(FakeServer.Reply.json(400, "{\"code\":400,\"message\":\"The OIDC token is expired\"}"));
    assertTrue(e.getMessage().contains("found HTTP 400: \"The OIDC token is expired\""), e.getMessage());
  }

  @Test
  void longErrorBodiesAreTruncated() throws Exception {
    SigningException e = request(FakeServer.Reply.text(502, "x".repeat(5000)));
    assertTrue(e.getMessage().contains("(4700 more characters)"), e.getMessage());
    assertTrue(e.getMessage().length() < 1000, "message length " + e.getMessage().length());
  }

  @Test
  void garbageJsonIsMalformed() throws Exception {
    SigningException e = request(FakeServer.Reply.json(201, "{not json"));
    assertTrue(e.getMessage().contains("unusable response"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a JSON object, found malformed JSON"), e.getMessage());
  }

  @Test
  void missingOrEmptyChainNamesTheField() throws Exception {
    assertTrue(request(FakeServer.Reply.json(201, "{}")).getMessage()
        .contains("signedCertificateEmbeddedSct: expected an object, found no such field"));
    assertTrue(request(FakeServer.Reply.json(201, "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[]}}}"))
        .getMessage().contains("signedCertificateEmbeddedSct.chain.certificates: expected at least the leaf"));
    assertTrue(request(FakeServer.Reply.json(201,
            "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[\"hello\"]}}}"))
        .getMessage().contains("certificates[0]: expected a PEM block \"CERTIFICATE\""));
    assertTrue(request(FakeServer.Reply.json(201, "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":"
            + "[\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"]}}}"))
        .getMessage().contains("certificates[0]: expected a DER X.509 certificate"));
  }

  @Test
  void connectionRefusedNamesTheUrl() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    URI base = URI.create("http://127.0.0.1:" + port);
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    IdToken t = IdToken.parse(TOKEN);
    FulcioClient c = new FulcioClient(base, new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    SigningException e =
        assertThrows(SigningException.class,
            () -> c.requestCertificate(t, key.publicKey(), FulcioClient.proofOfPossession(key, t)));
    assertTrue(e.getMessage().startsWith("Fulcio at " + base + "/api/v2/signingCert: POST"), e.getMessage());
    assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void slowServerTimesOut() throws Exception {
    try (FakeServer s = new FakeServer(r -> {
      Thread.sleep(3000);
      return FakeServer.Reply.json(201, "{}");
    })) {
      SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
      IdToken t = IdToken.parse(TOKEN);
      FulcioClient c = new FulcioClient(s.base(), new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(500)));
      SigningException e =
          assertThrows(SigningException.class,
              () -> c.requestCertificate(t, key.publicKey(), FulcioClient.proofOfPossession(key, t)));
      assertTrue(e.getMessage().contains("no response within the time limit"), e.getMessage());
    }
  }

  @Test
  void pemParsingRejectsSeveralCertificatesInOneString() throws Exception {
    X509Certificate c = TestPki.selfSigned(TestPki.p256(), "x", false);
    Json.ShapeException e =
        assertThrows(Json.ShapeException.class, () -> FulcioClient.pemCertificate(TestPki.pem(c) + TestPki.pem(c), "p"));
    assertEquals("p: expected one PEM certificate, found several in one string", e.getMessage());
    assertArrayEquals(c.getEncoded(), FulcioClient.pemCertificate(TestPki.pem(c), "p").getEncoded());
  }
}
