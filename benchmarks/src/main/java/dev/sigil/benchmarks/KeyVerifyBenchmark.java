package dev.sigil.benchmarks;

import dev.sigil.signer.BlobSigner;
import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key-based verification of a Sigstore bundle (ECDSA P-256, message signature, no log entry), single thread, warm.
 * {@code verify}: a parsed bundle against an artifact digest, the policy (and its key) built once.
 * {@code parseAndVerify}: the same, including parsing the bundle JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyVerifyBenchmark {
  private Verifier verifier;
  private VerificationPolicy policy;
  private Bundle bundle;
  private byte[] bundleJson;
  private Artifact artifact;
  private BundleParser parser;

  @Setup
  public void setUp() throws Exception {
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    byte[] content = new byte[1024];
    new SecureRandom().nextBytes(content);
    verifier = Verifier.create(PublicKeyMaterial.of(key.publicKey()));
    BlobSigner.Signed signed = new BlobSigner().signWithKey(key, new ByteArrayInputStream(content));
    bundle = signed.bundle();
    bundleJson = new BundleWriter().write(bundle);
    artifact = signed.artifact();
    policy = VerificationPolicy.builder().artifact(artifact).publicKey().withoutTransparencyLogUnsafe().build();
    parser = new BundleParser();
    if (!verify().isVerified()) {
      throw new IllegalStateException("benchmark input does not verify");
    }
  }

  @Benchmark
  public VerificationResult verify() {
    return verifier.verify(bundle, policy);
  }

  @Benchmark
  public VerificationResult parseAndVerify() throws Exception {
    return verifier.verify(parser.parse(bundleJson), policy);
  }
}
