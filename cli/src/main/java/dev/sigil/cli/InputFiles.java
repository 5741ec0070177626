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

  /**
   * Checks that an artifact can be held in memory, as Ed25519 needs (its signatures cover the message itself, not a
   * digest): at most {@code max} bytes (else bad input), and {@code copies} copies of it, the most the command holds
   * at once, within the heap this JVM may still grow to (else an environment failure naming the heap to ask for).
   *
   * @return the artifact's size
   */
  static long requireFitsInMemory(Path path, long max, int copies, String doing) throws CliException {
    requireRegularFile(path, "artifact");
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw unreadable(path, "artifact", e);
    }
    if (size > max) {
      throw CliException.badInput("artifact " + path + ": " + doing + " an Ed25519 signature holds the whole artifact"
          + " in memory, expected at most " + max + " bytes (" + (max >> 20) + " MiB), found " + size
          + "; use an ECDSA or RSA key for large artifacts");
    }
    // Arrays this large go straight to the old generation: two thirds of the heap with bin/sigil's serial collector
    // (measured: verifying 256 MiB, two copies, runs out of memory with -Xmx768m and fits with -Xmx1g).
    Runtime rt = Runtime.getRuntime();
    long needed = copies * size + HEAP_MARGIN;
    long available = Math.max(0, rt.maxMemory() / 3 * 2 - (rt.totalMemory() - rt.freeMemory()));
    if (needed > available) {
      System.gc(); // what looked used may be garbage (a key's scrypt buffers: 64 MiB); only when it matters
      available = Math.max(0, rt.maxMemory() / 3 * 2 - (rt.totalMemory() - rt.freeMemory()));
    }
    if (needed > available) {
      long ask = ((rt.totalMemory() - rt.freeMemory() + needed) / 2 * 3 >> 20) + 64;
      throw new CliException(ExitCode.ENVIRONMENT, "artifact " + path + ": " + doing + " an Ed25519 signature holds"
          + " the whole artifact in memory (" + copies + " copies of " + size + " bytes), expected that to fit in the "
          + available + " bytes of heap left, found it does not; give Java more heap, e.g. SIGIL_JAVA_OPTS=-Xmx" + ask
          + "m, or use an ECDSA or RSA key");
    }
    return size;
  }

  /** Heap left over for everything but the artifact's copies when checking {@link #requireFitsInMemory}. */
  private static final long HEAP_MARGIN = 8L << 20;

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
