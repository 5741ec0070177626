package dev.sigil.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigil provenance}: a SLSA provenance v1 statement for the build's artifacts, from the CI environment (GitHub
 * Actions, GitLab CI) or, with {@code --builder-id} and {@code --build-type}, from flags. The work is in
 * {@link Provenance}.
 *
 * <p>Not a {@link BaseCommand}: the contract gives {@code --output} the meaning of a file here, where every
 * other command's global {@code --output} is the text/json format (the statement is always JSON).
 */
@Command(name = "provenance", description = {
    "Write a SLSA provenance v1 in-toto statement for the artifacts of this build (unsigned: sign it with "
        + "attest-blob or attest).",
    "From GitHub Actions (GITHUB_ACTIONS=true) or GitLab CI (GITLAB_CI=true) variables, or generic with --builder-id "
        + "and --build-type. Files are hashed (sha256), in parallel."})
final class ProvenanceCommand implements Callable<Integer>, Sigil.NeedsTerminal {
  Terminal terminal;

  @Option(names = "--subject", paramLabel = "FILE", description = "An artifact of the build (repeatable).")
  List<Path> subjects = List.of();

  @Option(names = "--subject-digest", paramLabel = "NAME=ALG:HEX",
      description = "An artifact known by digest, e.g. app.tar=sha256:<hex> (sha256, sha384, sha512; repeatable).")
  List<String> subjectDigests = List.of();

  @Option(names = "--output", paramLabel = "FILE",
      description = "Write the statement here (atomically) instead of to standard output.")
  Path outputFile;

  @Option(names = "--builder-id", paramLabel = "URI", description = "Generic mode: the builder's id.")
  String builderId;

  @Option(names = "--build-type", paramLabel = "URI", description = "Generic mode: the build type.")
  String buildType;

  @Option(names = "--source-uri", paramLabel = "URI",
      description = "Generic mode: the source built, e.g. git+https://github.com/org/repo@refs/heads/main.")
  String sourceUri;

  @Option(names = "--source-digest", paramLabel = "ALG:VALUE",
      description = "Generic mode: the source's digest, e.g. gitCommit:<sha> or sha1:<hex> (repeatable).")
  List<String> sourceDigests = List.of();

  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Generic mode: an external parameter (repeatable).")
  Map<String, String> params = Map.of();

  @Option(names = "--invocation-id", paramLabel = "ID", description = "Generic mode: the run's id or URL.")
  String invocationId;

  @Override
  public void terminal(Terminal t) {
    this.terminal = t;
  }

  @Override
  public Integer call() throws CliException {
    return new Provenance(this).run();
  }
}
