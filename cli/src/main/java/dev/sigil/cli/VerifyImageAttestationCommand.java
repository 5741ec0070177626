package dev.sigil.cli;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageVerifier;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigil verify-attestation IMAGE}: finds the image's attestations under both schemes (the {@code .att} tag and
 * bundle referrers), verifies each (signature, log, and an in-toto subject naming this image's digest), and requires
 * at least one of the asked predicate type.
 */
@Command(
    name = "verify-attestation",
    description = "Verify the attestations of an image (in-toto statements in DSSE envelopes, cosign's formats).")
final class VerifyImageAttestationCommand extends ImageVerifyCommand {
  @Option(names = "--type", paramLabel = "TYPE",
      description = "Predicate type: a URI or cosign's short names (slsaprovenance1, slsaprovenance02, spdxjson,"
          + " cyclonedx, vuln, openvex, custom, ...). Default: any type.")
  String type;

  @Override
  int execute() throws CliException, dev.sigil.tuf.TrustException {
    String predicateType = null;
    if (type != null) {
      try {
        predicateType = PredicateTypes.resolve(type);
      } catch (AttestationException | IllegalArgumentException e) {
        throw CliException.badInput("--type: " + e.getMessage());
      }
    }
    Prepared p = prepare();
    ImageEvidence evidence = fetch(p.reference());
    List<ImageVerifier.Outcome> outcomes = new ArrayList<>();
    int accepted = 0;
    for (ImageVerifier.Outcome o : ImageVerifier.verifyAttestations(evidence, p.verifier(), p.requirement())) {
      if (o instanceof ImageVerifier.Accepted a && predicateType != null) {
        String found = a.verification().statement().orElseThrow().predicateType();
        if (!found.equals(predicateType)) {
          outcomes.add(
              new ImageVerifier.Refused(
                  o.candidate(),
                  ImageVerifier.Refusal.PREDICATE_TYPE_MISMATCH,
                  java.util.Optional.empty(),
                  "expected predicate type " + predicateType + ", found " + found));
          continue;
        }
      }
      accepted += o instanceof ImageVerifier.Accepted ? 1 : 0;
      outcomes.add(o);
    }
    return report(evidence, "attestations", outcomes, accepted);
  }
}
