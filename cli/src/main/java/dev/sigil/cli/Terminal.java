package dev.sigil.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may use of its surroundings: output streams, environment variables and (when attached) a console
 * for password prompts. Injected so tests run the CLI in-process with a controlled environment.
 */
public record Terminal(PrintWriter out, PrintWriter err, Map<String, String> env, Optional<Console> console) {
  public Terminal {
    env = Map.copyOf(env);
  }

  public static Terminal system() {
    return new Terminal(
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        System.getenv(),
        Optional.ofNullable(System.console()));
  }

  public Optional<String> getenv(String name) {
    return Optional.ofNullable(env.get(name));
  }
}
