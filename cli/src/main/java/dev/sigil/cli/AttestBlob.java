package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.Subject;
import dev.sigil.signer.SignedStatement;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningSession;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** What {@code attest-blob} does, outside the picocli-reflected command class. */
final class AttestBlob {
  private final AttestBlobCommand cmd;

  AttestBlob(AttestBlobCommand cmd) {
    this.cmd = cmd;
  }

  /** What is verified after signing: each attested file, or each subject of a given statement, by its digest. */
  private record Target(String what, Artifact artifact) {}

  int run() throws CliException {
    SigningServices services = new SigningServices(cmd, cmd.services, cmd.tokens);
    services.checkFlags(cmd.key, cmd.tlogUpload);
    List<Target> targets = new ArrayList<>();
    Statement statement = cmd.statement != null ? givenStatement(targets) : newStatement(targets);
    SigningServices.Opened opened = services.open(cmd.key, cmd.tlogUpload);
    SigningSession session = opened.session();
    Bundle bundle;
    try {
      SignedStatement signed = session.signStatement(statement, true);
      bundle = signed.toBundle();
      for (Target t : targets) {
        session.requireVerified(bundle, t.artifact(), "attestation bundle (" + t.what() + ")");
      }
    } catch (SigningException e) {
      throw new CliException(session.logs() ? ExitCode.ENVIRONMENT : ExitCode.BAD_INPUT, e.getMessage());
    }
    try {
      AtomicFiles.write(cmd.bundle, new BundleWriter().write(bundle), false, true);
    } catch (IOException e) {
      throw CliException.environment("writing bundle " + cmd.bundle + " failed: " + e.getMessage(), e);
    }
    report(statement, session, bundle);
    return ExitCode.OK;
  }

  /** A new statement: the files as subjects (name and sha256), the predicate from --predicate and --type. */
  private Statement newStatement(List<Target> targets) throws CliException {
    if (cmd.predicate == null) {
      throw CliException.badInput("expected --predicate FILE (the predicate of a new statement about the files) or"
          + " --statement FILE (a statement to sign as it is), found neither");
    }
    if (cmd.files.isEmpty()) {
      throw CliException.badInput("expected at least one FILE to attest, found none (to sign a statement that names"
          + " its subjects already, use --statement)");
    }
    Predicates.Predicate predicate =
        Predicates.read(cmd.predicate, cmd.type == null ? "custom" : cmd.type, Instant.now());
    List<DigestSet> digests = FileDigests.of(cmd.files, Set.of(DigestAlgorithm.SHA256), "artifact");
    Statement.Builder b = Statement.builder().predicateType(predicate.type()).predicate(predicate.json());
    for (int i = 0; i < cmd.files.size(); i++) {
      Path name = cmd.files.get(i).getFileName();
      b.subject(name == null ? cmd.files.get(i).toString() : name.toString(), digests.get(i));
      targets.add(new Target("subject " + cmd.files.get(i), artifact(DigestAlgorithm.SHA256, digests.get(i))));
    }
    try {
      return b.build();
    } catch (AttestationException e) {
      throw CliException.badInput("statement: " + e.getMessage());
    }
  }

  /**
   * The statement --statement names, signed byte for byte. Each FILE given must be one of its subjects (by a digest of
   * an algorithm the subjects use); without FILEs, every subject with a SHA-2 digest is what the bundle is verified
   * against before it is written.
   */
  private Statement givenStatement(List<Target> targets) throws CliException {
    if (cmd.predicate != null) {
      throw CliException.badInput("--predicate and --statement: give one of them (a statement has its predicate)");
    }
    String what = "statement " + cmd.statement;
    Statement statement;
    try {
      statement = Statement.parse(InputFiles.readSmall(cmd.statement, "statement", Statement.MAX_PAYLOAD_BYTES));
    } catch (AttestationException e) {
      throw CliException.badInput(what + ": " + e.getMessage());
    }
    if (cmd.type != null) {
      String uri;
      try {
        uri = PredicateTypes.resolve(cmd.type);
      } catch (AttestationException e) {
        throw CliException.badInput("--type: " + e.getMessage());
      }
      if (!uri.equals(statement.predicateType())) {
        throw CliException.badInput(what + ": expected predicate type " + uri + " (--type " + cmd.type + "), found "
            + statement.predicateType());
      }
    }
    Set<DigestAlgorithm> algorithms = statement.subjectAlgorithms();
    if (algorithms.isEmpty()) {
      throw CliException.badInput(what + ": expected a subject with a sha256, sha384 or sha512 digest (the bundle is"
          + " verified against one before it is written), found none among " + statement.subjects().size()
          + " subject(s)");
    }
    if (cmd.files.isEmpty()) {
      for (Subject subject : statement.subjects()) {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
          if (subject.digest().get(a).isPresent()) {
            targets.add(new Target("subject " + subject.name(), artifact(a, subject.digest())));
            break;
          }
        }
      }
      return statement;
    }
    List<DigestSet> digests = FileDigests.of(cmd.files, algorithms, "artifact");
    for (int i = 0; i < cmd.files.size(); i++) {
      DigestSet d = digests.get(i);
      if (statement.subjectsMatching(d).isEmpty()) {
        List<String> names = new ArrayList<>();
        for (Subject subject : statement.subjects()) {
          names.add(subject.name());
          if (names.size() == 5) {
            names.add("...");
            break;
          }
        }
        throw CliException.badInput("artifact " + cmd.files.get(i) + ": expected one of the " + what + "'s "
            + statement.subjects().size() + " subject(s) " + names + " to name it by digest, found none with its "
            + d);
      }
      targets.add(new Target("subject " + cmd.files.get(i), artifact(commonAlgorithm(statement, d), d)));
    }
    return statement;
  }

  /** An algorithm by which a subject names the artifact with digests {@code d} (one exists: it matched). */
  private static DigestAlgorithm commonAlgorithm(Statement statement, DigestSet d) {
    Subject subject = statement.subjectsMatching(d).get(0);
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      if (subject.digest().get(a).isPresent() && subject.digest().get(a).equals(d.get(a))) {
        return a;
      }
    }
    throw new IllegalStateException("a matching subject shares no digest with the artifact");
  }

  /** The strongest SHA-2 digest of a subject, as {@code alg:hex}. */
  private static String shown(DigestSet d) {
    for (int i = DigestAlgorithm.values().length - 1; i >= 0; i--) {
      DigestAlgorithm a = DigestAlgorithm.values()[i];
      if (d.get(a).isPresent()) {
        return a.inTotoName() + ":" + d.get(a).get();
      }
    }
    return d.toString();
  }

  private static Artifact artifact(DigestAlgorithm algorithm, DigestSet digests) {
    byte[] raw = HexFormat.of().parseHex(digests.get(algorithm).orElseThrow());
    return Artifact.ofDigest(ArtifactDigests.of(algorithm), raw);
  }

  private void report(Statement statement, SigningSession session, Bundle bundle) {
    String noLog = "no transparency-log upload was made (key mode without --tlog-upload); verifiers will need"
        + " --insecure-ignore-tlog";
    if (cmd.global.json()) {
      ObjectNode n = cmd.jsonObject();
      n.put("ok", true);
      n.put("bundle", cmd.bundle.toString());
      n.put("predicateType", statement.predicateType());
      ArrayNode subjects = n.putArray("subjects");
      statement.subjects().forEach(s -> {
        ObjectNode o = subjects.addObject().put("name", s.name());
        s.digest().entries().forEach(o::put);
      });
      session.identity().ifPresent(id -> n.put("identity", id.subjectAlternativeName()).put("issuer", id.issuer()));
      n.put("tlogUpload", session.logs());
      bundle.tlogEntries().forEach(e -> n.put("logIndex", e.logIndex()));
      n.put("timestamps", bundle.rfc3161Timestamps().size());
      if (!session.logs()) {
        n.put("warning", noLog);
      }
      cmd.printJson(n);
    } else {
      cmd.info("Attested " + statement.subjects().size() + " subject(s) with predicate type " + statement.predicateType()
          + session.identity().map(id -> " as " + id.subjectAlternativeName() + " (issuer " + id.issuer() + ")")
              .orElse(" with " + session.algorithm().displayName() + " key"));
      for (var s : statement.subjects()) {
        cmd.info("  " + s.name() + " " + shown(s.digest()));
      }
      bundle.tlogEntries().forEach(e -> cmd.info("Transparency log: " + e.kind() + " " + e.kindVersion() + " entry " + e.logIndex()
          + session.rekor().map(r -> " at " + r.baseUrl()).orElse("")));
      cmd.info("Bundle verified and written to " + cmd.bundle);
    }
    if (!session.logs()) {
      cmd.warn(noLog);
    }
  }
}
