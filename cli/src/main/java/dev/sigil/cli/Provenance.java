package dev.sigil.cli;

import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.provenance.ProvenanceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@code provenance} does, outside the picocli-reflected command class. */
final class Provenance {
  private final ProvenanceCommand cmd;

  Provenance(ProvenanceCommand cmd) {
    this.cmd = cmd;
  }

  int run() throws CliException {
    Instant started = Instant.now();
    if (cmd.subjects.isEmpty() && cmd.subjectDigests.isEmpty()) {
      throw CliException.badInput("usage: expected --subject FILE or --subject-digest NAME=ALG:HEX, found neither");
    }
    Map<String, DigestSet> byDigest = new LinkedHashMap<>();
    for (String s : cmd.subjectDigests) {
      int eq = s.lastIndexOf('=');
      if (eq <= 0) {
        throw CliException.badInput("--subject-digest: expected NAME=ALG:HEX, found \"" + s + "\"");
      }
      try {
        byDigest.put(s.substring(0, eq), DigestSet.parseArtifactDigest(s.substring(eq + 1)));
      } catch (AttestationException e) {
        throw CliException.badInput("--subject-digest " + s.substring(0, eq) + ": " + e.getMessage());
      }
    }
    ProvenanceBuilder builder = builder();
    List<DigestSet> digests = FileDigests.of(cmd.subjects, Set.of(DigestAlgorithm.SHA256), "subject");
    for (int i = 0; i < cmd.subjects.size(); i++) {
      Path name = cmd.subjects.get(i).getFileName();
      builder.subject(name == null ? cmd.subjects.get(i).toString() : name.toString(), digests.get(i));
    }
    byDigest.forEach(builder::subject);
    Statement statement;
    try {
      statement = builder.startedOn(started).build();
    } catch (AttestationException e) {
      throw CliException.badInput("provenance: " + e.getMessage());
    }
    byte[] json = statement.payload();
    if (cmd.outputFile == null) {
      cmd.terminal.out().println(new String(json, StandardCharsets.UTF_8));
      cmd.terminal.out().flush();
    } else {
      try {
        AtomicFiles.write(cmd.outputFile, json, false, true);
      } catch (IOException e) {
        throw CliException.environment("writing " + cmd.outputFile + " failed: " + e.getMessage(), e);
      }
      cmd.terminal.err().println("Provenance (" + builder.platform() + ", " + statement.subjects().size()
          + " subject(s)) written to " + cmd.outputFile);
    }
    return ExitCode.OK;
  }

  private boolean generic() {
    return cmd.builderId != null || cmd.buildType != null || cmd.sourceUri != null || !cmd.sourceDigests.isEmpty()
        || !cmd.params.isEmpty() || cmd.invocationId != null;
  }

  private ProvenanceBuilder builder() throws CliException {
    if (!generic()) {
      try {
        return ProvenanceBuilder.fromEnvironment(cmd.terminal.env());
      } catch (AttestationException e) {
        throw CliException.badInput("CI environment: " + e.getMessage() + " (generic: --builder-id and --build-type)");
      }
    }
    if (cmd.builderId == null || cmd.buildType == null) {
      throw CliException.badInput("generic provenance: expected both --builder-id and --build-type, found "
          + (cmd.builderId == null ? "no --builder-id" : "no --build-type"));
    }
    if ((cmd.sourceUri == null) != cmd.sourceDigests.isEmpty()) {
      throw CliException.badInput("generic provenance: expected --source-uri and --source-digest together, found "
          + (cmd.sourceUri == null ? "no --source-uri" : "no --source-digest"));
    }
    try {
      ProvenanceBuilder b = ProvenanceBuilder.generic(cmd.builderId, cmd.buildType);
      if (cmd.sourceUri != null) {
        Map<String, String> d = new LinkedHashMap<>();
        for (String s : cmd.sourceDigests) {
          int colon = s.indexOf(':');
          if (colon <= 0 || colon == s.length() - 1) {
            throw CliException.badInput("--source-digest: expected ALG:VALUE (e.g. gitCommit:<sha>), found \"" + s + "\"");
          }
          d.put(s.substring(0, colon), s.substring(colon + 1));
        }
        DigestSet set;
        try {
          set = new DigestSet(d);
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--source-digest: " + e.getMessage());
        }
        b.source(cmd.sourceUri, set);
      }
      for (Map.Entry<String, String> p : cmd.params.entrySet()) {
        if (p.getKey().isEmpty()) {
          throw CliException.badInput("--param: expected KEY=VALUE with a non-empty key, found \"=" + p.getValue() + "\"");
        }
        b.externalParameter(p.getKey(), p.getValue());
      }
      if (cmd.invocationId != null) {
        b.invocationId(cmd.invocationId);
      }
      return b;
    } catch (AttestationException e) {
      throw CliException.badInput("generic provenance: " + e.getMessage());
    }
  }
}
