package dev.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.Predicate;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.SlsaProvenanceV02;
import dev.sigil.attestations.SlsaProvenanceV1;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.cli.Inspection.CheckRow;
import dev.sigil.cli.Inspection.Content;
import dev.sigil.cli.Inspection.Kind;
import dev.sigil.cli.Inspection.LogRow;
import dev.sigil.cli.Inspection.SignerView;
import dev.sigil.cli.Inspection.Status;
import dev.sigil.cli.Inspection.TimeRow;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.KeySigner;
import dev.sigil.verifier.SigningTime;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.VerifiedLogEntry;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignatureContent;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.VerificationContent;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.security.cert.CertificateParsingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what {@code sigil inspect} is given and builds the {@link Inspection} its views show. Reading never verifies:
 * facts of an input that was not verified are what it claims (its certificate read by {@link
 * CertificateSigner#readUnverified}, its log entries and timestamps as written), and each is marked so. When a
 * verification result is given, the signer, times and log entries are the ones it established.
 */
final class Inspector {
  /** The most provenance parameters listed (the raw predicate holds them all). */
  static final int MAX_PARAMETERS = 200;
  /** The longest parameter value shown whole. */
  static final int MAX_VALUE = 2000;
  /** The largest input read: a DSSE envelope at its bound (bundles and statements have smaller ones). */
  static final int MAX_INPUT = DsseEnvelope.MAX_ENVELOPE_BYTES;

  private Inspector() {}

  /** An input, classified and parsed. Exactly one of bundle, envelope and statement is set. */
  record Input(Kind kind, byte[] document, Optional<Bundle> bundle, Optional<DsseEnvelope> envelope, Optional<Statement> statement) {}

  /**
   * Classifies and parses an input: a Sigstore bundle ({@code mediaType} of a bundle), a DSSE envelope ({@code
   * payloadType}), or an in-toto statement ({@code _type}).
   *
   * @throws CliException (exit 2) if it is none of these, or malformed
   */
  static Input read(String name, byte[] document) throws CliException {
    JsonNode root;
    try {
      root = StrictJson.parse(document, MAX_INPUT);
    } catch (AttestationException e) {
      throw CliException.badInput(name + ": expected JSON (a Sigstore bundle, a DSSE envelope or an in-toto statement), " + e.getMessage());
    }
    if (!root.isObject()) {
      throw CliException.badInput(
          name + ": expected a Sigstore bundle, a DSSE envelope or an in-toto statement, found " + StrictJson.describe(root));
    }
    JsonNode mediaType = root.get("mediaType");
    if (mediaType != null && mediaType.isTextual() && mediaType.textValue().startsWith("application/vnd.dev.sigstore.bundle")) {
      try {
        return new Input(Kind.BUNDLE, document, Optional.of(new BundleParser().parse(document)), Optional.empty(), Optional.empty());
      } catch (BundleParseException e) {
        throw CliException.badInput(name + ": " + e.getMessage());
      }
    }
    if (root.has("payloadType")) {
      try {
        return new Input(Kind.DSSE_ENVELOPE, document, Optional.empty(), Optional.of(DsseEnvelope.parse(document)), Optional.empty());
      } catch (AttestationException e) {
        throw CliException.badInput(name + ": DSSE envelope " + e.getMessage());
      }
    }
    if (root.has("_type")) {
      try {
        return new Input(Kind.STATEMENT, document, Optional.empty(), Optional.empty(), Optional.of(Statement.parse(document)));
      } catch (AttestationException e) {
        throw CliException.badInput(name + ": in-toto statement " + e.getMessage());
      }
    }
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    throw CliException.badInput(
        name + ": expected a Sigstore bundle (mediaType), a DSSE envelope (payloadType) or an in-toto statement (_type),"
            + " found an object with " + (keys.isEmpty() ? "no fields" : "fields " + StrictJson.quote(String.join(", ", keys.subList(0, Math.min(8, keys.size()))))));
  }

  /** The signed entity the verifier checks for this input; empty for a bare statement, which carries no signature. */
  static Optional<SignedEntity> entity(Input in) {
    if (in.bundle().isPresent()) {
      return Optional.of(in.bundle().get());
    }
    if (in.envelope().isPresent()) {
      return Optional.of(new EnvelopeEntity(in.envelope().get()));
    }
    return Optional.empty();
  }

  /**
   * A bare DSSE envelope as a signed entity: signed with a key (named by the first signature's key id, if any), with
   * no log entry and no timestamp, so it verifies only with {@code --key} and {@code --insecure-ignore-tlog}.
   */
  record EnvelopeEntity(DsseEnvelope envelope) implements SignedEntity {
    @Override
    public VerificationContent verificationContent() {
      String keyid = envelope.signatures().get(0).keyid();
      return new VerificationContent.PublicKeyHint(keyid.isEmpty() ? Optional.empty() : Optional.of(keyid));
    }

    @Override
    public SignatureContent signatureContent() {
      List<DsseSignature> sigs = new ArrayList<>();
      for (dev.sigil.attestations.dsse.DsseSignature s : envelope.signatures()) {
        sigs.add(new DsseSignature(s.sig(), s.keyid()));
      }
      return new dev.sigil.verifier.entity.DsseEnvelope(envelope.payload(), envelope.payloadType(), sigs);
    }

    @Override
    public List<TransparencyLogEntry> tlogEntries() {
      return List.of();
    }

    @Override
    public List<byte[]> rfc3161Timestamps() {
      return List.of();
    }

    @Override
    public boolean inclusionProofRequired() {
      return false;
    }

    @Override
    public String mediaType() {
      return "DSSE envelope";
    }
  }

  /**
   * The inspection of {@code in}.
   *
   * @param trusted names the logs entries point at (their URLs); never used to verify here
   * @param result the verification result, when verification was asked for
   * @param artifact what verification compared the entity with, when {@code --artifact} was given
   * @param notVerified why there is no result (shown when {@code result} is empty)
   */
  static Inspection inspect(
      String path,
      Input in,
      TrustedMaterial trusted,
      Optional<VerificationResult> result,
      Optional<String> artifact,
      String notVerified) {
    Optional<VerificationResult.Verified> verified =
        result.isPresent() && result.get() instanceof VerificationResult.Verified v ? Optional.of(v) : Optional.empty();

    // What is signed.
    Content content;
    Optional<String> messageDigest = Optional.empty();
    Optional<String> payloadType = Optional.empty();
    Optional<byte[]> payload = Optional.empty();
    Optional<String> mediaType = Optional.empty();
    if (in.bundle().isPresent()) {
      Bundle b = in.bundle().get();
      mediaType = Optional.of(b.mediaType());
      if (b.messageSignature().isPresent()) {
        content = Content.MESSAGE_SIGNATURE;
        MessageSignature ms = b.messageSignature().get();
        if (ms.messageDigest().isPresent()) {
          messageDigest =
              Optional.of(
                  ms.messageDigest().get().algorithm().name().toLowerCase(Locale.ROOT).replace("sha2_", "sha") + ":"
                      + HexFormat.of().formatHex(ms.messageDigest().get().digest()));
        }
      } else {
        content = Content.DSSE_ENVELOPE;
        payloadType = Optional.of(b.dsseEnvelope().get().payloadType());
        payload = Optional.of(b.dsseEnvelope().get().payload());
      }
    } else if (in.envelope().isPresent()) {
      content = Content.DSSE_ENVELOPE;
      payloadType = Optional.of(in.envelope().get().payloadType());
      payload = Optional.of(in.envelope().get().payload());
    } else {
      content = Content.STATEMENT;
    }

    // The statement: as verified, else as the payload (or file) says.
    Optional<Statement> statement = Optional.empty();
    Optional<String> statementError = Optional.empty();
    if (verified.isPresent() && verified.get().statement().isPresent()) {
      statement = verified.get().statement();
    } else if (in.statement().isPresent()) {
      statement = in.statement();
    } else if (payload.isPresent()) {
      if (!Statement.PAYLOAD_TYPE.equals(payloadType.orElseThrow())) {
        statementError =
            Optional.of(
                "the payload type is " + StrictJson.quote(payloadType.get()) + ", not in-toto's " + Statement.PAYLOAD_TYPE
                    + " (" + payload.get().length + " bytes)");
      } else {
        try {
          statement = Optional.of(Statement.parse(payload.get()));
        } catch (AttestationException e) {
          statementError = Optional.of(e.getMessage());
        }
      }
    }

    // Who signed.
    Optional<SignerView> signer = signer(in, verified);

    // Provenance, and whether it agrees with the certificate.
    Optional<ProvenanceSummary> provenance = Optional.empty();
    Map<String, String> parameters = Map.of();
    Optional<String> provenanceError = Optional.empty();
    List<AttestationCheck.Result> provenanceChecks = List.of();
    if (statement.isPresent() && isProvenance(statement.get().predicateType())) {
      try {
        Predicate typed = statement.get().typedPredicate();
        provenance = ProvenanceSummary.of(typed);
        parameters = parameters(typed);
        if (signer.isPresent() && signer.get().certificate().isPresent()) {
          CertificateSigner c = signer.get().certificate().get();
          if (AttestationChecks.ciCertificate(c).isPresent()) {
            provenanceChecks = AttestationChecks.provenanceVsCertificate(typed, c);
          }
        }
      } catch (AttestationException e) {
        provenanceError = Optional.of(e.getMessage());
      }
    }

    // Whether it was verified, and the one line that says so.
    Status status;
    String summary;
    List<CheckRow> checks = new ArrayList<>();
    if (result.isEmpty()) {
      status = Status.NOT_VERIFIED;
      summary = "NOT VERIFIED: " + notVerified;
    } else {
      for (Check c : result.get().checks()) {
        checks.add(
            new CheckRow(
                c.name(),
                c.outcome().name().toLowerCase(Locale.ROOT),
                c.reason().map(Enum::name),
                c.expected(),
                c.found()));
      }
      if (verified.isEmpty()) {
        status = Status.FAILED;
        summary = "VERIFICATION FAILED: " + Hints.describe(result.get().firstFailure().orElseThrow());
      } else {
        AttestationCheck.Result contradiction = null;
        for (AttestationCheck.Result r : provenanceChecks) {
          if (!r.passed() && contradiction == null) {
            contradiction = r;
          }
        }
        if (contradiction != null) {
          status = Status.FAILED;
          summary = "VERIFICATION FAILED: the provenance contradicts its certificate: " + contradiction.describe();
        } else if (provenanceError.isPresent()) {
          status = Status.FAILED;
          summary = "VERIFICATION FAILED: the provenance is malformed: " + provenanceError.get();
        } else {
          status = Status.VERIFIED;
          summary = "verified: " + verifiedSummary(verified.get(), artifact, content);
        }
      }
    }

    return new Inspection(
        path,
        in.kind(),
        mediaType,
        content,
        status,
        summary,
        artifact,
        checks,
        signer,
        times(in, verified, trusted),
        logs(in, verified, trusted),
        messageDigest,
        payloadType,
        statement,
        statementError,
        provenance,
        parameters,
        provenanceError,
        provenanceChecks,
        in.document());
  }

  static boolean isProvenance(String predicateType) {
    return PredicateTypes.SLSA_PROVENANCE_V1.equals(predicateType) || PredicateTypes.SLSA_PROVENANCE_V02.equals(predicateType);
  }

  private static String verifiedSummary(VerificationResult.Verified v, Optional<String> artifact, Content content) {
    StringBuilder b = new StringBuilder("signed by ").append(v.signer().describe());
    boolean tlog = !v.logEntries().isEmpty();
    b.append(tlog ? ", logged" : ", no transparency log checked");
    if (!v.signingTimes().isEmpty()) {
      b.append(", signed at ").append(v.signingTimes().get(0).describe());
    }
    if (artifact.isPresent()) {
      b.append(content == Content.DSSE_ENVELOPE ? "; a subject names " : "; covers ").append(artifact.get());
    } else {
      b.append(
          content == Content.DSSE_ENVELOPE
              ? "; subjects not compared with an artifact (no --artifact given)"
              : "; not compared with an artifact (no --artifact given)");
    }
    return b.toString();
  }

  private static Optional<SignerView> signer(Input in, Optional<VerificationResult.Verified> verified) {
    if (verified.isPresent()) {
      if (verified.get().signer() instanceof CertificateSigner c) {
        return Optional.of(new SignerView(true, Optional.of(c), Optional.empty(), Optional.empty(), Optional.empty()));
      }
      KeySigner k = (KeySigner) verified.get().signer();
      return Optional.of(new SignerView(true, Optional.empty(), Optional.empty(), k.hint(), Optional.of(k)));
    }
    Optional<SignedEntity> entity = entity(in);
    if (entity.isEmpty()) {
      return Optional.empty();
    }
    VerificationContent vc = entity.get().verificationContent();
    if (vc instanceof VerificationContent.CertificateChain chain) {
      try {
        return Optional.of(
            new SignerView(
                false, Optional.of(CertificateSigner.readUnverified(chain.leaf())), Optional.empty(), Optional.empty(), Optional.empty()));
      } catch (CertificateParsingException e) {
        return Optional.of(new SignerView(false, Optional.empty(), Optional.of(e.getMessage()), Optional.empty(), Optional.empty()));
      }
    }
    Optional<String> hint = ((VerificationContent.PublicKeyHint) vc).hint().filter(h -> !h.isEmpty());
    return Optional.of(new SignerView(false, Optional.empty(), Optional.empty(), hint, Optional.empty()));
  }

  private static List<TimeRow> times(Input in, Optional<VerificationResult.Verified> verified, TrustedMaterial trusted) {
    List<TimeRow> out = new ArrayList<>();
    if (verified.isPresent()) {
      for (SigningTime t : verified.get().signingTimes()) {
        out.add(
            new TimeRow(
                t.time(),
                t.source() == SigningTime.Source.TRANSPARENCY_LOG ? TimeRow.LOG : TimeRow.TSA,
                t.authority(),
                true));
      }
      return out;
    }
    if (in.bundle().isEmpty()) {
      return out;
    }
    for (TransparencyLogEntry e : in.bundle().get().tlogEntries()) {
      if (e.integratedTime() > 0) {
        out.add(
            new TimeRow(
                Instant.ofEpochSecond(e.integratedTime()),
                TimeRow.LOG,
                logUrl(e.logKeyId(), trusted).orElse("log " + HexFormat.of().formatHex(e.logKeyId())),
                false));
      }
    }
    int i = 0;
    for (byte[] ts : in.bundle().get().rfc3161Timestamps()) {
      i++;
      Optional<Instant> t = SigningTime.readTimestampUnverified(ts);
      if (t.isPresent()) {
        out.add(new TimeRow(t.get(), TimeRow.TSA, "RFC 3161 timestamp " + i, false));
      }
    }
    return out;
  }

  private static List<LogRow> logs(Input in, Optional<VerificationResult.Verified> verified, TrustedMaterial trusted) {
    List<LogRow> out = new ArrayList<>();
    if (in.bundle().isEmpty()) {
      return out;
    }
    for (TransparencyLogEntry e : in.bundle().get().tlogEntries()) {
      String id = HexFormat.of().formatHex(e.logKeyId());
      boolean ok = false;
      Optional<String> url = logUrl(e.logKeyId(), trusted);
      if (verified.isPresent()) {
        for (VerifiedLogEntry v : verified.get().logEntries()) {
          if (v.logIndex() == e.logIndex() && v.logId().equals(id)) {
            ok = true;
            url = Optional.of(v.logUrl());
          }
        }
      }
      out.add(
          new LogRow(
              url,
              id,
              e.logIndex(),
              e.kind(),
              e.kindVersion(),
              e.integratedTime() > 0 ? Optional.of(Instant.ofEpochSecond(e.integratedTime())) : Optional.empty(),
              ok));
    }
    return out;
  }

  /** The base URL the trusted material gives the log with this ID. */
  private static Optional<String> logUrl(byte[] logId, TrustedMaterial trusted) {
    for (TransparencyLogInstance t : trusted.tlogs()) {
      if (Arrays.equals(t.logId(), logId)) {
        return Optional.of(t.baseUrl());
      }
    }
    return Optional.empty();
  }

  /**
   * A provenance's parameters flattened to JSON pointer -> value text: v1 {@code externalParameters}, v0.2 {@code
   * invocation.parameters}; at most {@link #MAX_PARAMETERS}, values cut at {@link #MAX_VALUE} characters.
   */
  static Map<String, String> parameters(Predicate typed) {
    JsonNode params;
    if (typed instanceof SlsaProvenanceV1 v1) {
      params = v1.buildDefinition().externalParameters();
    } else if (typed instanceof SlsaProvenanceV02 v02) {
      params = v02.invocation().parameters();
    } else {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", params, out);
    return out;
  }

  private static void flatten(String pointer, JsonNode node, Map<String, String> out) {
    if (out.size() >= MAX_PARAMETERS) {
      return;
    }
    if (node.isObject() && !node.isEmpty()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(StrictJson.pointer(pointer, e.getKey()), e.getValue(), out);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(StrictJson.pointer(pointer, i), node.get(i), out);
      }
    } else {
      String v = node.isTextual() ? node.textValue() : node.toString();
      out.put(pointer.isEmpty() ? "/" : pointer, v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) + "..." : v);
    }
  }
}
