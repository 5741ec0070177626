package dev.sigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading user-named files with errors that say which file and what was wrong with it (exit 2). */
final class InputFiles {
  private InputFiles() {}

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
