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
  @Override
  int execute() throws CliException {
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
