package dev.sigil.cli;

import dev.sigil.verifier.Check;
import dev.sigil.verifier.Reason;

/**
 * The CLI's hints for a failed check, chosen by its stable reason code: the verifier library names no command-line
 * flags, so the command line says which of its flags would change the outcome.
 */
final class Hints {
  private Hints() {}

  /** The failed check in one line, with the flag that addresses it when there is one. */
  static String describe(Check failure) {
    String hint = failure.reason().isPresent() ? hint(failure.reason().get(), failure) : "";
    return failure.describe() + (hint.isEmpty() ? "" : " (" + hint + ")");
  }

  private static String hint(Reason reason, Check failure) {
    switch (reason) {
      case TLOG_THRESHOLD:
        return failure.found().startsWith("none") ? "pass --insecure-ignore-tlog to accept a bundle without one" : "";
      case MATERIAL_MISMATCH:
        return failure.found().contains("certificate")
            ? "verify it by identity: --certificate-identity and --certificate-oidc-issuer"
            : "verify it with the key: --key";
      case ARTIFACT_CONTENT_REQUIRED:
      case ARTIFACT_DIGEST_UNAVAILABLE:
        return "pass the file, not a digest";
      case SUBJECT_MISMATCH:
        return failure.found().contains("an algorithm the artifact's digest is not in")
            ? "pass the file, or its digest in an algorithm the subjects use"
            : "";
      case UNTRUSTED_KEY:
        return "check --key";
      case CERTIFICATE_UNTRUSTED:
      case TLOG_UNKNOWN_LOG:
      case TIMESTAMP_UNTRUSTED:
      case TIMESTAMP_AUTHORITY_UNUSABLE:
        return "is --trusted-root the right trusted root?";
      default:
        return "";
    }
  }
}
