package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.WorkloadKind;
import dev.sigil.oci.layout.LayoutStore;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sigil admission review}: reviews answered offline by the webhook's handler, on OCI layouts signed by
 * {@code sigil sign} with a key; exit 0 allowed, 1 denied, 2 for every kind of bad input, each with one error line.
 */
class AdmissionReviewCommandTest {
  static final String PW = "review-pass";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  static Path policies;
  static Path wrongKeyPolicies;
  static String layout;
  static String signed;
  static String unsigned;
  static String signedDigest;

  @BeforeAll
  static void setUp() throws Exception {
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", dir.resolve("k").toString()).expect(0);
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", dir.resolve("other").toString()).expect(0);
    Path lay = dir.resolve("lay");
    LayoutStore store = LayoutStore.create(lay);
    layout = "oci-layout:" + lay;
    signedDigest = TestLayouts.push(store, "signed", "v1");
    signed = layout + "@" + signedDigest;
    unsigned = layout + "@" + TestLayouts.push(store, "unsigned", "v2");
    new Cli().password(PW).run("sign", "--key", dir.resolve("k.key").toString(), signed).expect(0);
    policies = policies("policies", dir.resolve("k.pub"));
    wrongKeyPolicies = policies("wrong", dir.resolve("other.pub"));
  }

  static Path policies(String name, Path key) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("layouts.yaml"),
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: release}\nspec:\n"
            + "  images: [{glob: \"oci-layout:**\"}]\n"
            + "  authorities:\n  - name: release-key\n    key: {file: " + key + "}\n    insecureIgnoreTlog: true\n");
    return d;
  }

  static Cli.Run review(int exit, String... args) {
    return review(new Cli(), exit, args);
  }

  static Cli.Run review(Cli cli, int exit, String... args) {
    List<String> a = new ArrayList<>(List.of("admission", "review"));
    a.addAll(List.of(args));
    return cli.run(a.toArray(new String[0])).expect(exit);
  }

  static Path file(String name, byte[] content) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  static byte[] request(WorkloadKind kind, String namespace, String... images) {
    return new AdmissionReviews().createRequest(kind, namespace, List.of(images), "alice");
  }

  @Test
  void aSignedImageIsAllowedWithExit0() {
    Cli.Run r = review(0, "--policies", policies.toString(), "--image", signed);
    assertTrue(r.out().startsWith("Allowed: Pod default/lay\n"), r.out());
    assertTrue(r.out().contains("  allowed " + signed + " (container \"lay\")"), r.out());
    assertTrue(r.out().contains("release"), r.out());
  }

  @Test
  void anUnsignedImageOrTheWrongKeyIsDeniedWithExit1NamingImageAndReason() {
    Cli.Run r = review(1, "--policies", policies.toString(), "--image", signed, "--image", unsigned);
    assertTrue(r.out().startsWith("Denied: Pod default/lay\n"), r.out());
    assertTrue(r.out().contains("  allowed " + signed + " (container \"lay\")"), r.out());
    assertTrue(r.out().contains("  denied  " + unsigned + " (container \"lay-2\")"), r.out());
    String reason = r.out().substring(r.out().indexOf("denied  " + unsigned));
    assertTrue(reason.contains("release-key"), reason);
    Cli.Run wrong = review(1, "--policies", wrongKeyPolicies.toString(), "--image", signed);
    assertTrue(wrong.out().contains("  denied  " + signed), wrong.out());
    assertTrue(wrong.out().contains("release-key"), wrong.out());
  }

  @Test
  void mutatePinsATagToTheDigestItWasVerifiedAt() throws Exception {
    Cli.Run r = review(0, "--policies", policies.toString(), "--mutate", "--image", layout + ":v1", "--kind",
        "deployment", "--namespace", "shop");
    assertTrue(r.out().startsWith("Allowed: Deployment shop/lay\n"), r.out());
    assertTrue(r.out().contains("Patch: replace /spec/template/spec/containers/0/image with " + signed), r.out());
    Cli.Run json = review(0, "--policies", policies.toString(), "--mutate", "--image", layout + ":v1", "--output",
        "json");
    AdmissionReview answer = JSON.readValue(json.out(), AdmissionReview.class);
    assertEquals("JSONPatch", answer.getResponse().getPatchType());
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(answer.getResponse().getPatch()));
    assertEquals("replace", patch.at("/0/op").asString(), patch.toString());
    assertEquals("/spec/containers/0/image", patch.at("/0/path").asString(), patch.toString());
    assertEquals(signed, patch.at("/0/value").asString(), patch.toString());
    // validate never patches; a denial never patches
    Cli.Run validate = review(0, "--policies", policies.toString(), "--image", layout + ":v1");
    assertFalse(validate.out().contains("Patch:"), validate.out());
    Cli.Run denied = review(1, "--policies", policies.toString(), "--mutate", "--image", layout + ":v2", "--output",
        "json");
    assertEquals(null, JSON.readValue(denied.out(), AdmissionReview.class).getResponse().getPatch(), denied.out());
  }

  @Test
  void jsonOutputIsTheWebhooksAnswerAndRoundTripsThroughFabric8() throws Exception {
    byte[] body = request(WorkloadKind.CRON_JOB, "shop", signed, unsigned);
    String uid = JSON.readTree(body).at("/request/uid").asString();
    Path f = file("cron.json", body);
    Cli.Run r = review(1, "--policies", policies.toString(), f.toString(), "--output", "json");
    AdmissionReview answer = JSON.readValue(r.out(), AdmissionReview.class);
    assertEquals("admission.k8s.io/v1", answer.getApiVersion());
    assertEquals("AdmissionReview", answer.getKind());
    assertEquals(uid, answer.getResponse().getUid());
    assertFalse(answer.getResponse().getAllowed());
    String message = answer.getResponse().getStatus().getMessage();
    assertTrue(message.contains("CronJob shop/lay") && message.contains(unsigned), message);
    assertFalse(message.contains(signed + " "), message);
    assertEquals(r.out().strip(), JSON.writeValueAsString(JSON.readTree(r.out())), "printed as the webhook sends it");
    Cli.Run ok = review(0, "--policies", policies.toString(), file("pod.json", request(WorkloadKind.POD, "shop", signed))
        .toString(), "--output", "json");
    assertTrue(JSON.readValue(ok.out(), AdmissionReview.class).getResponse().getAllowed(), ok.out());
  }

  @Test
  void aReviewIsReadFromStandardInput() {
    Cli.Run r = review(new Cli().stdin(request(WorkloadKind.STATEFUL_SET, "shop", unsigned)), 1, "--policies",
        policies.toString(), "-");
    assertTrue(r.out().startsWith("Denied: StatefulSet shop/lay\n"), r.out());
    assertTrue(r.out().contains("denied  " + unsigned), r.out());
    Cli.Run empty = review(new Cli(), 2, "--policies", policies.toString(), "-");
    assertTrue(empty.errorLine().contains("standard input: malformed AdmissionReview"), empty.err());
  }

  @Test
  void exemptNamespacesAreAllowedUnverifiedAsTheServerAllowsThem() {
    Cli.Run r = review(0, "--policies", policies.toString(), "--image", unsigned, "--namespace", "kube-system");
    assertTrue(r.out().startsWith("Allowed: Pod kube-system/lay (not verified: namespace kube-system is exempt)"),
        r.out());
    review(1, "--policies", policies.toString(), "--image", unsigned, "--namespace", "kube-system",
        "--exempt-namespace", "");
    review(0, "--policies", policies.toString(), "--image", unsigned, "--namespace", "sandbox",
        "--exempt-namespace", "sandbox,kube-system");
  }

  @Test
  void aTagMissingFromTheLayoutIsDeniedInOneLineWithoutALoggedStackTrace() {
    List<LogRecord> logged = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      Cli.Run r = review(1, "--policies", policies.toString(), "--image", layout + ":nope");
      assertTrue(r.out().contains("no tag \"nope\""), r.out());
    } finally {
      root.removeHandler(capture);
    }
    assertEquals(List.of(), logged.stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void malformedJsonExits2() throws Exception {
    Path bad = file("bad.json", "{\"apiVersion\": \"admission.k8s.io/v1\", ".getBytes(StandardCharsets.UTF_8));
    String e = review(2, "--policies", policies.toString(), bad.toString()).errorLine();
    assertTrue(e.contains("review " + bad + ": malformed AdmissionReview: not JSON"), e);
    Cli.Run json = review(2, "--policies", policies.toString(), bad.toString(), "--output", "json");
    assertFalse(JSON.readTree(json.out()).path("ok").asBoolean(true), json.out());
  }

  @Test
  void jsonThatIsNotAnAdmissionReviewExits2() throws Exception {
    Path pod = file("pod-only.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{}}".getBytes(StandardCharsets.UTF_8));
    String e = review(2, "--policies", policies.toString(), pod.toString()).errorLine();
    assertTrue(e.contains("malformed AdmissionReview") && e.contains("apiVersion"), e);
    Path array = file("array.json", "[1, 2]".getBytes(StandardCharsets.UTF_8));
    String a = review(2, "--policies", policies.toString(), array.toString()).errorLine();
    assertTrue(a.contains("expected a JSON object"), a);
    Path noRequest = file("no-request.json",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8));
    String n = review(2, "--policies", policies.toString(), noRequest.toString()).errorLine();
    assertTrue(n.contains("request: expected an object"), n);
  }

  @Test
  void aReviewOverTheSizeLimitExits2() throws Exception {
    byte[] big = new byte[4096];
    java.util.Arrays.fill(big, (byte) ' ');
    Path f = file("big.json", big);
    String e = review(2, "--policies", policies.toString(), "--max-request-bytes", "1024", f.toString()).errorLine();
    assertTrue(e.contains("at most 1024 bytes"), e);
  }

  @Test
  void usageErrorsExit2WithOneLine() throws Exception {
    assertTrue(review(2, "--policies", policies.toString()).errorLine().contains("found neither"));
    assertTrue(review(2, "--policies", policies.toString(), "--image", signed, "x.json").errorLine()
        .contains("found both"));
    assertTrue(review(2, "--image", signed).errorLine().contains("--policies"));
    assertTrue(review(2, "--policies", dir.resolve("nope").toString(), "--image", signed).errorLine()
        .contains("expected a directory of policy files"));
    assertTrue(review(2, "--policies", policies.toString(), "--image", signed, "--kind", "Service").errorLine()
        .contains("--kind: expected Pod, Deployment"));
    assertTrue(review(2, "--policies", policies.toString(), "--image", signed, "--namespace", "Not_A_Label")
        .errorLine().contains("--namespace"));
    Path f = file("ok.json", request(WorkloadKind.POD, "shop", signed));
    assertTrue(review(2, "--policies", policies.toString(), f.toString(), "--namespace", "x").errorLine()
        .contains("--namespace and --kind"));
    assertTrue(review(2, "--policies", policies.toString(), dir.resolve("missing.json").toString()).errorLine()
        .contains("expected an existing file"));
    assertTrue(review(2, "--policies", policies.toString(), "--image", signed, "--deadline", "soon").errorLine()
        .contains("--deadline"));
    Path invalid = Files.createDirectories(dir.resolve("invalid"));
    Files.writeString(invalid.resolve("p.yaml"), "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nspec: {}\n");
    assertTrue(review(2, "--policies", invalid.toString(), "--image", signed).errorLine().contains("p.yaml"));
  }
}
