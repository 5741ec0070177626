package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigil sandbox}: run the embedded private Sigstore ({@code serve}) and get ID tokens from its local issuer
 * ({@code token}).
 *
 * <p>Picocli reflects on these classes at every start-up of any command, so their fields use JDK types only; the
 * sandbox classes are loaded when a sandbox command runs.
 */
@Command(
    name = "sandbox",
    description = "An embedded private Sigstore (OIDC issuer, Fulcio CA, CT log, Rekor log, TSA) on 127.0.0.1.",
    subcommands = {SandboxCommand.Serve.class, SandboxCommand.Token.class})
final class SandboxCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: serve or token (see sigil sandbox --help)");
  }

  /** The default data directory: {@code $SIGIL_SANDBOX_DATA}, else {@code $XDG_DATA_HOME/sigil/sandbox}. */
  static Path defaultDataDir(Terminal terminal) {
    return terminal.getenv("SIGIL_SANDBOX_DATA").filter(s -> !s.isBlank()).map(Path::of).orElseGet(() -> {
      Path base = terminal.getenv("XDG_DATA_HOME").filter(s -> !s.isBlank()).map(Path::of)
          .orElseGet(() -> Path.of(System.getProperty("user.home"), ".local", "share"));
      return base.resolve("sigil").resolve("sandbox");
    });
  }

  @Command(name = "serve", description = {
      "Serve the sandbox on 127.0.0.1 until interrupted (Ctrl-C).",
      "Keys, the log and the trusted root persist under --data; a restart serves the same log."})
  static final class Serve extends BaseCommand {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
        description = "TCP port on 127.0.0.1 (default: the port used last time if free, else any free port).")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Data directory (default: $SIGIL_SANDBOX_DATA, else $XDG_DATA_HOME/sigil/sandbox).")
    Path data;

    @Option(names = "--rekor-version", paramLabel = "1|2|both", defaultValue = "1",
        description = {"Which Rekor API the sandbox serves: 1 (default), 2 (a tile-based Rekor v2 log: entries need an"
            + " RFC 3161 timestamp) or both. The trusted root and signing config list what is served; with both,"
            + " clients that speak Rekor v2 choose it."})
    String rekorVersion;

    @Override
    int execute() throws CliException {
      if (port < 0 || port > 65535) {
        throw CliException.badInput("--port: expected 0 to 65535, found " + port);
      }
      dev.sigil.sandbox.Sandbox.RekorVersions versions;
      try {
        versions = dev.sigil.sandbox.Sandbox.RekorVersions.parse(rekorVersion);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--rekor-version: expected 1, 2 or both, found '" + rekorVersion + "'");
      }
      Path dir = data != null ? data : defaultDataDir(terminal);
      SandboxRuntime.Running running = SandboxRuntime.start(dir, port, versions);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        running.close();
        stopped.countDown();
      }, "sigil-sandbox-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      Map<String, String> endpoints = running.endpoints();
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("url", running.uri().toString());
        n.put("data", dir.toString());
        endpoints.forEach(n::put);
        terminal.out().println(n.toString()); // one line, so scripts can read it before the server stops
        terminal.out().flush();
      } else {
        info("Sigil sandbox: a private Sigstore for local use and tests only, serving on " + running.uri());
        endpoints.forEach((k, v) -> info(String.format("  %-18s %s", k, v)));
        info("Data directory: " + dir);
        info("Get a token:   sigil sandbox token --sandbox " + running.uri() + " --subject dev@example.com");
        info("Sign keyless:  sigil sign-blob --sandbox " + running.uri()
            + " --oidc-provider sandbox --bundle FILE.sigstore.json FILE");
        String pub = endpoints.get("publicMaterialDir");
        if (versions.servesV1()) {
          info("cosign:        SIGSTORE_ROOT_FILE=" + pub + "/fulcio-chain.pem SIGSTORE_REKOR_PUBLIC_KEY=" + pub
            + "/rekor.pub SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=" + pub + "/ctlog.pub cosign sign-blob --fulcio-url "
            + running.uri() + " --rekor-url " + running.uri() + " --identity-token TOKEN --new-bundle-format ...");
        }
        info("Stop with Ctrl-C.");
        terminal.out().flush();
      }
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.close();
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "token", description = {
      "Print a fresh ID token from a running sandbox's local OIDC issuer (for local use and tests only).",
      "Example: export SIGSTORE_ID_TOKEN=$(sigil sandbox token --sandbox http://127.0.0.1:8080 --subject dev@example.com)"})
  static final class Token extends BaseCommand {
    @Option(names = "--sandbox", paramLabel = "URL", required = true, description = "The sandbox's base URL.")
    URI sandbox;

    @Option(names = "--subject", paramLabel = "S", required = true,
        description = "The token's subject; an e-mail address also becomes its verified 'email' claim.")
    String subject;

    @Option(names = "--email", paramLabel = "E", description = "The 'email' claim (default: the subject if it is one).")
    String email;

    @Option(names = "--audience", paramLabel = "A", defaultValue = "sigstore", description = "Default: sigstore.")
    String audience;

    @Option(names = "--lifetime", paramLabel = "SECONDS", defaultValue = "600",
        description = "Token lifetime in seconds (default 600, at most 3600).")
    long lifetimeSeconds;

    @Option(names = "--claim", paramLabel = "NAME=VALUE",
        description = "An extra string claim, e.g. --claim repository=acme/app (repeatable).")
    Map<String, String> claims = new LinkedHashMap<>();

    @Override
    int execute() throws CliException {
      String token = SandboxRuntime.token(sandbox, subject, email, audience, Duration.ofSeconds(lifetimeSeconds),
          claims);
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("idToken", token);
        printJson(n);
      } else {
        terminal.out().println(token);
        terminal.out().flush();
      }
      return ExitCode.OK;
    }
  }
}
