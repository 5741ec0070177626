package dev.sigil.oci;

/**
 * A registry call that failed, naming the registry host, the repository and the HTTP status (0 when no response
 * arrived). The message is one line and never contains credentials or tokens.
 */
public final class RegistryException extends OciException {
  private static final long serialVersionUID = 1L;

  private final String registry;
  private final String repository;
  private final int httpStatus;

  public RegistryException(
      Reason reason, String registry, String repository, int httpStatus, String message, boolean retryable,
      Throwable cause) {
    super(reason, message, retryable, cause);
    this.registry = registry;
    this.repository = repository;
    this.httpStatus = httpStatus;
  }

  /** The registry host as the user named it ({@code docker.io}, {@code 127.0.0.1:5000}). */
  public String registry() {
    return registry;
  }

  public String repository() {
    return repository;
  }

  /** The HTTP status of the last response, or 0 when none arrived (timeouts, connection errors). */
  public int httpStatus() {
    return httpStatus;
  }
}
