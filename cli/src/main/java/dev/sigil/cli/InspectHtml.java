package dev.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.ResourceDescriptor;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.Subject;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.cli.Inspection.CheckRow;
import dev.sigil.cli.Inspection.LogRow;
import dev.sigil.cli.Inspection.SignerView;
import dev.sigil.cli.Inspection.Status;
import dev.sigil.cli.Inspection.TimeRow;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.SubjectAlternativeName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The HTML view of an {@link Inspection}: one self-contained page, {@code sigil inspect --html FILE}. No scripts, no
 * external assets, nothing fetched: styles are inline, the provenance graph (source repository at its commit, the
 * build, the artifacts, the signature or attestation) is inline SVG, and the raw documents are folded away in
 * {@code <details>}. A Content-Security-Policy of {@code default-src 'none'} (inline styles and data: images only)
 * makes the browser refuse anything else, should it ever appear.
 *
 * <p>The input is untrusted: every value taken from it goes through {@link #esc}, which escapes {@code & < > " '} and
 * replaces control characters, in text and in attribute values alike; nothing from the input is ever placed in a
 * tag name, an attribute name, a style, a URL or a comment.
 */
final class InspectHtml {
  /** The most subjects drawn in the graph (all are listed in the tables). */
  static final int GRAPH_SUBJECTS = 6;
  /** Characters per line inside a graph node before it is cut (the whole value is in the node's tooltip). */
  static final int NODE_CHARS = 35;

  private static final int NODE_W = 260;
  private static final int LINE_H = 17;
  private static final int PAD = 12;
  private static final int GAP_X = 50;
  private static final int GAP_Y = 16;
  private static final int MARGIN = 20;

  private static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

  private static final String STYLE =
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}"
          + "header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 28px}"
          + "h1{font-size:20px;margin:0 0 4px;word-break:break-all}h2{font-size:16px;margin:24px 0 8px}"
          + "main{padding:0 28px 28px}.kind{color:#57606a;margin:0 0 10px}"
          + ".status{padding:10px 14px;border-radius:6px;font-weight:600;word-break:break-word}"
          + ".s-verified{background:#dafbe1;color:#116329;border:1px solid #4ac26b}"
          + ".s-not-verified{background:#fff8c5;color:#7d4e00;border:1px solid #d4a72c}"
          + ".s-failed{background:#ffebe9;color:#a40e26;border:1px solid #ff8182}"
          + ".card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:12px 0;overflow-x:auto}"
          + "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;"
          + "border-bottom:1px solid #eaeef2}th{width:180px;color:#57606a;font-weight:500}"
          + "td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}"
          + ".ok{color:#116329;font-weight:600}.bad{color:#a40e26;font-weight:600}.muted{color:#57606a}"
          + "pre{background:#f6f8fa;padding:10px;border-radius:6px;overflow:auto;max-height:480px;font-size:12px;"
          + "white-space:pre-wrap;word-break:break-all}details{margin:8px 0}summary{cursor:pointer;font-weight:600}"
          + "svg{max-width:100%;height:auto}footer{color:#57606a;font-size:12px;padding:0 28px 24px}";

  private InspectHtml() {}

  static String render(Inspection i) {
    StringBuilder b = new StringBuilder(16384 + i.document().length * 2);
    String status = i.status().id;
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Sigil inspect: ").append(esc(fileName(i.path()))).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<header>\n")
        .append("<h1>").append(esc(i.path())).append("</h1>\n")
        .append("<p class=\"kind\">").append(esc(i.kind().title))
        .append(i.mediaType().isPresent() ? " (" + esc(i.mediaType().get()) + ")" : "")
        .append(i.kind() == Inspection.Kind.BUNDLE ? ", " + esc(i.content().title) : "").append("</p>\n")
        .append("<div class=\"status s-").append(status).append("\" id=\"status\">").append(esc(i.summary())).append("</div>\n")
        .append("</header>\n<main>\n");

    b.append("<h2>Provenance graph</h2>\n<div class=\"card\" id=\"graph\">\n");
    graph(b, i);
    b.append("</div>\n");

    String claimed = i.status() == Status.VERIFIED ? "" : " <span class=\"muted\">(claimed, not verified)</span>";
    if (i.signer().isPresent()) {
      b.append("<h2>Who signed").append(claimed).append("</h2>\n<div class=\"card\"><table>\n");
      signer(b, i.signer().get());
      b.append("</table></div>\n");
    }
    if (i.content() != Inspection.Content.STATEMENT) {
      b.append("<h2>When</h2>\n<div class=\"card\"><table>\n");
      if (i.times().isEmpty()) {
        row(b, "time", "none " + (i.status() == Status.VERIFIED ? "verified" : "in the input"));
      }
      for (TimeRow t : i.times()) {
        rowHtml(
            b,
            esc(t.time().toString()),
            esc((t.source().equals(TimeRow.LOG) ? "log integrated time, " : "RFC 3161 timestamp, ") + t.authority())
                + verifiedMark(t.verified()));
      }
      b.append("</table></div>\n<h2>Where logged</h2>\n<div class=\"card\"><table>\n");
      if (i.logs().isEmpty()) {
        row(b, "log", "no transparency-log entry");
      }
      for (LogRow l : i.logs()) {
        rowHtml(
            b,
            esc(l.url().orElse("unknown log " + l.logId())),
            esc("index " + l.index() + ", " + l.kind() + " " + l.version()
                    + (l.integratedTime().isPresent() ? ", integrated " + l.integratedTime().get() : ""))
                + verifiedMark(l.verified()));
      }
      b.append("</table></div>\n");
    }
    b.append("<h2>What it covers").append(claimed).append("</h2>\n<div class=\"card\"><table>\n");
    if (i.messageDigest().isPresent()) {
      row(b, "digest", i.messageDigest().get());
    }
    if (i.statement().isPresent()) {
      for (Subject s : i.statement().get().subjects()) {
        row(b, s.name().isEmpty() ? "(no name)" : s.name(), s.digest().toString());
      }
      row(b, "predicate type", AttestationChecks.describeType(i.statement().get().predicateType()));
    }
    if (i.statementError().isPresent()) {
      row(b, "payload", "not an in-toto statement: " + i.statementError().get());
    }
    b.append("</table></div>\n");

    if (i.provenance().isPresent()) {
      ProvenanceSummary p = i.provenance().get();
      b.append("<h2>Provenance").append(claimed).append("</h2>\n<div class=\"card\"><table>\n");
      row(b, "builder", p.builderId());
      row(b, "build type", p.buildType());
      row(b, "source", p.source().orElse("-"));
      row(b, "commit", p.sourceCommit().orElse("-"));
      row(b, "ref", p.sourceRef().orElse("-"));
      row(b, "trigger", p.trigger().orElse("-"));
      row(b, "entry point", p.buildConfigPath().orElse("-"));
      row(b, "invocation", p.invocationId().orElse("-"));
      row(b, "started", p.startedOn().map(Object::toString).orElse("-"));
      row(b, "finished", p.finishedOn().map(Object::toString).orElse("-"));
      for (Map.Entry<String, String> e : p.ci().entrySet()) {
        row(b, "CI " + e.getKey(), e.getValue());
      }
      for (Map.Entry<String, String> e : i.parameters().entrySet()) {
        row(b, "parameter " + e.getKey(), e.getValue());
      }
      for (ResourceDescriptor d : p.dependencies()) {
        row(b, "dependency", InspectText.describe(d));
      }
      b.append("</table></div>\n");
    }
    if (i.provenanceError().isPresent()) {
      b.append("<h2>Provenance</h2>\n<div class=\"card\"><table>\n");
      row(b, "malformed", i.provenanceError().get());
      b.append("</table></div>\n");
    }

    if (!i.checks().isEmpty() || !i.provenanceChecks().isEmpty()) {
      b.append("<h2>Checks</h2>\n<div class=\"card\" id=\"checks\"><table>\n")
          .append("<tr><th>check</th><td class=\"muted\">outcome: expected / found</td></tr>\n");
      for (CheckRow c : i.checks()) {
        check(b, c.check(), c.outcome(), c.expected(), c.found());
      }
      for (AttestationCheck.Result r : i.provenanceChecks()) {
        check(b, "provenance vs certificate: " + r.name(), r.passed() ? "passed" : "failed", r.expected(), r.found());
      }
      b.append("</table></div>\n");
    }

    b.append("<h2>Raw documents</h2>\n<div class=\"card\" id=\"raw\">\n");
    details(b, "Input as read (" + i.document().length + " bytes)", new String(i.document(), StandardCharsets.UTF_8));
    if (i.statement().isPresent()) {
      details(b, "In-toto statement (payload, formatted)", pretty(i.statement().get()));
    }
    if (i.signer().isPresent() && i.signer().get().certificate().isPresent()) {
      details(b, "Signing certificate (PEM)", pem(i.signer().get().certificate().get().certificate()));
    }
    b.append("</div>\n</main>\n<footer>Written by sigil inspect. Self-contained: this page loads nothing and runs no"
        + " scripts.</footer>\n</body>\n</html>\n");
    return b.toString();
  }

  // ------------------------------------------------------------------------------------------------- graph

  /** A graph node: a title, lines of text (cut to fit, whole in the tooltip), and a colour class. */
  private record Node(String title, List<String> lines, String fill, String stroke) {
    int height() {
      return PAD * 2 + LINE_H * (1 + lines.size());
    }
  }

  private static void graph(StringBuilder b, Inspection i) {
    List<List<Node>> columns = new ArrayList<>();
    if (i.provenance().isPresent()) {
      ProvenanceSummary p = i.provenance().get();
      List<String> src = new ArrayList<>();
      src.add(p.sourceRepository().map(InspectHtml::shortUri).orElse("(no source recorded)"));
      p.sourceRef().ifPresent(r -> src.add("ref " + r));
      p.sourceCommit().ifPresent(c -> src.add("commit " + (c.length() > 12 ? c.substring(0, 12) : c)));
      columns.add(List.of(new Node("Source", src, "#ddf4ff", "#54aeff")));
      List<String> build = new ArrayList<>();
      build.add(shortUri(p.builderId()));
      build.add("type " + shortUri(p.buildType()));
      p.buildConfigPath().ifPresent(e -> build.add("entry " + e));
      p.invocationId().ifPresent(v -> build.add("run " + shortUri(v)));
      columns.add(List.of(new Node("Build", build, "#fbefff", "#c297ff")));
    }
    List<Node> artifacts = new ArrayList<>();
    if (i.statement().isPresent()) {
      List<Subject> subjects = i.statement().get().subjects();
      for (int k = 0; k < subjects.size() && k < GRAPH_SUBJECTS; k++) {
        Subject s = subjects.get(k);
        List<String> lines = new ArrayList<>();
        lines.add(s.name().isEmpty() ? "(no name)" : s.name());
        for (Map.Entry<String, String> d : s.digest().entries().entrySet()) {
          lines.add(d.getKey() + ":" + d.getValue());
        }
        artifacts.add(new Node("Artifact", lines, "#fff8c5", "#d4a72c"));
      }
      if (subjects.size() > GRAPH_SUBJECTS) {
        artifacts.add(new Node("More artifacts", List.of((subjects.size() - GRAPH_SUBJECTS) + " more subjects"), "#fff8c5", "#d4a72c"));
      }
    } else if (i.messageDigest().isPresent()) {
      artifacts.add(new Node("Artifact", List.of(i.messageDigest().get()), "#fff8c5", "#d4a72c"));
    } else {
      artifacts.add(new Node("Artifact", List.of(i.statementError().isPresent() ? "(payload is not a statement)" : "(no digest recorded)"), "#fff8c5", "#d4a72c"));
    }
    columns.add(artifacts);

    List<String> sig = new ArrayList<>();
    String title;
    if (i.content() == Inspection.Content.STATEMENT) {
      title = "Statement (unsigned)";
    } else {
      title = i.content() == Inspection.Content.DSSE_ENVELOPE ? "Attestation" : "Signature";
    }
    if (i.statement().isPresent()) {
      String type = i.statement().get().predicateType();
      sig.add(PredicateTypes.describe(type).orElse(shortUri(type)));
    }
    if (i.signer().isPresent()) {
      SignerView s = i.signer().get();
      if (s.certificate().isPresent()) {
        sig.add("by " + shortUri(s.certificate().get().subjectAlternativeName()));
        s.certificate().get().issuer().ifPresent(x -> sig.add("issuer " + shortUri(x)));
      } else if (s.key().isPresent()) {
        sig.add("by key " + s.key().get().algorithm() + " sha256:" + s.key().get().fingerprint());
      } else {
        sig.add(s.certificateError().isPresent() ? "certificate unreadable" : "by a public key" + s.keyHint().map(h -> " (" + h + ")").orElse(""));
      }
    }
    for (LogRow l : i.logs()) {
      sig.add("log " + shortUri(l.url().orElse(l.logId())) + " #" + l.index());
    }
    if (!i.times().isEmpty()) {
      sig.add("at " + i.times().get(0).time());
    }
    sig.add(switch (i.status()) {
      case VERIFIED -> "VERIFIED";
      case FAILED -> "VERIFICATION FAILED";
      case NOT_VERIFIED -> "NOT VERIFIED";
    });
    String fill = switch (i.status()) {
      case VERIFIED -> "#dafbe1";
      case FAILED -> "#ffebe9";
      case NOT_VERIFIED -> "#fff8c5";
    };
    String stroke = switch (i.status()) {
      case VERIFIED -> "#4ac26b";
      case FAILED -> "#ff8182";
      case NOT_VERIFIED -> "#d4a72c";
    };
    columns.add(List.of(new Node(title, sig, fill, stroke)));

    // Layout: columns left to right, each column's nodes stacked and centred vertically.
    int height = 0;
    for (List<Node> col : columns) {
      height = Math.max(height, columnHeight(col));
    }
    int width = MARGIN * 2 + columns.size() * NODE_W + (columns.size() - 1) * GAP_X;
    int total = height + MARGIN * 2;
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"graph-title\" width=\"")
        .append(width).append("\" height=\"").append(total).append("\" viewBox=\"0 0 ").append(width).append(' ')
        .append(total).append("\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n")
        .append("<title id=\"graph-title\">Provenance graph: source, build, artifacts, signature</title>\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
            + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/>"
            + "</marker></defs>\n");
    int[][] ys = new int[columns.size()][];
    for (int c = 0; c < columns.size(); c++) {
      List<Node> col = columns.get(c);
      int y = MARGIN + (height - columnHeight(col)) / 2;
      ys[c] = new int[col.size()];
      for (int k = 0; k < col.size(); k++) {
        ys[c][k] = y;
        y += col.get(k).height() + GAP_Y;
      }
    }
    // Edges first, so nodes are drawn over them.
    for (int c = 0; c + 1 < columns.size(); c++) {
      int x1 = MARGIN + c * (NODE_W + GAP_X) + NODE_W;
      int x2 = x1 + GAP_X;
      for (int k = 0; k < columns.get(c).size(); k++) {
        int y1 = ys[c][k] + columns.get(c).get(k).height() / 2;
        for (int m = 0; m < columns.get(c + 1).size(); m++) {
          int y2 = ys[c + 1][m] + columns.get(c + 1).get(m).height() / 2;
          b.append("<path d=\"M").append(x1).append(',').append(y1).append(" C").append(x1 + GAP_X / 2).append(',')
              .append(y1).append(' ').append(x2 - GAP_X / 2).append(',').append(y2).append(' ').append(x2 - 2)
              .append(',').append(y2).append("\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.5\""
                  + " marker-end=\"url(#arrow)\"/>\n");
        }
      }
    }
    for (int c = 0; c < columns.size(); c++) {
      int x = MARGIN + c * (NODE_W + GAP_X);
      for (int k = 0; k < columns.get(c).size(); k++) {
        node(b, columns.get(c).get(k), x, ys[c][k]);
      }
    }
    b.append("</svg>\n");
  }

  private static int columnHeight(List<Node> col) {
    int h = 0;
    for (Node n : col) {
      h += n.height();
    }
    return h + GAP_Y * (col.size() - 1);
  }

  private static void node(StringBuilder b, Node n, int x, int y) {
    StringBuilder tip = new StringBuilder(n.title());
    for (String l : n.lines()) {
      tip.append('\n').append(l);
    }
    b.append("<g class=\"node\"><title>").append(esc(tip.toString())).append("</title>")
        .append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(NODE_W)
        .append("\" height=\"").append(n.height()).append("\" rx=\"8\" fill=\"").append(n.fill())
        .append("\" stroke=\"").append(n.stroke()).append("\" stroke-width=\"1.5\"/>")
        .append("<text x=\"").append(x + PAD).append("\" y=\"").append(y + PAD + 12)
        .append("\" font-weight=\"700\" fill=\"#1f2328\">").append(esc(n.title())).append("</text>");
    int ly = y + PAD + 12 + LINE_H;
    for (String l : n.lines()) {
      b.append("<text x=\"").append(x + PAD).append("\" y=\"").append(ly).append("\" fill=\"#24292f\">")
          .append(esc(cut(l))).append("</text>");
      ly += LINE_H;
    }
    b.append("</g>\n");
  }

  private static String cut(String s) {
    return s.length() <= NODE_CHARS ? s : s.substring(0, NODE_CHARS - 1) + "\u2026";
  }

  /** A URI without {@code git+} and {@code https://}, for a node line (the tooltip has it whole). */
  private static String shortUri(String uri) {
    String s = uri.startsWith("git+") ? uri.substring(4) : uri;
    return s.startsWith("https://") ? s.substring(8) : s;
  }

  // ------------------------------------------------------------------------------------------------ tables

  private static void signer(StringBuilder b, SignerView s) {
    if (s.certificate().isPresent()) {
      CertificateSigner c = s.certificate().get();
      row(b, "identity", c.subjectAlternativeName());
      for (SubjectAlternativeName san : c.subjectAlternativeNames()) {
        row(b, "SAN (" + san.type().label() + ")", san.value());
      }
      row(b, "issuer", c.issuer().orElse("none in the certificate"));
      for (Map.Entry<String, String> e : c.claims().entrySet()) {
        row(b, e.getKey(), e.getValue());
      }
      row(b, "certificate", "issued by " + c.certificateIssuer() + ", valid " + c.notBefore() + " to " + c.notAfter());
    } else if (s.certificateError().isPresent()) {
      row(b, "certificate", "unreadable: " + s.certificateError().get());
    } else if (s.key().isPresent()) {
      row(b, "key", s.key().get().algorithm() + " sha256:" + s.key().get().fingerprint());
      s.key().get().hint().ifPresent(h -> row(b, "key hint", h));
    } else {
      row(b, "key", "a public key" + s.keyHint().map(h -> " with hint " + h).orElse(" (no hint)")
          + "; which key is known only by verifying with --key");
    }
  }

  private static void check(StringBuilder b, String name, String outcome, String expected, String found) {
    String cls = outcome.equals("passed") ? "ok" : outcome.equals("failed") ? "bad" : "muted";
    rowHtml(
        b,
        esc(name),
        "<span class=\"" + cls + "\">" + esc(outcome) + "</span>: "
            + (outcome.equals("failed") ? "expected " + esc(expected) + ", found " + esc(found) : esc(found)));
  }

  private static String verifiedMark(boolean verified) {
    return verified ? " <span class=\"ok\">verified</span>" : " <span class=\"muted\">(claimed)</span>";
  }

  private static void row(StringBuilder b, String label, String value) {
    rowHtml(b, esc(label), esc(value));
  }

  private static void rowHtml(StringBuilder b, String labelHtml, String valueHtml) {
    b.append("<tr><th>").append(labelHtml).append("</th><td>").append(valueHtml).append("</td></tr>\n");
  }

  private static void details(StringBuilder b, String summary, String text) {
    b.append("<details><summary>").append(esc(summary)).append("</summary><pre>").append(esc(text))
        .append("</pre></details>\n");
  }

  private static String pretty(Statement s) {
    try {
      JsonNode n = StrictJson.parse(s.payload(), Statement.MAX_PAYLOAD_BYTES);
      return BaseCommand.toJson(n);
    } catch (AttestationException e) {
      return new String(s.payload(), StandardCharsets.UTF_8);
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /**
   * Text from the input, safe in HTML text and in double- or single-quoted attribute values: {@code & < > " '}
   * escaped, control characters other than tab, CR and LF (and unpaired surrogates) replaced by U+FFFD.
   */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        case '\n', '\r', '\t' -> b.append(c);
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            b.append('\ufffd');
          } else if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
            b.append(c).append(s.charAt(++k));
          } else if (Character.isSurrogate(c)) {
            b.append('\ufffd');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
