package dev.sigil.cli;

import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the trusted root comes from, first match wins:
 *
 * <ol>
 *   <li>a file the user names ({@code --trusted-root FILE});
 *   <li>the copy {@code sigil trusted-root update} fetched and verified through TUF: {@code trusted_root.json} in the
 *       TUF cache directory ({@link #defaultCacheDir}), when it exists and parses;
 *   <li>the public-good snapshot embedded in the jar.
 * </ol>
 *
 * <p>Reading a root never touches the network and never loads sigstore-java: refreshing the cache is the job of
 * {@code sigil trusted-root update} alone.
 */
final class TrustedRoots {
  /** The verified trusted root inside the cache directory: what verification reads. */
  static final String CACHED_ROOT = "trusted_root.json";
  /** Beside {@link #CACHED_ROOT}: which mirror it came from and when (informational, for {@code show}). */
  static final String CACHED_ORIGIN = "trusted_root.origin";
  /** Overrides the default cache directory. */
  static final String CACHE_ENV = "SIGIL_TUF_CACHE";

  private TrustedRoots() {}

  /** Where the active root came from. */
  enum Origin {
    FILE,
    CACHE,
    EMBEDDED
  }

  /**
   * The root verification uses and where it came from.
   *
   * @param path the file it was read from (empty for the embedded snapshot)
   * @param cacheProblem why a cached copy that exists was not used (it is then the embedded snapshot)
   */
  record Active(TrustedRoot root, Origin origin, Optional<Path> path, Optional<String> cacheProblem) {
    String describe() {
      return switch (origin) {
        case FILE -> "file " + path.orElseThrow() + " (--trusted-root)";
        case CACHE -> "TUF cache " + path.orElseThrow() + " (written by 'sigil trusted-root update')";
        case EMBEDDED -> "embedded public-good snapshot (no --trusted-root, no usable cached copy)";
      };
    }
  }

  /**
   * The trusted root for verification: {@code file} when given, else the cached copy, else the embedded snapshot. A
   * cached copy that exists but cannot be used is skipped with a warning on the terminal's standard error.
   */
  static TrustedRoot load(Path file, Terminal terminal) throws CliException {
    Active active = resolve(file, terminal.env());
    if (active.cacheProblem().isPresent()) {
      terminal.err().println("WARNING: " + active.cacheProblem().get());
    }
    return active.root();
  }

  /** As {@link #load(Path, Terminal)}, with the environment given and the reason a cached copy was skipped kept in the result. */
  static Active resolve(Path file, Map<String, String> env) throws CliException {
    return resolve(file, defaultCacheDir(env));
  }

  /** As {@link #resolve(Path, Map)}, with the cache directory given (empty: no cache). */
  static Active resolve(Path file, Optional<Path> cacheDir) throws CliException {
    if (file != null) {
      byte[] json = InputFiles.readSmall(file, "trusted root", TrustedRoot.MAX_TRUSTED_ROOT_BYTES);
      try {
        return new Active(TrustedRoot.parse(json, CliCrypto.BACKEND), Origin.FILE, Optional.of(file), Optional.empty());
      } catch (TrustedRootException e) {
        throw CliException.badInput("trusted root " + file + ": " + e.getMessage());
      }
    }
    Optional<String> problem = Optional.empty();
    if (cacheDir.isPresent()) {
      Path cached = cacheDir.get().resolve(CACHED_ROOT);
      if (Files.exists(cached)) {
        try {
          return new Active(readCached(cached), Origin.CACHE, Optional.of(cached), Optional.empty());
        } catch (CachedRootUnusable e) {
          problem =
              Optional.of(
                  "cached trusted root " + cached + ": " + e.getMessage()
                      + "; using the embedded public-good snapshot instead (run 'sigil trusted-root update')");
        }
      }
    }
    return new Active(PublicGood.trustedRoot(CliCrypto.BACKEND), Origin.EMBEDDED, Optional.empty(), problem);
  }

  /**
   * The TUF cache directory: {@code $SIGIL_TUF_CACHE}, else {@code $XDG_CACHE_HOME/sigil/tuf} (an absolute
   * {@code XDG_CACHE_HOME} only, as the XDG spec asks), else {@code $HOME/.cache/sigil/tuf}; empty when none of these
   * is set. Empty variables count as unset.
   */
  static Optional<Path> defaultCacheDir(Map<String, String> env) {
    // Plain code rather than Optional chains: the one-shot path links no lambda (docs/fast-start.md).
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

  /** Reads and parses a cached root; any failure means "do not use it". */
  static TrustedRoot readCached(Path cached) throws CachedRootUnusable {
    byte[] json;
    try (InputStream in = Files.newInputStream(cached)) {
      json = in.readNBytes(TrustedRoot.MAX_TRUSTED_ROOT_BYTES + 1);
    } catch (IOException e) {
      throw new CachedRootUnusable("expected a readable file, found " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
    if (json.length > TrustedRoot.MAX_TRUSTED_ROOT_BYTES) {
      throw new CachedRootUnusable("expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES + " bytes, found more");
    }
    try {
      return TrustedRoot.parse(json, CliCrypto.BACKEND);
    } catch (TrustedRootException e) {
      throw new CachedRootUnusable(e.getMessage());
    }
  }

  /** A cached root that exists but cannot be used. */
  static final class CachedRootUnusable extends Exception {
    private static final long serialVersionUID = 1L;

    CachedRootUnusable(String message) {
      super(message);
    }
  }
}
