package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.ResourceDescriptor;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.Subject;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.cli.Inspection.CheckRow;
import dev.sigil.cli.Inspection.LogRow;
import dev.sigil.cli.Inspection.SignerView;
import dev.sigil.cli.Inspection.TimeRow;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.SubjectAlternativeName;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON view of an {@link Inspection}: {@code sigil inspect --output json}. The shape is stable: {@code schema} is
 * {@value #SCHEMA}; fields are only ever added, never renamed or removed, and a field without a value is {@code null}
 * (or an empty array or object), never absent. docs/inspect-json.md describes every field.
 */
final class InspectJson {
  static final String SCHEMA = "sigil-inspect/v1";

  private InspectJson() {}

  static ObjectNode of(Inspection i, int exitCode, ObjectNode n) {
    n.put("schema", SCHEMA);
    n.put("ok", i.ok());
    n.put("exitCode", exitCode);

    ObjectNode input = n.putObject("input");
    input.put("path", i.path());
    input.put("kind", i.kind().id);
    input.put("mediaType", i.mediaType().orElse(null));
    input.put("content", i.content().id);

    ObjectNode v = n.putObject("verification");
    v.put("status", i.status().id);
    v.put("summary", i.summary());
    v.put("artifact", i.artifact().orElse(null));
    ArrayNode checks = v.putArray("checks");
    for (CheckRow c : i.checks()) {
      checks.addObject()
          .put("check", c.check())
          .put("outcome", c.outcome())
          .put("reason", c.reason().orElse(null))
          .put("expected", c.expected())
          .put("found", c.found());
    }

    if (i.signer().isEmpty()) {
      n.putNull("signer");
    } else {
      signer(n.putObject("signer"), i.signer().get());
    }

    ArrayNode times = n.putArray("signingTimes");
    for (TimeRow t : i.times()) {
      times.addObject()
          .put("time", t.time().toString())
          .put("source", t.source())
          .put("authority", t.authority())
          .put("verified", t.verified());
    }
    ArrayNode logs = n.putArray("logEntries");
    for (LogRow l : i.logs()) {
      logs.addObject()
          .put("logUrl", l.url().orElse(null))
          .put("logId", l.logId())
          .put("logIndex", l.index())
          .put("kind", l.kind())
          .put("version", l.version())
          .put("integratedTime", l.integratedTime().map(Object::toString).orElse(null))
          .put("verified", l.verified());
    }

    n.put("messageDigest", i.messageDigest().orElse(null));
    n.put("payloadType", i.payloadType().orElse(null));
    if (i.statement().isEmpty()) {
      n.putNull("statement");
    } else {
      statement(n.putObject("statement"), i.statement().get());
    }
    n.put("statementError", i.statementError().orElse(null));

    if (i.provenance().isEmpty()) {
      n.putNull("provenance");
    } else {
      provenance(n.putObject("provenance"), i.provenance().get(), i.parameters());
    }
    n.put("provenanceError", i.provenanceError().orElse(null));
    ArrayNode pc = n.putArray("provenanceChecks");
    for (AttestationCheck.Result r : i.provenanceChecks()) {
      pc.addObject()
          .put("check", r.name())
          .put("outcome", r.passed() ? "passed" : "failed")
          .put("reason", r.passed() ? null : r.reason())
          .put("expected", r.expected())
          .put("found", r.found());
    }
    return n;
  }

  private static void signer(ObjectNode o, SignerView s) {
    o.put("kind", s.isCertificate() ? "certificate" : "key");
    o.put("verified", s.verified());
    Optional<CertificateSigner> c = s.certificate();
    o.put("identity", c.map(CertificateSigner::subjectAlternativeName).orElse(null));
    ArrayNode sans = o.putArray("subjectAlternativeNames");
    if (c.isPresent()) {
      for (SubjectAlternativeName san : c.get().subjectAlternativeNames()) {
        sans.addObject().put("type", san.type().label()).put("value", san.value());
      }
    }
    o.put("issuer", c.flatMap(CertificateSigner::issuer).orElse(null));
    ObjectNode claims = o.putObject("claims");
    if (c.isPresent()) {
      c.get().claims().forEach(claims::put);
    }
    o.put("certificateIssuer", c.map(CertificateSigner::certificateIssuer).orElse(null));
    o.put("notBefore", c.map(x -> x.notBefore().toString()).orElse(null));
    o.put("notAfter", c.map(x -> x.notAfter().toString()).orElse(null));
    o.put("certificateError", s.certificateError().orElse(null));
    o.put("keyHint", s.key().isPresent() ? s.key().get().hint().orElse(null) : s.keyHint().orElse(null));
    o.put("keyAlgorithm", s.key().map(k -> k.algorithm()).orElse(null));
    o.put("keyFingerprint", s.key().map(k -> "sha256:" + k.fingerprint()).orElse(null));
  }

  private static void statement(ObjectNode o, Statement s) {
    o.put("type", s.type());
    o.put("predicateType", s.predicateType());
    o.put("predicateName", PredicateTypes.describe(s.predicateType()).orElse(null));
    ArrayNode subjects = o.putArray("subjects");
    for (Subject sub : s.subjects()) {
      ObjectNode so = subjects.addObject();
      so.put("name", sub.name());
      digest(so.putObject("digest"), sub.digest());
    }
  }

  private static void provenance(ObjectNode o, ProvenanceSummary p, Map<String, String> parameters) {
    o.put("predicateType", p.predicateType());
    o.put("builderId", p.builderId());
    o.put("buildType", p.buildType());
    o.put("source", p.source().orElse(null));
    o.put("sourceRepository", p.sourceRepository().orElse(null));
    o.put("sourceRef", p.sourceRef().orElse(null));
    o.put("sourceCommit", p.sourceCommit().orElse(null));
    o.put("trigger", p.trigger().orElse(null));
    o.put("entryPoint", p.buildConfigPath().orElse(null));
    o.put("invocationId", p.invocationId().orElse(null));
    o.put("startedOn", p.startedOn().map(Object::toString).orElse(null));
    o.put("finishedOn", p.finishedOn().map(Object::toString).orElse(null));
    ObjectNode ci = o.putObject("ci");
    p.ci().forEach(ci::put);
    ObjectNode params = o.putObject("parameters");
    parameters.forEach(params::put);
    ArrayNode deps = o.putArray("dependencies");
    for (ResourceDescriptor d : p.dependencies()) {
      ObjectNode dn = deps.addObject();
      dn.put("name", d.name().orElse(null));
      dn.put("uri", d.uri().orElse(null));
      digest(dn.putObject("digest"), d.digest());
    }
  }

  private static void digest(ObjectNode o, DigestSet d) {
    d.entries().forEach(o::put);
  }
}
