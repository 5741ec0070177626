package dev.sigil.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.cosign.CosignAttachments;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import dev.sigil.verifier.Reason;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image signatures and attestations made by cosign 2.5 on a real registry, found and verified by Sigil; and the ways a
 * signature can fail to belong to an image (another image's signature under this digest's tag, a wrong key, no
 * signature, a missing layer blob).
 */
class ImageVerifierTest {
  @TempDir static Path dir;
  static TestRegistry registry;
  static RegistryClient client;
  static String d1;
  static String d2;
  static String d3;
  static String d4;
  static PublicKey key;
  static PublicKey otherKey;

  @BeforeAll
  static void setUp() throws Exception {
    Path cosign = Peers.cosign();
    registry = TestRegistry.start(dir.resolve("reg"));
    client = new RegistryClient(RegistryOptions.builder().build());
    d1 = registry.pushImage("test/app:v1", "one");
    d2 = registry.pushImage("test/app:v2", "two");
    d3 = registry.pushImage("test/app:v3", "three");
    d4 = registry.pushImage("test/app:v4", "four");
    Map<String, String> env = Map.of("COSIGN_PASSWORD", "pw", "COSIGN_YES", "true");
    run(cosign, env, "generate-key-pair", "--output-key-prefix", "ck");
    run(cosign, env, "generate-key-pair", "--output-key-prefix", "other");
    key = TrustedPublicKey.parsePem(Files.readString(dir.resolve("ck.pub")));
    otherKey = TrustedPublicKey.parsePem(Files.readString(dir.resolve("other.pub")));
    run(cosign, env, "sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", image(d1));
    run(cosign, env, "sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", image(d4));
    Files.writeString(
        dir.resolve("prov.json"),
        "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{}},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://ci.example.com/b\"}}}");
    run(cosign, env, "attest", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry",
        "--type", "slsaprovenance1", "--predicate", "prov.json", image(d1));
    // d3 carries d1's signature manifest under its own tag: a signature of another image.
    run(Peers.skopeo(), Map.of(), "--insecure-policy", "copy", "-q", "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "docker://" + registry.address() + "/test/app:" + Digest.parse(d1).tagPrefix() + ".sig",
        "docker://" + registry.address() + "/test/app:" + Digest.parse(d3).tagPrefix() + ".sig");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  static String image(String digest) {
    return registry.address() + "/test/app@" + digest;
  }

  static void run(Path tool, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(tool.toString());
    cmd.addAll(List.of(args));
    Peers.Result r = Peers.run(cmd, env, dir, 120);
    assertEquals(0, r.exitCode(), r::describe);
  }

  static ImageEvidence fetch(String ref) throws OciException {
    try (ImageFetcher f = new ImageFetcher(client)) {
      return f.fetch(ImageReference.parse(ref));
    }
  }

  static Verifier keyVerifier(PublicKey k) {
    return Verifier.create(PublicKeyMaterial.of(k));
  }

  static final ImageVerifier.Requirement KEY_NO_LOG = ImageVerifier.Requirement.publicKey().withoutTransparencyLogUnsafe();

  @Test
  void cosignSignatureAndAttestationVerify() throws Exception {
    ImageEvidence e = fetch(image(d1));
    assertEquals(Digest.parse(d1), e.digest());
    assertEquals(1, e.signatures().size());
    assertEquals(1, e.attestations().size());
    ImageVerifier.ImageVerification v = ImageVerifier.verify(e, keyVerifier(key), KEY_NO_LOG);
    ImageVerifier.Accepted sig = v.acceptedSignatures().get(0);
    assertEquals(Digest.parse(d1), sig.payload().orElseThrow().manifestDigest());
    assertEquals(1, v.acceptedAttestations("https://slsa.dev/provenance/v1").size());
    assertTrue(v.acceptedAttestations("https://spdx.dev/Document").isEmpty());
  }

  @Test
  void theLogIsRequiredUnlessWaived() throws Exception {
    ImageVerifier.Refused r =
        assertInstanceOf(
            ImageVerifier.Refused.class,
            ImageVerifier.verifySignatures(fetch(image(d1)), keyVerifier(key), ImageVerifier.Requirement.publicKey()).get(0));
    assertEquals(Reason.TLOG_THRESHOLD.name(), r.code());
  }

  @Test
  void tagsResolveToDigestsAndSay() throws Exception {
    ImageEvidence e = fetch(registry.address() + "/test/app:v1");
    assertEquals(Digest.parse(d1), e.digest());
    assertEquals("v1", e.resolvedFromTag().orElseThrow());
    assertEquals(1, ImageVerifier.verify(e, keyVerifier(key), KEY_NO_LOG).acceptedSignatures().size());
  }

  @Test
  void unsignedImageHasNothingToAccept() throws Exception {
    ImageEvidence e = fetch(image(d2));
    assertTrue(e.signatures().isEmpty() && e.attestations().isEmpty() && e.unreadable().isEmpty(), e.toString());
  }

  @Test
  void anotherImagesSignatureIsRefusedAsSuch() throws Exception {
    ImageVerifier.Refused r =
        assertInstanceOf(
            ImageVerifier.Refused.class,
            ImageVerifier.verifySignatures(fetch(image(d3)), keyVerifier(key), KEY_NO_LOG).get(0));
    assertEquals(ImageVerifier.Refusal.DIGEST_MISMATCH, r.refusal());
    assertTrue(r.detail().contains(d1) && r.detail().contains(d3), r.detail());
  }

  @Test
  void wrongKeyIsRefused() throws Exception {
    ImageVerifier.Refused r =
        assertInstanceOf(
            ImageVerifier.Refused.class,
            ImageVerifier.verifySignatures(fetch(image(d1)), keyVerifier(otherKey), KEY_NO_LOG).get(0));
    assertEquals(Reason.SIGNATURE_INVALID.name(), r.code());
  }

  @Test
  void aSignatureFromAnotherRepositoryIsRefused() throws Exception {
    // The same image pushed to another repository: its digest matches, the signed docker-reference does not.
    String copy = registry.address() + "/elsewhere/app";
    run(Peers.skopeo(), Map.of(), "--insecure-policy", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + image(d4), "docker://" + copy + ":v4");
    run(Peers.skopeo(), Map.of(), "--insecure-policy", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + registry.address() + "/test/app:" + Digest.parse(d4).tagPrefix() + ".sig",
        "docker://" + copy + ":" + Digest.parse(d4).tagPrefix() + ".sig");
    ImageVerifier.Refused r =
        assertInstanceOf(
            ImageVerifier.Refused.class,
            ImageVerifier.verifySignatures(fetch(copy + "@" + d4), keyVerifier(key), KEY_NO_LOG).get(0));
    assertEquals(ImageVerifier.Refusal.REPOSITORY_MISMATCH, r.refusal());
  }

  @Test
  void aSignatureLayerWhoseBlobIsMissingIsReportedUnreadable() throws Exception {
    ImageEvidence before = fetch(image(d4));
    assertEquals(1, before.signatures().size());
    var store = client.repository(dev.sigil.oci.RegistryReference.parse(image(d4)));
    var sig = new CosignAttachments(store).readSignatures(Digest.parse(d4), ImageFetcher.MAX_SIGNATURE_PAYLOAD);
    Digest layer = sig.layers().get(0).descriptor().digest();
    var req =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + registry.address() + "/v2/test/app/blobs/" + layer))
            .DELETE()
            .build();
    var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
    assertEquals(202, resp.statusCode());
    ImageEvidence after = fetch(image(d4));
    assertTrue(after.signatures().isEmpty());
    assertEquals(1, after.unreadable().size(), after.toString());
    assertTrue(after.unreadable().get(0).reason().contains(layer.hex()), after.unreadable().toString());
  }

  @Test
  void aMissingImageIsNotFound() {
    OciException e =
        assertThrows(OciException.class, () -> fetch(registry.address() + "/test/app@sha256:" + "0".repeat(64)));
    assertEquals(OciException.Reason.NOT_FOUND, e.reason());
  }

  @Test
  void payloadRepositoriesNormaliseAsDockerDoes() {
    assertEquals("docker.io/library/nginx", ImageVerifier.repository("index.docker.io/library/nginx").orElseThrow());
    assertEquals("docker.io/library/nginx", ImageVerifier.repository("nginx:1.25").orElseThrow());
    assertEquals("ghcr.io/acme/app", ImageVerifier.repository("ghcr.io/acme/app@sha256:" + "a".repeat(64)).orElseThrow());
    assertTrue(ImageVerifier.repository("not a reference").isEmpty());
  }
}
