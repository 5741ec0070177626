package dev.sigil.oci.cosign;

import static dev.sigil.oci.TestFiles.bytes;
import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.Manifests;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.OciException.Reason;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.layout.LayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosignAttachmentsTest {
  @TempDir Path tmp;

  private static final Digest IMAGE = Digest.parse("sha256:" + "ab".repeat(32));

  @Test
  void configMatchesCosignByteForByte() throws OciException {
    ImageManifest m = (ImageManifest) Manifests.parse(bytes("cosign/sig-manifest-2-layers.json"), null);
    byte[] config = CosignAttachments.configFor(m.layers());
    assertArrayEquals(bytes("cosign/config-2-layers.json"), config);
    assertEquals(m.config().digest(), Digest.sha256(config));
  }

  @Test
  void appendsKeepsExistingAndIsIdempotent() throws OciException {
    LayoutStore store = LayoutStore.create(tmp.resolve("lay"));
    CosignAttachments att = new CosignAttachments(store);
    assertFalse(att.readSignatures(IMAGE, 1 << 16).exists());
    byte[] p1 = SimpleSigningPayload.of("r.io/app", IMAGE).toJson();
    var r1 = att.appendSignature(IMAGE, NewLayer.signature(p1, "c2lnMQ=="));
    assertTrue(r1.appended());
    assertEquals(CosignTags.signatureTag(IMAGE), r1.tag());
    var again = att.appendSignature(IMAGE, NewLayer.signature(p1, "c2lnMQ=="));
    assertFalse(again.appended());
    assertEquals(r1.manifest().digest(), again.manifest().digest());
    var r2 = att.appendSignature(IMAGE, NewLayer.signature(p1, "c2lnMg==", "CERT", "CHAIN", "{\"SignedEntryTimestamp\":\"x\"}", null));
    assertTrue(r2.appended());
    Attachment read = att.readSignatures(IMAGE, 1 << 16);
    assertEquals(2, read.layers().size());
    assertEquals("c2lnMQ==", read.layers().get(0).signature().orElseThrow());
    assertEquals("c2lnMg==", read.layers().get(1).signature().orElseThrow());
    assertEquals("CERT", read.layers().get(1).certificate().orElseThrow());
    assertEquals("CHAIN", read.layers().get(1).chain().orElseThrow());
    assertTrue(read.layers().get(1).rekorBundle().isPresent());
    assertArrayEquals(p1, read.layers().get(0).payload());
    ImageManifest m = read.manifest().orElseThrow();
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
    byte[] config = store.fetchBlob(m.config().digest(), 1 << 16);
    assertArrayEquals(CosignAttachments.configFor(m.layers()), config);
  }

  @Test
  void attestationsCarryPredicateType() throws OciException {
    LayoutStore store = LayoutStore.create(tmp.resolve("lay"));
    CosignAttachments att = new CosignAttachments(store);
    att.appendAttestation(IMAGE, NewLayer.attestation(utf8("{\"payloadType\":\"x\"}"), "https://slsa.dev/provenance/v1",
        null, null, null));
    Attachment a = att.readAttestations(IMAGE, 1 << 16);
    assertEquals(CosignTags.attestationTag(IMAGE), a.tag());
    AttachedLayer l = a.layers().get(0);
    assertEquals(MediaTypes.DSSE_ENVELOPE, l.mediaType());
    assertEquals("https://slsa.dev/provenance/v1", l.predicateType().orElseThrow());
    assertEquals("", l.signature().orElseThrow());
    ImageManifest cosign = (ImageManifest) Manifests.parse(bytes("cosign/att-manifest.json"), null);
    assertEquals(cosign.layers().get(0).annotations().keySet(), l.descriptor().annotations().keySet());
  }

  @Test
  void missingOrOversizeLayersAreReportedNotThrown() throws Exception {
    LayoutStore store = LayoutStore.create(tmp.resolve("lay"));
    CosignAttachments att = new CosignAttachments(store);
    byte[] p1 = SimpleSigningPayload.of("r.io/app", IMAGE).toJson();
    byte[] p2 = SimpleSigningPayload.of("r.io/other", IMAGE).toJson();
    att.appendSignature(IMAGE, NewLayer.signature(p1, "AA=="));
    att.appendSignature(IMAGE, NewLayer.signature(p2, "AB=="));
    Digest gone = Digest.sha256(p2);
    Files.delete(tmp.resolve("lay/blobs/sha256/" + gone.hex()));
    Attachment a = att.readSignatures(IMAGE, 1 << 16);
    assertEquals(1, a.layers().size());
    assertEquals(1, a.unreadable().size());
    assertEquals(Reason.NOT_FOUND, a.unreadable().get(0).reason().reason());
    assertEquals(gone, a.unreadable().get(0).descriptor().digest());
    Attachment small = att.readSignatures(IMAGE, 10);
    assertEquals(0, small.layers().size());
    assertEquals(Reason.TOO_LARGE, small.unreadable().get(0).reason().reason());
  }

  @Test
  void aTagHoldingAnIndexIsRefused() throws OciException {
    LayoutStore store = LayoutStore.create(tmp.resolve("lay"));
    store.pushManifest(ImageIndex.create(List.of(), Map.of()), CosignTags.signatureTag(IMAGE));
    CosignAttachments att = new CosignAttachments(store);
    OciException e = assertThrows(OciException.class, () -> att.readSignatures(IMAGE, 100));
    assertEquals(Reason.INVALID_CONTENT, e.reason());
    assertTrue(e.getMessage().contains("not an image manifest"), e.getMessage());
    assertThrows(OciException.class, () -> att.appendSignature(IMAGE, NewLayer.signature(new byte[] {1}, "AA==")));
  }

  @Test
  void bundleReferrersAndTree() throws OciException {
    LayoutStore store = LayoutStore.create(tmp.resolve("lay"));
    Descriptor config = store.pushBlob(utf8("{}"), MediaTypes.OCI_CONFIG);
    ImageManifest image = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(), Map.of(), null, null);
    Descriptor subject = store.pushManifest(image, "v1");
    BundleReferrers bundles = new BundleReferrers(store);
    Instant t = Instant.parse("2026-12-07T01:02:03.456Z");
    Descriptor ref = bundles.attach(subject, utf8("{\"mediaType\":\"b\"}"), BundleReferrers.CONTENT_DSSE,
        "https://slsa.dev/provenance/v1", t);
    ImageManifest rm = (ImageManifest) store.fetchManifest(ref.digest());
    assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, rm.artifactType());
    assertEquals(MediaTypes.OCI_EMPTY, rm.config().mediaType());
    assertEquals(2, rm.config().size());
    assertEquals("2026-12-07T01:02:03Z", rm.annotations().get("org.opencontainers.image.created"));
    assertEquals("dsse-envelope", rm.annotations().get(CosignAnnotations.BUNDLE_CONTENT));
    BundleReferrers.Found found = bundles.find(subject.digest(), 1 << 20);
    assertEquals(1, found.bundles().size());
    assertEquals("https://slsa.dev/provenance/v1", found.bundles().get(0).predicateType());
    assertArrayEquals(utf8("{\"mediaType\":\"b\"}"), found.bundles().get(0).bundle());
    assertEquals(Referrers.Source.LAYOUT_SCAN, found.source());

    new CosignAttachments(store).appendSignature(subject.digest(),
        NewLayer.signature(SimpleSigningPayload.of("x", subject.digest()).toJson(), "AA=="));
    AttachmentTree.Tree tree = AttachmentTree.of(store, subject.digest());
    assertEquals(List.of(AttachmentTree.Scheme.SIGNATURE_TAG, AttachmentTree.Scheme.REFERRER),
        tree.entries().stream().map(AttachmentTree.Entry::scheme).toList());
    assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, tree.entries().get(1).artifactType());
    assertEquals(MediaTypes.OCI_CONFIG, tree.entries().get(0).artifactType());
  }
}
