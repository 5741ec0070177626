package dev.sigil.examples;

import dev.sigil.admission.AdmissionHandler;
import dev.sigil.admission.AdmissionServer;
import dev.sigil.admission.TrustRootSource;
import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.WorkloadKind;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Answers AdmissionReviews the way the webhook does, without a cluster, TLS or a registry: build the webhook's
 * {@link AdmissionHandler} (the same one {@code sigil admission serve} puts behind Jetty), hand it an AdmissionReview
 * v1 body as the API server would send it, and read back both the HTTP answer and the {@link AdmissionHandler.Verdict}
 * per image. {@code sigil admission review} is this, on the command line.
 *
 * <p>Images in local OCI layouts are read only because this handler is built with {@code localLayouts(true)}; a
 * served webhook refuses that setting, so a pod spec can never make it read files on its node.
 *
 * <pre>java -cp ... dev.sigil.examples.AdmissionReviewExample</pre>
 */
public final class AdmissionReviewExample {
  private AdmissionReviewExample() {}

  public static void main(String[] args) throws Exception {
    List<AdmissionHandler.Verdict> v = run(Files.createTempDirectory("sigil-example-admission"), System.out);
    System.exit(v.get(0).allowed() && !v.get(1).allowed() ? 0 : 1);
  }

  /** A Deployment with a signed image, then one with an unsigned image; returns the two verdicts. */
  public static List<AdmissionHandler.Verdict> run(Path dir, PrintStream out) throws Exception {
    // 1. Two images in an OCI layout, the first signed with the release key; the policy directory names the key.
    Path layoutDir = dir.resolve("layout");
    LayoutStore layout = LayoutStore.create(layoutDir);
    String signed = ExampleImages.image(layout, layoutDir, "signed", "a release\n");
    String unsigned = ExampleImages.image(layout, layoutDir, "unsigned", "something nobody signed\n");
    Path policies = ExampleImages.signAndWritePolicies(layout, signed, dir);

    // 2. The webhook's handler: policies, trust (the embedded public-good root; keys here), registry options.
    AdmissionServer.Builder builder =
        AdmissionServer.builder()
            .policies(policies)
            .trust(TrustRootSource.embedded())
            .registry(RegistryOptions.defaults())
            .localLayouts(true);
    AdmissionReviews reviews = new AdmissionReviews();
    try (AdmissionHandler handler = builder.buildHandler()) {
      List<AdmissionHandler.Verdict> verdicts = List.of(
          review(handler, reviews, signed, out), review(handler, reviews, unsigned, out));
      return verdicts;
    }
  }

  private static AdmissionHandler.Verdict review(
      AdmissionHandler handler, AdmissionReviews reviews, String image, PrintStream out) {
    // 3. A CREATE of a Deployment in namespace "shop", as kube-apiserver would send it; /mutate pins tags to digests.
    byte[] body = reviews.createRequest(WorkloadKind.DEPLOYMENT, "shop", List.of(image), "ci-deployer");
    AdmissionHandler.Answer answer = handler.review(true, body).join();
    AdmissionHandler.Verdict v = answer.verdict().orElseThrow();
    out.println((v.allowed() ? "allowed " : "denied ") + v.object() + " (HTTP " + answer.reply().status() + ")");
    for (AdmissionHandler.ImageVerdict i : v.images()) {
      out.println("  " + (i.allowed() ? "allowed " : "denied  ") + i.image() + ": " + i.detail());
    }
    for (AdmissionReviews.Replace r : v.patch()) {
      out.println("  patch: " + r.path() + " = " + r.value());
    }
    return v;
  }
}
