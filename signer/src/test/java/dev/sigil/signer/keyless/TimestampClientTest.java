package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.signer.SigningException;
import dev.sigil.verifier.internal.crypto.Providers;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TimestampClientTest {
  private static final byte[] SIGNATURE = {10, 20, 30, 40};
  private static TimeStampResponseGenerator tsa;

  @BeforeAll
  static void tsa() throws Exception {
    KeyPair kp = TestPki.p256();
    X509Certificate cert = TestPki.selfSigned(kp, "test tsa", true);
    TimeStampTokenGenerator tg =
        new TimeStampTokenGenerator(
            new JcaSimpleSignerInfoGeneratorBuilder().setProvider(Providers.bouncyCastle())
                .build("SHA256withECDSA", kp.getPrivate(), cert),
            new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
            new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
    tg.addCertificates(new JcaCertStore(List.of(cert)));
    tsa = new TimeStampResponseGenerator(tg, TSPAlgorithms.ALLOWED);
  }

  /** A TSA that answers the (possibly altered) request. */
  private static FakeServer server(UnaryOperator<TimeStampRequest> alter) throws Exception {
    return new FakeServer(r -> {
      TimeStampRequest req;
      if ("application/json".equals(r.header("Content-Type"))) {
        JsonNode n = Json.MAPPER.readTree(r.body());
        TimeStampRequestGenerator g = new TimeStampRequestGenerator();
        g.setCertReq(n.path("certificates").booleanValue());
        req = g.generate(NISTObjectIdentifiers.id_sha256,
            Base64.getDecoder().decode(n.path("artifactHash").textValue()), BigInteger.valueOf(n.path("nonce").longValue()));
      } else {
        req = new TimeStampRequest(r.body());
      }
      TimeStampResponse resp = tsa.generate(alter.apply(req), BigInteger.ONE, new Date());
      return new FakeServer.Reply(201, "application/timestamp-reply", resp.getEncoded(), java.util.Map.of());
    });
  }

  private static TimestampClient client(URI base, TimestampClient.Encoding enc) {
    return new TimestampClient(URI.create(base + "/api/v1/timestamp"), enc, Timeouts.defaults(), new SecureRandom());
  }

  @Test
  void rfc3161RequestAndGrantedResponse() throws Exception {
    try (FakeServer s = server(r -> r)) {
      byte[] der = client(s.base(), TimestampClient.Encoding.RFC3161).timestamp(SIGNATURE);
      TimeStampResponse resp = new TimeStampResponse(der);
      assertEquals(PKIStatus.GRANTED, resp.getStatus());
      assertArrayEquals(TimestampClient.sha256(SIGNATURE), resp.getTimeStampToken().getTimeStampInfo().getMessageImprintDigest());

      FakeServer.Received got = s.received.get(0);
      assertEquals("application/timestamp-query", got.header("Content-Type"));
      assertEquals("/api/v1/timestamp", got.uri().getPath());
      TimeStampRequest req = new TimeStampRequest(got.body());
      assertTrue(req.getCertReq());
      assertEquals(NISTObjectIdentifiers.id_sha256, req.getMessageImprintAlgOID());
      assertArrayEquals(TimestampClient.sha256(SIGNATURE), req.getMessageImprintDigest());
      assertEquals(resp.getTimeStampToken().getTimeStampInfo().getNonce(), req.getNonce());
    }
  }

  @Test
  void sigstoreJsonRequest() throws Exception {
    try (FakeServer s = server(r -> r)) {
      client(s.base(), TimestampClient.Encoding.SIGSTORE_JSON).timestamp(SIGNATURE);
      JsonNode n = Json.MAPPER.readTree(s.received.get(0).body());
      assertEquals("sha256", n.path("hashAlgorithm").textValue());
      assertEquals(Base64.getEncoder().encodeToString(TimestampClient.sha256(SIGNATURE)), n.path("artifactHash").textValue());
      assertTrue(n.path("certificates").booleanValue());
      assertTrue(n.path("nonce").isIntegralNumber() && n.path("nonce").longValue() > 0);
    }
  }

  private static String fail(FakeServer server) {
    try (server) {
      SigningException e =
          assertThrows(SigningException.class,
              () -> client(server.base(), TimestampClient.Encoding.RFC3161).timestamp(SIGNATURE));
      assertTrue(e.getMessage().startsWith("TSA at " + server.base() + "/api/v1/timestamp"), e.getMessage());
      return e.getMessage();
    }
  }

  @Test
  void nonceMismatchIsRefused() throws Exception {
    String m = fail(server(r -> {
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      g.setCertReq(true);
      return g.generate(r.getMessageImprintAlgOID(), r.getMessageImprintDigest(), r.getNonce().add(BigInteger.ONE));
    }));
    assertTrue(m.matches("(?s).*expected nonce (\\d+) in the token, found (\\d+)$"), m);
  }

  @Test
  void missingNonceIsRefused() throws Exception {
    String m = fail(server(r -> {
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      return g.generate(r.getMessageImprintAlgOID(), r.getMessageImprintDigest());
    }));
    assertTrue(m.endsWith("in the token, found null"), m);
  }

  @Test
  void imprintMismatchIsRefused() throws Exception {
    String m = fail(server(r -> {
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      return g.generate(r.getMessageImprintAlgOID(), new byte[32], r.getNonce());
    }));
    assertTrue(m.contains("expected message imprint " + java.util.HexFormat.of().formatHex(TimestampClient.sha256(SIGNATURE))
        + ", found " + "00".repeat(32)), m);
  }

  @Test
  void rejectionIsReportedWithStatusAndText() throws Exception {
    String m = fail(new FakeServer(r -> new FakeServer.Reply(200, "application/timestamp-reply",
        tsa.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.badAlg, "unsupported algorithm").getEncoded(),
        java.util.Map.of())));
    assertTrue(m.contains("expected status granted (0) or grantedWithMods (1), found 2 (\"unsupported algorithm\")"), m);
  }

  @Test
  void garbageAndHttpErrors() throws Exception {
    assertTrue(fail(new FakeServer(r -> FakeServer.Reply.text(200, "hello")))
        .contains("expected a DER TimeStampResp, found 5 bytes that do not parse"));
    String m = fail(new FakeServer(r -> FakeServer.Reply.text(400, "error parsing request")));
    assertTrue(m.contains("found HTTP 400: \"error parsing request\""), m);
  }
}
