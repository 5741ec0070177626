package dev.sigil.oci.layout;

import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.Manifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.stores.ImageStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutStoreTest {
  @TempDir Path tmp;

  private static ImageManifest image(LayoutStore s, String text) throws OciException {
    Descriptor config = s.pushBlob(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"x\":\"" + text + "\"}"),
        MediaTypes.OCI_CONFIG);
    Descriptor layer = s.pushBlob(utf8(text), "application/vnd.oci.image.layer.v1.tar");
    return ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
  }

  @Test
  void tagsMoveAndEverythingReadsBack() throws Exception {
    LayoutStore s = LayoutStore.create(tmp.resolve("lay"));
    ImageManifest a = image(s, "a");
    ImageManifest b = image(s, "b");
    s.pushManifest(a, "v1");
    s.pushManifest(b, "v2");
    assertEquals(List.of("v1", "v2"), s.listTags());
    assertEquals(a.digest(), s.resolveTag("v1").orElseThrow().digest());
    s.pushManifest(b, "v1");
    assertEquals(b.digest(), s.resolveTag("v1").orElseThrow().digest());
    assertEquals(List.of("v2", "v1"), s.listTags());
    Manifest m = s.fetchManifest(b.digest());
    assertArrayEquals(b.bytes(), m.bytes());
    assertArrayEquals(utf8("b"), s.fetchBlob(b.layers().get(0).digest(), 10));
    assertTrue(s.fetchManifestByTag("nope").isEmpty());
    try (Stream<Path> files = Files.walk(tmp.resolve("lay"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temporary files left");
    }
    ImageReference ref = ImageReference.parse("oci-layout:" + tmp.resolve("lay") + ":v2");
    assertEquals(b.digest(), ImageStores.open(ref, null).fetchManifest(ref).orElseThrow().digest());
  }

  @Test
  void untaggedPushesStayListedAndOnlyManifestResolution() throws Exception {
    LayoutStore s = LayoutStore.create(tmp.resolve("lay"));
    ImageManifest a = image(s, "a");
    s.pushManifest(a, null);
    s.pushManifest(a, null);
    assertEquals(1, s.index().manifests().size());
    ImageReference bare = ImageReference.parse("oci-layout:" + tmp.resolve("lay"));
    assertEquals(a.digest(), s.fetchManifest(bare).orElseThrow().digest());
    s.pushManifest(image(s, "b"), "t");
    OciException e = assertThrows(OciException.class, () -> s.fetchManifest(bare));
    assertTrue(e.getMessage().contains("lists 2 manifests"), e.getMessage());
  }

  @Test
  void referrersAreFoundByScanning() throws Exception {
    LayoutStore s = LayoutStore.create(tmp.resolve("lay"));
    ImageManifest img = image(s, "a");
    Descriptor subject = s.pushManifest(img, "v1");
    Descriptor empty = s.pushBlob(utf8("{}"), MediaTypes.OCI_EMPTY);
    Descriptor layer = s.pushBlob(utf8("{\"b\":1}"), MediaTypes.SIGSTORE_BUNDLE_V03);
    ImageManifest ref = ImageManifest.create(MediaTypes.OCI_MANIFEST, empty, List.of(layer), Map.of("k", "v"),
        subject, MediaTypes.SIGSTORE_BUNDLE_V03);
    s.pushManifest(ref, null);
    Referrers r = s.referrers(img.digest(), null);
    assertEquals(Referrers.Source.LAYOUT_SCAN, r.source());
    assertEquals(List.of(ref.digest()), r.manifests().stream().map(Descriptor::digest).toList());
    assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, r.manifests().get(0).artifactType());
    assertEquals(Map.of("k", "v"), r.manifests().get(0).annotations());
    assertEquals(0, s.referrers(img.digest(), "other/type").manifests().size());
    assertEquals(0, s.referrers(ref.digest(), null).manifests().size());
  }

  @Test
  void keepsUnknownIndexFieldsAndEntries() throws Exception {
    Path dir = tmp.resolve("lay");
    LayoutStore s = LayoutStore.create(dir);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"keep\":\"me\"},"
        + "\"x-extra\":{\"n\":1}}");
    s.pushManifest(image(s, "a"), "v1");
    String idx = Files.readString(dir.resolve("index.json"));
    assertTrue(idx.contains("\"x-extra\":{\"n\":1}") && idx.contains("\"keep\":\"me\""), idx);
    assertEquals("me", s.index().annotations().get("keep"));
  }

  @Test
  void negativePaths() throws Exception {
    Path dir = tmp.resolve("lay");
    LayoutStore s = LayoutStore.create(dir);
    ImageManifest a = image(s, "a");
    OciException missingBlob = assertThrows(OciException.class,
        () -> s.pushManifest(ImageManifest.create(MediaTypes.OCI_MANIFEST, a.config(),
            List.of(Descriptor.of("x", utf8("absent"))), Map.of(), null, null), "bad"));
    assertEquals(Reason.NOT_FOUND, missingBlob.reason());
    s.pushManifest(a, "v1");
    Files.writeString(dir.resolve("blobs/sha256/" + a.digest().hex()), "{\"schemaVersion\":2,\"manifests\":[]}");
    OciException mismatch = assertThrows(OciException.class, () -> s.fetchManifest(a.digest()));
    assertEquals(Reason.DIGEST_MISMATCH, mismatch.reason());
    OciException tooBig = assertThrows(OciException.class, () -> s.fetchBlob(a.layers().get(0).digest(), 0));
    assertEquals(Reason.TOO_LARGE, tooBig.reason());
    OciException absent = assertThrows(OciException.class, () -> s.fetchBlob(Digest.sha256(utf8("nope")), 10));
    assertEquals(Reason.NOT_FOUND, absent.reason());
    LayoutStore notLayout = LayoutStore.open(tmp.resolve("empty"));
    OciException e = assertThrows(OciException.class, () -> notLayout.listTags());
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("not an OCI image layout"), e.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertEquals(Reason.UNSUPPORTED, assertThrows(OciException.class, () -> s.listTags()).reason());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"digest\":\"" + a.digest() + "\",\"size\":1,\"annotations\":{\"org.opencontainers.image.ref.name\":\"d\"}},"
        + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + a.digest() + "\",\"size\":1,"
        + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"d\"}}]}");
    assertEquals(Reason.INVALID_CONTENT, assertThrows(OciException.class, () -> s.resolveTag("d")).reason());
  }

  @Test
  void concurrentTagWritesLoseNothing() throws Exception {
    LayoutStore s = LayoutStore.create(tmp.resolve("lay"));
    ImageManifest a = image(s, "a");
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<Descriptor>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String tag = "t" + i;
        fs.add(ex.submit(() -> LayoutStore.open(tmp.resolve("lay")).pushManifest(a, tag)));
      }
      for (Future<Descriptor> f : fs) {
        f.get();
      }
    } finally {
      ex.shutdown();
    }
    assertEquals(20, s.listTags().size());
    assertFalse(s.listTags().contains("missing"));
  }
}
