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

  /**
   * The exit code of a failure to fetch or read trust: what the user supplied (a trusted root file, a TUF root, a
   * mirror URL, a cache directory) is bad input; the mirror, its metadata and local storage are the environment.
   */
  public static int of(dev.sigil.tuf.TrustException.Kind kind) {
    return kind == dev.sigil.tuf.TrustException.Kind.INPUT ? BAD_INPUT : ENVIRONMENT;
  }
}
