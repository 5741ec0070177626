package dev.sigil.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar (me.tongfei:progressbar) on one line of standard error, redrawn four times a second from the
 * library's own thread: task, percentage, bar, MiB done of MiB in all, rate and time left. It writes through
 * {@link Line}, not the library's console consumers: those end with a line feed, which would leave an empty line
 * behind, where this one leaves the cursor at the start of a blank line, as if nothing had been shown.
 */
final class ProgressBarDisplay {
  private static final int REFRESH_MILLIS = 250;

  private final ProgressBar bar;

  ProgressBarDisplay(PrintWriter err, String task, long totalBytes) {
    boolean utf8 = StandardCharsets.UTF_8.equals(Charset.defaultCharset());
    bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(totalBytes)
        .setUnit(" MiB", 1L << 20)
        .showSpeed()
        .setStyle(utf8 ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(REFRESH_MILLIS)
        .setConsumer(new Line(err, StandardError.width(80)))
        .clearDisplayOnFinish()
        .build();
  }

  /** Thread-safe (the library synchronises its state). */
  void advance(long bytes) {
    bar.stepBy(bytes);
  }

  /** Draws the last state, clears the line and stops the library's thread; returns when the line is clear. */
  void close() {
    bar.close();
  }

  /** One line, redrawn after a carriage return; cleared with spaces, so no terminal capability is assumed. */
  private static final class Line implements ProgressBarConsumer {
    private final PrintWriter err;
    private final int width;

    Line(PrintWriter err, int columns) {
      this.err = err;
      this.width = columns - 1; // the last column would wrap on some terminals
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      err.print('\r');
      err.print(rendered);
      if (rendered.length() < width) {
        err.print(" ".repeat(width - rendered.length())); // over whatever a longer line left
      }
      err.flush();
    }

    @Override
    public void clear() {
      err.print('\r');
      err.print(" ".repeat(width));
      err.print('\r');
      err.flush();
    }

    @Override
    public void close() {
      err.flush();
    }
  }
}
