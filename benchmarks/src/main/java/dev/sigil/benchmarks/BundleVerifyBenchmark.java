package dev.sigil.benchmarks;

import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.VerifierOptions;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyless verification of real Sigstore bundles (sigstore-conformance cases), single thread, warm: Sigil against
 * sigstore-java 2.0.0's {@link KeylessVerifier}, on the same bytes.
 *
 * <ul>
 *   <li>{@code happy-path-v0.3}: Rekor v1 hashedrekord with an inclusion proof, SET and checkpoint, public-good trusted
 *       root (Sigil's embedded snapshot; sigstore-java reads the same JSON).
 *   <li>{@code rekor2-happy-path}: Rekor v2 hashedrekord 0.0.2 with an RFC 3161 timestamp, the case's own trusted
 *       root (staging).
 * </ul>
 *
 * <p>Each verifier is built once from its trusted root, and the policy (same certificate identity and issuer) once.
 * Every measured call parses the bundle JSON and verifies it against the artifact's SHA-256 digest (computed once:
 * both libraries accept a digest). The {@code *ParseOnly} methods measure the JSON parse alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(1)
@Fork(1)
public class BundleVerifyBenchmark {
  static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  @Param({"happy-path-v0.3", "rekor2-happy-path"})
  public String input;

  private byte[] bundleJson;
  private byte[] artifactDigest;

  private BundleParser parser;
  private Verifier sigil;
  private Verifier sigilNoLeafCache;
  private Verifier sigilFastStart;
  private Artifact artifact;
  private VerificationPolicy policy;

  private KeylessVerifier sigstoreJava;
  private VerificationOptions options;

  @Setup
  public void setUp() throws Exception {
    bundleJson = resource("/bench/" + input + "/bundle.sigstore.json");
    artifactDigest = MessageDigest.getInstance("SHA-256").digest(resource("/bench/a.txt"));
    boolean publicGood = input.equals("happy-path-v0.3");
    byte[] rootJson =
        resource(publicGood ? "/bench/public-good-trusted_root.json" : "/bench/" + input + "/trusted_root.json");

    parser = new BundleParser();
    TrustedRoot root = publicGood ? PublicGood.trustedRoot() : TrustedRoot.parse(rootJson);
    sigil = Verifier.create(root);
    sigilNoLeafCache = Verifier.create(root, VerifierOptions.builder().verifiedLeafCache(0).build());
    CryptoBackend fast = CryptoBackend.fastStart();
    sigilFastStart =
        Verifier.create(
            publicGood ? PublicGood.trustedRoot(fast) : TrustedRoot.parse(rootJson, fast),
            VerifierOptions.builder().cryptoBackend(fast).build());
    artifact = Artifact.ofDigest(HashAlgorithm.SHA2_256, artifactDigest);
    policy = VerificationPolicy.identity(artifact, IdentityMatcher.exact(IDENTITY, ISSUER));

    sigstoreJava =
        KeylessVerifier.builder()
            .trustedRootProvider(() -> SigstoreTrustedRoot.from(new ByteArrayInputStream(rootJson)))
            .build();
    options =
        VerificationOptions.builder()
            .addCertificateMatchers(
                VerificationOptions.CertificateMatcher.fulcio()
                    .subjectAlternativeName(StringMatcher.string(IDENTITY))
                    .issuer(StringMatcher.string(ISSUER))
                    .build())
            .build();

    VerificationResult r = sigil();
    if (!r.isVerified() || !sigilNoLeafCache().isVerified() || !sigilFastStart().isVerified()) {
      throw new IllegalStateException(input + ": Sigil does not verify the input: " + r.firstFailure());
    }
    sigstoreJava(); // throws if sigstore-java does not verify it
  }

  @Benchmark
  public VerificationResult sigil() throws Exception {
    return sigil.verify(parser.parse(bundleJson), policy);
  }

  /**
   * As {@link #sigil()} with the verified-leaf cache off, so the leaf certificate's signature (P-384 for public-good
   * Fulcio) is checked on every call, as it is the first time a bundle is seen.
   */
  @Benchmark
  public VerificationResult sigilNoLeafCache() throws Exception {
    return sigilNoLeafCache.verify(parser.parse(bundleJson), policy);
  }

  /**
   * As {@link #sigil()} with the fast-start crypto backend (what the CLI uses): no per-key tables, Sigil's own
   * SHA-2 and ECDSA.
   */
  @Benchmark
  public VerificationResult sigilFastStart() throws Exception {
    return sigilFastStart.verify(parser.parse(bundleJson), policy);
  }

  @Benchmark
  public Bundle sigstoreJava() throws Exception {
    Bundle bundle = Bundle.from(new InputStreamReader(new ByteArrayInputStream(bundleJson), StandardCharsets.UTF_8));
    sigstoreJava.verify(artifactDigest, bundle, options);
    return bundle;
  }

  @Benchmark
  public dev.sigil.verifier.bundle.Bundle sigilParseOnly() throws Exception {
    return parser.parse(bundleJson);
  }

  @Benchmark
  public Bundle sigstoreJavaParseOnly() throws Exception {
    return Bundle.from(new InputStreamReader(new ByteArrayInputStream(bundleJson), StandardCharsets.UTF_8));
  }

  private static byte[] resource(String name) {
    try (InputStream in = BundleVerifyBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing benchmark resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
