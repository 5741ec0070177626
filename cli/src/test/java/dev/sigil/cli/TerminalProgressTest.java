package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** When progress is shown, what it shows and that it is cleared; tmux shows it as a person sees it (ProgressDisplayTest). */
class TerminalProgressTest {
  private static final long LARGE = 300L << 20;

  @Test
  void aLargeJobOnATerminalShowsBytesRateAndTimeLeftThenClearsTheLine() throws Exception {
    StringWriter err = new StringWriter();
    TerminalProgress p = new TerminalProgress(terminal(err, new Asked(true)), false, "Hashing big.bin");
    p.start(1, LARGE);
    for (int i = 0; i < 300; i++) {
      p.advance(1L << 20);
      if (i % 100 == 0) {
        Thread.sleep(300); // the bar is redrawn every 250 ms by the library's thread
      }
    }
    p.finish();
    String shown = err.toString();
    assertTrue(shown.startsWith("\rHashing big.bin"), shown);
    assertTrue(shown.contains("/300 MiB") && shown.contains("MiB/s") && shown.contains("%"), shown);
    assertTrue(shown.contains("300/300 MiB"), "the last state is drawn before clearing:\n" + shown);
    // Cleared: the output ends with the line blanked and the cursor back at its start, no line feed anywhere.
    String last = shown.substring(shown.lastIndexOf('\r', shown.length() - 2));
    assertTrue(last.matches("\r +\r"), "ends with a blank line: " + last.replace("\r", "\\r"));
    assertTrue(!shown.contains("\n"), "no line feed is written");
  }

  @Test
  void aSmallJobShowsNothingAndDoesNotAskWhetherStderrIsATerminal() {
    StringWriter err = new StringWriter();
    Asked asked = new Asked(true);
    TerminalProgress p = new TerminalProgress(terminal(err, asked), false, "Hashing");
    p.start(3, TerminalProgress.THRESHOLD);
    p.advance(TerminalProgress.THRESHOLD);
    p.finish();
    assertEquals("", err.toString());
    assertEquals(0, asked.count.get());
  }

  @Test
  void jsonOutputShowsNothing() {
    StringWriter err = new StringWriter();
    Asked asked = new Asked(true);
    TerminalProgress p = new TerminalProgress(terminal(err, asked), true, "Hashing");
    p.start(1, LARGE);
    p.advance(LARGE);
    p.finish();
    assertEquals("", err.toString());
    assertEquals(0, asked.count.get());
  }

  @Test
  void noTerminalShowsNothing() {
    StringWriter err = new StringWriter();
    Asked asked = new Asked(false);
    TerminalProgress p = new TerminalProgress(terminal(err, asked), false, "Hashing");
    p.start(1, LARGE);
    p.advance(LARGE);
    p.finish();
    assertEquals("", err.toString());
    assertEquals(1, asked.count.get());
  }

  @Test
  void testTerminalsAreNeverTerminals() {
    assertTrue(!Sigil.terminal(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of())
        .errIsTerminal().getAsBoolean());
  }

  private static Terminal terminal(StringWriter err, BooleanSupplier isTerminal) {
    return new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), Optional.empty(),
        isTerminal);
  }

  /** Answers as told and counts the questions. */
  private static final class Asked implements BooleanSupplier {
    final boolean answer;
    final AtomicInteger count = new AtomicInteger();

    Asked(boolean answer) {
      this.answer = answer;
    }

    @Override
    public boolean getAsBoolean() {
      count.incrementAndGet();
      return answer;
    }
  }
}
