package dev.sigil.admission.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Decoding AdmissionReview v1 requests as the API server sends them, and what is refused with which reason. */
class AdmissionReviewsTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  final AdmissionReviews codec = new AdmissionReviews();

  static String review(String kind, String op, List<String> images, List<String> old) {
    dev.sigil.admission.Fixtures.Review r = dev.sigil.admission.Fixtures.review().kind(kind).op(op)
        .images(images.toArray(new String[0]));
    if (old != null) {
      r.old(old.toArray(new String[0]));
    }
    return r.json();
  }

  Review decode(String json) throws MalformedReviewException {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"})
  void everyWorkloadKindYieldsItsImagesWithTheirJsonPointers(String kind) throws Exception {
    String json = dev.sigil.admission.Fixtures.review().kind(kind).images("reg.example/a:1", "reg.example/b@sha256:"
        + "a".repeat(64)).init("reg.example/init:1").ephemeral("reg.example/debug:1").json();
    Review r = decode(json);
    assertEquals(kind, r.kind().kind());
    String base = r.kind().podSpecPath();
    List<String> images = new ArrayList<>();
    for (ContainerImage c : r.images()) {
      images.add(c.role() + " " + c.container() + " " + c.image() + " " + c.path());
      // the pointer really points at the image in the document
      JsonNode doc = JSON.readTree(json).at("/request/object" + c.path());
      assertEquals(c.image(), doc.asString(), c.path());
    }
    assertEquals(List.of(
        "initContainer init reg.example/init:1 " + base + "/initContainers/0/image",
        "container app reg.example/a:1 " + base + "/containers/0/image",
        "container app1 reg.example/b@sha256:" + "a".repeat(64) + " " + base + "/containers/1/image",
        "ephemeralContainer debug reg.example/debug:1 " + base + "/ephemeralContainers/0/image"), images);
    assertEquals("CREATE", r.operation());
    assertEquals("shop", r.namespace());
    assertEquals("system:serviceaccount:ci:deployer", r.user());
    assertEquals(4, r.imagesToVerify().size());
    assertEquals("default", r.serviceAccount());
  }

  @Test
  void updateVerifiesOnlyImagesTheOldObjectDidNotHave() throws Exception {
    Review same = decode(review("Deployment", "UPDATE", List.of("r.example/a:1"), List.of("r.example/a:1")));
    assertTrue(same.imagesToVerify().isEmpty());
    Review added = decode(review("Deployment", "UPDATE", List.of("r.example/a:1", "r.example/b:2"), List.of("r.example/a:1")));
    assertEquals(List.of("r.example/b:2"), added.imagesToVerify().stream().map(ContainerImage::image).toList());
    Review changed = decode(review("Pod", "UPDATE", List.of("r.example/a:2"), List.of("r.example/a:1")));
    assertEquals(1, changed.imagesToVerify().size());
  }

  @Test
  void deleteAndConnectVerifyNothing() throws Exception {
    Review del = decode(review("Pod", "DELETE", List.of("r.example/a:1"), null));
    assertTrue(del.imagesToVerify().isEmpty());
    assertTrue(del.images().isEmpty());
    assertEquals(1, del.oldImages().size());
  }

  @Test
  void dryRunSubResourceAndPullSecretsAreRead() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(
        dev.sigil.admission.Fixtures.review().images("r.example/a:1").dryRun().subResource("ephemeralcontainers").json());
    ObjectNode spec = (ObjectNode) root.at("/request/object/spec");
    spec.putArray("imagePullSecrets").addObject().put("name", "regcred");
    spec.put("serviceAccountName", "builder");
    Review r = decode(JSON.writeValueAsString(root));
    assertTrue(r.dryRun());
    assertEquals(Optional.of("ephemeralcontainers"), r.subResource());
    assertEquals(List.of("regcred"), r.pullSecrets());
    assertEquals("builder", r.serviceAccount());
  }

  @Test
  void templatesWithoutAnImageAreSkippedNotRefused() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(review("Deployment", "CREATE", List.of("r.example/a:1"), null));
    ((ObjectNode) root.at("/request/object/spec/template/spec/containers/0")).remove("image");
    assertTrue(decode(JSON.writeValueAsString(root)).images().isEmpty());
  }

  /** Each malformed request is refused with a reason naming the field. */
  @Test
  void malformedRequestsAreRefusedWithTheReason() throws Exception {
    String good = review("Pod", "CREATE", List.of("r.example/a:1"), null);
    assertRefused("{not json", "not JSON");
    assertRefused("[]", "expected a JSON object");
    assertRefused("", "");
    assertRefused(good.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"), "apiVersion: expected \"admission.k8s.io/v1\"");
    assertRefused(good.replace("\"kind\":\"AdmissionReview\"", "\"kind\":\"Review\""), "kind: expected \"AdmissionReview\"");
    assertRefused(edit(good, r -> ((ObjectNode) r).remove("request")), "request: expected an object");
    assertRefused(edit(good, r -> ((ObjectNode) r.get("request")).remove("uid")), "request.uid");
    assertRefused(edit(good, r -> ((ObjectNode) r.get("request")).put("operation", "PATCH")), "request.operation");
    assertRefused(edit(good, r -> ((ObjectNode) r.at("/request/kind")).put("kind", "ConfigMap")), "request.kind");
    assertRefused(edit(good, r -> ((ObjectNode) r.at("/request/kind")).put("version", "v1beta1")), "request.kind");
    assertRefused(edit(good, r -> ((ObjectNode) r.get("request")).putNull("object")), "request.object: expected the Pod");
    assertRefused(edit(good, r -> ((ObjectNode) r.at("/request/object/spec")).put("containers", "nginx")),
        "request.object: not a valid Pod");
    assertRefused(edit(good, r -> ((ObjectNode) r.get("request")).put("dryRun", "maybe")), "request:");
  }

  void assertRefused(String body, String fragment) {
    MalformedReviewException e = assertThrows(MalformedReviewException.class, () -> decode(body), body);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().length() < 700, e.getMessage());
  }

  static String edit(String json, java.util.function.Consumer<JsonNode> change) {
    JsonNode n = JSON.readTree(json);
    change.accept(n);
    return JSON.writeValueAsString(n);
  }

  @Test
  void responsesEchoTheUidAndCarryStatusWarningsAndPatch() throws Exception {
    JsonNode denied = JSON.readTree(codec.encode("u-1", false, "no signature", List.of(), Optional.empty()));
    assertEquals("admission.k8s.io/v1", denied.get("apiVersion").asString());
    assertEquals("AdmissionReview", denied.get("kind").asString());
    assertEquals("u-1", denied.at("/response/uid").asString());
    assertFalse(denied.at("/response/allowed").asBoolean());
    assertEquals(403, denied.at("/response/status/code").asInt());
    assertEquals("no signature", denied.at("/response/status/message").asString());
    byte[] patch = codec.patch(List.of(new AdmissionReviews.Replace("/spec/containers/0/image", "r.example/a@sha256:ab")));
    JsonNode allowed = JSON.readTree(codec.encode("u-2", true, "", List.of("careful"), Optional.of(patch)));
    assertTrue(allowed.at("/response/allowed").asBoolean());
    assertTrue(allowed.at("/response/status").isMissingNode());
    assertEquals("careful", allowed.at("/response/warnings/0").asString());
    assertEquals("JSONPatch", allowed.at("/response/patchType").asString());
    JsonNode ops = JSON.readTree(Base64.getDecoder().decode(allowed.at("/response/patch").asString()));
    assertEquals("replace", ops.at("/0/op").asString());
    assertEquals("/spec/containers/0/image", ops.at("/0/path").asString());
    assertEquals("r.example/a@sha256:ab", ops.at("/0/value").asString());
  }

  /** The CREATE requests {@code sigil admission review --image} builds decode as the API server's do. */
  @ParameterizedTest
  @ValueSource(strings = {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"})
  void createdRequestsDecodeWithTheirImagesWhereTheObjectHasThem(String kindName) throws Exception {
    WorkloadKind kind = WorkloadKind.of(
        kindName.equals("Pod") ? "" : List.of("Job", "CronJob").contains(kindName) ? "batch" : "apps", kindName).orElseThrow();
    String digest = "r.example:5000/acme/api@sha256:" + "a".repeat(64);
    byte[] json = codec.createRequest(kind, "shop", List.of("r.example:5000/acme/api:v1", digest, "nginx"), "tester");
    JsonNode doc = JSON.readTree(json);
    Review r = codec.decode(json);
    assertEquals(kind, r.kind());
    assertEquals("CREATE", r.operation());
    assertEquals("shop", r.namespace());
    assertEquals("api", r.name());
    assertEquals("tester", r.user());
    assertFalse(r.uid().isBlank());
    assertEquals(doc.at("/request/uid").asString(), r.uid());
    assertEquals(List.of("api", "api-2", "nginx"), r.images().stream().map(ContainerImage::container).toList());
    assertEquals(List.of("r.example:5000/acme/api:v1", digest, "nginx"),
        r.imagesToVerify().stream().map(ContainerImage::image).toList());
    for (ContainerImage c : r.images()) {
      assertEquals(c.image(), doc.at("/request/object" + c.path()).asString(), c.path());
    }
    assertEquals(kindName, doc.at("/request/object/kind").asString());
    assertEquals(kind.group().isEmpty() ? "v1" : kind.group() + "/v1", doc.at("/request/object/apiVersion").asString());
    assertEquals(kind.group(), doc.at("/request/resource/group").asString());
    assertTrue(doc.at("/request/resource/resource").asString().endsWith("s"), doc.toString());
    assertEquals("CreateOptions", doc.at("/request/options/kind").asString(), doc.toString());
    assertTrue(doc.at("/request/oldObject").isMissingNode() || doc.at("/request/oldObject").isNull());
    assertFalse(new String(json, StandardCharsets.UTF_8).contains("additionalProperties"));
  }

  @Test
  void containerNamesAreDnsLabelsAfterTheImage() {
    assertEquals("api", AdmissionReviews.containerName("reg:5000/acme/api:v1"));
    assertEquals("api", AdmissionReviews.containerName("reg:5000/acme/api@sha256:" + "b".repeat(64)));
    assertEquals("nginx", AdmissionReviews.containerName("nginx"));
    assertEquals("my-app-x", AdmissionReviews.containerName("ghcr.io/o/My_App.x:1"));
    assertEquals("app", AdmissionReviews.containerName("reg/___"));
    assertEquals(50, AdmissionReviews.containerName("r/" + "x".repeat(80)).length());
  }
}
