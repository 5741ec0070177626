package dev.sigil.cli;

import dev.sigil.attestations.Statement;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.KeySigner;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code sigil inspect} found in one input (a Sigstore bundle, a DSSE envelope or a bare in-toto statement),
 * verified or not: the one model its text, JSON and HTML views render. Every fact carries whether verification
 * established it; unverified facts are what the input claims.
 *
 * @param path the input as given on the command line
 * @param kind what the input is
 * @param mediaType the bundle media type
 * @param content what is signed: a message signature, a DSSE envelope, or (a bare statement) nothing
 * @param status whether and how it was verified
 * @param summary one line saying so, e.g. {@code NOT VERIFIED: no --key or --certificate-identity given}
 * @param artifact the artifact verification compared the entity with ({@code --artifact}), e.g. {@code sha256:...}
 * @param checks every check verification made, in order (empty when not verified)
 * @param signer who signed, if the input names anyone
 * @param times when it was signed, and what says so
 * @param logs where it is logged
 * @param messageDigest the digest a message signature records, e.g. {@code sha256:...}
 * @param payloadType the DSSE payload type
 * @param statement the in-toto statement (exactly as signed, when verified)
 * @param statementError why the payload is not a readable statement
 * @param provenance what a SLSA provenance predicate says
 * @param parameters the provenance's external parameters (v1) or invocation parameters (v0.2), flattened to JSON
 *     pointers, at most {@link Inspector#MAX_PARAMETERS}
 * @param provenanceError why a predicate of a SLSA type could not be read as one
 * @param provenanceChecks the provenance against the Fulcio claims of its certificate (empty without both)
 * @param document the input, as read
 */
record Inspection(
    String path,
    Kind kind,
    Optional<String> mediaType,
    Content content,
    Status status,
    String summary,
    Optional<String> artifact,
    List<CheckRow> checks,
    Optional<SignerView> signer,
    List<TimeRow> times,
    List<LogRow> logs,
    Optional<String> messageDigest,
    Optional<String> payloadType,
    Optional<Statement> statement,
    Optional<String> statementError,
    Optional<ProvenanceSummary> provenance,
    Map<String, String> parameters,
    Optional<String> provenanceError,
    List<AttestationCheck.Result> provenanceChecks,
    byte[] document) {

  Inspection {
    Objects.requireNonNull(summary, "summary");
    checks = List.copyOf(checks);
    times = List.copyOf(times);
    logs = List.copyOf(logs);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    provenanceChecks = List.copyOf(provenanceChecks);
  }

  /** What the input is. */
  enum Kind {
    BUNDLE("bundle", "Sigstore bundle"),
    DSSE_ENVELOPE("dsse-envelope", "DSSE envelope"),
    STATEMENT("statement", "in-toto statement");

    final String id;
    final String title;

    Kind(String id, String title) {
      this.id = id;
      this.title = title;
    }
  }

  /** What is signed. */
  enum Content {
    MESSAGE_SIGNATURE("message-signature", "message signature"),
    DSSE_ENVELOPE("dsse-envelope", "DSSE envelope"),
    STATEMENT("statement", "unsigned statement");

    final String id;
    final String title;

    Content(String id, String title) {
      this.id = id;
      this.title = title;
    }
  }

  /** Whether the input was verified. */
  enum Status {
    NOT_VERIFIED("not-verified"),
    VERIFIED("verified"),
    FAILED("failed");

    final String id;

    Status(String id) {
      this.id = id;
    }
  }

  /** One verifier check, as {@code --output json} of the verify commands shows it. */
  record CheckRow(String check, String outcome, Optional<String> reason, String expected, String found) {}

  /**
   * Who signed: a certificate (as the verifier read it, or as it claims when not verified), or a key.
   *
   * @param verified whether verification established this signer
   * @param certificate the certificate's names and claims
   * @param certificateError why the certificate could not be read
   * @param keyHint the key hint the input gives (key-based bundles)
   * @param key the trusted key that verified
   */
  record SignerView(
      boolean verified,
      Optional<CertificateSigner> certificate,
      Optional<String> certificateError,
      Optional<String> keyHint,
      Optional<KeySigner> key) {
    boolean isCertificate() {
      return certificate.isPresent() || certificateError.isPresent();
    }
  }

  /** When it was signed, and what says so: a log integrated time or an RFC 3161 timestamp. */
  record TimeRow(Instant time, String source, String authority, boolean verified) {
    static final String LOG = "transparency-log";
    static final String TSA = "timestamp-authority";
  }

  /** A transparency-log entry: the log (URL when the trusted root names it), index, entry kind, integrated time. */
  record LogRow(
      Optional<String> url,
      String logId,
      long index,
      String kind,
      String version,
      Optional<Instant> integratedTime,
      boolean verified) {}

  /** Whether {@code sigil inspect} exits 0: not verified (only shown), or verified with no failing check. */
  boolean ok() {
    return status != Status.FAILED;
  }
}
