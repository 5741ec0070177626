package dev.sigil.tuf;

import dev.sigil.tuf.internal.CacheFiles;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which trusted root verification uses, first match wins:
 *
 * <ol>
 *   <li>a file the caller names;
 *   <li>the copy a TUF update ({@link TufTrustedRoot#update()}) fetched and verified: {@code trusted_root.json} in the
 *       cache directory, when it exists and parses;
 *   <li>the public-good snapshot embedded in Sigil's verifier.
 * </ol>
 *
 * <p>Nothing here touches the network or loads sigstore-java: one-shot verification resolves its root through this
 * class on every run, so it stays small and reads at most one file.
 */
public final class TrustedRoots {
  /** The environment variable that overrides the default cache directory. */
  public static final String CACHE_ENV = "SIGIL_TUF_CACHE";
  /** The verified trusted root inside a cache directory: what verification reads. */
  public static final String CACHED_ROOT = CacheFiles.ROOT;
  /** Beside {@link #CACHED_ROOT}: the mirror, time and TUF versions of the update that wrote it. */
  public static final String CACHED_ORIGIN = CacheFiles.ORIGIN;

  private TrustedRoots() {}

  /**
   * The trusted root for verification: {@code file} when given, else the cached copy in {@code cacheDir}, else the
   * embedded snapshot. A cached copy that exists but cannot be used is passed over, and the result says why
   * ({@link TrustedRootSnapshot#fallbackReason()}). Does not read the origin marker (see {@link #cachedOrigin}).
   *
   * @throws TrustException only for {@code file}: {@link TrustException.Reason#TRUSTED_ROOT_FILE_UNREADABLE} or
   *     {@link TrustException.Reason#TRUSTED_ROOT_FILE_INVALID}
   */
  public static TrustedRootSnapshot resolve(Optional<Path> file, Optional<Path> cacheDir) throws TrustException {
    // Plain code rather than Optional chains: this runs on every one-shot verification, and each lambda costs
    // start-up time.
    if (file.isPresent()) {
      return readFile(file.get());
    }
    String problem = null;
    if (cacheDir.isPresent()) {
      Path cached = cacheDir.get().resolve(CACHED_ROOT);
      if (Files.exists(cached)) {
        try {
          return readCached(cached, null);
        } catch (TrustException e) {
          problem = e.getMessage() + "; using the embedded public-good snapshot instead";
        }
      }
    }
    TrustedRootSnapshot embedded = embedded();
    return problem == null ? embedded : embedded.withFallbackReason(problem);
  }

  /**
   * Reads a trusted root file the caller names.
   *
   * @throws TrustException {@link TrustException.Reason#TRUSTED_ROOT_FILE_UNREADABLE} (missing, a directory,
   *     unreadable, larger than {@link TrustedRoot#MAX_TRUSTED_ROOT_BYTES}) or
   *     {@link TrustException.Reason#TRUSTED_ROOT_FILE_INVALID} (not a trusted root)
   */
  public static TrustedRootSnapshot readFile(Path file) throws TrustException {
    String what = "trusted root " + file + ": ";
    if (Files.isDirectory(file)) {
      throw unreadable(what + "expected a file, found a directory", null);
    }
    if (!Files.exists(file)) {
      throw unreadable(what + "expected an existing file, found none", null);
    }
    if (!Files.isReadable(file)) {
      throw unreadable(what + "expected a readable file, found no read permission", null);
    }
    byte[] json;
    try {
      json = readBounded(file, TrustedRoot.MAX_TRUSTED_ROOT_BYTES);
    } catch (IOException e) {
      // instanceof, not catch clauses: a catch type is loaded when the class is linked, and this class is on the path
      // of every one-shot verification.
      if (e instanceof NoSuchFileException) {
        throw unreadable(what + "expected an existing file, found none", e);
      }
      if (e instanceof AccessDeniedException) {
        throw unreadable(what + "expected a readable file, found no read permission", e);
      }
      throw unreadable(what + "could not be read (" + e.getMessage() + ")", e);
    }
    if (json == null) {
      throw unreadable(what + "expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found more", null);
    }
    try {
      return new TrustedRootSnapshot(TrustedRoot.parse(json), json, TrustedRootSnapshot.Origin.FILE, file, null, null);
    } catch (TrustedRootException e) {
      throw new TrustException(TrustException.Reason.TRUSTED_ROOT_FILE_INVALID, what + e.getMessage(), e);
    }
  }

  /** The public-good trusted root embedded in Sigil's verifier (parsed anew on each call; callers keep it). */
  public static TrustedRootSnapshot embedded() {
    byte[] json = PublicGood.json();
    try {
      return new TrustedRootSnapshot(TrustedRoot.parse(json), json, TrustedRootSnapshot.Origin.EMBEDDED, null, null,
          null);
    } catch (TrustedRootException e) {
      throw new IllegalStateException("the embedded trusted root does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * The TUF provenance recorded beside a {@link TrustedRootSnapshot.Origin#TUF_CACHE} snapshot's file: empty for other
   * origins, and when the marker is missing, unreadable, or describes other bytes than the snapshot's.
   */
  public static Optional<TufOrigin> cachedOrigin(TrustedRootSnapshot snapshot) {
    if (snapshot.origin() != TrustedRootSnapshot.Origin.TUF_CACHE || snapshot.path().isEmpty()) {
      return Optional.empty();
    }
    if (snapshot.tuf().isPresent()) {
      return snapshot.tuf();
    }
    Optional<CacheFiles.Marker> marker = CacheFiles.readMarker(snapshot.path().get().resolveSibling(CACHED_ORIGIN));
    if (marker.isEmpty() || !marker.get().sha256().equals(snapshot.sha256())) {
      return Optional.empty();
    }
    return Optional.of(marker.get().origin());
  }

  /**
   * The default cache directory: {@code $SIGIL_TUF_CACHE}, else {@code $XDG_CACHE_HOME/sigil/tuf} (an absolute
   * {@code XDG_CACHE_HOME} only, as the XDG spec asks), else {@code $HOME/.cache/sigil/tuf}; empty when none of these
   * is set. Empty variables count as unset.
   */
  public static Optional<Path> defaultCacheDir(Map<String, String> env) {
    Path explicit = path(env.get(CACHE_ENV));
    if (explicit != null) {
      return Optional.of(explicit);
    }
    Path xdg = path(env.get("XDG_CACHE_HOME"));
    if (xdg != null && xdg.isAbsolute()) {
      return Optional.of(xdg.resolve("sigil").resolve("tuf"));
    }
    Path home = path(env.get("HOME"));
    return home == null ? Optional.empty() : Optional.of(home.resolve(".cache").resolve("sigil").resolve("tuf"));
  }

  /**
   * Reads and parses the cached root at {@code cached}.
   *
   * @param tuf its provenance, when the caller has checked it
   * @throws TrustException {@link TrustException.Reason#NOT_CACHED}, with a message naming the file and the problem
   */
  static TrustedRootSnapshot readCached(Path cached, TufOrigin tuf) throws TrustException {
    String what = "cached trusted root " + cached + ": ";
    byte[] json;
    try {
      json = readBounded(cached, TrustedRoot.MAX_TRUSTED_ROOT_BYTES);
    } catch (IOException e) {
      throw new TrustException(TrustException.Reason.NOT_CACHED, what + "expected a readable file, found "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }
    if (json == null) {
      throw new TrustException(TrustException.Reason.NOT_CACHED,
          what + "expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found more");
    }
    try {
      return new TrustedRootSnapshot(TrustedRoot.parse(json), json, TrustedRootSnapshot.Origin.TUF_CACHE, cached, tuf,
          null);
    } catch (TrustedRootException e) {
      throw new TrustException(TrustException.Reason.NOT_CACHED, what + e.getMessage(), e);
    }
  }

  /**
   * Reads at most {@code max} bytes; null when the file holds more. Here rather than in {@code CacheFiles}: linking
   * that class loads the exception types it catches, a cost one-shot verification need not pay.
   */
  private static byte[] readBounded(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(max + 1);
      return data.length > max ? null : data;
    }
  }

  private static TrustException unreadable(String message, Throwable cause) {
    return new TrustException(TrustException.Reason.TRUSTED_ROOT_FILE_UNREADABLE, message, cause);
  }

  /** The path a variable names; null when it is unset, empty or not a valid path. */
  private static Path path(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
