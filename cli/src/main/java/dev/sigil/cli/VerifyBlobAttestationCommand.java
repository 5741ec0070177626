package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.Subject;
import dev.sigil.attestations.slsa.SlsaExpectations;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sigil verify-blob-attestation}: verify an attestation bundle (a DSSE envelope holding an in-toto statement)
 * for a file or digest. The verifier checks the signature, the log, the certificate and identity, and that a subject
 * names the artifact (by a digest of the same algorithm); then, over the statement exactly as signed, the predicate
 * type ({@code --type}), the SLSA expectations ({@code --source-uri}, {@code --source-ref}/{@code --source-tag}/{@code
 * --source-branch}, {@code --builder-id}) and, for certificates with CI claims, the provenance against those claims.
 * Every attestation check is printed as expected vs found; any failure exits 1.
 */
@Command(
    name = "verify-blob-attestation",
    description =
        "Verify an attestation bundle (DSSE, in-toto) for a file (or a sha256:, sha384: or sha512: digest): signature,"
            + " log, subject, predicate type and SLSA provenance checks.")
final class VerifyBlobAttestationCommand extends VerifyBlobCommand {
  @Option(names = "--type", paramLabel = "TYPE",
      description = "Expected predicate type: slsaprovenance1, slsaprovenance02, slsaprovenance, spdxjson, spdx,"
          + " cyclonedx, vuln, openvex, link, custom, or a URI (default: any, reported).")
  String type;

  @Mixin SlsaOptions slsa;

  /**
   * Checks run after the built-in ones over every verified statement, in order: where policy conditions plug in. The
   * built-in checks are the predicate type and the SLSA checks.
   */
  final List<AttestationCheck> extraChecks = new ArrayList<>();

  @Override
  int execute() throws CliException, dev.sigil.tuf.TrustException {
    List<AttestationCheck> checks = new ArrayList<>();
    checks.add(AttestationChecks.predicateType(type));
    Optional<SlsaExpectations> expectations = slsa.expectations();
    checks.add(AttestationChecks.slsa(expectations));
    checks.addAll(extraChecks);
    Prepared p = prepare();
    if (p.bundle().dsseEnvelope().isEmpty()) {
      throw CliException.badInput(
          "bundle " + bundlePath + ": expected an attestation (a DSSE envelope), found a message signature;"
              + " verify it with verify-blob");
    }
    VerificationResult result = p.verifier().verify(p.bundle(), p.policy());
    if (!(result instanceof VerificationResult.Verified verified)) {
      report(result, p.artifact());
      return ExitCode.VERIFICATION_FAILED;
    }
    Statement statement = verified.statement().orElseThrow();
    List<AttestationCheck.Result> results = new ArrayList<>();
    for (AttestationCheck c : checks) {
      results.addAll(c.check(verified, statement));
    }
    return report(verified, statement, p.artifact(), results);
  }

  private int report(
      VerificationResult.Verified verified, Statement statement, Artifact artifact, List<AttestationCheck.Result> results) {
    List<AttestationCheck.Result> failures = new ArrayList<>();
    for (AttestationCheck.Result r : results) {
      if (!r.passed()) {
        failures.add(r);
      }
    }
    boolean ok = failures.isEmpty();
    int code = ok ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
    List<Subject> matching = statement.subjectsMatching(digests(artifact));
    if (global.json()) {
      ObjectNode n = jsonObject();
      n.put("ok", ok);
      n.put("exitCode", code);
      n.put("artifact", artifact.toString());
      n.put("signer", verified.signer().describe());
      n.put("predicateType", statement.predicateType());
      ArrayNode subjects = n.putArray("subjects");
      for (Subject s : matching) {
        ObjectNode o = subjects.addObject();
        o.put("name", s.name());
        ObjectNode d = o.putObject("digest");
        s.digest().entries().forEach(d::put);
      }
      if (!ok) {
        n.put("error", "verification failed: " + failures.get(0).describe());
        n.put("reason", failures.get(0).reason());
      }
      ArrayNode checks = n.putArray("checks");
      putChecks(checks, verified.checks());
      for (AttestationCheck.Result r : results) {
        checks.addObject()
            .put("check", r.name())
            .put("outcome", r.passed() ? "passed" : "failed")
            .put("reason", r.passed() ? null : r.reason())
            .put("expected", r.expected())
            .put("found", r.found());
      }
      printJson(n);
    } else {
      for (Check c : verified.checks()) {
        verbose("  " + c.describe());
      }
      for (AttestationCheck.Result r : results) {
        if (r.passed()) {
          terminal.out().println("  " + TerminalText.safe(r.describe()));
        } else {
          terminal.err().println("Verification failed: " + TerminalText.safe(r.describe()));
        }
      }
      if (ok) {
        String subject = matching.isEmpty() ? "" : " as subject \"" + TerminalText.safe(matching.get(0).name()) + "\"";
        String given = artifactArg.equals(artifact.toString()) ? artifactArg : artifactArg + " (" + artifact + ")";
        terminal.out().println(
            "Verified OK: " + TerminalText.safe(given) + subject + ", attested by "
                + TerminalText.safe(verified.signer().describe()));
      }
    }
    for (Check c : verified.skipped()) {
      warn(c.name() + " not checked: " + c.found());
    }
    return code;
  }

  /** The artifact's digests as an in-toto DigestSet. */
  private static DigestSet digests(Artifact artifact) {
    Map<String, String> m = new TreeMap<>();
    for (HashAlgorithm h : artifact.algorithms()) {
      m.put(h.name().toLowerCase(Locale.ROOT).replace("sha2_", "sha"), HexFormat.of().formatHex(artifact.digest(h).orElseThrow()));
    }
    return new DigestSet(m);
  }
}
