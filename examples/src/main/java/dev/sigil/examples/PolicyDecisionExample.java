package dev.sigil.examples;

import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.policy.Decision;
import dev.sigil.policy.PolicyEngine;
import dev.sigil.policy.PolicyLoader;
import dev.sigil.policy.PolicySet;
import dev.sigil.verifier.trust.PublicGood;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Asks the policy engine about two images, as {@code sigil policy test} and the admission webhook do: load a policy
 * directory ({@link PolicyLoader}), compile it once ({@link PolicyEngine}), fetch each image's signatures and
 * attestations ({@link ImageFetcher}) and {@link PolicyEngine#decide decide}. The decision says, per policy and
 * authority, what was required and what was found.
 *
 * <p>It makes its own images in an OCI layout and its own key, so it runs anywhere, offline: the signed image is
 * allowed, the unsigned one denied.
 *
 * <pre>java -cp ... dev.sigil.examples.PolicyDecisionExample</pre>
 */
public final class PolicyDecisionExample {
  private PolicyDecisionExample() {}

  public static void main(String[] args) throws Exception {
    List<Decision> decisions = run(Files.createTempDirectory("sigil-example-policy"), System.out);
    System.exit(decisions.get(0).allowed() && !decisions.get(1).allowed() ? 0 : 1);
  }

  /** Signs one of two images in a layout under {@code dir}, then decides both; returns the two decisions. */
  public static List<Decision> run(Path dir, PrintStream out) throws Exception {
    // 1. Two images in an OCI layout; only the first is signed with the release key, which the policy names.
    Path layoutDir = dir.resolve("layout");
    LayoutStore layout = LayoutStore.create(layoutDir);
    String signed = ExampleImages.image(layout, layoutDir, "signed", "a release\n");
    String unsigned = ExampleImages.image(layout, layoutDir, "unsigned", "something nobody signed\n");
    Path policies = ExampleImages.signAndWritePolicies(layout, signed, dir);

    // 2. The policy directory (ExampleImages.RELEASE_POLICY and the key), loaded and compiled once.
    PolicySet set = new PolicyLoader().load(List.of(policies));
    PolicyEngine engine = PolicyEngine.compile(set, PublicGood.trustedRoot());

    // 3. Decide each image from what is attached to it.
    try (ImageFetcher fetcher = new ImageFetcher(new RegistryClient(RegistryOptions.defaults()))) {
      List<Decision> decisions = List.of(
          decide(engine, fetcher, ImageReference.parse(signed)), decide(engine, fetcher, ImageReference.parse(unsigned)));
      for (Decision d : decisions) {
        out.println((d.allowed() ? "allowed: " : "denied: ") + d.explanation());
      }
      return decisions;
    }
  }

  private static Decision decide(PolicyEngine engine, ImageFetcher fetcher, ImageReference ref) throws Exception {
    ImageEvidence evidence = fetcher.fetch(ref);
    return engine.decide(evidence);
  }
}
