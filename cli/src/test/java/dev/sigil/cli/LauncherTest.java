package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sigil's choice of run profile from its arguments, with a stand-in java that prints what it was given: the
 * fast-start profile (C1 only) for small inputs, the throughput profile (full JIT) for inputs over 16 MiB in all or of
 * a size the launcher cannot know, and the arguments passed through unchanged either way.
 */
class LauncherTest {
  private static final String FAST = "-XX:TieredStopAtLevel=1 -Dsigil.profile=fast-start";
  private static final String THROUGHPUT = "-Dsigil.profile=throughput";

  @TempDir static Path root;
  static Path javaHome;

  @BeforeAll
  static void layOutACheckout() throws Exception {
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("..", "bin", "sigil"), root.resolve("bin/sigil"));
    Files.createDirectories(root.resolve("cli/target"));
    Files.write(root.resolve("cli/target/sigil.jar"), new byte[0]);
    javaHome = root.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void smallFilesStartFast(@TempDir Path d) throws Exception {
    Path bundle = Files.writeString(d.resolve("b.json"), "{}");
    Path a = ChildSigil.sparse(d.resolve("a.bin"), 8L << 20);
    Path b = ChildSigil.sparse(d.resolve("b.bin"), 8L << 20); // 16 MiB in all: not over the line
    assertProfile(FAST, "verify-blob", "--bundle", bundle.toString(), a.toString());
    assertProfile(FAST, "sign-blob", "--bundle", d.resolve("new.json").toString(), a.toString(), b.toString());
    assertProfile(FAST, "verify-blob", "--bundle", bundle.toString(), "sha256:" + "ab".repeat(32));
    assertProfile(FAST, "version");
    assertProfile(FAST, "verify-blob", "--trusted-root", d.toString()); // directories are not inputs to size
  }

  @Test
  void largeInputsGetTheFullJit(@TempDir Path d) throws Exception {
    Path bundle = Files.writeString(d.resolve("b.json"), "{}");
    Path big = ChildSigil.sparse(d.resolve("big.bin"), (16L << 20) + 1);
    Path a = ChildSigil.sparse(d.resolve("a.bin"), 9L << 20);
    Path b = ChildSigil.sparse(d.resolve("b.bin"), 9L << 20);
    assertProfile(THROUGHPUT, "verify-blob", "--bundle", bundle.toString(), big.toString());
    assertProfile(THROUGHPUT, "sign-blob", "--bundle=" + d.resolve("new.json"), "--key=" + big); // --opt=FILE
    assertProfile(THROUGHPUT, "provenance", "--subject", a.toString(), "--subject", b.toString()); // 18 MiB in all
    Path link = Files.createSymbolicLink(d.resolve("link"), big);
    assertProfile(THROUGHPUT, "verify-blob", link.toString()); // the target's size, not the link's
    Path dash = ChildSigil.sparse(d.resolve("-dash.bin"), 17L << 20);
    assertProfile(THROUGHPUT, "verify-blob", "--", dash.getFileName().toString(), d); // a name that looks like a flag
  }

  @Test
  void inputsOfUnknownSizeGetTheFullJit(@TempDir Path d) throws Exception {
    Path args = Files.writeString(d.resolve("args"), "verify-blob\n");
    assertProfile(THROUGHPUT, "@" + args);
    Path fifo = d.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertProfile(THROUGHPUT, "verify-blob", "--bundle", "b.json", fifo.toString());
    assertProfile(THROUGHPUT, "bench", "verify");
    assertProfile(THROUGHPUT, "sandbox", "serve", "--port", "0");
    assertProfile(FAST, "sandbox", "token");
  }

  private static void assertProfile(String expected, String... args) throws Exception {
    assertProfile(expected, args, root);
  }

  private static void assertProfile(String expected, String a, String b, String c, Path cwd) throws Exception {
    assertProfile(expected, new String[] {a, b, c}, cwd);
  }

  /** Runs bin/sigil with {@code args} in {@code cwd} and checks the java options it chose and the arguments it passed. */
  private static void assertProfile(String expected, String[] args, Path cwd) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", root.resolve("bin/sigil").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().remove("SIGIL_JAVA_OPTS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> given = out.lines().toList();
    String options = String.join(" ", given.subList(0, given.indexOf("dev.sigil.cli.Sigil")));
    boolean fast = options.contains(FAST);
    boolean throughput = options.contains(THROUGHPUT) && !options.contains("TieredStopAtLevel");
    assertTrue(expected.equals(FAST) ? fast && !throughput : throughput && !fast,
        "expected " + expected + " for " + List.of(args) + ", found: " + options);
    assertEquals(List.of(args), given.subList(given.indexOf("dev.sigil.cli.Sigil") + 1, given.size()),
        "arguments are passed through unchanged");
  }
}
