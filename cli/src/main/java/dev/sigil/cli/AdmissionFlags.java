package dev.sigil.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags that decide a review, shared by {@code sigil admission serve} and {@code sigil admission review} so the
 * two decide alike: policies, the trusted root, registry access and credentials, the deadline, exempt namespaces and
 * the request size limit. JDK types only (picocli reflects on every command at start-up).
 */
final class AdmissionFlags {
  @Option(names = "--policies", paramLabel = "DIR", required = true,
      description = "Directory of policy files (*.yaml, *.yml); the server reloads it on change, an invalid set is "
          + "refused.")
  Path policies;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Trusted root for authorities that name none (default: the TUF copy, else public-good).")
  Path trustedRoot;

  @Mixin RegistryFlags registry;

  @Option(names = "--docker-config", paramLabel = "FILE",
      description = "Registry credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json).")
  Path dockerConfig;

  @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "8s",
      description = "Time a review may take; what is undecided then is denied, unless its policies are in warn "
          + "mode. Keep it under the webhook's timeoutSeconds (default: ${DEFAULT-VALUE}).")
  String deadline;

  @Option(names = "--exempt-namespace", paramLabel = "NS", split = ",", defaultValue = "kube-system",
      description = "Namespaces allowed without verification, repeatable or comma-separated; an empty value "
          + "exempts none (default: ${DEFAULT-VALUE}).")
  List<String> exempt;

  @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "4194304",
      description = "Largest AdmissionReview accepted (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes;
}
