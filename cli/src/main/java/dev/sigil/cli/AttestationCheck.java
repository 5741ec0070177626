package dev.sigil.cli;

import dev.sigil.attestations.Statement;
import dev.sigil.verifier.VerificationResult;
import java.util.List;
import java.util.Objects;

/**
 * A check over an attestation the verifier accepted: the predicate type, the SLSA checks, the comparison of a
 * provenance with its signing certificate, and (the seam for them) policy conditions. Each runs over the statement
 * exactly as signed ({@link VerificationResult.Verified#statement()}) and the verified signer, never over unverified
 * bytes, and returns one {@link Result} per fact compared, passing or failing.
 */
@FunctionalInterface
interface AttestationCheck {

  /** The results of checking {@code statement}, which {@code verified} established. */
  List<Result> check(VerificationResult.Verified verified, Statement statement);

  /**
   * One compared fact.
   *
   * @param name stable, e.g. {@code predicate type} or {@code slsa source-uri}
   * @param reason a stable code for a failure (see {@link Reasons}); empty for a pass
   * @param expected what was required
   * @param found what the attestation (or certificate) says
   * @param passed whether they agree
   */
  record Result(String name, String reason, String expected, String found, boolean passed) {
    public Result {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(found, "found");
    }

    static Result pass(String name, String expected, String found) {
      return new Result(name, "", expected, found, true);
    }

    static Result fail(String name, String reason, String expected, String found) {
      return new Result(name, reason, expected, found, false);
    }

    /** One line: {@code <name>: ok (<found>)} or {@code <name>: expected <e>, found <f>}. */
    String describe() {
      return passed
          ? name + ": ok (" + (expected.equals(found) ? found : "expected " + expected + ", found " + found) + ")"
          : name + ": expected " + expected + ", found " + found;
    }
  }

  /** The failure codes of attestation checks (stable, like the verifier's {@code Reason}). */
  final class Reasons {
    /** The statement's predicate type is not the one {@code --type} asks for. */
    static final String PREDICATE_TYPE_MISMATCH = "PREDICATE_TYPE_MISMATCH";
    /** A SLSA provenance predicate does not have the shape its specification requires. */
    static final String PREDICATE_MALFORMED = "PREDICATE_MALFORMED";
    /** The provenance does not say what a SLSA flag expects (source, ref, builder). */
    static final String SLSA_MISMATCH = "SLSA_MISMATCH";
    /** The provenance and the Fulcio claims of the certificate that signed it disagree. */
    static final String CERTIFICATE_CLAIM_MISMATCH = "PROVENANCE_CERTIFICATE_MISMATCH";

    private Reasons() {}
  }
}
