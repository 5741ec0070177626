package dev.sigil.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.testkit.FakeRegistry;
import dev.sigil.testkit.Peers;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Faults: a registry that stops and comes back, a registry slower than the deadline, fifty reviews of one new image at
 * once, an invalid policy set dropped into the directory, certificate rotation, and shutdown under load.
 */
class FaultsTest {
  static final String DIGEST = "sha256:" + "5".repeat(64);
  @TempDir static Path dir;
  static Signed images;
  static FakeRegistry slow;
  static Path policies;
  static Fixtures.Tls tls;
  static AdmissionServer server;
  static HttpClient h1;

  @BeforeAll
  static void start() throws Exception {
    images = Signed.start(dir);
    slow = FakeRegistry.start().hang(true);
    policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("acme.yaml"), images.policy("acme", null, false));
    Files.writeString(policies.resolve("slow.yaml"), slowPolicies());
    tls = Fixtures.tls(dir, "webhook", true);
    server = AdmissionServer.builder()
        .policies(policies)
        .tls(tls.cert(), tls.key())
        .listen("127.0.0.1", 0)
        .registry(RegistryOptions.builder().credentials(CredentialSource.anonymous())
            .requestTimeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(2)).maxAttempts(2)
            .backoff(Duration.ofMillis(50), Duration.ofMillis(100)).build())
        .deadline(Duration.ofMillis(1500))
        .reloadInterval(Duration.ofMillis(100))
        .start();
    h1 = Fixtures.client(tls.certificate(), HttpClient.Version.HTTP_1_1);
  }

  static String slowPolicies() {
    return "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: slow}\nspec:\n"
        + "  images: [{glob: \"" + slow.address() + "/enforced/**\"}]\n"
        + "  authorities:\n  - name: any\n    key: {file: " + images.publicKey + "}\n    insecureIgnoreTlog: true\n"
        + "---\napiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: trial}\nspec:\n"
        + "  images: [{glob: \"" + slow.address() + "/trial/**\"}]\n  mode: warn\n"
        + "  authorities:\n  - name: any\n    key: {file: " + images.publicKey + "}\n    insecureIgnoreTlog: true\n";
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (slow != null) {
      slow.close();
    }
    if (images != null) {
      images.close();
    }
  }

  static JsonNode validate(Fixtures.Review r) throws Exception {
    HttpResponse<String> resp = Fixtures.post(h1, server.port(), "/validate", r.json());
    assertEquals(200, resp.statusCode(), resp.body());
    JsonNode n = Fixtures.JSON.readTree(resp.body()).get("response");
    assertEquals(r.uid, n.get("uid").asString());
    return n;
  }

  static double metric(String text, String name) {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  static double metric(String name) {
    return metric(server.handler().metrics() == null ? "" : new String(server.handler().metrics().scrape()), name);
  }

  @Test
  void registrySlowerThanTheDeadlineIsDeniedInTimeUnlessWarnMode() throws Exception {
    long t0 = System.nanoTime();
    JsonNode r = validate(Fixtures.review().images(slow.address() + "/enforced/app@" + DIGEST));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertFalse(r.get("allowed").asBoolean(), r.toString());
    String m = r.at("/status/message").asString();
    assertTrue(m.contains("could not be verified: not verified within the 1500ms deadline; denied (fail closed)"), m);
    assertTrue(ms >= 1400 && ms < 4000, "answered at the deadline, not at the registry timeout: " + ms + " ms");
    JsonNode warn = validate(Fixtures.review().images(slow.address() + "/trial/app@" + DIGEST));
    assertTrue(warn.get("allowed").asBoolean(), warn.toString());
    assertTrue(warn.at("/warnings/0").asString().contains("allowed: every policy for it is in warn mode"), warn.toString());
    assertTrue(metric("sigil_admission_deadline_exceeded_total") >= 2);
  }

  @Test
  void registryStoppedMidRunDeniesWithinTheDeadlineAndRecovers() throws Exception {
    String before = images.pushSigned("down");
    String after = images.pushSigned("down");
    assertTrue(validate(Fixtures.review().images(before)).get("allowed").asBoolean());
    images.registry.close();
    try {
      long t0 = System.nanoTime();
      JsonNode r = validate(Fixtures.review().images(after));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(r.get("allowed").asBoolean(), r.toString());
      assertTrue(ms < 2500, "no hang: " + ms + " ms");
      assertTrue(r.at("/status/message").asString().contains("denied (fail closed)"), r.toString());
      // an image verified before the outage is still allowed from the cache
      assertTrue(validate(Fixtures.review().images(before)).get("allowed").asBoolean());
    } finally {
      Peers.Result res = Peers.run(
          List.of(images.registry.script().toString(), "start", Integer.toString(images.registry.port())),
          Map.of("REGISTRY_DIR", dir.resolve("registry").toString()), dir, 30);
      assertEquals(0, res.exitCode(), res.describe());
    }
    // failures are not cached: the next review after the registry returns is decided afresh
    assertTrue(validate(Fixtures.review().images(after)).get("allowed").asBoolean());
  }

  @Test
  void fiftyConcurrentReviewsOfOneNewImageVerifyItOnce() throws Exception {
    String image = images.pushSigned("burst");
    Fixtures.Tls t = Fixtures.tls(dir, "burst", false);
    try (AdmissionServer s = AdmissionServer.builder().policies(policies).tls(t.cert(), t.key()).listen("127.0.0.1", 0)
        .registry(RegistryOptions.builder().credentials(CredentialSource.anonymous()).build()).start()) {
      HttpClient h2 = Fixtures.client(t.certificate(), HttpClient.Version.HTTP_2);
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(h2.sendAsync(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://localhost:" + s.port() + "/validate"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Fixtures.review().images(image).json())).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : all) {
        HttpResponse<String> r = f.get();
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"allowed\":true"), r.body());
      }
      String m = new String(s.handler().metrics().scrape());
      assertEquals(1, metric(m, "sigil_admission_verifications_total"), "one verification for fifty reviews:\n" + m);
      assertEquals(50, metric(m, "sigil_admission_cache_requests_total{cache=\"decision\",result=\"miss\"}")
          + metric(m, "sigil_admission_cache_requests_total{cache=\"decision\",result=\"coalesced\"}")
          + metric(m, "sigil_admission_cache_requests_total{cache=\"decision\",result=\"hit\"}"));
      assertEquals(1, metric(m, "sigil_admission_cache_requests_total{cache=\"decision\",result=\"miss\"}"));
    }
  }

  @Test
  void invalidPolicySetIsRefusedAndThePreviousStaysInForceThenAValidChangeApplies() throws Exception {
    double refused = metric("sigil_admission_reloads_total{result=\"refused\",what=\"policies\"}");
    Files.writeString(policies.resolve("broken.yaml"),
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: broken}\nspec:\n  images: [{glob: \"[\"}]\n");
    try {
      waitFor(() -> metric("sigil_admission_reloads_total{result=\"refused\",what=\"policies\"}") > refused);
      assertFalse(validate(Fixtures.review().images(images.unsigned)).get("allowed").asBoolean(), "still enforced");
      assertTrue(validate(Fixtures.review().images(images.signed)).get("allowed").asBoolean());
    } finally {
      Files.delete(policies.resolve("broken.yaml"));
    }
    // a valid change: provenance now required on acme images; the cache key (policy hash) changes with it
    double applied = metric("sigil_admission_reloads_total{result=\"applied\",what=\"policies\"}");
    Files.writeString(policies.resolve("acme.yaml"), images.policy("acme", null, true));
    try {
      waitFor(() -> metric("sigil_admission_reloads_total{result=\"applied\",what=\"policies\"}") > applied);
      assertTrue(validate(Fixtures.review().images(images.signed)).get("allowed").asBoolean(), "signed and attested");
      JsonNode noAtt = validate(Fixtures.review().images(images.signedOnly));
      assertFalse(noAtt.get("allowed").asBoolean(), noAtt.toString());
      assertTrue(noAtt.at("/status/message").asString().contains("attestation provenance: no "), noAtt.toString());
    } finally {
      double again = metric("sigil_admission_reloads_total{result=\"applied\",what=\"policies\"}");
      Files.writeString(policies.resolve("acme.yaml"), images.policy("acme", null, false));
      waitFor(() -> metric("sigil_admission_reloads_total{result=\"applied\",what=\"policies\"}") > again);
    }
    assertTrue(validate(Fixtures.review().images(images.signedOnly)).get("allowed").asBoolean());
  }

  @Test
  void certificateRotationIsPickedUpAndABadPairRefused() throws Exception {
    Fixtures.Tls next = Fixtures.tls(dir, "next", false);
    Path certBackup = dir.resolve("cert.bak");
    Files.copy(tls.cert(), certBackup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // a mismatched pair (the new certificate with the old key) is refused; the old one stays
    Files.copy(next.cert(), tls.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    waitFor(() -> metric("sigil_admission_reloads_total{result=\"refused\",what=\"certificate\"}") >= 1);
    assertEquals(200, Fixtures.get(Fixtures.client(tls.certificate(), HttpClient.Version.HTTP_1_1), server.port(), "/healthz")
        .statusCode());
    Files.copy(next.key(), tls.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    waitFor(() -> metric("sigil_admission_reloads_total{result=\"applied\",what=\"certificate\"}") >= 1);
    HttpResponse<String> r = Fixtures.get(Fixtures.client(next.certificate(), HttpClient.Version.HTTP_1_1), server.port(),
        "/healthz");
    assertEquals(200, r.statusCode(), "a new connection is served the rotated certificate");
  }

  @Test
  void shutdownAnswersEveryReviewInFlightThenRefusesConnections() throws Exception {
    Fixtures.Tls t = Fixtures.tls(dir, "graceful", false);
    AdmissionServer s = AdmissionServer.builder().policies(policies).tls(t.cert(), t.key()).listen("127.0.0.1", 0)
        .registry(RegistryOptions.builder().credentials(CredentialSource.anonymous()).build())
        .deadline(Duration.ofMillis(1500)).start();
    HttpClient c = Fixtures.client(t.certificate(), HttpClient.Version.HTTP_1_1);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(c.sendAsync(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("https://localhost:" + s.port() + "/validate"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              Fixtures.review().images(slow.address() + "/enforced/app" + i + "@" + DIGEST).json())).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    waitFor(() -> metric(new String(s.handler().metrics().scrape()), "sigil_admission_reviews_in_flight") >= 20);
    int port = s.port();
    s.shutdown(Duration.ZERO);
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), "answered, not dropped");
      assertTrue(r.body().contains("\"allowed\":false"), r.body());
    }
    try {
      Fixtures.get(Fixtures.client(t.certificate(), HttpClient.Version.HTTP_1_1), port, "/healthz");
      throw new AssertionError("still accepting connections after shutdown");
    } catch (ConnectException expected) {
      // stopped accepting
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitFor(Condition c) throws Exception {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!c.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50);
    }
  }
}
