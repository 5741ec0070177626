package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Statement;
import dev.sigil.signer.SignedStatement;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningSession;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** What {@code attest-blob} does, outside the picocli-reflected command class. */
final class AttestBlob {
  private final AttestBlobCommand cmd;

  AttestBlob(AttestBlobCommand cmd) {
    this.cmd = cmd;
  }

  int run() throws CliException {
    SigningServices services = new SigningServices(cmd, cmd.services, cmd.tokens);
    services.checkFlags(cmd.key, cmd.tlogUpload);
    Predicates.Predicate predicate = Predicates.read(cmd.predicate, cmd.type, Instant.now());
    List<DigestSet> digests = FileDigests.of(cmd.files, Set.of(DigestAlgorithm.SHA256), "artifact");
    Statement.Builder b = Statement.builder().predicateType(predicate.type()).predicate(predicate.json());
    for (int i = 0; i < cmd.files.size(); i++) {
      Path name = cmd.files.get(i).getFileName();
      b.subject(name == null ? cmd.files.get(i).toString() : name.toString(), digests.get(i));
    }
    Statement statement;
    try {
      statement = b.build();
    } catch (AttestationException e) {
      throw CliException.badInput("statement: " + e.getMessage());
    }
    SigningServices.Opened opened = services.open(cmd.key, cmd.tlogUpload);
    SigningSession session = opened.session();
    Bundle bundle;
    try {
      SignedStatement signed = session.signStatement(statement, true);
      bundle = signed.toBundle();
      for (int i = 0; i < cmd.files.size(); i++) {
        byte[] sha256 = HexFormat.of().parseHex(digests.get(i).get(DigestAlgorithm.SHA256).orElseThrow());
        session.requireVerified(bundle, Artifact.ofDigest(HashAlgorithm.SHA2_256, sha256),
            "attestation bundle (subject " + cmd.files.get(i) + ")");
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

  private void report(Statement statement, SigningSession session, Bundle bundle) {
    String noLog = "no transparency-log upload was made (key mode without --tlog-upload); verifiers will need"
        + " --insecure-ignore-tlog";
    if (cmd.global.json()) {
      ObjectNode n = cmd.jsonObject();
      n.put("ok", true);
      n.put("bundle", cmd.bundle.toString());
      n.put("predicateType", statement.predicateType());
      ArrayNode subjects = n.putArray("subjects");
      statement.subjects().forEach(s -> subjects.addObject().put("name", s.name())
          .put("sha256", s.digest().get(DigestAlgorithm.SHA256).orElse("")));
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
        cmd.info("  " + s.name() + " sha256:" + s.digest().get(DigestAlgorithm.SHA256).orElse(""));
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
