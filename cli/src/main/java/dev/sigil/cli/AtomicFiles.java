package dev.sigil.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that readers see either the old content or the complete new one, never a torn file: write to a
 * temporary file beside the target, force it to disk, then rename over the target.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code data} to {@code target}.
   *
   * @param ownerOnly create the file with mode 0600 (for private keys) from the start, so no window exists in
   *     which it is readable by others
   * @param overwrite replace an existing file; without it an existing target is an error
   */
  static void write(Path target, byte[] data, boolean ownerOnly, boolean overwrite) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (!overwrite && Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(abs.toString());
    }
    Path tmp;
    if (ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      tmp =
          Files.createTempFile(
              dir,
              "." + abs.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    }
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        if (overwrite) {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          // A hard link fails if the target appeared meanwhile: no overwrite race.
          Files.createLink(abs, tmp);
        }
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
