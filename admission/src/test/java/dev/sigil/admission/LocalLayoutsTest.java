package dev.sigil.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.WorkloadKind;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.layout.LayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code oci-layout:PATH} images: refused by default (a pod spec must not make the webhook read local files) and by a
 * server, read only by a handler built with {@link AdmissionServer.Builder#localLayouts}, through the same review path.
 */
class LocalLayoutsTest {
  @TempDir static Path dir;
  static Path policies;
  static String layout;
  static String digest;

  @BeforeAll
  static void files() throws Exception {
    Path lay = dir.resolve("lay");
    LayoutStore store = LayoutStore.create(lay);
    Descriptor layer = store.pushBlob("one".getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    Descriptor config = store.pushBlob(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
    digest = store.pushManifest(
        ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null), "v1")
        .digest().toString();
    layout = "oci-layout:" + lay;
    policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("p.yaml"),
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: layouts}\nspec:\n"
            + "  images: [{glob: \"oci-layout:**\"}]\n  authorities:\n  - {name: ok, static: {action: pass}}\n");
  }

  static AdmissionHandler.Answer review(boolean layouts, boolean mutate, String image) throws Exception {
    try (AdmissionHandler h = AdmissionServer.builder().policies(policies).localLayouts(layouts).buildHandler()) {
      byte[] body = new AdmissionReviews().createRequest(WorkloadKind.POD, "shop", List.of(image), "tester");
      return h.review(mutate, body).join();
    }
  }

  @Test
  void layoutsAreDeniedUnlessAskedFor() throws Exception {
    AdmissionHandler.Answer a = review(false, false, layout + "@" + digest);
    assertEquals(200, a.reply().status());
    AdmissionHandler.Verdict v = a.verdict().orElseThrow();
    assertFalse(v.allowed());
    assertTrue(v.message().contains(ImageDecider.LAYOUT_REFUSED), v.message());
    JsonNode json = Fixtures.JSON.readTree(a.reply().body());
    assertFalse(json.at("/response/allowed").asBoolean(), json.toString());
  }

  @Test
  void aServerRefusesToReadLayouts() {
    AdmissionServer.StartException e = assertThrows(AdmissionServer.StartException.class,
        () -> AdmissionServer.builder().policies(policies).tls(dir.resolve("c"), dir.resolve("k")).listen("127.0.0.1", 0)
            .localLayouts(true).start());
    assertEquals(AdmissionServer.StartException.Kind.BAD_INPUT, e.kind());
  }

  @Test
  void aHandlerAskedForLayoutsDecidesThemAndPinsTheirTags() throws Exception {
    AdmissionHandler.Verdict byDigest = review(true, false, layout + "@" + digest).verdict().orElseThrow();
    assertTrue(byDigest.allowed(), byDigest.toString());
    assertEquals(layout + "@" + digest, byDigest.images().get(0).image());
    AdmissionHandler.Answer tagged = review(true, true, layout + ":v1");
    AdmissionHandler.Verdict v = tagged.verdict().orElseThrow();
    assertTrue(v.allowed(), v.toString());
    assertEquals(List.of(new AdmissionReviews.Replace("/spec/containers/0/image", layout + "@" + digest)), v.patch());
    JsonNode json = Fixtures.JSON.readTree(tagged.reply().body());
    assertEquals("JSONPatch", json.at("/response/patchType").asString(), json.toString());
    AdmissionHandler.Verdict missing = review(true, false, layout + ":v2").verdict().orElseThrow();
    assertFalse(missing.allowed());
    assertTrue(missing.images().get(0).detail().contains("no tag \"v2\""), missing.toString());
  }
}
