package dev.sigil.cli;

/**
 * A failure a command reports to its user: one line saying what was checked, what was expected and what was found,
 * and the exit code that goes with it. Thrown by commands, mapped to output in one place ({@link Sigil}).
 */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(ExitCode.BAD_INPUT, message);
  }

  public static CliException environment(String message, Throwable cause) {
    return new CliException(ExitCode.ENVIRONMENT, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
