package dev.sigil.cli;

import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageVerifier;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code sigil verify IMAGE}: finds the image's signatures under both of cosign's schemes (the {@code .sig} tag and
 * Sigstore bundle referrers), verifies each, and requires at least one that verifies and names this image.
 */
@Command(
    name = "verify",
    description = "Verify the signatures of an image in a registry or an OCI layout (cosign's formats).")
final class VerifyImageCommand extends ImageVerifyCommand {
  @picocli.CommandLine.Option(names = "--policy", paramLabel = "FILE",
      description = "Decide by image policy instead of --key or identity flags (repeatable: files or directories).")
  List<java.nio.file.Path> policies;

  @Override
  int execute() throws CliException, dev.sigil.tuf.TrustException {
    if (policies != null) {
      if (keyPath != null || identityOptions.any()) {
        throw CliException.badInput("usage: expected --policy or --key/identity flags, found both");
      }
      dev.sigil.policy.PolicyEngine engine =
          dev.sigil.policy.PolicyEngine.compile(
              PolicyCommands.load(policies), InputFiles.trustedRoot(trustedRootPath, terminal).root());
      dev.sigil.policy.Decision d = PolicyCommands.decide(this, engine, registry, image);
      if (global.json()) {
        printJson(PolicyCommands.json(d));
      } else {
        PolicyCommands.print(this, d);
      }
      return d.allowed() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
    }
    Prepared p = prepare();
    ImageEvidence evidence = fetch(p.reference());
    List<ImageVerifier.Outcome> outcomes = ImageVerifier.verifySignatures(evidence, p.verifier(), p.requirement());
    int accepted = 0;
    for (ImageVerifier.Outcome o : outcomes) {
      accepted += o instanceof ImageVerifier.Accepted ? 1 : 0;
    }
    return report(evidence, "signatures", outcomes, accepted);
  }
}
