package dev.sigil.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real registry (the CNCF distribution registry) on 127.0.0.1, started through {@code ../shared/tools/registry}
 * (found by walking up from the working directory to a folder that holds {@code shared/tools/registry}) on a free
 * port, with its storage under a directory of the test's. {@link #pushImage} builds a tiny image offline (umoci) and
 * pushes it (skopeo). When the script or {@code docker-registry} is missing the test is skipped loudly, or fails under
 * {@code SIGIL_REQUIRE_PEERS=1}, as {@link Peers} does.
 */
public final class TestRegistry implements AutoCloseable {
  private final Path script;
  private final Path dir;
  private final int port;

  private TestRegistry(Path script, Path dir, int port) {
    this.script = script;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a registry whose storage lives under {@code dir}. */
  public static TestRegistry start(Path dir) throws IOException, InterruptedException {
    Path script = findScript();
    if (!onPath("docker-registry")) {
      missing("docker-registry is not on PATH");
    }
    int port = freePort();
    TestRegistry r = new TestRegistry(script, dir, port);
    Peers.Result res = r.run(List.of(script.toString(), "start", Integer.toString(port)), 30);
    if (res.exitCode() != 0) {
      Assertions.fail("the test registry did not start on port " + port + ": " + res.describe());
    }
    return r;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Builds and pushes a one-file image {@code REPO:TAG} with {@code text}; returns its manifest digest. */
  public String pushImage(String repoAndTag, String text) throws IOException, InterruptedException {
    Peers.Result res =
        run(List.of(script.toString(), "image", repoAndTag, text, Integer.toString(port)), 60);
    String out = res.stdout().trim();
    String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1).trim();
    if (res.exitCode() != 0 || !last.startsWith("sha256:")) {
      Assertions.fail("pushing " + repoAndTag + " to the test registry failed: " + res.describe());
    }
    return last;
  }

  /** The {@code shared/tools/registry} script in use. */
  public Path script() {
    return script;
  }

  @Override
  public void close() throws IOException {
    try {
      run(List.of(script.toString(), "stop", Integer.toString(port)), 30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while stopping the test registry");
    }
  }

  private Peers.Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    return Peers.run(cmd, Map.of("REGISTRY_DIR", dir.toString()), dir, timeoutSeconds);
  }

  /** The first {@code shared/tools/X} found walking up from the working directory. */
  public static Path findSharedTool(String name) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared").resolve("tools").resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path findScript() {
    Path p = findSharedTool("registry");
    if (p == null) {
      missing("shared/tools/registry not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }

  private static void missing(String why) {
    String msg = "PEER MISSING: test registry: " + why + "; run ../shared/tools/peers install";
    if (Peers.required()) {
      Assertions.fail(msg + " [SIGIL_REQUIRE_PEERS=1]");
    }
    System.err.println("\n*** SKIPPING REGISTRY TEST: " + msg + " ***\n");
    Assumptions.abort(msg);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
