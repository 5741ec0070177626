package dev.sigil.sandbox.rekor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system helpers: durable atomic writes and directory syncs. */
final class DataDir {
  private DataDir() {}

  static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes {@code bytes} to {@code target} atomically and durably: a temporary file in the same directory (created
   * with {@code permissions} when the file system is POSIX), synced, renamed over the target, and the directory
   * synced. A crash leaves either the old content or the new, never a mix.
   */
  static void writeAtomically(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    FileAttribute<?>[] attrs =
        permissions != null && isPosix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
    try (FileChannel ch =
        FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    if (permissions != null && isPosix()) {
      Files.setPosixFilePermissions(tmp, permissions); // the umask may have narrowed what CREATE_NEW applied
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /** Makes a directory's entries (created, renamed files) durable. A no-op where directories cannot be opened. */
  static void syncDirectory(Path dir) throws IOException {
    if (!isPosix()) {
      return;
    }
    if (dir == null) {
      dir = Path.of(".");
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
