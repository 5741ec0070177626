package dev.sigil.tuf;

import dev.sigil.tuf.TrustException.Reason;
import dev.sigil.tuf.internal.CacheFiles;
import dev.sigil.tuf.internal.SigstoreTuf;
import dev.sigil.tuf.internal.Text;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Sigstore trusted root of one TUF repository (mirror), fetched and verified through TUF and cached in a
 * directory. {@link #update()} goes to the network; {@link #current()} never does. For long-running services,
 * {@link #refresher()} keeps a root fresh in the background.
 *
 * <p>Cache layout, shared with {@link TrustedRoots} and with other instances and processes (updates take the
 * directory's lock):
 *
 * <pre>
 * DIR/trusted_root.json          the verified trusted root (replaced atomically)
 * DIR/trusted_root.origin        mirror, time, TUF versions and SHA-256 of that trusted_root.json
 * DIR/metadata/&lt;mirror&gt;/         the TUF metadata store of each mirror (its trusted TUF root, timestamp, ...)
 * DIR/.lock                      held while an update runs
 * </pre>
 *
 * <p>The TUF client is sigstore-java's ({@code Updater}: root rotation, signature thresholds, expiry, rollback, hashes);
 * only {@link #update()} loads it. Immutable and thread-safe; concurrent updates are serialised. The constructor does
 * no I/O. sigstore-java logs through {@code java.util.logging} (logger {@code dev.sigstore}); this class prints nothing.
 */
public final class TufTrustedRoot {
  /** The public-good Sigstore TUF repository. */
  public static final String PUBLIC_GOOD_MIRROR = "https://tuf-repo-cdn.sigstore.dev/";
  /** The TUF target holding the Sigstore trusted root. */
  public static final String TARGET = SigstoreTuf.TARGET;
  /** How long an update waits for another one (in this or another process) holding the cache's lock. */
  static final Duration LOCK_WAIT = Duration.ofMinutes(5);

  private final URI mirror;
  private final Path cacheDir;
  private final TufRoot tufRoot;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Clock clock;
  private final boolean embeddedFallback;
  /** Serialises this instance's updates before they contend for the file lock. */
  private final ReentrantLock updating = new ReentrantLock();

  private TufTrustedRoot(Builder b, URI mirror) {
    this.mirror = mirror;
    this.cacheDir = b.cacheDir;
    this.tufRoot = b.tufRoot;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.clock = b.clock;
    this.embeddedFallback = b.embeddedFallback;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The public-good Sigstore TUF repository, trusted from the TUF root that ships in sigstore-java, cached in
   * {@code cacheDir}; {@link #current()} falls back to the public-good snapshot embedded in Sigil until an update has
   * succeeded. Adjust timeouts or the clock on the returned builder.
   */
  public static Builder publicGood(Path cacheDir) {
    return builder().mirror(URI.create(PUBLIC_GOOD_MIRROR)).cacheDir(cacheDir).embeddedSnapshotFallback(true);
  }

  /**
   * A mirror URL as this class uses it: http or https, with a host, without query or fragment, path ending in
   * {@code /} (metadata at {@code URL/}, targets at {@code URL/targets/}).
   *
   * @throws TrustException {@link Reason#MIRROR_INVALID}; the message starts with {@code url}
   */
  public static URI parseMirror(String url) throws TrustException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new TrustException(Reason.MIRROR_INVALID, url + ": expected an http(s) URL, found " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new TrustException(Reason.MIRROR_INVALID,
          url + ": expected an http(s) URL, found " + (scheme.isEmpty() ? "no scheme" : scheme + ":"));
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new TrustException(Reason.MIRROR_INVALID,
          url + ": expected an http(s) URL with a host and no query or fragment, found otherwise");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return URI.create(scheme + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
  }

  /** The TUF repository, ending in {@code /}. */
  public URI mirror() {
    return mirror;
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Whether this is the public-good repository (whose initial TUF root ships in sigstore-java). */
  public boolean isPublicGood() {
    return mirror.toString().equals(PUBLIC_GOOD_MIRROR);
  }

  /**
   * Whether the cache already trusts a TUF root for this mirror (so no initial TUF root is needed, and one given to the
   * builder is not used). Reads the file system.
   */
  public boolean hasTufRoot() {
    return SigstoreTuf.bootstrapped(CacheFiles.metadataDir(cacheDir, mirror));
  }

  /** A builder of a background refresher of this root. */
  public TrustedRootRefresher.Builder refresher() {
    return TrustedRootRefresher.builder(this);
  }

  Clock clock() {
    return clock;
  }

  /**
   * Runs a TUF update against the mirror (new TUF roots, timestamp, snapshot and targets metadata, each verified), then
   * fetches or re-checks the {@value #TARGET} target it lists, checks that it is a Sigstore trusted root Sigil can
   * read, and replaces the cached copy and its origin marker, each atomically. On any failure the cached copy is left
   * as it was.
   *
   * <p>Blocks for the network: each file at most the connect plus request timeout, and up to {@link #LOCK_WAIT} for
   * another update holding the cache's lock. Interruptible (the update then fails with {@link Reason#MIRROR_UNREACHABLE}
   * or {@link Reason#CACHE_IO}).
   *
   * @throws TrustException of {@link TrustException.Kind#INPUT} for an unusable cache directory or a missing initial
   *     TUF root (found before anything is fetched), {@link TrustException.Kind#REMOTE} when the mirror cannot be
   *     reached or lacks files, {@link TrustException.Kind#METADATA} when TUF verification fails or the target is not
   *     a trusted root, {@link TrustException.Kind#LOCAL} when the cache cannot be read, written or locked
   */
  public TufUpdate update() throws TrustException {
    return update(new CompletableFuture<>());
  }

  /** As {@link #update()}; completing {@code stop} abandons it at its next wait for the network or the lock. */
  TufUpdate update(CompletableFuture<Void> stop) throws TrustException {
    prepareDirectory();
    try {
      updating.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrustException(Reason.CACHE_IO, "TUF cache " + cacheDir + ": interrupted waiting for another update", e);
    }
    try {
      FileChannel lock;
      try {
        lock = CacheFiles.lock(cacheDir, LOCK_WAIT, stop);
      } catch (IOException e) {
        throw new TrustException(Reason.CACHE_IO,
            "TUF cache " + cacheDir + ": locking " + cacheDir.resolve(CacheFiles.LOCK) + " failed: " + Text.message(e),
            e);
      }
      try (lock) {
        return updateLocked(stop);
      } catch (IOException e) {
        // closing the lock's channel
        throw new TrustException(Reason.CACHE_IO,
            "TUF cache " + cacheDir + ": releasing " + cacheDir.resolve(CacheFiles.LOCK) + " failed: "
                + Text.message(e), e);
      }
    } finally {
      updating.unlock();
    }
  }

  private TufUpdate updateLocked(CompletableFuture<Void> stop) throws TrustException {
    Path metaDir = CacheFiles.metadataDir(cacheDir, mirror);
    if (tufRoot == null && !isPublicGood() && !SigstoreTuf.bootstrapped(metaDir)) {
      throw new TrustException(Reason.TUF_ROOT_REQUIRED,
          "TUF mirror " + mirror + ": expected an initial TUF root (root.json) to trust for this mirror on first use,"
              + " found none");
    }
    SigstoreTuf.Fetched fetched = SigstoreTuf.update(metaDir, mirror, tufRoot == null ? null : tufRoot.json(), clock,
        connectTimeout, requestTimeout, stop);
    byte[] bytes = fetched.trustedRoot();
    if (bytes.length > TrustedRoot.MAX_TRUSTED_ROOT_BYTES) {
      throw new TrustException(Reason.TARGET_NOT_A_TRUSTED_ROOT,
          "trusted root from TUF mirror " + mirror + ": expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES
              + " bytes, found " + bytes.length + "; the cached copy is unchanged");
    }
    TrustedRoot root;
    try {
      root = TrustedRoot.parse(bytes);
    } catch (TrustedRootException e) {
      throw new TrustException(Reason.TARGET_NOT_A_TRUSTED_ROOT,
          "trusted root from TUF mirror " + mirror + " (target " + TARGET + "): expected a Sigstore trusted root Sigil"
              + " can read, found: " + e.getMessage() + "; the cached copy is unchanged", e);
    }
    Path target = cacheDir.resolve(CacheFiles.ROOT);
    boolean changed = !sameContent(target, bytes);
    TufOrigin origin = new TufOrigin(mirror, clock.instant(), fetched.rootVersion(), fetched.targetsVersion());
    TrustedRootSnapshot snapshot =
        new TrustedRootSnapshot(root, bytes, TrustedRootSnapshot.Origin.TUF_CACHE, target, origin, null);
    try {
      CacheFiles.writeAtomically(target, bytes);
      CacheFiles.writeAtomically(cacheDir.resolve(CacheFiles.ORIGIN), CacheFiles.marker(origin, snapshot.sha256()));
    } catch (IOException e) {
      throw new TrustException(Reason.CACHE_IO, "writing " + target + " failed: " + Text.message(e), e);
    }
    return new TufUpdate(snapshot, changed, fetched.startedFromInitialRoot());
  }

  /**
   * The last verified trusted root of this mirror, from the cache, without touching the network: the cached
   * {@code trusted_root.json} when its origin marker says an update from this mirror wrote exactly these bytes. Without
   * one, the embedded public-good snapshot if the builder asked for that fallback (with the
   * {@link TrustedRootSnapshot#fallbackReason() reason} when a cached copy exists but was not usable).
   *
   * @throws TrustException {@link Reason#NOT_CACHED} when there is no usable cached root and no fallback
   */
  public TrustedRootSnapshot current() throws TrustException {
    Path cached = cacheDir.resolve(CacheFiles.ROOT);
    String problem = null;
    if (Files.exists(cached)) {
      try {
        TrustedRootSnapshot s = TrustedRoots.readCached(cached, null);
        Optional<CacheFiles.Marker> marker = CacheFiles.readMarker(cacheDir.resolve(CacheFiles.ORIGIN));
        if (marker.isEmpty() || !marker.get().sha256().equals(s.sha256())) {
          problem = "cached trusted root " + cached + ": expected " + CacheFiles.ORIGIN + " beside it to describe it,"
              + " found " + (marker.isEmpty() ? "no usable marker" : "a marker for other content");
        } else if (!marker.get().origin().mirror().equals(mirror)) {
          problem = "cached trusted root " + cached + ": expected one fetched from " + mirror + ", found one from "
              + marker.get().origin().mirror();
        } else {
          return s.withTuf(marker.get().origin());
        }
      } catch (TrustException e) {
        problem = e.getMessage();
      }
    }
    if (embeddedFallback) {
      TrustedRootSnapshot embedded = TrustedRoots.embedded();
      return problem == null
          ? embedded
          : embedded.withFallbackReason(problem + "; using the embedded public-good snapshot instead");
    }
    throw new TrustException(Reason.NOT_CACHED,
        problem != null
            ? problem
            : "TUF cache " + cacheDir + ": expected a trusted root fetched from " + mirror + ", found none yet");
  }

  /** Creates the cache directory; {@link Reason#CACHE_DIRECTORY_UNUSABLE} when it cannot be used. */
  private void prepareDirectory() throws TrustException {
    if (Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
      throw unusable("expected a directory, found a file", null);
    }
    try {
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw unusable("expected a directory that exists or can be created, found " + Text.message(e), e);
    }
    if (!Files.isWritable(cacheDir)) {
      throw unusable("expected a writable directory, found no write permission", null);
    }
  }

  private TrustException unusable(String what, Throwable cause) {
    return new TrustException(Reason.CACHE_DIRECTORY_UNUSABLE, "TUF cache " + cacheDir + ": " + what, cause);
  }

  private static boolean sameContent(Path file, byte[] data) {
    try {
      return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), data);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "TufTrustedRoot[" + mirror + ", cache " + cacheDir + "]";
  }

  /** Options of a {@link TufTrustedRoot}; {@link #build()} checks them together. */
  public static final class Builder {
    private URI mirror;
    private Path cacheDir;
    private TufRoot tufRoot;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private boolean embeddedFallback;

    private Builder() {}

    /** The TUF repository (required); see {@link #parseMirror} for what is accepted. */
    public Builder mirror(URI mirror) {
      this.mirror = Objects.requireNonNull(mirror, "mirror");
      return this;
    }

    /** The cache directory (required); created by the first update. */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    /**
     * The TUF root to trust on first use of the mirror, when the cache holds none for it yet (later updates trust the
     * cache's own, TUF-updated root, and ignore this one). Required for a first update of any mirror but public-good,
     * whose root ships in sigstore-java.
     */
    public Builder tufRoot(TufRoot tufRoot) {
      this.tufRoot = Objects.requireNonNull(tufRoot, "tufRoot");
      return this;
    }

    /** How long to wait for a connection to the mirror (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long each file may take once connected, headers and body (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The clock TUF expiry is checked against and updates are timed by (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether {@link #current()} answers with the public-good snapshot embedded in Sigil while no update from the
     * mirror is cached. Only for the public-good mirror, whose root that snapshot is.
     */
    public Builder embeddedSnapshotFallback(boolean fallback) {
      this.embeddedFallback = fallback;
      return this;
    }

    /**
     * @throws IllegalArgumentException on a missing mirror or cache directory, an invalid mirror URL, non-positive
     *     timeouts, or the embedded fallback with a mirror other than public-good
     */
    public TufTrustedRoot build() {
      if (mirror == null || cacheDir == null) {
        throw new IllegalArgumentException("a TUF trusted root needs a mirror and a cache directory");
      }
      URI normalized;
      try {
        normalized = parseMirror(mirror.toString());
      } catch (TrustException e) {
        throw new IllegalArgumentException("mirror " + e.getMessage(), e);
      }
      if (!positive(connectTimeout) || !positive(requestTimeout)) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
      if (embeddedFallback && !normalized.toString().equals(PUBLIC_GOOD_MIRROR)) {
        throw new IllegalArgumentException("the embedded snapshot is public-good's trusted root: it cannot stand in for"
            + " mirror " + normalized);
      }
      return new TufTrustedRoot(this, normalized);
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }
  }
}
