package dev.sigil.tuf.internal;

import dev.sigil.tuf.TufOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The cache directory's layout and the file operations on it:
 *
 * <pre>
 * DIR/trusted_root.json          the verified Sigstore trusted root (written atomically)
 * DIR/trusted_root.origin        mirror, time, TUF versions and SHA-256 of the trusted_root.json it describes
 * DIR/metadata/&lt;mirror&gt;/         sigstore-java's TUF store for one mirror (metadata, targets/)
 * DIR/.lock                      held while an update runs
 * </pre>
 *
 * <p>The two top-level files are replaced one after the other, each atomically (temporary file, fsync, rename): the
 * root first, then its marker. A reader that finds a marker whose SHA-256 is not the root's ignores the marker, so a
 * reader between the two renames never pairs a root with another root's origin.
 */
public final class CacheFiles {
  public static final String ROOT = "trusted_root.json";
  public static final String ORIGIN = "trusted_root.origin";
  public static final String LOCK = ".lock";
  /** Bounds the origin marker, which is a few hundred bytes. */
  static final int MAX_MARKER_BYTES = 64 * 1024;

  private CacheFiles() {}

  /** What the origin marker records. */
  public record Marker(TufOrigin origin, String sha256) {}

  /**
   * The per-mirror TUF metadata directory: the URL-encoded mirror URL, or its SHA-256 when that name would be too long
   * for a file system. One store per mirror, so a second mirror never meets the first one's TUF root.
   */
  public static Path metadataDir(Path cacheDir, URI mirror) {
    String name = URLEncoder.encode(mirror.toString(), StandardCharsets.UTF_8);
    if (name.length() > 200) {
      name = "sha256-" + sha256(name.getBytes(StandardCharsets.UTF_8));
    }
    return cacheDir.resolve("metadata").resolve(name);
  }

  /** Lowercase hex SHA-256. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Reads at most {@code max} bytes; null when the file holds more. */
  public static byte[] readBounded(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes(max + 1);
      return data.length > max ? null : data;
    }
  }

  /** The marker's text. */
  public static byte[] marker(TufOrigin o, String sha256) {
    return ("mirror=" + o.mirror() + "\nupdated=" + o.updated() + "\ntufRootVersion=" + o.rootVersion()
        + "\ntargetsVersion=" + o.targetsVersion() + "\nsha256=" + sha256 + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The marker in {@code file}; empty when it is missing, unreadable, or not a complete marker. */
  public static Optional<Marker> readMarker(Path file) {
    try {
      byte[] bytes = readBounded(file, MAX_MARKER_BYTES);
      if (bytes == null) {
        return Optional.empty();
      }
      Properties p = new Properties();
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      String mirror = p.getProperty("mirror");
      String updated = p.getProperty("updated");
      String sha = p.getProperty("sha256");
      if (mirror == null || updated == null || sha == null) {
        return Optional.empty();
      }
      return Optional.of(new Marker(
          new TufOrigin(new URI(mirror), Instant.parse(updated), Integer.parseInt(p.getProperty("tufRootVersion", "0")),
              Integer.parseInt(p.getProperty("targetsVersion", "0"))),
          sha));
    } catch (IOException | IllegalArgumentException | DateTimeException | java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Replaces {@code target} with {@code data} so that readers see the old content or the complete new one, never a
   * torn file: a temporary file beside it, forced to disk, renamed over it.
   */
  public static void writeAtomically(Path target, byte[] data) throws IOException {
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Takes the exclusive lock on {@code DIR/.lock}, waiting up to {@code wait} for another process, or another instance
   * in this JVM (file locks belong to the whole JVM, so those show up as {@link OverlappingFileLockException}).
   * Gives up when interrupted or when {@code stop} completes. The caller closes the channel, which releases the lock.
   */
  public static FileChannel lock(Path cacheDir, Duration wait, CompletableFuture<Void> stop) throws IOException {
    FileChannel ch = FileChannel.open(cacheDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        try {
          FileLock l = ch.tryLock();
          if (l != null) {
            return ch;
          }
        } catch (OverlappingFileLockException e) {
          // held by another instance in this JVM: wait as for another process
        }
        if (stop.isDone()) {
          throw new InterruptedIOException("stopped while waiting for the lock");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("still held by another update after " + wait.toSeconds() + " s");
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the lock");
        }
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }
}
