package dev.sigil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigil quickstart}: keyless signing end to end against an in-process sandbox, offline, in seconds.
 *
 * <p>Picocli reflects on this class at every start-up, so its fields are JDK types; the work is in {@link Quickstart}.
 */
@Command(name = "quickstart", description = {
    "Show keyless signing end to end, offline: start an embedded private Sigstore, sign a sample file as "
        + "dev@example.com, verify it with an identity check, and show that a tampered copy and a wrong signer are "
        + "rejected. Exit 0 only if every step behaves as it should."})
final class QuickstartCommand extends BaseCommand {
  @Option(names = "--dir", paramLabel = "DIR",
      description = "Keep the sandbox data, the sample file and its bundle in DIR (default: a temporary directory, "
          + "deleted afterwards).")
  Path dir;

  @Override
  int execute() throws CliException {
    return new Quickstart(this).run();
  }
}
