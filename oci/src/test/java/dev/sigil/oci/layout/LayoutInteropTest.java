package dev.sigil.oci.layout;

import static dev.sigil.oci.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.cosign.Attachment;
import dev.sigil.oci.cosign.CosignAttachments;
import dev.sigil.oci.cosign.CosignTags;
import dev.sigil.oci.cosign.NewLayer;
import dev.sigil.oci.cosign.SimpleSigningPayload;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts made by umoci and skopeo read by Sigil, and Sigil's read by umoci and skopeo, offline and via a registry. */
class LayoutInteropTest {
  @TempDir Path tmp;

  private static Path umoci() {
    String v = System.getenv("UMOCI_BIN");
    Path p = v != null && !v.isBlank() ? Path.of(v) : Path.of("/usr/bin/umoci");
    if (!Files.isExecutable(p)) {
      String msg = "PEER MISSING: umoci ($UMOCI_BIN); run ../shared/tools/peers install";
      if (Peers.required()) {
        org.junit.jupiter.api.Assertions.fail(msg + " [SIGIL_REQUIRE_PEERS=1]");
      }
      System.err.println("\n*** SKIPPING INTEROP TEST: " + msg + " ***\n");
      org.junit.jupiter.api.Assumptions.abort(msg);
    }
    return p;
  }

  private Peers.Result run(String... cmd) throws Exception {
    Peers.Result r = Peers.run(List.of(cmd), Map.of(), tmp, 60);
    assertEquals(0, r.exitCode(), String.join(" ", cmd) + "\n" + r.describe());
    return r;
  }

  @Test
  void umociMakesSigilSignsUmociAndSkopeoRead() throws Exception {
    String umoci = umoci().toString();
    Path lay = tmp.resolve("lay");
    run(umoci, "init", "--layout", lay.toString());
    run(umoci, "new", "--image", lay + ":t");
    LayoutStore store = LayoutStore.open(lay);
    ImageManifest img = (ImageManifest) store.fetchManifestByTag("t").orElseThrow();
    Digest d = img.digest();
    CosignAttachments att = new CosignAttachments(store);
    byte[] payload = SimpleSigningPayload.of("example.com/app", d).toJson();
    att.appendSignature(d, NewLayer.signature(payload, "AAAA"));
    assertEquals(List.of("t", CosignTags.signatureTag(d)), store.listTags());

    String ls = run(umoci, "ls", "--layout", lay.toString()).stdout();
    assertTrue(ls.contains("t") && ls.contains(CosignTags.signatureTag(d)), ls);
    String stat = run(umoci, "stat", "--image", lay + ":" + CosignTags.signatureTag(d), "--json").stdout();
    assertTrue(stat.contains("history"), stat);
    String raw = run(Peers.skopeo().toString(), "inspect", "--raw", "oci:" + lay + ":" + CosignTags.signatureTag(d)).stdout();
    assertArrayEquals(att.readSignatures(d, 1 << 16).manifest().orElseThrow().bytes(), raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    run(umoci, "gc", "--layout", lay.toString());
    Attachment after = att.readSignatures(d, 1 << 16);
    assertEquals(1, after.layers().size());
    assertArrayEquals(payload, after.layers().get(0).payload());
  }

  @Test
  void skopeoCopiesSigilLayoutsToAndFromARegistry() throws Exception {
    Path lay = tmp.resolve("lay");
    LayoutStore store = LayoutStore.create(lay);
    var config = store.pushBlob(utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"),
        MediaTypes.OCI_CONFIG);
    ImageManifest m = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(), Map.of(), null, null);
    store.pushManifest(m, "v1");
    try (TestRegistry reg = TestRegistry.start(tmp.resolve("reg"))) {
      String skopeo = Peers.skopeo().toString();
      run(skopeo, "--insecure-policy", "copy", "-q", "--dest-tls-verify=false", "oci:" + lay + ":v1",
          "docker://" + reg.address() + "/test/fromlayout:v1");
      var remote = new RegistryClient(RegistryOptions.builder().credentials(CredentialSource.anonymous()).build())
          .repository(reg.address(), "test/fromlayout");
      assertEquals(m.digest(), remote.resolveTag("v1").orElseThrow().digest());
      String pushed = reg.pushImage("test/app:v1", "hello");
      Path back = tmp.resolve("back");
      run(skopeo, "--insecure-policy", "copy", "-q", "--src-tls-verify=false",
          "docker://" + reg.address() + "/test/app:v1", "oci:" + back + ":copied");
      LayoutStore copied = LayoutStore.open(back);
      ImageManifest c = (ImageManifest) copied.fetchManifestByTag("copied").orElseThrow();
      assertEquals(pushed, c.digest().toString());
      assertEquals(1, c.layers().size());
      copied.fetchBlob(c.layers().get(0).digest(), 1 << 20);
    }
  }
}
