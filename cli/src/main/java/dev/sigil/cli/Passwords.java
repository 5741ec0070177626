package dev.sigil.cli;

import java.io.Console;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where key passwords come from: {@code SIGIL_PASSWORD}, else {@code COSIGN_PASSWORD}, else a no-echo prompt when a
 * terminal is attached. Passwords are returned as char arrays for the caller to clear; they are never printed.
 */
final class Passwords {
  static final String SIGIL_PASSWORD = "SIGIL_PASSWORD";
  static final String COSIGN_PASSWORD = "COSIGN_PASSWORD";

  private Passwords() {}

  /** The password to decrypt an existing key. */
  static char[] forReading(Terminal t, String keyName) throws CliException {
    Optional<String> env = fromEnv(t);
    if (env.isPresent()) {
      return env.get().toCharArray();
    }
    Console c = t.console().orElseThrow(() -> noPassword(keyName));
    char[] p = c.readPassword("Enter password for private key %s: ", keyName);
    if (p == null) {
      throw CliException.badInput("password: expected a password on the terminal, found end of input");
    }
    return p;
  }

  /** The password to encrypt a new key (asked twice on a terminal). */
  static char[] forWriting(Terminal t, String keyName) throws CliException {
    Optional<String> env = fromEnv(t);
    if (env.isPresent()) {
      return env.get().toCharArray();
    }
    Console c = t.console().orElseThrow(() -> noPassword(keyName));
    char[] p1 = c.readPassword("Enter password for private key %s: ", keyName);
    char[] p2 = c.readPassword("Enter password for private key again: ");
    if (p1 == null || p2 == null) {
      throw CliException.badInput("password: expected a password on the terminal, found end of input");
    }
    boolean same = Arrays.equals(p1, p2);
    Arrays.fill(p2, '\0');
    if (!same) {
      Arrays.fill(p1, '\0');
      throw CliException.badInput("password: expected the same password twice, found two different ones");
    }
    return p1;
  }

  /** Whether reading a key's password could prompt on the terminal (no password in the environment). */
  static boolean mayPrompt(Terminal t) {
    return fromEnv(t).isEmpty() && t.console().isPresent();
  }

  private static Optional<String> fromEnv(Terminal t) {
    Optional<String> s = t.getenv(SIGIL_PASSWORD);
    return s.isPresent() ? s : t.getenv(COSIGN_PASSWORD);
  }

  private static CliException noPassword(String keyName) {
    return CliException.badInput(
        "password for "
            + keyName
            + ": expected "
            + SIGIL_PASSWORD
            + " (or "
            + COSIGN_PASSWORD
            + ") to be set or a terminal to prompt on, found neither");
  }
}
