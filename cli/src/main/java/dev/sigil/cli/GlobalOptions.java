package dev.sigil.cli;

import picocli.CommandLine.Option;

/** Flags every command takes. */
public final class GlobalOptions {
  /** How results are printed. */
  public enum Format {
    text,
    json
  }

  @Option(names = "--verbose", description = "Print every check made, not only the outcome.")
  boolean verbose;

  @Option(names = "--debug", description = "Print stack traces of unexpected errors (never key material).")
  boolean debug;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Format output = Format.text;

  public boolean json() {
    return output == Format.json;
  }
}
