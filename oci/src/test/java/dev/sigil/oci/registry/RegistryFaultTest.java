package dev.sigil.oci.registry;

import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.RegistryException;
import dev.sigil.testkit.FakeRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry behaviour a real registry will not show on demand, against {@link FakeRegistry} over real HTTP. */
class RegistryFaultTest {
  private FakeRegistry fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeRegistry.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private RegistryOptions.Builder options() {
    return RegistryOptions.builder()
        .credentials(CredentialSource.anonymous())
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .maxAttempts(3);
  }

  private RegistryStore store(RegistryOptions o) {
    return new RegistryClient(o).repository(fake.address(), "test/app");
  }

  /** Pushes a tiny image (config + one layer) as tag v1; returns its manifest. */
  private ImageManifest pushImage(RegistryStore s) throws OciException {
    Descriptor config = s.pushBlob(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), MediaTypes.OCI_CONFIG);
    Descriptor layer = s.pushBlob(utf8("layer"), "application/vnd.oci.image.layer.v1.tar");
    ImageManifest m = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
    s.pushManifest(m, "v1");
    return m;
  }

  @Test
  void retries500Then200() throws Exception {
    RegistryStore s = store(options().build());
    ImageManifest m = pushImage(s);
    fake.failNext(2, 500, null);
    Manifest got = s.fetchManifest(m.digest());
    assertEquals(m.digest(), got.digest());
    long manifestGets = fake.requests().stream().filter(r -> r.startsWith("GET /v2/test/app/manifests/")).count();
    assertEquals(3, manifestGets, fake.requests().toString());
  }

  @Test
  void givesUpAfterMaxAttemptsWithARetryableError() throws Exception {
    RegistryStore s = store(options().build());
    ImageManifest m = pushImage(s);
    fake.failNext(10, 503, null);
    RegistryException e = assertThrows(RegistryException.class, () -> s.fetchManifest(m.digest()));
    assertEquals(Reason.UNAVAILABLE, e.reason());
    assertTrue(e.retryable());
    assertEquals(503, e.httpStatus());
    assertEquals(fake.address(), e.registry());
    assertEquals("test/app", e.repository());
    assertTrue(e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void honoursRetryAfterOn429() throws Exception {
    RegistryStore s = store(options().backoff(Duration.ofMillis(10), Duration.ofSeconds(2)).build());
    ImageManifest m = pushImage(s);
    fake.failNext(1, 429, "1");
    long t0 = System.nanoTime();
    assertEquals(m.digest(), s.fetchManifest(m.digest()).digest());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 950, "waited only " + ms + " ms despite Retry-After: 1");
  }

  @Test
  void retryAfterBeyondTheCapEndsRetriesAtOnce() throws Exception {
    RegistryStore s = store(options().backoff(Duration.ofMillis(10), Duration.ofMillis(500)).build());
    ImageManifest m = pushImage(s);
    fake.failNext(5, 429, "3600");
    long t0 = System.nanoTime();
    RegistryException e = assertThrows(RegistryException.class, () -> s.fetchManifest(m.digest()));
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
    assertEquals(429, e.httpStatus());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("asked to retry after 3600 s"), e.getMessage());
  }

  @Test
  void bearerChallengeWithTokenEndpointAndCredentials() throws Exception {
    fake.requireBearer("alice", "s3cret");
    RegistryStore s = store(options()
        .credentials(CredentialSource.of(fake.address(), new Credentials.Basic("alice", "s3cret"))).build());
    ImageManifest m = pushImage(s);
    assertEquals(m.digest(), s.fetchManifest(m.digest()).digest());
    assertTrue(fake.requests().stream().anyMatch(r -> r.startsWith("GET /token?service=fake-registry&scope=repository%3Atest%2Fapp%3Apull%2Cpush")),
        fake.requests().toString());
    assertTrue(fake.authorizationSchemes().contains("Bearer"));
    assertEquals(List.of("v1"), s.listTags());
  }

  @Test
  void bearerWithWrongPasswordNamesRegistryAndUser() throws Exception {
    fake.requireBearer("alice", "s3cret");
    RegistryStore s = store(options()
        .credentials(CredentialSource.of(fake.address(), new Credentials.Basic("alice", "wrong"))).build());
    RegistryException e = assertThrows(RegistryException.class, () -> s.listTags());
    assertEquals(Reason.UNAUTHORIZED, e.reason());
    assertTrue(e.getMessage().contains("refused the credentials of user alice"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong"), "the password leaked into: " + e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void unauthorizedWithoutCredentialsNamesTheRegistry() throws Exception {
    fake.requireBearer("alice", "s3cret");
    RegistryStore s = store(options().build());
    RegistryException e = assertThrows(RegistryException.class, () -> s.fetchManifestByTag("v1"));
    assertEquals(Reason.UNAUTHORIZED, e.reason());
    assertEquals(401, e.httpStatus());
    assertTrue(e.getMessage().contains("registry " + fake.address() + " requires authentication for test/app"),
        e.getMessage());
    assertTrue(e.getMessage().contains("no credentials were found for " + fake.address()), e.getMessage());
  }

  @Test
  void identityTokenIsExchangedAtTheTokenEndpoint() throws Exception {
    fake.requireBearer("alice", "s3cret").acceptRefreshToken("refresh-123");
    RegistryStore s = store(options()
        .credentials(CredentialSource.of(fake.address(), new Credentials.IdentityToken("refresh-123"))).build());
    assertEquals(List.of(), s.listTags());
    assertTrue(fake.requests().contains("POST /token"), fake.requests().toString());
    RegistryStore wrong = store(options()
        .credentials(CredentialSource.of(fake.address(), new Credentials.IdentityToken("nope"))).build());
    RegistryException e = assertThrows(RegistryException.class, wrong::listTags);
    assertEquals(Reason.UNAUTHORIZED, e.reason());
    assertTrue(e.getMessage().contains("<identity token>") && !e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void invalidTagsAreRefusedBeforeAnyRequest() {
    RegistryStore s = store(options().build());
    assertThrows(IllegalArgumentException.class, () -> s.fetchManifestByTag("../../x"));
    assertThrows(IllegalArgumentException.class, () -> s.resolveTag("a/b"));
    assertEquals(List.of(), fake.requests());
  }

  @Test
  void basicAuth() throws Exception {
    fake.requireBasic("bob", "pw");
    RegistryException e = assertThrows(RegistryException.class, () -> store(options().build()).listTags());
    assertEquals(Reason.UNAUTHORIZED, e.reason());
    RegistryStore s = store(options()
        .credentials(CredentialSource.of(fake.address(), new Credentials.Basic("bob", "pw"))).build());
    pushImage(s);
    assertEquals(List.of("v1"), s.listTags());
    assertTrue(fake.authorizationSchemes().stream().allMatch(a -> a.equals("Basic")));
  }

  @Test
  void aRegistryThatNeverAnswersTimesOut() throws Exception {
    fake.hang(true);
    RegistryStore s = store(options().requestTimeout(Duration.ofMillis(400)).maxAttempts(2).build());
    long t0 = System.nanoTime();
    RegistryException e = assertThrows(RegistryException.class, () -> s.resolveTag("v1"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Reason.TIMEOUT, e.reason());
    assertTrue(e.retryable());
    assertEquals(0, e.httpStatus());
    assertTrue(e.getMessage().contains("no answer within 400 ms"), e.getMessage());
    assertTrue(ms < 3000, "took " + ms + " ms");
  }

  @Test
  void wrongBytesForADigestAreRefused() throws Exception {
    RegistryStore s = store(options().build());
    ImageManifest m = pushImage(s);
    fake.corruptManifests(true);
    RegistryException byDigest = assertThrows(RegistryException.class, () -> s.fetchManifest(m.digest()));
    assertEquals(Reason.DIGEST_MISMATCH, byDigest.reason());
    assertFalse(byDigest.retryable());
    RegistryException byTag = assertThrows(RegistryException.class, () -> s.fetchManifestByTag("v1"));
    assertEquals(Reason.DIGEST_MISMATCH, byTag.reason());
    assertTrue(byTag.getMessage().contains("announced " + m.digest()), byTag.getMessage());
  }

  @Test
  void wrongBlobBytesAndOversizeBlobsAreRefused() throws Exception {
    RegistryStore s = store(options().build());
    Descriptor d = s.pushBlob(utf8("0123456789"), "application/octet-stream");
    assertArrayEquals(utf8("0123456789"), s.fetchBlob(d.digest(), 10));
    RegistryException big = assertThrows(RegistryException.class, () -> s.fetchBlob(d.digest(), 9));
    assertEquals(Reason.TOO_LARGE, big.reason());
    String other = fake.putBlob(utf8("other"));
    fake.deleteBlob(other);
    RegistryException missing = assertThrows(RegistryException.class, () -> s.fetchBlob(Digest.parse(other), 100));
    assertEquals(Reason.NOT_FOUND, missing.reason());
    assertTrue(missing.getMessage().contains("BLOB_UNKNOWN"), missing.getMessage());
  }

  @Test
  void referrersApiPathIsUsedWhenPresent() throws Exception {
    fake.withReferrersApi(true);
    RegistryStore s = store(options().build());
    ImageManifest image = pushImage(s);
    Descriptor empty = s.pushBlob(utf8("{}"), MediaTypes.OCI_EMPTY);
    Descriptor bundle = s.pushBlob(utf8("{\"b\":1}"), MediaTypes.SIGSTORE_BUNDLE_V03);
    ImageManifest ref = ImageManifest.create(MediaTypes.OCI_MANIFEST, empty, List.of(bundle), Map.of("k", "v"),
        image.descriptor(), MediaTypes.SIGSTORE_BUNDLE_V03);
    s.pushManifest(ref, null);
    assertTrue(s.resolveTag(image.digest().tagPrefix()).isEmpty(), "no fallback tag when the registry indexes subjects");
    Referrers all = s.referrers(image.digest(), null);
    assertEquals(Referrers.Source.REFERRERS_API, all.source());
    assertEquals(1, all.manifests().size());
    assertEquals(ref.digest(), all.manifests().get(0).digest());
    assertEquals(Map.of("k", "v"), all.manifests().get(0).annotations());
    assertEquals(1, s.referrers(image.digest(), MediaTypes.SIGSTORE_BUNDLE_V03).manifests().size());
    assertEquals(0, s.referrers(image.digest(), "application/other").manifests().size());
  }

  @Test
  void fallbackTagWhenTheApiIsMissing() throws Exception {
    RegistryStore s = store(options().build());
    ImageManifest image = pushImage(s);
    Descriptor empty = s.pushBlob(utf8("{}"), MediaTypes.OCI_EMPTY);
    for (String body : new String[] {"{\"b\":1}", "{\"b\":2}"}) {
      Descriptor bundle = s.pushBlob(utf8(body), MediaTypes.SIGSTORE_BUNDLE_V03);
      s.pushManifest(ImageManifest.create(MediaTypes.OCI_MANIFEST, empty, List.of(bundle), Map.of(),
          image.descriptor(), MediaTypes.SIGSTORE_BUNDLE_V03), null);
    }
    Referrers r = s.referrers(image.digest(), MediaTypes.SIGSTORE_BUNDLE_V03);
    assertEquals(Referrers.Source.FALLBACK_TAG, r.source());
    assertEquals(2, r.manifests().size());
    Optional<Descriptor> tag = s.resolveTag(image.digest().tagPrefix());
    assertEquals(MediaTypes.OCI_INDEX, tag.orElseThrow().mediaType());
  }

  @Test
  void redirectsDropAuthorizationAcrossOriginsAndRefusePlainHttpToRemoteHosts() throws Exception {
    try (FakeRegistry storage = FakeRegistry.start()) {
      fake.requireBasic("bob", "pw");
      RegistryStore s = store(options()
          .credentials(CredentialSource.of(fake.address(), new Credentials.Basic("bob", "pw"))).build());
      Descriptor d = s.pushBlob(utf8("redirected"), "application/octet-stream");
      storage.putBlob(utf8("redirected"));
      fake.redirectBlobsTo("http://" + storage.address());
      assertArrayEquals(utf8("redirected"), s.fetchBlob(d.digest(), 100));
      assertEquals(1, storage.requests().size(), storage.requests().toString());
      assertEquals(List.of(), storage.authorizationSchemes(), "Authorization must not follow a redirect to another origin");
      fake.redirectBlobsTo("http://registry.example.invalid");
      RegistryException e = assertThrows(RegistryException.class, () -> s.fetchBlob(d.digest(), 100));
      assertEquals(Reason.INSECURE_REFUSED, e.reason());
      assertTrue(e.getMessage().contains("refusing http to registry.example.invalid"), e.getMessage());
    }
    assertTrue(RegistryClient.isLoopback("127.0.0.1:5000"));
    assertTrue(RegistryClient.isLoopback("localhost"));
    assertTrue(RegistryClient.isLoopback("[::1]:443"));
    assertFalse(RegistryClient.isLoopback("127.0.0.1.example.com"));
    assertFalse(RegistryClient.isLoopback("10.0.0.1:5000"));
    assertFalse(RegistryClient.isLoopback("localhost.example.com:80"));
  }
}
