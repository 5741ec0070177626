package dev.sigil.sandbox.tsa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.timestamp.VerifiedTimestamp;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsaHttpHandlerTest {
  @TempDir Path dir;
  TimestampAuthority tsa;
  HttpServer server;
  URI endpoint;
  HttpClient http;

  @BeforeEach
  void start() throws Exception {
    tsa = TimestampAuthority.open(dir);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    new TsaHttpHandler(tsa).mount(server);
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + TsaHttpHandler.PATH);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<byte[]> post(URI uri, String type, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void roundTripVerifies() throws Exception {
    byte[] req =
        TimestampAuthorityTest.request(
            TSPAlgorithms.SHA256, TimestampAuthorityTest.sha256(TimestampAuthorityTest.SIGNATURE), true,
            BigInteger.valueOf(42));
    HttpResponse<byte[]> resp = post(endpoint, "application/timestamp-query", req);
    assertEquals(200, resp.statusCode());
    assertEquals("application/timestamp-reply", resp.headers().firstValue("Content-Type").orElse(""));
    Outcome<VerifiedTimestamp> result =
        TimestampAuthorityTest.verifierFor(tsa).verify(resp.body(), TimestampAuthorityTest.SIGNATURE);
    assertTrue(result.isOk(), result::toString);
  }

  @Test
  void sha1IsA200WithARejection() throws Exception {
    byte[] req = TimestampAuthorityTest.request(TSPAlgorithms.SHA1, new byte[20], false, null);
    HttpResponse<byte[]> resp = post(endpoint, "application/timestamp-query", req);
    assertEquals(200, resp.statusCode());
    assertEquals(PKIStatus.REJECTION, new TimeStampResponse(resp.body()).getStatus());
  }

  @Test
  void garbageIs400() throws Exception {
    HttpResponse<byte[]> resp =
        post(endpoint, "application/timestamp-query", "garbage".getBytes(StandardCharsets.US_ASCII));
    assertEquals(400, resp.statusCode());
    assertEquals(PKIStatus.REJECTION, new TimeStampResponse(resp.body()).getStatus());
  }

  @Test
  void oversizedIs413() throws Exception {
    HttpResponse<byte[]> resp =
        post(endpoint, "application/timestamp-query", new byte[TsaHttpHandler.DEFAULT_MAX_REQUEST_BYTES + 1]);
    assertEquals(413, resp.statusCode());
  }

  @Test
  void otherMethodsAre405() throws Exception {
    HttpResponse<byte[]> get =
        http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    HttpResponse<byte[]> put =
        http.send(
            HttpRequest.newBuilder(endpoint).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, put.statusCode());
  }

  @Test
  void wrongContentTypeIs415AndUnknownPathIs404() throws Exception {
    byte[] req = TimestampAuthorityTest.request(TSPAlgorithms.SHA256, new byte[32], false, null);
    assertEquals(415, post(endpoint, "text/plain", req).statusCode());
    assertEquals(400, post(endpoint, "application/json", req).statusCode(), "DER sent as JSON");
    assertEquals(404, post(URI.create(endpoint + "/other"), "application/timestamp-query", req).statusCode());
  }

  /** sigstore/timestamp-authority's JSON request, as sigstore-js sends it. */
  @Test
  void aJsonRequestIsAnsweredWithATimestampOverItsHash() throws Exception {
    byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest("signature".getBytes(StandardCharsets.UTF_8));
    String json = "{\"artifactHash\":\"" + java.util.Base64.getEncoder().encodeToString(hash)
        + "\",\"hashAlgorithm\":\"sha256\",\"nonce\":42}";
    HttpResponse<byte[]> r = post(endpoint, "application/json", json.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode());
    var token = new org.bouncycastle.tsp.TimeStampResponse(r.body()).getTimeStampToken();
    assertEquals(java.util.HexFormat.of().formatHex(hash),
        java.util.HexFormat.of().formatHex(token.getTimeStampInfo().getMessageImprintDigest()));
    assertEquals(java.math.BigInteger.valueOf(42), token.getTimeStampInfo().getNonce());
    for (String bad : new String[] {"{\"artifactHash\":\"AAAA\"}", "{\"artifactHash\":\"" + java.util.Base64.getEncoder()
        .encodeToString(hash) + "\",\"hashAlgorithm\":\"md5\"}", "[]", "nope"}) {
      assertEquals(400, post(endpoint, "application/json", bad.getBytes(StandardCharsets.UTF_8)).statusCode(), bad);
    }
  }

  @Test
  void certChainIsServedAsPem() throws Exception {
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/certchain")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode());
    var certs =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificates(new java.io.ByteArrayInputStream(resp.body().getBytes(StandardCharsets.US_ASCII)));
    assertEquals(tsa.chain(), java.util.List.copyOf(certs));
  }
}
