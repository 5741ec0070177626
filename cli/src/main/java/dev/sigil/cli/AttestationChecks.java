package dev.sigil.cli;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.Predicate;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.attestations.slsa.SlsaCheck;
import dev.sigil.attestations.slsa.SlsaChecks;
import dev.sigil.attestations.slsa.SlsaExpectations;
import dev.sigil.cli.AttestationCheck.Reasons;
import dev.sigil.cli.AttestationCheck.Result;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The attestation checks the CLI makes: predicate type, SLSA expectations, provenance against certificate. */
final class AttestationChecks {
  private AttestationChecks() {}

  /**
   * The predicate type check. With {@code --type} (a cosign short name or a URI): the statement's predicate type
   * must be exactly that URI, as cosign compares it. Without: any type passes, and is reported.
   *
   * @throws CliException (exit 2) if {@code typeArg} is neither a short name nor an absolute URI
   */
  static AttestationCheck predicateType(String typeArg) throws CliException {
    if (typeArg == null) {
      return (verified, statement) ->
          List.of(Result.pass("predicate type", "any (no --type given)", describeType(statement.predicateType())));
    }
    String uri;
    try {
      uri = PredicateTypes.resolve(typeArg);
    } catch (AttestationException e) {
      throw CliException.badInput("--type: " + e.getMessage());
    }
    String expected = uri.equals(typeArg) ? uri : uri + " (" + typeArg + ")";
    return (verified, statement) ->
        List.of(
            uri.equals(statement.predicateType())
                ? Result.pass("predicate type", expected, describeType(statement.predicateType()))
                : Result.fail(
                    "predicate type",
                    Reasons.PREDICATE_TYPE_MISMATCH,
                    expected,
                    describeType(statement.predicateType())));
  }

  /** A predicate type URI with its well-known name, e.g. {@code https://slsa.dev/provenance/v1 (SLSA provenance v1)}. */
  static String describeType(String uri) {
    Optional<String> name = PredicateTypes.describe(uri);
    return name.isPresent() ? uri + " (" + name.get() + ")" : uri;
  }

  /**
   * The SLSA checks: the provenance against what the SLSA flags expect (none given: not made), and, when the signer
   * is a certificate carrying CI claims (keyless GitHub Actions or GitLab signing), the provenance against those
   * claims, whether or not flags were given: a provenance that contradicts the certificate that signed it fails.
   */
  static AttestationCheck slsa(Optional<SlsaExpectations> expectations) {
    return (verified, statement) -> slsaResults(statement, verified.signer(), expectations);
  }

  static List<Result> slsaResults(Statement statement, Signer signer, Optional<SlsaExpectations> expectations) {
    boolean provenance =
        PredicateTypes.SLSA_PROVENANCE_V1.equals(statement.predicateType())
            || PredicateTypes.SLSA_PROVENANCE_V02.equals(statement.predicateType());
    Optional<CertificateSigner> ci = ciCertificate(signer);
    if (expectations.isEmpty() && !(provenance && ci.isPresent())) {
      return List.of();
    }
    Predicate typed;
    try {
      typed = statement.typedPredicate();
    } catch (AttestationException e) {
      return List.of(
          Result.fail(
              "slsa predicate",
              Reasons.PREDICATE_MALFORMED,
              "a predicate of the shape " + describeType(statement.predicateType()) + " requires",
              e.getMessage()));
    }
    List<Result> out = new ArrayList<>();
    if (expectations.isPresent()) {
      for (SlsaCheck c : SlsaChecks.check(typed, expectations.get()).checks()) {
        out.add(result(c, Reasons.SLSA_MISMATCH));
      }
    }
    if (ci.isPresent() && ProvenanceSummary.of(typed).isPresent()) {
      out.addAll(provenanceVsCertificate(typed, ci.get()));
    }
    return out;
  }

  /**
   * The provenance compared with the Fulcio claims of {@code certificate} (expected: the certificate's claim; found:
   * the provenance's value). Empty unless {@code typed} is SLSA provenance.
   */
  static List<Result> provenanceVsCertificate(Predicate typed, CertificateSigner certificate) {
    if (ProvenanceSummary.of(typed).isEmpty()) {
      return List.of();
    }
    List<Result> out = new ArrayList<>();
    for (SlsaCheck c : SlsaChecks.compareWithCertificate(typed, certificate.claims()).checks()) {
      out.add(result(c, Reasons.CERTIFICATE_CLAIM_MISMATCH));
    }
    return out;
  }

  /** The signer, if it is a certificate with CI claims (a source repository, as Fulcio writes for CI workloads). */
  static Optional<CertificateSigner> ciCertificate(Signer signer) {
    if (signer instanceof CertificateSigner c
        && c.extension(FulcioExtension.SOURCE_REPOSITORY_URI).filter(v -> !v.isEmpty()).isPresent()) {
      return Optional.of(c);
    }
    return Optional.empty();
  }

  private static Result result(SlsaCheck c, String reason) {
    String name = "slsa " + c.name();
    return c.passed() ? Result.pass(name, c.expected(), c.found()) : Result.fail(name, reason, c.expected(), c.found());
  }
}
