package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Peers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads a local HTML file in a real headless Chromium (Debian's {@code chromium}; {@link Peers#chromium()} skips the
 * test loudly when it is absent, or fails it under {@code SIGIL_REQUIRE_PEERS=1}): the DOM after load ({@code
 * --dump-dom}), every console message the page caused (Chromium logs each as a {@code :CONSOLE} line with {@code
 * --enable-logging=stderr --v=0}: script errors, {@code console.*} calls and Content-Security-Policy refusals, which
 * is how a blocked script or external load shows), and a screenshot ({@code --screenshot}) decoded with ImageIO.
 * Every run has a fresh profile directory and no network features (no QUIC, background networking, component updates
 * or sync).
 */
final class HeadlessChromium {
  static final int WIDTH = 1200;
  static final int HEIGHT = 900;

  private final Path binary;
  private final Path work;

  HeadlessChromium(Path work) {
    this.binary = Peers.chromium();
    this.work = work;
  }

  /** What one page load gave. */
  record Load(String dom, List<String> console, String log) {}

  /** Loads {@code html} and returns its DOM and console messages. */
  Load dumpDom(Path html) throws Exception {
    Run r = run(List.of("--dump-dom", html.toUri().toString()));
    assertTrue(r.exit() == 0, () -> "chromium --dump-dom exited " + r.exit() + "\n" + r.stderr());
    return new Load(r.stdout(), console(r.stderr()), r.stderr());
  }

  /** Loads {@code html}, takes a {@value #WIDTH}x{@value #HEIGHT} screenshot and returns it decoded, with the console. */
  Screenshot screenshot(Path html) throws Exception {
    Path png = work.resolve("shot-" + System.nanoTime() + ".png");
    Run r = run(List.of("--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", html.toUri().toString()));
    assertTrue(r.exit() == 0 && Files.exists(png), () -> "chromium --screenshot exited " + r.exit() + "\n" + r.stderr());
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, "the screenshot is a PNG ImageIO can decode");
    return new Screenshot(png, image, console(r.stderr()));
  }

  /** A decoded screenshot, with measures of how much it shows. */
  record Screenshot(Path file, BufferedImage image, List<String> console) {
    /** How many distinct RGB colours it has (a blank page has one). */
    int distinctColours() {
      Set<Integer> seen = new HashSet<>();
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          seen.add(image.getRGB(x, y) & 0xffffff);
        }
      }
      return seen.size();
    }

    /** The fraction of pixels that are not (near) white. */
    double inkFraction() {
      long ink = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (r < 240 || g < 240 || b < 240) {
            ink++;
          }
        }
      }
      return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    /** How many pixels have exactly this RGB colour (e.g. a graph node's fill). */
    int pixelsOf(int rgb) {
      int n = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          if ((image.getRGB(x, y) & 0xffffff) == rgb) {
            n++;
          }
        }
      }
      return n;
    }
  }

  private record Run(int exit, String stdout, String stderr) {}

  private Run run(List<String> extra) throws Exception {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(binary.toString());
      cmd.addAll(
          List.of(
              "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
      cmd.addAll(extra);
      Peers.Result r = Peers.run(cmd, Map.of(), work, 120);
      return new Run(r.exitCode(), r.stdout(), r.stderr());
    } finally {
      deleteTree(profile);
    }
  }

  /** The console messages in Chromium's log: lines such as {@code [..:INFO:CONSOLE:1] "message", source: ...}. */
  static List<String> console(String log) {
    List<String> out = new ArrayList<>();
    for (String line : log.split("\n", -1)) {
      if (line.contains(":CONSOLE")) {
        out.add(line);
      }
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
