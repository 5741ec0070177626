package dev.sigil.oci.registry;

import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.RegistryException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every store operation against the real CNCF distribution registry (2.8, which has no referrers API). */
class RealRegistryTest {
  @TempDir static Path tmp;
  static TestRegistry registry;
  static Digest image;
  static RegistryStore store;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start(tmp.resolve("reg"));
    image = Digest.parse(registry.pushImage("test/app:v1", "one"));
    RegistryClient client = new RegistryClient(RegistryOptions.builder()
        .credentials(CredentialSource.anonymous()).requestTimeout(Duration.ofSeconds(20)).build());
    store = client.repository(RegistryReference.parse(registry.address() + "/test/app:v1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void resolvesFetchesAndListsWhatSkopeoPushed() throws Exception {
    Descriptor d = store.resolveTag("v1").orElseThrow();
    assertEquals(image, d.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, d.mediaType());
    ImageManifest byTag = (ImageManifest) store.fetchManifestByTag("v1").orElseThrow();
    ImageManifest byDigest = (ImageManifest) store.fetchManifest(image);
    assertArrayEquals(byTag.bytes(), byDigest.bytes());
    assertEquals(d.size(), byDigest.size());
    byte[] config = store.fetchBlob(byDigest.config().digest(), 1 << 20);
    assertTrue(new String(config, java.nio.charset.StandardCharsets.UTF_8).contains("amd64"));
    assertTrue(store.hasBlob(byDigest.layers().get(0).digest()));
    assertTrue(store.listTags().contains("v1"));
    assertTrue(store.resolveTag("nope").isEmpty());
    assertTrue(store.fetchManifestByTag("nope").isEmpty());
    RegistryException e = assertThrows(RegistryException.class,
        () -> store.fetchManifest(Digest.sha256(utf8("absent"))));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertEquals(404, e.httpStatus());
    assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN"), e.getMessage());
    assertFalse(store.hasBlob(Digest.sha256(utf8("absent"))));
  }

  @Test
  void pushesBlobsAndManifestsThatSkopeoReads() throws Exception {
    ImageManifest base = (ImageManifest) store.fetchManifest(image);
    Descriptor extra = store.pushBlob(utf8("extra layer " + System.nanoTime()), "application/vnd.oci.image.layer.v1.tar");
    assertEquals(extra, store.pushBlob(utf8(new String(store.fetchBlob(extra.digest(), 1000),
        java.nio.charset.StandardCharsets.UTF_8)), "application/vnd.oci.image.layer.v1.tar"), "second push is a no-op");
    ImageManifest m = ImageManifest.create(MediaTypes.OCI_MANIFEST, base.config(),
        List.of(base.layers().get(0), extra), Map.of("org.example", "x"), null, null);
    assertEquals(m.descriptor(), store.pushManifest(m, "pushed"));
    assertEquals(m.digest(), store.resolveTag("pushed").orElseThrow().digest());
    Peers.Result raw = Peers.run(List.of(Peers.skopeo().toString(), "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.address() + "/test/app:pushed"), Map.of(), tmp, 60);
    assertEquals(0, raw.exitCode(), raw.describe());
    assertArrayEquals(m.bytes(), raw.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ImageIndex idx = ImageIndex.create(List.of(m.descriptor(), base.descriptor()), Map.of());
    store.pushManifest(idx, null);
    Manifest back = store.fetchManifest(idx.digest());
    assertEquals(2, ((ImageIndex) back).manifests().size());
  }

  @Test
  void readsDockerV2Schema2ManifestsSkopeoWrites() throws Exception {
    Peers.Result copy = Peers.run(List.of(Peers.skopeo().toString(), "--insecure-policy", "copy", "-q",
        "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + registry.address() + "/test/app:v1", "docker://" + registry.address() + "/test/app:docker"),
        Map.of(), tmp, 60);
    assertEquals(0, copy.exitCode(), copy.describe());
    Descriptor d = store.resolveTag("docker").orElseThrow();
    assertEquals(MediaTypes.DOCKER_MANIFEST, d.mediaType());
    ImageManifest m = (ImageManifest) store.fetchManifest(d.digest());
    assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
    assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
    assertTrue(m.layers().get(0).mediaType().startsWith("application/vnd.docker.image.rootfs.diff.tar"));
  }

  @Test
  void httpsIsRequiredForNonLoopbackNamesUnlessInsecureIsAllowed() throws Exception {
    // [::ffff:127.0.0.1] reaches the registry over loopback but is not a loopback name, so the HTTPS rules apply.
    String name = "[::ffff:127.0.0.1]:" + registry.port();
    RegistryOptions.Builder o = RegistryOptions.builder().credentials(CredentialSource.anonymous())
        .requestTimeout(Duration.ofSeconds(5)).maxAttempts(1);
    RegistryStore strict = new RegistryClient(o.build()).repository(name, "test/app");
    RegistryException e = assertThrows(RegistryException.class, () -> strict.resolveTag("v1"));
    assertEquals(Reason.PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("TLS with " + name + " failed"), e.getMessage());
    RegistryStore insecure = new RegistryClient(o.allowInsecureRegistry(true).build()).repository(name, "test/app");
    assertEquals(image, insecure.resolveTag("v1").orElseThrow().digest());
  }

  @Test
  void referrersFallBackToTheTagSchema() throws Exception {
    Descriptor subject = store.resolveTag("v1").orElseThrow();
    Descriptor empty = store.pushBlob(utf8("{}"), MediaTypes.OCI_EMPTY);
    Descriptor b1 = store.pushBlob(utf8("{\"bundle\":1}"), MediaTypes.SIGSTORE_BUNDLE_V03);
    Descriptor b2 = store.pushBlob(utf8("{\"other\":2}"), "application/x-other");
    ImageManifest r1 = ImageManifest.create(MediaTypes.OCI_MANIFEST, empty, List.of(b1), Map.of("a", "1"),
        subject, MediaTypes.SIGSTORE_BUNDLE_V03);
    ImageManifest r2 = ImageManifest.create(MediaTypes.OCI_MANIFEST, empty, List.of(b2), Map.of(), subject,
        "application/x-other");
    store.pushManifest(r1, null);
    store.pushManifest(r2, null);
    store.pushManifest(r1, null);
    Referrers all = store.referrers(subject.digest(), null);
    assertEquals(Referrers.Source.FALLBACK_TAG, all.source(), "distribution 2.8 has no referrers API");
    assertEquals(List.of(r1.digest(), r2.digest()), all.manifests().stream().map(Descriptor::digest).toList());
    assertEquals(Map.of("a", "1"), all.manifests().get(0).annotations());
    assertEquals(List.of(r1.digest()),
        store.referrers(subject.digest(), MediaTypes.SIGSTORE_BUNDLE_V03).manifests().stream().map(Descriptor::digest).toList());
    assertEquals(MediaTypes.OCI_INDEX, store.resolveTag(subject.digest().tagPrefix()).orElseThrow().mediaType());
    assertEquals(0, store.referrers(Digest.sha256(utf8("nothing")), null).manifests().size());
  }
}
