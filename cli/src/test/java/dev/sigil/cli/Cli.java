package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with a controlled environment and captures its output. */
final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private byte[] stdin = new byte[0];

  Cli env(String k, String v) {
    env.put(k, v);
    return this;
  }

  /** What the command reads as standard input (default: nothing). */
  Cli stdin(byte[] bytes) {
    stdin = bytes.clone();
    return this;
  }

  Cli password(String p) {
    return env("SIGIL_PASSWORD", p);
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = Sigil.run(Sigil.terminal(o, e, env, new java.io.ByteArrayInputStream(stdin)), args);
    }
    return new Run(code, out.toString(), err.toString());
  }

  record Run(int code, String out, String err) {
    Run expect(int expected) {
      assertEquals(expected, code, () -> "exit code\n--- out\n" + out + "--- err\n" + err);
      assertFalse(err.contains("\tat ") || out.contains("\tat "), () -> "stack trace printed:\n" + err);
      return this;
    }

    /** The single error line, asserting there is exactly one (plus optional warnings and usage hint). */
    String errorLine() {
      String[] lines =
          err.lines().filter(l -> l.startsWith("Error: ") || l.startsWith("Verification failed: ")).toArray(String[]::new);
      assertEquals(1, lines.length, () -> "expected one error line, got:\n" + err);
      return lines[0];
    }
  }
}
