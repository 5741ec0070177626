package dev.sigil.cli;

import dev.sigil.cli.Inspection.Kind;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil inspect}: shows a Sigstore bundle, DSSE envelope or in-toto statement the way a release engineer asks
 * about it: who signed, when and how that is known, where it is logged, what it covers, and for SLSA provenance how it
 * was built. It verifies only when given the verify flags ({@code --key} or identity flags), and says which it did.
 * {@code --output json} for machines ({@link InspectJson}), {@code --html FILE} for a self-contained page ({@link
 * InspectHtml}). Exit 0 when shown (verified or not verified), 1 when verification was asked for and failed.
 */
@Command(
    name = "inspect",
    description =
        "Show who signed a bundle (or DSSE envelope, or in-toto statement), when, where it is logged, what it covers"
            + " and how it was built; verify it only with --key or --certificate-identity.")
final class InspectCommand extends BaseCommand {
  @Parameters(paramLabel = "BUNDLE|ENVELOPE|STATEMENT", description = "A Sigstore bundle, a DSSE envelope or an in-toto statement (JSON).")
  Path input;

  @Option(names = "--key", paramLabel = "KEY", description = "Verify: PEM public key that must have signed.")
  Path keyPath;

  @Mixin IdentityOptions identityOptions;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Trusted root JSON: names the logs entries point at, and verifies with the verify flags (default: as"
          + " verify-blob).")
  Path trustedRootPath;

  @Option(names = "--insecure-ignore-tlog", arity = "0..1", fallbackValue = "true",
      description = "Verify: accept an entity without a verified transparency-log entry (unsafe).")
  boolean ignoreTlog;

  @Option(names = "--artifact", paramLabel = "FILE_OR_DIGEST",
      description = "Verify: the artifact the signature (or a subject) must cover: a path, or sha256:/sha384:/sha512:<hex>."
          + " Without it the signature is verified and the subjects are shown, not compared.")
  String artifactArg;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Also write a self-contained HTML page (provenance graph, checks, raw documents) to FILE.")
  Path htmlPath;

  @Override
  int execute() throws CliException, dev.sigil.tuf.TrustException {
    boolean hasIdentity = identityOptions.any();
    boolean verify = keyPath != null || hasIdentity;
    if (keyPath != null && hasIdentity) {
      throw CliException.badInput("usage: expected either --key or certificate identity flags, found both");
    }
    if (!verify && (ignoreTlog || artifactArg != null)) {
      throw CliException.badInput(
          "usage: " + (artifactArg != null ? "--artifact" : "--insecure-ignore-tlog")
              + " applies to verification: expected --key or --certificate-identity with --certificate-oidc-issuer,"
              + " found neither");
    }
    byte[] document = InputFiles.readSmall(input, "input", Inspector.MAX_INPUT);
    Inspector.Input in = Inspector.read(input.toString(), document);
    TrustedMaterial trusted = InputFiles.trustedRoot(trustedRootPath, terminal).root();

    Optional<VerificationResult> result = Optional.empty();
    Optional<String> artifact = Optional.empty();
    String notVerified = "no --key or --certificate-identity given; everything below is what the input claims";
    if (in.kind() == Kind.STATEMENT) {
      if (verify) {
        throw CliException.badInput(
            "usage: " + input + " is a bare in-toto statement: it carries no signature to verify; drop the verify flags"
                + " or inspect the bundle that signs it");
      }
      notVerified = "a bare in-toto statement carries no signature; everything below is what it claims";
    }
    if (verify) {
      SignedEntity entity = Inspector.entity(in).orElseThrow();
      if (in.kind() == Kind.DSSE_ENVELOPE && hasIdentity) {
        throw CliException.badInput(
            "usage: " + input + " is a bare DSSE envelope: it carries no certificate to match an identity against;"
                + " verify it with --key");
      }
      TrustedPublicKey key = null;
      if (keyPath != null) {
        key = TrustedPublicKey.of(KeyFiles.publicKey(keyPath));
        trusted = TrustedMaterial.combine(trusted, new PublicKeyMaterial(List.of(key)));
      }
      VerificationPolicy.Builder policy = VerificationPolicy.builder();
      if (artifactArg != null) {
        Set<HashAlgorithm> algs = EnumSet.copyOf(ArtifactDigests.algorithmsFor(entity));
        if (entity.signatureContent() instanceof MessageSignature && key != null && key.digestAlgorithm().isPresent()) {
          algs.add(key.digestAlgorithm().get());
        }
        Artifact a = ArtifactInputs.resolve(artifactArg, algs);
        artifact = Optional.of(a.toString());
        policy.artifact(a);
      } else {
        policy.withoutArtifactUnsafe();
      }
      if (key != null) {
        policy.publicKey();
      } else {
        policy.identity(identityOptions.matcher());
      }
      if (ignoreTlog) {
        policy.withoutTransparencyLogUnsafe();
      }
      result = Optional.of(Verifier.create(trusted).verify(entity, policy.build()));
    }

    Inspection inspection = Inspector.inspect(input.toString(), in, trusted, result, artifact, notVerified);
    if (htmlPath != null) {
      try {
        AtomicFiles.write(htmlPath, InspectHtml.render(inspection).getBytes(StandardCharsets.UTF_8), false, true);
      } catch (IOException e) {
        throw CliException.badInput("--html " + htmlPath + ": could not be written (" + e.getMessage() + ")");
      }
    }
    int code = inspection.ok() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
    if (global.json()) {
      printJson(InspectJson.of(inspection, code, jsonObject()));
    } else {
      InspectText.print(inspection, terminal.out());
      if (htmlPath != null) {
        terminal.out().println();
        terminal.out().println("HTML report: " + htmlPath);
      }
      if (!inspection.ok()) {
        terminal.err().println("Verification failed: " + TerminalText.safe(inspection.summary().substring("VERIFICATION FAILED: ".length())));
      }
    }
    if (result.isPresent()) {
      for (dev.sigil.verifier.Check c : result.get().skipped()) {
        warn(c.name() + " not checked: " + TerminalText.safe(c.found()));
      }
    }
    return code;
  }
}
