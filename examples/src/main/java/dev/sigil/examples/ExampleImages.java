package dev.sigil.examples;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.images.ImageSigner;
import dev.sigil.signer.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** What the policy and admission examples set up alike: images in an OCI layout, a release key, a policy directory. */
final class ExampleImages {
  private ExampleImages() {}

  /** One ImagePolicy: every image must be signed with the key in {@code release.pub} (no transparency log). */
  static final String RELEASE_POLICY =
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

  /** A one-layer image in the layout at {@code layoutDir}, tagged {@code tag}: {@code oci-layout:PATH:tag}. */
  static String image(LayoutStore layout, Path layoutDir, String tag, String content) throws Exception {
    Descriptor config = layout.pushBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
    Descriptor layer =
        layout.pushBlob(content.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    ImageManifest manifest = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
    layout.pushManifest(manifest, tag);
    return "oci-layout:" + layoutDir + ":" + tag;
  }

  /**
   * Signs {@code image} with a fresh release key (cosign's simple-signing payload in the .sig scheme) and writes the
   * policy directory {@code dir/policies}: {@link #RELEASE_POLICY} and the key's public half.
   *
   * @return the policy directory
   */
  static Path signAndWritePolicies(LayoutStore layout, String image, Path dir) throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner signer = new ImageSigner(SigningSession.withKey(key), Clock.systemUTC());
    ImageSigner.Resolved targets = ImageSigner.resolve(layout, ImageReference.parse(image), "example.com/app", false);
    signer.sign(layout, targets.targets().get(0), Map.of(), ImageSigner.Storage.COSIGN_TAG);
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("release.pub"), PemKeys.publicKeyPem(key.publicKey()));
    Files.writeString(policies.resolve("release.yaml"), RELEASE_POLICY);
    return policies;
  }
}
