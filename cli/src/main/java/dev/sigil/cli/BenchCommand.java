package dev.sigil.cli;

import dev.sigil.tuf.TrustException;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sigil bench}: in-process timing, to compare Sigil's speed with other clients from the shell. */
@Command(
    name = "bench",
    description = "Time operations in one warm process.",
    subcommands = {BenchCommand.Verify.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify");
  }

  /**
   * {@code sigil bench verify <verify-blob flags> --iterations N}: parses and verifies the bundle N times after an
   * equal warm-up, and prints {@code verify: <us> us/op} as its last line.
   */
  @Command(name = "verify", description = "Parse and verify a bundle N times (after N warm-up runs); print us/op.")
  static final class Verify extends VerifyBlobCommand {
    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000",
        description = "Timed iterations (default: ${DEFAULT-VALUE}); as many run first to warm up.")
    int iterations;

    @Override
    int execute() throws CliException, TrustException {
      if (iterations < 1) {
        throw CliException.badInput("--iterations: expected a positive count, found " + iterations);
      }
      Prepared p = prepare();
      VerificationResult first = p.verifier().verify(p.bundle(), p.policy());
      if (!first.isVerified()) {
        report(first, p.artifact());
        return ExitCode.VERIFICATION_FAILED;
      }
      BundleParser parser = new BundleParser();
      long sink = 0;
      try {
        for (int i = 0; i < iterations; i++) {
          sink += p.verifier().verify(parser.parse(p.bundleJson()), p.policy()).checks().size();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
          sink += p.verifier().verify(parser.parse(p.bundleJson()), p.policy()).checks().size();
        }
        long elapsed = System.nanoTime() - start;
        double usPerOp = elapsed / 1000.0 / iterations;
        if (global.json()) {
          var n = jsonObject();
          n.put("ok", true);
          n.put("iterations", iterations);
          n.put("usPerOp", usPerOp);
          n.put("checks", sink);
          printJson(n);
        } else {
          terminal.out().printf(java.util.Locale.ROOT, "verify: %.1f us/op%n", usPerOp);
        }
      } catch (BundleParseException e) {
        throw CliException.badInput("bundle: " + e.getMessage());
      }
      return ExitCode.OK;
    }
  }
}
