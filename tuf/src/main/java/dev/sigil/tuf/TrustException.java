package dev.sigil.tuf;

import java.util.Objects;

/**
 * Trust could not be fetched, verified, stored or read: a stable {@link Reason} code (in one of four {@link Kind}s) and
 * a one-line message that says what was checked, what was expected and what was found. Messages name no command-line
 * flags; front ends add their hints by reason code. Message wording may change between releases; codes do not.
 */
public final class TrustException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of failure, which decides what a caller can do about it. */
  public enum Kind {
    /**
     * The TUF mirror could not be reached or did not serve what the update needs (connection, TLS, timeout, an HTTP
     * status, a missing file). Trying again later may succeed.
     */
    REMOTE,
    /**
     * What the mirror served, or what the local TUF store holds, failed TUF verification or is not a usable Sigstore
     * trusted root: expired, rolled back, signed by too few trusted keys, hashes that do not match, malformed. Trying
     * again succeeds only once the mirror (or the store) is fixed.
     */
    METADATA,
    /** Local storage failed while in use: reading or writing the cache, taking its lock. */
    LOCAL,
    /**
     * What the caller supplied cannot be used: a trusted root file, an initial TUF root, a mirror URL, a cache
     * directory that is not a writable directory. Found before anything is fetched; retrying cannot help.
     */
    INPUT
  }

  /** Stable reason codes. Never renamed or reused; new ones may be added. */
  public enum Reason {
    /** No connection to the mirror, a TLS failure, a timeout, or the transfer broke off. */
    MIRROR_UNREACHABLE(Kind.REMOTE),
    /** The mirror answered with an HTTP status other than 200 (or 404). */
    MIRROR_HTTP_STATUS(Kind.REMOTE),
    /** The mirror has no such file (HTTP 404) for metadata or a target the update needs. */
    MIRROR_FILE_MISSING(Kind.REMOTE),
    /** Metadata has expired and the mirror has no newer version. */
    METADATA_EXPIRED(Kind.METADATA),
    /** The mirror served a lower version of metadata than one already trusted (a rollback attack or a stale mirror). */
    METADATA_ROLLBACK(Kind.METADATA),
    /** Metadata is not signed by a threshold of the keys its role trusts. */
    METADATA_SIGNATURES(Kind.METADATA),
    /** Metadata or a target does not match the length or hashes that the metadata vouching for it records. */
    METADATA_HASH_MISMATCH(Kind.METADATA),
    /** Metadata or a target is larger than allowed. */
    METADATA_TOO_LARGE(Kind.METADATA),
    /** Metadata (from the mirror or in the local TUF store) is not JSON, or not TUF metadata of the expected role. */
    METADATA_MALFORMED(Kind.METADATA),
    /** Any other failed TUF check (inconsistent versions between roles, duplicate key IDs, and the like). */
    METADATA_INVALID(Kind.METADATA),
    /** The verified targets metadata does not list the Sigstore trusted root target. */
    TARGET_NOT_LISTED(Kind.METADATA),
    /** The verified target is not a Sigstore trusted root Sigil can read (or is larger than one may be). */
    TARGET_NOT_A_TRUSTED_ROOT(Kind.METADATA),
    /** Reading or writing the cache directory failed, or its lock could not be taken. */
    CACHE_IO(Kind.LOCAL),
    /** No verified trusted root is cached for this mirror yet, or the cached one cannot be read. */
    NOT_CACHED(Kind.LOCAL),
    /** The cache directory is not a directory, cannot be created, or is not writable. */
    CACHE_DIRECTORY_UNUSABLE(Kind.INPUT),
    /** A mirror other than public-good was asked for the first time without an initial TUF root to trust. */
    TUF_ROOT_REQUIRED(Kind.INPUT),
    /** The initial TUF root given is not TUF root metadata. */
    TUF_ROOT_INVALID(Kind.INPUT),
    /** The mirror URL is not an http(s) URL with a host and without query or fragment. */
    MIRROR_INVALID(Kind.INPUT),
    /** A trusted root file named by the caller is missing, a directory, unreadable or too large. */
    TRUSTED_ROOT_FILE_UNREADABLE(Kind.INPUT),
    /** A trusted root file named by the caller is not a Sigstore trusted root Sigil can read. */
    TRUSTED_ROOT_FILE_INVALID(Kind.INPUT);

    private final Kind kind;

    Reason(Kind kind) {
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final Reason reason;

  public TrustException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public TrustException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }

  public Kind kind() {
    return reason.kind();
  }

  /** Whether the same call may succeed later without anyone changing anything ({@link Kind#REMOTE}). */
  public boolean retryable() {
    return reason.kind() == Kind.REMOTE;
  }
}
