package dev.sigil.cli;

import dev.sigil.attestations.Subject;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.attestations.ResourceDescriptor;
import dev.sigil.cli.Inspection.CheckRow;
import dev.sigil.cli.Inspection.LogRow;
import dev.sigil.cli.Inspection.SignerView;
import dev.sigil.cli.Inspection.Status;
import dev.sigil.cli.Inspection.TimeRow;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.SubjectAlternativeName;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The text view of an {@link Inspection}, in the order people ask: whether it was verified, who signed, when, where
 * it is logged, what it covers, then for provenance how it was built. Every value from the input passes through
 * {@link TerminalText#safe}; values not established by verification are marked "(claimed)".
 */
final class InspectText {
  /** The most subjects listed (the JSON and HTML views list them all). */
  static final int MAX_SUBJECTS = 50;

  private InspectText() {}

  static void print(Inspection i, PrintWriter out) {
    String what = i.kind().title + (i.mediaType().isPresent() ? " (" + i.mediaType().get() + ")" : "");
    if (i.kind() == Inspection.Kind.BUNDLE) {
      what += ", " + i.content().title;
    }
    out.println(safe(i.path()) + ": " + safe(what));
    out.println(safe(i.summary()));
    String claimed = i.status() == Status.VERIFIED ? "" : " (claimed)";

    if (i.signer().isPresent()) {
      section(out, "Who signed" + claimed);
      SignerView s = i.signer().get();
      if (s.certificate().isPresent()) {
        CertificateSigner c = s.certificate().get();
        row(out, "identity", c.subjectAlternativeName());
        for (SubjectAlternativeName san : c.subjectAlternativeNames()) {
          if (!san.value().equals(c.subjectAlternativeName())) {
            row(out, "also", san.describe());
          }
        }
        row(out, "issuer", c.issuer().orElse("none in the certificate"));
        boolean first = true;
        for (Map.Entry<String, String> e : c.claims().entrySet()) {
          row(out, first ? "CI claims" : "", e.getKey() + " = " + e.getValue());
          first = false;
        }
        row(out, "certificate", "issued by " + c.certificateIssuer() + ", valid " + c.notBefore() + " to " + c.notAfter());
      } else if (s.certificateError().isPresent()) {
        row(out, "certificate", "unreadable: " + s.certificateError().get());
      } else if (s.key().isPresent()) {
        row(out, "key", s.key().get().algorithm() + " sha256:" + s.key().get().fingerprint());
        s.key().get().hint().ifPresent(h -> row(out, "key hint", h));
      } else {
        row(out, "key", "a public key" + (s.keyHint().isPresent() ? " with hint " + s.keyHint().get() : " (no hint)")
            + "; which key is known only by verifying with --key");
      }
    }

    if (i.content() != Inspection.Content.STATEMENT) {
      section(out, "When");
      if (i.times().isEmpty()) {
        row(out, "", "no log integrated time or RFC 3161 timestamp"
            + (i.status() == Status.VERIFIED ? " was verified" : " in the input"));
      }
      for (TimeRow t : i.times()) {
        row(out, t.time().toString(), (t.source().equals(TimeRow.LOG) ? "log integrated time, " : "RFC 3161 timestamp, ")
            + t.authority() + (t.verified() ? " (verified)" : " (claimed)"));
      }
      section(out, "Where logged");
      if (i.logs().isEmpty()) {
        row(out, "", "no transparency-log entry");
      }
      for (LogRow l : i.logs()) {
        row(out, l.url().orElse("unknown log " + l.logId()),
            "index " + l.index() + ", " + l.kind() + " " + l.version() + (l.verified() ? " (verified)" : " (claimed)"));
      }
    }

    section(out, "What it covers" + claimed);
    if (i.messageDigest().isPresent()) {
      row(out, "digest", i.messageDigest().get());
    } else if (i.content() == Inspection.Content.MESSAGE_SIGNATURE) {
      row(out, "digest", "none recorded");
    }
    if (i.statement().isPresent()) {
      int n = 0;
      for (Subject s : i.statement().get().subjects()) {
        if (n++ == MAX_SUBJECTS) {
          row(out, "", "... and " + (i.statement().get().subjects().size() - MAX_SUBJECTS) + " more subjects");
          break;
        }
        row(out, s.name().isEmpty() ? "(no name)" : s.name(), s.digest().toString());
      }
      section(out, "Predicate");
      row(out, "type", AttestationChecks.describeType(i.statement().get().predicateType()));
    }
    if (i.statementError().isPresent()) {
      row(out, "payload", "not an in-toto statement: " + i.statementError().get());
    }

    if (i.provenance().isPresent()) {
      ProvenanceSummary p = i.provenance().get();
      section(out, "Provenance" + claimed);
      row(out, "builder", p.builderId());
      row(out, "build type", p.buildType());
      row(out, "source", p.source().orElse("-"));
      row(out, "commit", p.sourceCommit().orElse("-"));
      row(out, "ref", p.sourceRef().orElse("-"));
      p.trigger().filter(t -> !t.equals(p.source().orElse(""))).ifPresent(t -> row(out, "trigger", t));
      row(out, "entry point", p.buildConfigPath().orElse("-"));
      row(out, "invocation", p.invocationId().orElse("-"));
      row(out, "started", p.startedOn().map(Object::toString).orElse("-"));
      row(out, "finished", p.finishedOn().map(Object::toString).orElse("-"));
      boolean first = true;
      for (Map.Entry<String, String> e : p.ci().entrySet()) {
        row(out, first ? "CI" : "", e.getKey() + " = " + e.getValue());
        first = false;
      }
      first = true;
      for (Map.Entry<String, String> e : i.parameters().entrySet()) {
        row(out, first ? "parameters" : "", e.getKey() + " = " + e.getValue());
        first = false;
      }
      first = true;
      for (ResourceDescriptor d : p.dependencies()) {
        row(out, first ? "dependencies" : "", describe(d));
        first = false;
      }
    }
    if (i.provenanceError().isPresent()) {
      section(out, "Provenance");
      row(out, "malformed", i.provenanceError().get());
    }
    if (!i.provenanceChecks().isEmpty()) {
      section(out, "Provenance vs certificate" + claimed);
      for (AttestationCheck.Result r : i.provenanceChecks()) {
        String name = r.name().startsWith("slsa certificate-") ? r.name().substring("slsa certificate-".length()) : r.name();
        row(out, name, r.passed()
            ? "agrees (" + r.found() + ")"
            : "DIFFERS: the certificate says " + r.expected() + ", the provenance " + r.found());
      }
    }
    if (!i.checks().isEmpty()) {
      section(out, "Checks");
      for (CheckRow c : i.checks()) {
        row(out, c.outcome(), c.check() + ": " + (c.outcome().equals("failed") ? "expected " + c.expected() + ", found " : "") + c.found());
      }
    }
    out.flush();
  }

  static String describe(ResourceDescriptor d) {
    StringBuilder b = new StringBuilder();
    d.name().ifPresent(n -> b.append(n).append(' '));
    d.uri().ifPresent(b::append);
    if (!d.digest().isEmpty()) {
      b.append(b.length() > 0 ? " " : "").append(d.digest());
    }
    return b.toString();
  }

  private static void section(PrintWriter out, String title) {
    out.println();
    out.println(title);
  }

  private static void row(PrintWriter out, String label, String value) {
    StringBuilder b = new StringBuilder("  ").append(safe(label));
    while (b.length() < 16) {
      b.append(' ');
    }
    out.println(b.append(' ').append(safe(value)));
  }

  private static String safe(String s) {
    return TerminalText.safe(s);
  }
}
