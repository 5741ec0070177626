package dev.sigil.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sigil admission serve}: the Kubernetes admission webhook. Fields use JDK types only (picocli reflects on every
 * command at start-up); the admission module is loaded when the command runs.
 */
@Command(
    name = "admission",
    description = "The Kubernetes admission webhook.",
    subcommands = {AdmissionCommand.Serve.class})
final class AdmissionCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: serve");
  }

  @Command(name = "serve", description = {
      "Serve the validating (POST /validate) and mutating (POST /mutate) admission webhook over HTTPS, with /healthz,",
      "/readyz and /metrics, until SIGTERM or Ctrl-C; then stop accepting, answer what was received, and exit 0.",
      "Policies and the certificate are reloaded when their files change. Exit 2: bad policies or TLS files;",
      "exit 3: the port cannot be used."})
  static final class Serve extends BaseCommand {
    @Option(names = "--policies", paramLabel = "DIR", required = true,
        description = "Directory of policy files (*.yaml, *.yml); reloaded on change, an invalid set is refused.")
    Path policies;

    @Option(names = "--tls-cert", paramLabel = "FILE", required = true,
        description = "Serving certificate chain (PEM); reloaded on change.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", required = true,
        description = "Serving key (PEM: PKCS#8, SEC1 or PKCS#1; EC or RSA; unencrypted).")
    Path tlsKey;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--address", paramLabel = "HOST", defaultValue = "0.0.0.0",
        description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--trusted-root", paramLabel = "FILE",
        description = "Trusted root for authorities that name none (default: the TUF copy, else public-good).")
    Path trustedRoot;

    @Option(names = "--tuf-refresh", paramLabel = "DURATION",
        description = "Serve the trusted root from the TUF cache and refresh it through TUF in the background this "
            + "often (e.g. 6h); each new root takes effect for new decisions. Default: no refresh (the root is read "
            + "once: --trusted-root, else the TUF cache, else the embedded snapshot).")
    String tufRefresh;

    @Option(names = "--tuf-mirror", paramLabel = "URL",
        description = "TUF repository for --tuf-refresh (default: the public-good Sigstore mirror; another needs its "
            + "initial root cached by 'sigil trusted-root update --mirror URL --tuf-root FILE').")
    String tufMirror;

    @Mixin RegistryFlags registry;

    @Option(names = "--docker-config", paramLabel = "FILE",
        description = "Registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json).")
    Path dockerConfig;

    @Option(names = "--pull-secrets", paramLabel = "MODE", defaultValue = "auto",
        description = "Use pods' imagePullSecrets and their service accounts' (read from the cluster): auto (when "
            + "running in a cluster), on, off (default: ${DEFAULT-VALUE}).")
    String pullSecrets;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "8s",
        description = "Time a review may take; what is undecided then is denied, unless its policies are in warn "
            + "mode. Keep it under the webhook's timeoutSeconds (default: ${DEFAULT-VALUE}).")
    String deadline;

    @Option(names = "--cache-allow-ttl", paramLabel = "DURATION", defaultValue = "10m",
        description = "How long an allowed image's decision is reused (default: ${DEFAULT-VALUE}).")
    String allowTtl;

    @Option(names = "--cache-deny-ttl", paramLabel = "DURATION", defaultValue = "30s",
        description = "How long a denied image's decision is reused (default: ${DEFAULT-VALUE}).")
    String denyTtl;

    @Option(names = "--tag-cache-ttl", paramLabel = "DURATION", defaultValue = "30s",
        description = "How long a tag's digest is reused (default: ${DEFAULT-VALUE}).")
    String tagTtl;

    @Option(names = "--verify-threads", paramLabel = "N", defaultValue = "16",
        description = "Images fetched and verified at once (default: ${DEFAULT-VALUE}).")
    int verifyThreads;

    @Option(names = "--verify-queue", paramLabel = "N", defaultValue = "256",
        description = "Images that may wait for a verification thread; beyond, they are denied at once "
            + "(default: ${DEFAULT-VALUE}).")
    int verifyQueue;

    @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "4194304",
        description = "Largest AdmissionReview accepted (default: ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(names = "--exempt-namespace", paramLabel = "NS", split = ",", defaultValue = "kube-system",
        description = "Namespaces allowed without verification, repeatable or comma-separated; an empty value "
            + "exempts none (default: ${DEFAULT-VALUE}).")
    List<String> exempt;

    @Option(names = "--audit-log", paramLabel = "FILE", defaultValue = "-",
        description = "Where the audit log (one JSON line per decision) goes: a file (appended), '-' for standard "
            + "output, 'off' for nowhere (default: ${DEFAULT-VALUE}).")
    String auditLog;

    @Option(names = "--reload-interval", paramLabel = "DURATION", defaultValue = "2s",
        description = "How often policy and certificate files are checked for changes (default: ${DEFAULT-VALUE}).")
    String reloadInterval;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = "5s",
        description = "Before listening, run the decoding paths on synthetic reviews this long, so the first real "
            + "reviews are not answered by a cold JIT; 0s to skip (default: ${DEFAULT-VALUE}).")
    String warmUp;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", defaultValue = "1s",
        description = "On SIGTERM, keep serving this long with /readyz failing and HTTP/1.1 connections closed after "
            + "each answer, before closing the port, so the Service and clients stop sending here first "
            + "(default: ${DEFAULT-VALUE}).")
    String shutdownDelay;

    @Override
    int execute() throws CliException, dev.sigil.tuf.TrustException {
      CountDownLatch stop = new CountDownLatch(1);
      AdmissionServe.Running running = AdmissionServe.start(this, terminal, stop);
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.stop();
      return ExitCode.OK;
    }
  }
}
