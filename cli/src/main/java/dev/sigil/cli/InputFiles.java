package dev.sigil.cli;

import dev.sigil.tuf.TrustException;
import dev.sigil.tuf.TrustedRootSnapshot;
import dev.sigil.tuf.TrustedRoots;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reading user-named files with errors that say which file and what was wrong with it (exit 2). */
final class InputFiles {
  /** What the CLI adds to the tuf module's word that a cached trusted root was passed over. */
  static final String UPDATE_HINT = " (run 'sigil trusted-root update')";

  private InputFiles() {}

  /**
   * The trusted root verification uses: {@code --trusted-root FILE} (null: none given), else the TUF cache the
   * environment names, else the embedded snapshot (see {@link TrustedRoots#resolve}). A cached copy passed over is
   * reported as a warning on standard error.
   */
  static TrustedRootSnapshot trustedRoot(Path file, Terminal terminal) throws TrustException {
    return trustedRoot(file, TrustedRoots.defaultCacheDir(terminal.env()), terminal);
  }

  /** As {@link #trustedRoot(Path, Terminal)}, with the cache directory given (empty: none). */
  static TrustedRootSnapshot trustedRoot(Path file, Optional<Path> cacheDir, Terminal terminal)
      throws TrustException {
    TrustedRootSnapshot s = TrustedRoots.resolve(Optional.ofNullable(file), cacheDir);
    if (s.fallbackReason().isPresent()) {
      terminal.err().println("WARNING: " + s.fallbackReason().get() + UPDATE_HINT);
    }
    return s;
  }

  /** Reads a small file (a key, a bundle, a trusted root) whole, refusing anything over {@code max} bytes. */
  static byte[] readSmall(Path path, String what, int max) throws CliException {
    requireRegularFile(path, what);
    try (InputStream in = Files.newInputStream(path)) {
      byte[] data = in.readNBytes(max + 1);
      if (data.length > max) {
        throw CliException.badInput(what + " " + path + ": expected at most " + max + " bytes, found more");
      }
      return data;
    } catch (IOException e) {
      throw unreadable(path, what, e);
    }
  }

  /** Opens a file for streaming (artifacts of any size). */
  static InputStream open(Path path, String what) throws CliException {
    requireRegularFile(path, what);
    try {
      return Files.newInputStream(path);
    } catch (IOException e) {
      throw unreadable(path, what, e);
    }
  }

  static void requireRegularFile(Path path, String what) throws CliException {
    if (Files.isDirectory(path)) {
      throw CliException.badInput(what + " " + path + ": expected a file, found a directory");
    }
    if (!Files.exists(path)) {
      throw CliException.badInput(what + " " + path + ": expected an existing file, found none");
    }
    if (!Files.isReadable(path)) {
      throw CliException.badInput(what + " " + path + ": expected a readable file, found no read permission");
    }
  }

  static CliException unreadable(Path path, String what, IOException e) {
    if (e instanceof NoSuchFileException) {
      return CliException.badInput(what + " " + path + ": expected an existing file, found none");
    }
    if (e instanceof AccessDeniedException) {
      return CliException.badInput(what + " " + path + ": expected a readable file, found no read permission");
    }
    return CliException.badInput(what + " " + path + ": could not be read (" + e.getMessage() + ")");
  }
}
