package dev.sigil.cli;

/** The exit codes of every sigil command. */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;
  /** Verification failed: the artifact is not trusted. */
  public static final int VERIFICATION_FAILED = 1;
  /** Bad usage or bad input: flags, unreadable or malformed files, a wrong password. */
  public static final int BAD_INPUT = 2;
  /** An environment or remote-service failure: network, registry, log, or an internal error. */
  public static final int ENVIRONMENT = 3;

  private ExitCode() {}
}
