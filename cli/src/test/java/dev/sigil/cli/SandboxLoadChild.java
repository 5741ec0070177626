package dev.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sigil sandbox serve} in a child JVM (for SIGKILL): started on a data directory and port, it is ready once it
 * has printed its one JSON line; {@link #kill()} is {@code destroyForcibly} (SIGKILL on Linux).
 */
final class SandboxLoadChild implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final JsonNode info;

  private SandboxLoadChild(Process process, JsonNode info) {
    this.process = process;
    this.info = info;
  }

  /** Starts the child and waits (at most 60 s) for its JSON line; retries a few times if the port is not free yet. */
  static SandboxLoadChild start(Path dataDir, int port) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return startOnce(dataDir, port);
      } catch (IOException e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  private static SandboxLoadChild startOnce(Path dataDir, int port) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Sigil.class.getName(), "sandbox", "serve", "--data",
        dataDir.toString(), "--port", Integer.toString(port), "--output", "json");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("SIGIL_TUF_CACHE", dataDir.resolveSibling("no-tuf-cache").toString());
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return r.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = first.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("the sandbox child printed no line within 60 s", e);
    }
    if (line == null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IOException("the sandbox child exited (" + (p.isAlive() ? "?" : p.exitValue())
          + ") before printing its JSON line");
    }
    JsonNode info = JSON.readTree(line);
    if (!info.path("ok").asBoolean(false) || !info.hasNonNull("url")) {
      p.destroyForcibly();
      throw new IOException("unexpected first line from the sandbox child: " + line);
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (r.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // the pipe breaks when the child dies
      }
    }, "sandbox-child-stdout");
    drain.setDaemon(true);
    drain.start();
    return new SandboxLoadChild(p, info);
  }

  URI url() {
    return URI.create(info.get("url").asText());
  }

  int port() {
    return url().getPort();
  }

  URI endpoint(String name) {
    JsonNode n = info.get(name);
    if (n == null || !n.isTextual()) {
      throw new IllegalStateException("the sandbox's JSON line has no " + name + ": " + info);
    }
    return URI.create(n.asText());
  }

  /** The endpoint names in the JSON line (for messages). */
  List<String> endpointNames() {
    List<String> out = new ArrayList<>();
    info.fieldNames().forEachRemaining(out::add);
    return out;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the sandbox child " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
