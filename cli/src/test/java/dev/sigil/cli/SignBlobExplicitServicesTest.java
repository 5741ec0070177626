package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services given by flag (--fulcio-url, --rekor-url, --tsa-url) are the whole set: nothing is taken from the
 * public-good signing config. Offline, against the sandbox on 127.0.0.1: every URI the CLI's HTTP clients ask a
 * proxy for is recorded (a default ProxySelector that answers "no proxy"), and none may be off the loopback.
 */
class SignBlobExplicitServicesTest {
  @TempDir static Path shared;
  static Sandbox sandbox;
  static String url;
  static Path root;
  @TempDir Path dir;

  static final List<URI> contacted = new CopyOnWriteArrayList<>();
  private ProxySelector previous;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(shared.resolve("sandbox"), 0);
    url = sandbox.uri().toString();
    root = sandbox.trustedRootFile();
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  @BeforeEach
  void record() {
    contacted.clear();
    previous = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            contacted.add(uri);
            return List.of(Proxy.NO_PROXY);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
  }

  @AfterEach
  void restore() {
    ProxySelector.setDefault(previous);
  }

  private static void onlyLoopback() throws Exception {
    assertFalse(contacted.isEmpty(), "the recording proxy selector saw no request");
    for (URI u : contacted) {
      assertTrue(InetAddress.getByName(u.getHost()).isLoopbackAddress(), "contacted " + u);
    }
  }

  private Path artifact() throws Exception {
    Path f = dir.resolve("artifact.txt");
    Files.writeString(f, "explicit services\n", StandardCharsets.UTF_8);
    return f;
  }

  private static String token() {
    return new Cli().run("sandbox", "token", "--sandbox", url, "--subject", "ci@example.com").expect(0).out().trim();
  }

  @Test
  void fulcioAndRekorGivenMeansNoTimestampAndNoPublicService() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("b.sigstore.json");
    String token = token();
    contacted.clear();
    new Cli().run("sign-blob", "--fulcio-url", url, "--rekor-url", url, "--identity-token", token,
        "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(0);
    onlyLoopback();
    assertFalse(contacted.stream().anyMatch(u -> u.getPath().contains("timestamp")), contacted.toString());
    JsonNode bundle = new ObjectMapper().readTree(b.toFile());
    JsonNode stamps = bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps");
    assertTrue(stamps.isMissingNode() || stamps.isEmpty(), bundle.toString());
  }

  @Test
  void aTsaIsUsedOnlyWhenGiven() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("t.sigstore.json");
    String token = token();
    contacted.clear();
    String tsa = sandbox.uri().resolve(dev.sigil.sandbox.tsa.TsaHttpHandler.PATH).toString();
    new Cli().run("sign-blob", "--fulcio-url", url, "--rekor-url", url, "--tsa-url", tsa, "--identity-token", token,
        "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(0);
    onlyLoopback();
    JsonNode bundle = new ObjectMapper().readTree(b.toFile());
    assertEquals(1, bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").size());
  }

  @Test
  void aMissingServiceIsNamedAndNothingIsContacted() throws Exception {
    Path f = artifact();
    Path b = dir.resolve("never.sigstore.json");
    long before = sandbox.log().size();
    String noFulcio = new Cli().run("sign-blob", "--rekor-url", url, "--identity-token", "x.y.z",
        "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(2).errorLine();
    assertTrue(noFulcio.contains("--rekor-url without --fulcio-url"), noFulcio);
    String noRekor = new Cli().run("sign-blob", "--fulcio-url", url, "--identity-token", "x.y.z",
        "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(2).errorLine();
    assertTrue(noRekor.contains("--fulcio-url without --rekor-url"), noRekor);
    String tsaOnly = new Cli().run("sign-blob", "--tsa-url", url, "--identity-token", "x.y.z",
        "--trusted-root", root.toString(), "--bundle", b.toString(), f.toString()).expect(2).errorLine();
    assertTrue(tsaOnly.contains("--tsa-url without --fulcio-url"), tsaOnly);
    assertTrue(contacted.isEmpty(), "contacted " + contacted);
    assertFalse(Files.exists(b));
    assertEquals(before, sandbox.log().size());
  }
}
