package dev.sigil.benchmarks;

import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.images.ImageVerifier;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.images.ImageSigner;
import dev.sigil.testkit.TestRegistry;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Verifying a key-signed image on a loopback registry, warm, in-process: resolve the digest's attachments (the
 * {@code .sig} and {@code .att} tags and the referrers fallback tag, in parallel, over HTTP to a real CNCF distribution
 * registry from {@code ../shared/tools/registry}) and verify the signature. Target: at most 5 ms. Run from the project
 * root (the registry script is found by walking up from the working directory).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImageVerifyBenchmark {
  private TestRegistry registry;
  private ImageFetcher fetcher;
  private ImageReference image;
  private Verifier verifier;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    registry = TestRegistry.start(Files.createTempDirectory("sigil-bench-registry"));
    String digest = registry.pushImage("bench/app:v1", "benchmark image");
    image = ImageReference.parse(registry.address() + "/bench/app@" + digest);
    RegistryClient client = new RegistryClient(RegistryOptions.defaults());
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    var store = client.repository((RegistryReference) image);
    ImageSigner.Resolved targets = ImageSigner.resolve(store, image, registry.address() + "/bench/app", false);
    new ImageSigner(SigningSession.withKey(key), Clock.systemUTC())
        .sign(store, targets.targets().get(0), Map.of(), ImageSigner.Storage.COSIGN_TAG);
    verifier = Verifier.create(PublicKeyMaterial.of(key.publicKey()));
    fetcher = new ImageFetcher(client);
    if (verify().isEmpty()) {
      throw new IllegalStateException("the benchmark image does not verify");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    fetcher.close();
    registry.close();
  }

  @Benchmark
  public List<ImageVerifier.Accepted> verify() throws OciException {
    ImageEvidence evidence = fetcher.fetch(image);
    return ImageVerifier.verify(
            evidence, verifier, ImageVerifier.Requirement.publicKey().withoutTransparencyLogUnsafe())
        .acceptedSignatures();
  }
}
