package dev.sigil.oci;

import static dev.sigil.oci.TestFiles.bytes;
import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.OciException.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestsTest {
  private static final String H = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

  @Test
  void parsesCosignSignatureManifestExactly() throws OciException {
    byte[] b = bytes("cosign/sig-manifest.json");
    ImageManifest m = assertInstanceOf(ImageManifest.class, Manifests.parse(b, MediaTypes.OCI_MANIFEST));
    assertEquals(Digest.sha256(b), m.digest());
    assertArrayEquals(b, m.bytes());
    assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
    assertEquals(1, m.layers().size());
    Descriptor l = m.layers().get(0);
    assertEquals(MediaTypes.COSIGN_SIMPLE_SIGNING, l.mediaType());
    assertTrue(l.annotations().containsKey("dev.cosignproject.cosign/signature"));
    assertEquals(MediaTypes.OCI_CONFIG, m.effectiveArtifactType());
  }

  @Test
  void parsesBundleReferrerWithSubjectAndArtifactType() throws OciException {
    ImageManifest m = (ImageManifest) Manifests.parse(bytes("cosign/bundle-referrer-manifest.json"), null);
    assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, m.artifactType());
    assertEquals(MediaTypes.OCI_MANIFEST, m.subject().mediaType());
    assertEquals("https://slsa.dev/provenance/v1", m.annotations().get("dev.sigstore.bundle.predicateType"));
    ImageIndex idx = (ImageIndex) Manifests.parse(bytes("cosign/bundle-fallback-index.json"), MediaTypes.OCI_INDEX);
    assertEquals(m.digest(), idx.manifests().get(0).digest());
    assertEquals(MediaTypes.OCI_EMPTY, idx.manifests().get(0).artifactType());
  }

  @Test
  void dockerManifestAndListByContentType() throws OciException {
    String docker = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.DOCKER_CONFIG + "\",\"size\":7,\"digest\":\"" + H + "\"},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":9,\"digest\":\"" + H + "\"}]}";
    ImageManifest m = (ImageManifest) Manifests.parse(utf8(docker), MediaTypes.DOCKER_MANIFEST + "; charset=utf-8");
    assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
    String list = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{"
        + "\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":1,\"digest\":\"" + H + "\","
        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}";
    ImageIndex i = (ImageIndex) Manifests.parse(utf8(list), null);
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, i.mediaType());
    assertEquals(new Platform("linux", "arm64", "v8"), i.manifests().get(0).platform());
  }

  @Test
  void infersTypeWhenNoMediaTypeAnywhere() throws OciException {
    String idx = "{\"schemaVersion\":2,\"manifests\":[]}";
    assertEquals(MediaTypes.OCI_INDEX, Manifests.parse(utf8(idx), null).mediaType());
    String man = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":0,\"digest\":\"" + H + "\"}}";
    assertEquals(MediaTypes.OCI_MANIFEST, Manifests.parse(utf8(man), "application/json").mediaType());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | INVALID_CONTENT | is not JSON",
        "[] | INVALID_CONTENT | not a JSON object",
        "{} | INVALID_CONTENT | no integer schemaVersion",
        "{\"schemaVersion\":1,\"fsLayers\":[]} | UNSUPPORTED | only schema 2",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"} | INVALID_CONTENT | but was served as",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"} | INVALID_CONTENT | without a config",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1}} | INVALID_CONTENT | digest is missing",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"sha256:zz\"}} | INVALID_CONTENT | 64 hex",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}} | UNSUPPORTED | unsupported digest algorithm",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":-1,\"digest\":\"" + H + "\"}} | INVALID_CONTENT | no valid size",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":\"1\",\"digest\":\"" + H + "\"}} | INVALID_CONTENT | no valid size",
        "{\"schemaVersion\":2,\"config\":{\"size\":1,\"digest\":\"" + H + "\"}} | INVALID_CONTENT | no mediaType",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" + H + "\",\"annotations\":{\"k\":1}}} | INVALID_CONTENT | is not a string",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" + H + "\"},\"layers\":{}} | INVALID_CONTENT | not an array",
        "{\"schemaVersion\":2,\"schemaVersion\":2} | INVALID_CONTENT | Duplicate field",
        "{\"schemaVersion\":2,\"manifests\":[]} x | INVALID_CONTENT | is not JSON",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]} | INVALID_CONTENT | served as application/vnd.oci.image.manifest.v1+json",
      })
  void rejectsBadManifests(String json, Reason reason, String message) {
    OciException e = assertThrows(OciException.class, () -> Manifests.parse(utf8(json), MediaTypes.OCI_MANIFEST));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void refusesUnknownManifestTypes() {
    String artifact = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}";
    OciException e = assertThrows(OciException.class, () -> Manifests.parse(utf8(artifact), null));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("unsupported media type application/vnd.oci.artifact.manifest.v1+json"));
    String v1 = "{\"schemaVersion\":2}";
    assertEquals(Reason.UNSUPPORTED, assertThrows(OciException.class,
        () -> Manifests.parse(utf8(v1), MediaTypes.DOCKER_MANIFEST_V1_SIGNED)).reason());
  }

  @Test
  void refusesOversizeBeforeParsing() {
    byte[] big = new byte[Manifests.MAX_MANIFEST_BYTES + 1];
    OciException e = assertThrows(OciException.class, () -> Manifests.parse(big, null));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"schemaVersion\":2,\"annotations\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
    OciException e = assertThrows(OciException.class, () -> Manifests.parse(utf8(deep), null));
    assertEquals(Reason.INVALID_CONTENT, e.reason());
  }

  @Test
  void verifiesDigestAskedFor() throws OciException {
    byte[] b = bytes("cosign/sig-manifest.json");
    Digest right = Digest.sha256(b);
    assertEquals(right, Manifests.parseVerified(b, null, right).digest());
    Digest wrong = Digest.sha256(utf8("other"));
    OciException e = assertThrows(OciException.class, () -> Manifests.parseVerified(b, null, wrong));
    assertEquals(Reason.DIGEST_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains(wrong.toString()) && e.getMessage().contains(right.toString()), e.getMessage());
    Digest sha512 = Digest.compute(Digest.SHA512, b);
    assertEquals(sha512, Manifests.parseVerified(b, null, sha512).digest());
  }

  @Test
  void createWritesWhatCosignWrites() throws OciException {
    byte[] cosign = bytes("cosign/sig-manifest-2-layers.json");
    ImageManifest read = (ImageManifest) Manifests.parse(cosign, null);
    ImageManifest made = ImageManifest.create(
        MediaTypes.OCI_MANIFEST, read.config(), read.layers(), Map.of(), null, null);
    assertArrayEquals(cosign, made.bytes());
    byte[] referrer = bytes("cosign/bundle-referrer-manifest.json");
    ImageManifest r = (ImageManifest) Manifests.parse(referrer, null);
    ImageManifest again = ImageManifest.create(r.mediaType(), r.config(), r.layers(), r.annotations(), r.subject(),
        r.artifactType());
    assertEquals(r.layers(), again.layers());
    assertEquals(r.subject(), again.subject());
    assertEquals(r.annotations(), again.annotations());
  }

  @Test
  void indexCreateRoundTrips() {
    Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(H), 3, Map.of("a", "b"), "t/x", null);
    ImageIndex idx = ImageIndex.create(List.of(d), Map.of());
    assertEquals(List.of(d), idx.manifests());
    assertNull(idx.subject());
    assertEquals(idx.descriptor().digest(), Digest.sha256(idx.bytes()));
  }

  @Test
  void valuesAreImmutable() throws OciException {
    byte[] b = bytes("cosign/sig-manifest.json");
    Manifest m = Manifests.parse(b, null);
    b[0] = 'x';
    m.bytes()[1] = 'y';
    assertEquals(Digest.sha256(m.bytes()), m.digest());
    assertThrows(UnsupportedOperationException.class, () -> ((ImageManifest) m).layers().clear());
    assertThrows(UnsupportedOperationException.class, () -> ((ImageManifest) m).layers().get(0).annotations().clear());
  }
}
