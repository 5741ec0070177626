package dev.sigil.oci;

import java.util.Objects;

/**
 * A failure to fetch or store content, with a stable {@link Reason} code and a one-line message that names what was
 * asked for and where. {@link #retryable()} says whether trying again later may succeed (it was already retried as
 * far as the options allowed). Registry failures are {@link RegistryException}s.
 */
public class OciException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Stable reason codes; the message details may change. */
  public enum Reason {
    /** The manifest, blob, tag or repository does not exist. */
    NOT_FOUND,
    /** The registry asked for credentials and none were available, or it refused the ones sent (HTTP 401). */
    UNAUTHORIZED,
    /** The registry refused the authenticated request (HTTP 403). */
    DENIED,
    /** Content does not hash to the digest it was asked for or announced with. */
    DIGEST_MISMATCH,
    /** Content is larger than the stated bound. */
    TOO_LARGE,
    /** Content is malformed: not JSON, not a manifest, a descriptor without a digest, and so on. */
    INVALID_CONTENT,
    /** Well-formed content this module does not handle (Docker schema 1, unknown digest algorithms). */
    UNSUPPORTED,
    /** The registry did not answer within the timeout. */
    TIMEOUT,
    /** The registry was unreachable or overloaded (connection errors, HTTP 429 and 5xx) after all retries. */
    UNAVAILABLE,
    /** Plain HTTP to a non-loopback registry without {@code allowInsecureRegistry}. */
    INSECURE_REFUSED,
    /** The registry answered in a way the distribution API does not allow. */
    PROTOCOL,
    /** Credentials could not be read (docker config unreadable, a credential helper failed). */
    CREDENTIALS,
    /** A local file system error (OCI layouts). */
    IO
  }

  private final Reason reason;
  private final boolean retryable;

  public OciException(Reason reason, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryable = retryable;
  }

  public OciException(Reason reason, String message) {
    this(reason, message, false, null);
  }

  public Reason reason() {
    return reason;
  }

  /** Whether the same call may succeed later (network, overload, timeouts); never true for content errors. */
  public boolean retryable() {
    return retryable;
  }
}
