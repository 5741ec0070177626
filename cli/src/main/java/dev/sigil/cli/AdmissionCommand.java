package dev.sigil.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil admission serve}: the Kubernetes admission webhook; {@code sigil admission review}: one review answered
 * offline as the webhook answers it. Fields use JDK types only (picocli reflects on every command at start-up); the
 * admission module is loaded when a command runs.
 */
@Command(
    name = "admission",
    description = "The Kubernetes admission webhook.",
    subcommands = {AdmissionCommand.Serve.class, AdmissionCommand.Review.class})
final class AdmissionCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: serve or review");
  }

  @Command(name = "serve", description = {
      "Serve the validating (POST /validate) and mutating (POST /mutate) admission webhook over HTTPS, with /healthz,",
      "/readyz and /metrics, until SIGTERM or Ctrl-C; then stop accepting, answer what was received, and exit 0.",
      "Policies and the certificate are reloaded when their files change. Exit 2: bad policies or TLS files;",
      "exit 3: the port cannot be used."})
  static final class Serve extends BaseCommand {
    @Mixin AdmissionFlags admission;

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

    @Option(names = "--tuf-refresh", paramLabel = "DURATION",
        description = "Serve the trusted root from the TUF cache and refresh it through TUF in the background this "
            + "often (e.g. 6h); each new root takes effect for new decisions. Default: no refresh (the root is read "
            + "once: --trusted-root, else the TUF cache, else the embedded snapshot).")
    String tufRefresh;

    @Option(names = "--tuf-mirror", paramLabel = "URL",
        description = "TUF repository for --tuf-refresh (default: the public-good Sigstore mirror; another needs its "
            + "initial root cached by 'sigil trusted-root update --mirror URL --tuf-root FILE').")
    String tufMirror;

    @Option(names = "--pull-secrets", paramLabel = "MODE", defaultValue = "auto",
        description = "Use pods' imagePullSecrets and their service accounts' (read from the cluster): auto (when "
            + "running in a cluster), on, off (default: ${DEFAULT-VALUE}).")
    String pullSecrets;

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

  @Command(name = "review", description = {
      "Answer one AdmissionReview as the webhook's POST /validate (or, with --mutate, POST /mutate) would, offline:",
      "no TLS, no cluster. The review is a file, '-' for standard input, or built from --image (a CREATE of a new",
      "object with one container per image). Images may be oci-layout:PATH[:tag|@digest], read from this machine.",
      "Prints the verdict per image, or with --output json the AdmissionReview response the webhook would send.",
      "Exit 0: allowed; 1: denied; 2: bad flags, unreadable or malformed review, bad policies."})
  static final class Review extends BaseCommand {
    @Mixin AdmissionFlags admission;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REVIEW.json",
        description = "An AdmissionReview v1 request (JSON), or '-' for standard input.")
    String input;

    @Option(names = "--mutate",
        description = "Answer as POST /mutate: when allowed, a JSONPatch pins each verified tag to its digest.")
    boolean mutate;

    @Option(names = "--image", paramLabel = "IMAGE",
        description = "Instead of a review file: review a CREATE with a container for this image (repeatable).")
    List<String> images;

    @Option(names = "--namespace", paramLabel = "NS",
        description = "With --image: the object's namespace (default: default).")
    String namespace;

    @Option(names = "--kind", paramLabel = "KIND",
        description = "With --image: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob "
            + "(default: Pod).")
    String kind;

    @Override
    int execute() throws CliException, dev.sigil.tuf.TrustException {
      return AdmissionReviewer.run(this, terminal);
    }
  }
}
