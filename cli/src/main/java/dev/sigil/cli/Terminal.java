package dev.sigil.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a command may use of its surroundings: output streams, standard input, environment variables, (when
 * attached) a console for password prompts, and whether standard error is a terminal (progress display). Injected so
 * tests run the CLI in-process with a controlled environment.
 *
 * @param errIsTerminal asked only by a command about to show progress, since answering may cost a process start
 * @param in standard input, for commands that read {@code -}
 */
public record Terminal(
    PrintWriter out, PrintWriter err, Map<String, String> env, Optional<Console> console, BooleanSupplier errIsTerminal,
    InputStream in) {
  public Terminal {
    env = Map.copyOf(env);
  }

  /** A terminal with empty standard input. */
  public Terminal(
      PrintWriter out, PrintWriter err, Map<String, String> env, Optional<Console> console, BooleanSupplier errIsTerminal) {
    this(out, err, env, console, errIsTerminal, InputStream.nullInputStream());
  }

  /** A terminal whose standard error is never taken for a terminal (no progress display), with empty input. */
  public Terminal(PrintWriter out, PrintWriter err, Map<String, String> env, Optional<Console> console) {
    this(out, err, env, console, StandardError.NOT_A_TERMINAL);
  }

  public static Terminal system() {
    return new Terminal(
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        System.getenv(),
        Optional.ofNullable(System.console()),
        StandardError.PROCESS,
        System.in);
  }

  public Optional<String> getenv(String name) {
    return Optional.ofNullable(env.get(name));
  }
}
