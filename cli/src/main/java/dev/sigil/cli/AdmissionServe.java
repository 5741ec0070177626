package dev.sigil.cli;

import dev.sigil.admission.AdmissionServer;
import dev.sigil.admission.TrustRootSource;
import dev.sigil.admission.kube.PullSecrets;
import dev.sigil.oci.registry.DockerConfigCredentials;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.tuf.TrustException;
import dev.sigil.tuf.TrustedRootRefresher;
import dev.sigil.tuf.TrustedRootSnapshot;
import dev.sigil.tuf.TrustedRoots;
import dev.sigil.tuf.TufTrustedRoot;
import dev.sigil.tuf.TufUpdate;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** Builds and runs the admission server for {@link AdmissionCommand.Serve}; loaded only when that command runs. */
final class AdmissionServe {
  private AdmissionServe() {}

  /** A started server and how to stop it. */
  record Running(AdmissionServer server, Duration shutdownDelay, AutoCloseable trust) {
    void stop() {
      server.shutdown(shutdownDelay);
      try {
        trust.close();
      } catch (Exception e) {
        // stopping a background refresh cannot fail in a way worth reporting at exit
      }
    }
  }

  static Running start(AdmissionCommand.Serve cmd, Terminal terminal, CountDownLatch stop)
      throws CliException, TrustException {
    Duration deadline = duration("--deadline", cmd.deadline);
    Duration shutdownDelay = duration("--shutdown-delay", cmd.shutdownDelay);
    if (cmd.port < 0 || cmd.port > 65535) {
      throw CliException.badInput("--port: expected 0 to 65535, found " + cmd.port);
    }
    if (cmd.verifyThreads < 1 || cmd.verifyQueue < 0 || cmd.maxRequestBytes < 1024) {
      throw CliException.badInput("--verify-threads, --verify-queue, --max-request-bytes: expected at least 1, 0 and "
          + "1024, found " + cmd.verifyThreads + ", " + cmd.verifyQueue + ", " + cmd.maxRequestBytes);
    }
    if (cmd.registry.username != null) {
      throw CliException.badInput("--registry-username: the webhook takes credentials from a docker config file "
          + "(--docker-config) and from pods' pull secrets");
    }
    if (!Files.isDirectory(cmd.policies)) {
      throw CliException.badInput("--policies " + cmd.policies + ": expected a directory of policy files, found "
          + (Files.exists(cmd.policies) ? "a file" : "nothing"));
    }
    boolean secrets = switch (cmd.pullSecrets.toLowerCase(Locale.ROOT)) {
      case "auto" -> PullSecrets.inCluster();
      case "on" -> true;
      case "off" -> false;
      default -> throw CliException.badInput("--pull-secrets: expected auto, on or off, found " + cmd.pullSecrets);
    };
    int timeout = Math.max(1, (int) Math.min(cmd.registry.timeoutSeconds, Math.max(1, deadline.toSeconds())));
    RegistryOptions.Builder options =
        RegistryOptions.builder()
            .allowInsecureRegistry(cmd.registry.allowInsecureRegistry)
            .requestTimeout(Duration.ofSeconds(timeout))
            .connectTimeout(Duration.ofSeconds(Math.min(5, timeout)))
            .maxAttempts(2)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .userAgent("sigil-admission");
    if (cmd.dockerConfig != null) {
      options.credentials(new DockerConfigCredentials(cmd.dockerConfig, null, Duration.ofSeconds(5)));
    }
    TrustRootSource trust;
    AutoCloseable trustStop = () -> {};
    if (cmd.tufRefresh != null) {
      if (cmd.trustedRoot != null) {
        throw CliException.badInput("--tuf-refresh and --trusted-root: expected one of them, found both");
      }
      TrustedRootRefresher refresher = refresher(cmd, terminal, duration("--tuf-refresh", cmd.tufRefresh));
      // The seam: whatever the refresher serves now, versioned by content (a new root never reuses a decision).
      trust = () -> {
        TrustedRootSnapshot s = refresher.current();
        return new TrustRootSource.Current(s.root(), s.version());
      };
      trustStop = refresher;
    } else {
      // --trusted-root, else the TUF cache, else the embedded snapshot; versioned by content.
      TrustedRootSnapshot snapshot = InputFiles.trustedRoot(cmd.trustedRoot, terminal);
      trust = TrustRootSource.fixed(snapshot.root(), snapshot.version());
    }
    Set<String> exempt = new LinkedHashSet<>();
    for (String ns : cmd.exempt) {
      if (!ns.isBlank()) {
        exempt.add(ns.trim());
      }
    }
    AdmissionServer.Builder b =
        AdmissionServer.builder()
            .policies(cmd.policies)
            .tls(cmd.tlsCert, cmd.tlsKey)
            .listen(cmd.address, cmd.port)
            .registry(options.build())
            .trust(trust)
            .deadline(deadline)
            .cache(duration("--cache-allow-ttl", cmd.allowTtl), duration("--cache-deny-ttl", cmd.denyTtl),
                duration("--tag-cache-ttl", cmd.tagTtl))
            .verification(cmd.verifyThreads, cmd.verifyQueue)
            .maxRequestBytes(cmd.maxRequestBytes)
            .exemptNamespaces(exempt)
            .reloadInterval(duration("--reload-interval", cmd.reloadInterval))
            .warmUp(duration("--warm-up", cmd.warmUp))
            .events(new Lines(terminal));
    switch (cmd.auditLog) {
      case "off" -> {}
      case "-" -> b.audit(System.out, false);
      default -> {
        try {
          OutputStream out = new FileOutputStream(cmd.auditLog, true);
          b.audit(out, true);
        } catch (IOException e) {
          throw CliException.badInput("--audit-log " + cmd.auditLog + ": cannot open it for appending: " + e.getMessage());
        }
      }
    }
    if (secrets) {
      b.pullSecrets(PullSecrets.inClusterClient());
    }
    try {
      Running running = new Running(b.start(), shutdownDelay, trustStop);
      Signals.onTermination(stop);
      return running;
    } catch (AdmissionServer.StartException e) {
      try {
        trustStop.close();
      } catch (Exception ignored) {
        // failing to start is what is reported
      }
      throw new CliException(
          e.kind() == AdmissionServer.StartException.Kind.BAD_INPUT ? ExitCode.BAD_INPUT : ExitCode.ENVIRONMENT,
          e.getMessage(), e);
    }
  }

  /**
   * A started background TUF refresh over the TUF cache directory: serves the cached root (or, for public-good, the
   * embedded snapshot until a refresh succeeds) and logs each change and failure on standard error.
   */
  private static TrustedRootRefresher refresher(AdmissionCommand.Serve cmd, Terminal terminal, Duration every)
      throws CliException, TrustException {
    Path cache = TrustedRoots.defaultCacheDir(terminal.env()).orElseThrow(() -> CliException.badInput(
        "--tuf-refresh: expected a TUF cache directory ($" + TrustedRoots.CACHE_ENV + ", $XDG_CACHE_HOME or $HOME), "
            + "found none"));
    java.net.URI mirror;
    try {
      mirror = TufTrustedRoot.parseMirror(cmd.tufMirror == null ? TufTrustedRoot.PUBLIC_GOOD_MIRROR : cmd.tufMirror);
    } catch (TrustException e) {
      throw CliException.badInput("--tuf-mirror " + e.getMessage());
    }
    TufTrustedRoot tuf = TufTrustedRoot.builder().mirror(mirror).cacheDir(cache)
        .embeddedSnapshotFallback(cmd.tufMirror == null).build();
    Lines log = new Lines(terminal);
    return TrustedRootRefresher.builder(tuf).interval(every).listener(new TrustedRootRefresher.Listener() {
      @Override
      public void refreshed(TufUpdate update) {
        if (update.changed()) {
          log.info("trusted root refreshed through TUF: " + update.snapshot().version());
        }
      }

      @Override
      public void refreshFailed(TrustException error, TrustedRootSnapshot serving) {
        log.warn("trusted root refresh failed, still serving " + serving.version() + ": " + error.getMessage());
      }
    }).build().start();
  }

  /** {@code 500ms}, {@code 8s}, {@code 10m}, {@code 1h}. */
  static Duration duration(String flag, String text) throws CliException {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 9) {
      throw CliException.badInput(flag + ": expected a duration such as 500ms, 8s, 10m or 1h, found \"" + text + "\"");
    }
    long n = Long.parseLong(t.substring(0, i));
    return switch (t.substring(i)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> throw CliException.badInput(
          flag + ": expected a duration such as 500ms, 8s, 10m or 1h, found \"" + text + "\"");
    };
  }

  /** The server's log lines on standard error, one per event, with a UTC timestamp. */
  private record Lines(Terminal terminal) implements AdmissionServer.Events {
    @Override
    public void info(String message) {
      line("INFO", message);
    }

    @Override
    public void warn(String message) {
      line("WARN", message);
    }

    private void line(String level, String message) {
      synchronized (terminal) {
        terminal.err().println(Instant.now() + " " + level + " " + message);
        terminal.err().flush();
      }
    }
  }
}
