package dev.sigil.examples;

import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.images.ImageVerifier;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.images.ImageSigner;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Verifies an image's signatures with the library, as the CLI's {@code sigil verify} and the admission webhook do:
 * fetch what is attached to the image ({@link ImageFetcher}), then verify every candidate with a {@link Verifier} built
 * from trusted material (here one public key) and check what each verified payload names ({@link ImageVerifier}).
 *
 * <p>Without arguments it makes its own image in an OCI layout on disk and signs it with a fresh key, so it runs
 * anywhere, offline; given an image reference ({@code registry/repo@sha256:...} or {@code oci-layout:PATH:tag}) and a
 * PEM public key it verifies that image instead.
 *
 * <pre>java -cp ... dev.sigil.examples.VerifyImageExample [IMAGE PUBLIC_KEY.pem]</pre>
 */
public final class VerifyImageExample {
  private VerifyImageExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2) {
      var key = dev.sigil.verifier.trust.TrustedPublicKey.parsePem(Files.readString(Path.of(args[1])));
      boolean ok = verify(ImageReference.parse(args[0]), Verifier.create(PublicKeyMaterial.of(key)), System.out);
      System.exit(ok ? 0 : 1);
    }
    run(Files.createTempDirectory("sigil-example-layout"), System.out);
  }

  /** Makes an image in a layout under {@code dir}, signs it with a fresh key, and verifies it; returns the verdict. */
  public static boolean run(Path dir, PrintStream out) throws Exception {
    // 1. An image in an OCI image layout: a config, one layer, a manifest, a tag.
    LayoutStore layout = LayoutStore.create(dir.resolve("layout"));
    Descriptor config = layout.pushBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
    Descriptor layer =
        layout.pushBlob("hello from an example image\n".getBytes(StandardCharsets.UTF_8),
            "application/vnd.oci.image.layer.v1.tar");
    ImageManifest manifest = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
    layout.pushManifest(manifest, "v1");
    ImageReference ref = ImageReference.parse("oci-layout:" + dir.resolve("layout") + ":v1");
    out.println("image: " + ref + " (" + manifest.digest() + ")");

    // 2. Sign it with a key: cosign's simple-signing payload in the .sig scheme, self-checked before it is stored.
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner signer = new ImageSigner(SigningSession.withKey(key), Clock.systemUTC());
    ImageSigner.Resolved targets = ImageSigner.resolve(layout, ref, "example.com/app", false);
    ImageSigner.Stored stored = signer.sign(layout, targets.targets().get(0), Map.of("build", "42"), ImageSigner.Storage.COSIGN_TAG);
    out.println("signed: " + stored.describe());

    // 3. Verify it as a consumer: only the public key is trusted.
    return verify(ref, Verifier.create(PublicKeyMaterial.of(key.publicKey())), out);
  }

  /** Fetches what is attached to the image and verifies its signatures; prints each one's outcome. */
  public static boolean verify(ImageReference ref, Verifier verifier, PrintStream out) throws Exception {
    ImageEvidence evidence;
    try (ImageFetcher fetcher = new ImageFetcher(new RegistryClient(RegistryOptions.defaults()))) {
      evidence = fetcher.fetch(ref);
    }
    // Key signatures made without a transparency log need the waiver, as with cosign's --insecure-ignore-tlog.
    ImageVerifier.Requirement requirement = ImageVerifier.Requirement.publicKey().withoutTransparencyLogUnsafe();
    List<ImageVerifier.Outcome> outcomes = ImageVerifier.verifySignatures(evidence, verifier, requirement);
    for (ImageVerifier.Outcome o : outcomes) {
      out.println("  " + o.describe());
    }
    boolean ok = outcomes.stream().anyMatch(o -> o instanceof ImageVerifier.Accepted);
    out.println((ok ? "verified: " : "not verified: ") + evidence.image());
    return ok;
  }
}
