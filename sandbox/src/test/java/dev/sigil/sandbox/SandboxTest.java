package dev.sigil.sandbox;

import dev.sigil.verifier.entity.MessageSignature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.rekor.LogEntry;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.SigningTime;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.TrustedRoot;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;

  static HttpResponse<byte[]> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(URI uri, String contentType, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Test
  void signsLogsTimestampsAndVerifiesAgainstTheServedTrustedRoot() throws Exception {
    try (Sandbox sandbox = Sandbox.start(dir, 0)) {
      URI base = sandbox.uri();
      assertEquals("127.0.0.1", base.getHost());
      assertTrue(base.getPort() > 0);

      // The trusted root, over HTTP, is the file and parses.
      HttpResponse<byte[]> rootResp = get(base.resolve("/trusted_root.json"));
      assertEquals(200, rootResp.statusCode());
      assertArrayEquals(Files.readAllBytes(sandbox.trustedRootFile()), rootResp.body());
      TrustedRoot trustedRoot = TrustedRoot.parse(rootResp.body());
      assertEquals(1, trustedRoot.tlogs().size());
      TransparencyLogInstance tlog = trustedRoot.tlogs().get(0);
      assertEquals(Optional.of(sandbox.log().hostname()), tlog.checkpointKeyName());
      assertTrue(tlog.hasLogId(sandbox.log().logId()));
      assertEquals(1, trustedRoot.timestampAuthorities().size());
      assertEquals(1, trustedRoot.certificateAuthorities().size());
      assertEquals(1, trustedRoot.ctlogs().size());

      // Sign an artifact with a fresh key.
      byte[] artifact = "hello, sandbox".getBytes(StandardCharsets.UTF_8);
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair kp = g.generateKeyPair();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(artifact);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(kp.getPrivate());
      s.update(artifact);
      byte[] sig = s.sign();

      // Log it over HTTP.
      String pem = "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
      String proposal = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":"
          + "\"sha256\",\"value\":\"" + HexFormat.of().formatHex(digest) + "\"}},\"signature\":{\"content\":\""
          + b64(sig) + "\",\"publicKey\":{\"content\":\"" + b64(pem.getBytes(StandardCharsets.UTF_8)) + "\"}}}}";
      HttpResponse<byte[]> logResp =
          post(base.resolve("/api/v1/log/entries"), "application/json", proposal.getBytes(StandardCharsets.UTF_8));
      assertEquals(201, logResp.statusCode(), () -> new String(logResp.body(), StandardCharsets.UTF_8));
      JsonNode created = JSON.readTree(logResp.body());
      String entryId = created.fieldNames().next();
      LogEntry entry = sandbox.log().entryByUuid(entryId).orElseThrow();

      // Timestamp the signature over HTTP.
      TimeStampRequestGenerator tsq = new TimeStampRequestGenerator();
      tsq.setCertReq(true);
      byte[] req = tsq.generate(TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256").digest(sig),
          BigInteger.valueOf(System.nanoTime())).getEncoded();
      HttpResponse<byte[]> tsResp = post(base.resolve("/api/v1/timestamp"), "application/timestamp-query", req);
      assertEquals(200, tsResp.statusCode());

      Bundle bundle = new Bundle(
          BundleVersion.V0_3,
          BundleVersion.V0_3.mediaType(),
          new Bundle.VerificationMaterial(
              Optional.of("sandbox-test-key"), List.of(), List.of(entry.toBundleEntry()), List.of(tsResp.body())),
          Optional.of(new MessageSignature(
              Optional.of(new dev.sigil.verifier.entity.MessageDigest(HashAlgorithm.SHA2_256, digest)), sig)),
          Optional.empty());
      VerificationResult verification =
          Verifier.create(
                  TrustedMaterial.combine(
                      trustedRoot,
                      new PublicKeyMaterial(List.of(TrustedPublicKey.of("sandbox-test-key", kp.getPublic())))))
              .verify(bundle, VerificationPolicy.publicKey(Artifact.ofDigest(HashAlgorithm.SHA2_256, digest)));
      assertTrue(verification.isVerified(), () -> verification.firstFailure().map(Object::toString).orElse("") + " " + verification);
      VerificationResult.Verified result = (VerificationResult.Verified) verification;
      assertEquals(1, result.logEntries().size(), result::toString);
      assertTrue(result.signingTimes().stream().anyMatch(t -> t.source() == SigningTime.Source.TIMESTAMP_AUTHORITY),
          result::toString);
      assertTrue(result.signingTimes().stream().anyMatch(t -> t.source() == SigningTime.Source.TRANSPARENCY_LOG),
          result::toString);

      // Other paths are 404, the trusted root is read-only.
      assertEquals(404, get(base.resolve("/nothing-here")).statusCode());
      assertEquals(405, post(base.resolve("/trusted_root.json"), "application/json", new byte[0]).statusCode());
    }
  }

  @Test
  void restartOnTheSameDirectoryKeepsKeysLogAndTrustedRoot() throws Exception {
    byte[] firstRoot;
    byte[] logId;
    long size;
    int port;
    try (Sandbox sandbox = Sandbox.start(dir, 0)) {
      port = sandbox.uri().getPort();
      firstRoot = get(sandbox.uri().resolve("/trusted_root.json")).body();
      logId = sandbox.log().logId();
      size = sandbox.log().size();
    }
    try (Sandbox sandbox = Sandbox.start(dir, port)) {
      assertEquals(port, sandbox.uri().getPort());
      assertArrayEquals(firstRoot, get(sandbox.uri().resolve("/trusted_root.json")).body());
      assertArrayEquals(firstRoot, Files.readAllBytes(sandbox.trustedRootFile()));
      assertArrayEquals(logId, sandbox.log().logId());
      assertEquals(size, sandbox.log().size());
    }
    // Port 0 reuses the recorded port when it is free, so the trusted root stays the same.
    try (Sandbox sandbox = Sandbox.start(dir, 0)) {
      if (sandbox.uri().getPort() == port) {
        assertArrayEquals(firstRoot, sandbox.trustedRootBytes());
      } else {
        assertFalse(java.util.Arrays.equals(firstRoot, sandbox.trustedRootBytes()));
      }
      TrustedRoot.parse(sandbox.trustedRootBytes());
    }
  }

  @Test
  void servesOnlyOnLoopback() throws Exception {
    try (Sandbox sandbox = Sandbox.start(dir, 0)) {
      assertEquals("127.0.0.1", sandbox.uri().getHost());
      TrustedRoot root = TrustedRoot.parse(sandbox.trustedRootBytes());
      assertEquals("http://127.0.0.1:" + sandbox.uri().getPort(), root.tlogs().get(0).baseUrl());
      // A second sandbox cannot share the data directory.
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Sandbox.start(dir, 0).close());
    }
  }
}
