package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sigil.signer.SigningKey;
import dev.sigil.testkit.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress display as a person sees it: sigil runs in a real terminal (Debian's tmux, which .ci/run installs),
 * the test reads the screen back while a 300 MiB file is hashed, and checks the bar is there during hashing and gone
 * at the end; and that a pipe, or JSON output, gets no progress at all. The child runs bin/sigil's fast-start profile
 * (C1 only) so that hashing lasts seconds, long enough to watch.
 */
class ProgressDisplayTest {
  @TempDir static Path dir;
  static Path big;
  static Path bundle;
  static String prefix;

  @BeforeAll
  static void signABigFile() throws Exception {
    big = ChildSigil.sparse(dir.resolve("big.bin"), 300L << 20);
    prefix = dir.resolve("k").toString();
    ChildSigil.plainKeyPair(prefix, SigningKey.Type.ECDSA_P256);
    bundle = dir.resolve("big.sigstore.json");
    new Cli().run("sign-blob", "--key", prefix + ".key", "--bundle", bundle.toString(), big.toString()).expect(0);
  }

  @AfterAll
  static void stopTmux() throws Exception {
    try {
      tmux("kill-server"); // this test's own server (its own socket), if it was started
    } catch (IOException noTmux) {
      // the tests skipped or failed already
    }
  }

  private static final String SOCKET = "sigil-progress-test-" + ProcessHandle.current().pid();

  @Test
  void onATerminalTheBarShowsWhileHashingAndIsClearedAtTheEnd() throws Exception {
    String screenDuring = null;
    List<String> screens = runInTmux("text", verify());
    for (String s : screens) {
      if (s.contains("Hashing big.bin") && s.contains("/300 MiB") && s.contains("%")) {
        screenDuring = s;
        break;
      }
    }
    String end = screens.get(screens.size() - 1);
    if (screenDuring == null) {
      fail("no progress bar was seen while hashing; screens:\n" + String.join("\n-----\n", screens));
    }
    assertTrue(screenDuring.contains("MiB/s") || screenDuring.contains("? MiB/s"), screenDuring);
    assertTrue(end.contains("EXIT=0"), end);
    assertTrue(end.contains("Verified OK: " + big), end);
    assertFalse(end.contains("Hashing"), "the bar is cleared at the end:\n" + end);
    assertFalse(end.contains("%"), "the bar is cleared at the end:\n" + end);
    // Cleared, not left behind as an empty line: the result is on the screen's first line.
    assertTrue(end.startsWith("Verified OK"), end);
  }

  @Test
  void withJsonOutputNothingButJsonIsShown() throws Exception {
    List<String> cmd = verify();
    cmd.addAll(cmd.indexOf("verify-blob") + 1, List.of("--output", "json"));
    List<String> screens = runInTmux("json", cmd);
    for (String s : screens) {
      assertFalse(s.contains("Hashing") || s.contains("MiB"), "progress in JSON mode:\n" + s);
    }
    String end = screens.get(screens.size() - 1);
    assertTrue(end.contains("EXIT=0"), end); // the JSON itself is longer than the screen
  }

  @Test
  void aPipeGetsNoProgress() throws Exception {
    Process p = new ProcessBuilder(verify()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    byte[] err;
    byte[] out;
    try (InputStream e = p.getErrorStream(); InputStream o = p.getInputStream()) {
      // Small outputs: read stdout then stderr without risk of filling a pipe.
      out = o.readAllBytes();
      err = e.readAllBytes();
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String errText = new String(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), errText);
    assertTrue(new String(out, StandardCharsets.UTF_8).startsWith("Verified OK"));
    assertFalse(errText.contains("\r") || errText.contains("Hashing") || errText.contains("MiB"),
        "progress written to a pipe:\n" + errText);
  }

  private static List<String> verify() {
    return new ArrayList<>(ChildSigil.command(ChildSigil.fastStart(), "verify-blob", "--key", prefix + ".pub",
        "--bundle", bundle.toString(), "--insecure-ignore-tlog", big.toString()));
  }

  /** Runs {@code cmd} in a new tmux window and returns the screens read while it ran, the last after it ended. */
  private static List<String> runInTmux(String name, List<String> cmd) throws Exception {
    Peers.onPath("tmux");
    StringBuilder sh = new StringBuilder();
    for (String c : cmd) {
      sh.append(ChildSigil.shellQuote(c)).append(' ');
    }
    sh.append("; echo EXIT=$?; sleep 600");
    tmux("-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "20", "-s", name, sh.toString());
    List<String> screens = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      String screen = tmux("capture-pane", "-p", "-t", name).strip();
      screens.add(screen);
      if (screen.contains("EXIT=")) {
        tmux("kill-session", "-t", name);
        return screens;
      }
      Thread.sleep(100);
    }
    fail("the command did not end within 180 s; last screen:\n" + screens.get(screens.size() - 1));
    return screens;
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", SOCKET));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
