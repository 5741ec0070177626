package dev.sigil.examples;

import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Digests;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.provenance.ProvenanceBuilder;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.signer.SignedStatement;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Makes SLSA provenance for a file, signs it as a DSSE attestation into a Sigstore bundle, and verifies the bundle as a
 * consumer would: with the public key only, for the file's digest. Key-based and offline (no transparency log), so it
 * runs anywhere; a keyless signer is {@link SigningSession#startKeyless} instead of {@link SigningSession#withKey}.
 *
 * <pre>java -cp ... dev.sigil.examples.ProvenanceExample [FILE]</pre>
 */
public final class ProvenanceExample {
  private ProvenanceExample() {}

  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : Files.writeString(
        Files.createTempFile("artifact", ".txt"), "an artifact of the build\n", StandardCharsets.UTF_8);
    run(file, System.out);
  }

  /** The example's steps; returns the verified bundle's JSON. */
  public static byte[] run(Path file, PrintStream out) throws Exception {
    // 1. Hash the artifact (one pass, every algorithm wanted) and describe the build: generic provenance here;
    //    ProvenanceBuilder.fromEnvironment(System.getenv()) reads GitHub Actions or GitLab CI instead.
    DigestSet digest;
    try (InputStream in = Files.newInputStream(file)) {
      digest = Digests.of(in, Set.of(DigestAlgorithm.SHA256));
    }
    Statement provenance = ProvenanceBuilder.generic("https://ci.example.com/builder", "https://example.com/build/v1")
        .source("git+https://github.com/example/app@refs/heads/main",
            DigestSet.of("gitCommit", "0123456789abcdef0123456789abcdef01234567"))
        .externalParameter("target", "release")
        .subject(file.getFileName().toString(), digest)
        .build();
    out.println("provenance: " + provenance);

    // 2. Sign it: a DSSE envelope over the statement's exact bytes, in a Sigstore bundle v0.3. The session verifies
    //    what it made before returning it.
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    SigningSession session = SigningSession.withKey(key);
    SignedStatement signed = session.signStatement(provenance, true);
    Bundle bundle = signed.toBundle();
    Artifact artifact = Artifact.ofContent(Files.readAllBytes(file));
    session.requireVerified(bundle, artifact, "provenance bundle");
    byte[] json = new BundleWriter().write(bundle);

    // 3. Verify it as a consumer: the bundle bytes, the trusted key, the artifact. No log was used, so the policy
    //    waives it by name.
    Verifier verifier = Verifier.create(PublicKeyMaterial.of(key.publicKey()));
    VerificationPolicy policy =
        VerificationPolicy.builder().artifact(artifact).publicKey().withoutTransparencyLogUnsafe().build();
    VerificationResult result = verifier.verify(new BundleParser().parse(json), policy);
    if (!(result instanceof VerificationResult.Verified verified)) {
      throw new IllegalStateException("verification failed: " + ((VerificationResult.Rejected) result).failure());
    }
    Statement statement = verified.statement().orElseThrow();
    ProvenanceSummary summary = ProvenanceSummary.of(statement.typedPredicate()).orElseThrow();
    out.println("verified: signed by " + verified.signer().describe());
    out.println("  subject " + statement.subjects().get(0).name() + " " + statement.subjects().get(0).digest());
    out.println("  built by " + summary.builderId() + " (" + summary.buildType() + ") from "
        + summary.source().orElse("?") + " at " + summary.sourceCommit().orElse("?"));
    return json;
  }
}
