package dev.sigil.cli;

import java.util.function.BooleanSupplier;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.terminal.spi.SystemStream;

/**
 * Whether standard error is a terminal. {@link java.io.Console} cannot tell: it answers for standard input and output.
 * {@link #PROCESS} asks JLine's exec provider, which runs {@code test -t 2} with this JVM's descriptors inherited
 * (isatty on the real descriptor 2, whatever {@code System.err} was replaced by); any failure to ask counts as "not a
 * terminal", so progress is never written where it could end up in a file or a pipe.
 */
enum StandardError implements BooleanSupplier {
  /** This process's descriptor 2. JLine is loaded on the first call only. */
  PROCESS {
    @Override
    public boolean getAsBoolean() {
      return Jline.isTerminal();
    }
  },
  /** Never a terminal: in-process runs and tests. */
  NOT_A_TERMINAL {
    @Override
    public boolean getAsBoolean() {
      return false;
    }
  };

  /** The terminal's width in columns, or {@code fallback} when it cannot be asked. */
  static int width(int fallback) {
    return Jline.width(fallback);
  }

  /** Holds the JLine references, so that loading {@link StandardError} loads none of JLine. */
  private static final class Jline {
    static boolean isTerminal() {
      try {
        return new ExecTerminalProvider().isPosixSystemStream(SystemStream.Error);
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }

    static int width(int fallback) {
      try {
        int w = new ExecTerminalProvider().systemStreamWidth(SystemStream.Error);
        return w >= 20 ? w : fallback;
      } catch (RuntimeException | LinkageError e) {
        return fallback;
      }
    }
  }
}
