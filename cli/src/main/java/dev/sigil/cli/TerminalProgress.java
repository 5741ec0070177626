package dev.sigil.cli;

/**
 * Shows a hashing job's progress on standard error: bytes done, rate and time left, on one line that is rewritten in
 * place and cleared at the end. Shown only when the job is larger than {@value #THRESHOLD} bytes, the output is text
 * (never with {@code --output json}) and standard error is a terminal (asked last, as asking may start a process);
 * otherwise nothing is written. The display itself, and its library, are loaded only when shown.
 */
final class TerminalProgress implements HashProgress {
  /** Jobs up to this size (64 MiB) are over in well under a second at the machine's hashing speed. */
  static final long THRESHOLD = 64L << 20;

  private final Terminal terminal;
  private final boolean json;
  private final String task;
  private ProgressBarDisplay display;

  TerminalProgress(Terminal terminal, boolean json, String task) {
    this.terminal = terminal;
    this.json = json;
    this.task = task;
  }

  @Override
  public void start(int files, long totalBytes) {
    if (totalBytes > THRESHOLD && !json && terminal.errIsTerminal().getAsBoolean()) {
      display = new ProgressBarDisplay(terminal.err(), files == 1 ? task : task + " " + files + " files", totalBytes);
    }
  }

  /** Called by the hashing threads, which start after {@link #start} and end before {@link #finish} returns. */
  @Override
  public void advance(long bytes) {
    if (display != null) {
      display.advance(bytes);
    }
  }

  @Override
  public void finish() {
    if (display != null) {
      display.close();
      display = null;
    }
  }
}
