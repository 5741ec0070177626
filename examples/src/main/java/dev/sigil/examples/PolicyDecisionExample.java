package dev.sigil.examples;

import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.policy.Decision;
import dev.sigil.policy.PolicyEngine;
import dev.sigil.policy.PolicyLoader;
import dev.sigil.policy.PolicySet;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.images.ImageSigner;
import dev.sigil.signer.keys.PemKeys;
import dev.sigil.verifier.trust.PublicGood;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

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

  static final String POLICY =
      """
      apiVersion: policy.sigil.dev/v1alpha1
      kind: ImagePolicy
      metadata: {name: example-release}
      spec:
        images: [{glob: "**"}]
        authorities:
        - name: release-key
          key: {file: release.pub}
          insecureIgnoreTlog: true
      """;

  public static void main(String[] args) throws Exception {
    List<Decision> decisions = run(Files.createTempDirectory("sigil-example-policy"), System.out);
    System.exit(decisions.get(0).allowed() && !decisions.get(1).allowed() ? 0 : 1);
  }

  /** Signs one of two images in a layout under {@code dir}, then decides both; returns the two decisions. */
  public static List<Decision> run(Path dir, PrintStream out) throws Exception {
    // 1. Two images in an OCI layout; only the first is signed with the release key.
    LayoutStore layout = LayoutStore.create(dir.resolve("layout"));
    ImageReference signed = image(layout, dir, "signed", "a release\n");
    ImageReference unsigned = image(layout, dir, "unsigned", "something nobody signed\n");
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner signer = new ImageSigner(SigningSession.withKey(key), Clock.systemUTC());
    ImageSigner.Resolved targets = ImageSigner.resolve(layout, signed, "registry.example.com/acme/app", false);
    signer.sign(layout, targets.targets().get(0), Map.of(), ImageSigner.Storage.COSIGN_TAG);

    // 2. The policy directory: one ImagePolicy and the key it names, loaded and compiled once.
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("release.pub"), PemKeys.publicKeyPem(key.publicKey()));
    Files.writeString(policies.resolve("release.yaml"), POLICY);
    PolicySet set = new PolicyLoader().load(List.of(policies));
    PolicyEngine engine = PolicyEngine.compile(set, PublicGood.trustedRoot());

    // 3. Decide each image from what is attached to it.
    try (ImageFetcher fetcher = new ImageFetcher(new RegistryClient(RegistryOptions.defaults()))) {
      List<Decision> decisions = List.of(decide(engine, fetcher, signed), decide(engine, fetcher, unsigned));
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

  private static ImageReference image(LayoutStore layout, Path dir, String tag, String content) throws Exception {
    Descriptor config = layout.pushBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
    Descriptor layer =
        layout.pushBlob(content.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    ImageManifest manifest = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
    layout.pushManifest(manifest, tag);
    return ImageReference.parse("oci-layout:" + dir.resolve("layout") + ":" + tag);
  }
}
