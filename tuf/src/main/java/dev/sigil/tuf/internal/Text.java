package dev.sigil.tuf.internal;

import java.nio.file.FileSystemException;
import java.time.Duration;

/** One-line renderings of exceptions for messages. */
public final class Text {
  private Text() {}

  /** The exception's class and message on one line (for file system errors: class, file and reason). */
  public static String message(Throwable e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return oneLine(e.getClass().getSimpleName() + ": " + fse.getFile() + ": " + fse.getReason());
    }
    String m = e.getMessage();
    return oneLine(e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m));
  }

  /** A duration as people read it: {@code 300 ms}, {@code 30 s}. */
  public static String human(Duration d) {
    return d.toMillis() < 1000 || d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /** {@code s} with line breaks (and the blanks around them) folded into single spaces. */
  public static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
