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
  /** Held so the level set by {@link #quietCacheFailures} stays: java.util.logging keeps loggers only weakly. */
  private static final java.util.logging.Logger CACHE_LOG =
      java.util.logging.Logger.getLogger("com.github.benmanes.caffeine");

  /**
   * The decision caches log each failed lookup (a missing tag, an unreachable registry) with its stack trace through
   * java.util.logging; serve and review already report each failure (a denial, an audit line, a metric), so that log
   * is off for the process.
   */
  static void quietCacheFailures() {
    CACHE_LOG.setLevel(java.util.logging.Level.OFF);
  }

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
    Duration shutdownDelay = duration("--shutdown-delay", cmd.shutdownDelay);
    if (cmd.port < 0 || cmd.port > 65535) {
      throw CliException.badInput("--port: expected 0 to 65535, found " + cmd.port);
    }
    if (cmd.verifyThreads < 1 || cmd.verifyQueue < 0) {
      throw CliException.badInput("--verify-threads, --verify-queue: expected at least 1 and 0, found "
          + cmd.verifyThreads + " and " + cmd.verifyQueue);
    }
    AdmissionFlags f = cmd.admission;
    check(f);
    boolean secrets = switch (cmd.pullSecrets.toLowerCase(Locale.ROOT)) {
      case "auto" -> PullSecrets.inCluster();
      case "on" -> true;
      case "off" -> false;
      default -> throw CliException.badInput("--pull-secrets: expected auto, on or off, found " + cmd.pullSecrets);
    };
    TrustRootSource trust;
    AutoCloseable trustStop = () -> {};
    if (cmd.tufRefresh != null) {
      if (f.trustedRoot != null) {
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
      trust = fixedTrust(f, terminal);
    }
    AdmissionServer.Builder b =
        configure(f, trust)
            .tls(cmd.tlsCert, cmd.tlsKey)
            .listen(cmd.address, cmd.port)
            .cache(duration("--cache-allow-ttl", cmd.allowTtl), duration("--cache-deny-ttl", cmd.denyTtl),
                duration("--tag-cache-ttl", cmd.tagTtl))
            .verification(cmd.verifyThreads, cmd.verifyQueue)
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
    quietCacheFailures();
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

  /** Checks the flags {@link #configure} reads (exit 2), before anything is loaded or started. */
  static void check(AdmissionFlags f) throws CliException {
    duration("--deadline", f.deadline);
    if (f.maxRequestBytes < 1024) {
      throw CliException.badInput("--max-request-bytes: expected at least 1024, found " + f.maxRequestBytes);
    }
    if (f.registry.username != null) {
      throw CliException.badInput("--registry-username: the webhook takes credentials from a docker config file "
          + "(--docker-config) and from pods' pull secrets");
    }
    if (f.registry.timeoutSeconds < 1) {
      throw CliException.badInput(
          "--registry-timeout: expected a positive number of seconds, found " + f.registry.timeoutSeconds);
    }
    if (!Files.isDirectory(f.policies)) {
      throw CliException.badInput("--policies " + f.policies + ": expected a directory of policy files, found "
          + (Files.exists(f.policies) ? "a file" : "nothing"));
    }
  }

  /**
   * The trusted root read once, versioned by content: --trusted-root, else the TUF cache, else the embedded snapshot.
   */
  static TrustRootSource fixedTrust(AdmissionFlags f, Terminal terminal) throws TrustException {
    TrustedRootSnapshot snapshot = InputFiles.trustedRoot(f.trustedRoot, terminal);
    return TrustRootSource.fixed(snapshot.root(), snapshot.version());
  }

  /**
   * A builder with what decides a review, as serve and review share it: policies, trust, registry access and
   * credentials, deadline, exempt namespaces and the request size limit. Call {@link #check} first.
   */
  static AdmissionServer.Builder configure(AdmissionFlags f, TrustRootSource trust) throws CliException {
    Duration deadline = duration("--deadline", f.deadline);
    int timeout = Math.max(1, (int) Math.min(f.registry.timeoutSeconds, Math.max(1, deadline.toSeconds())));
    RegistryOptions.Builder options =
        RegistryOptions.builder()
            .allowInsecureRegistry(f.registry.allowInsecureRegistry)
            .requestTimeout(Duration.ofSeconds(timeout))
            .connectTimeout(Duration.ofSeconds(Math.min(5, timeout)))
            .maxAttempts(2)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .userAgent("sigil-admission");
    if (f.dockerConfig != null) {
      options.credentials(new DockerConfigCredentials(f.dockerConfig, null, Duration.ofSeconds(5)));
    }
    Set<String> exempt = new LinkedHashSet<>();
    for (String ns : f.exempt) {
      if (!ns.isBlank()) {
        exempt.add(ns.trim());
      }
    }
    return AdmissionServer.builder()
        .policies(f.policies)
        .registry(options.build())
        .trust(trust)
        .deadline(deadline)
        .maxRequestBytes(f.maxRequestBytes)
        .exemptNamespaces(exempt);
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
