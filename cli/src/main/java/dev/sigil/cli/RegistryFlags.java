package dev.sigil.cli;

import dev.sigil.oci.InvalidReferenceException;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.Credentials;
import dev.sigil.oci.registry.DockerConfigCredentials;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Registry flags shared by every image command, and the one mapping of registry failures to exit codes. */
final class RegistryFlags {
  @Option(names = "--allow-insecure-registry", arity = "0..1", fallbackValue = "true",
      description = "Allow plain HTTP to a registry that is not on loopback (loopback always may).")
  boolean allowInsecureRegistry;

  @Option(names = "--registry-username", paramLabel = "USER",
      description = "Username for the image's registry (default: ~/.docker/config.json and its credential helpers).")
  String username;

  @Option(names = "--registry-password-env", paramLabel = "VAR", defaultValue = "SIGIL_REGISTRY_PASSWORD",
      description = "Environment variable holding the registry password (default: ${DEFAULT-VALUE}).")
  String passwordEnv;

  @Option(names = "--registry-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Time limit for each registry request, retries apart (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** A registry client for this reference's registry, with the flags' credentials and limits. */
  RegistryClient client(ImageReference ref) throws CliException {
    if (timeoutSeconds < 1) {
      throw CliException.badInput("--registry-timeout: expected a positive number of seconds, found " + timeoutSeconds);
    }
    RegistryOptions.Builder b =
        RegistryOptions.builder()
            .allowInsecureRegistry(allowInsecureRegistry)
            .requestTimeout(Duration.ofSeconds(timeoutSeconds))
            .connectTimeout(Duration.ofSeconds(Math.min(10, timeoutSeconds)));
    if (username != null) {
      String password = System.getenv(passwordEnv);
      if (password == null) {
        throw CliException.badInput("--registry-username: expected the password in $" + passwordEnv + ", found it unset");
      }
      if (!(ref instanceof dev.sigil.oci.RegistryReference r)) {
        throw CliException.badInput("--registry-username: the image is an OCI layout, not in a registry");
      }
      b.credentials(
          CredentialSource.firstOf(
              CredentialSource.of(r.registry(), new Credentials.Basic(username, password)),
              DockerConfigCredentials.fromEnvironment()));
    }
    return new RegistryClient(b.build());
  }

  /** Parses an image reference ({@code registry/repo[:tag][@digest]} or {@code oci-layout:PATH[:tag|@digest]}). */
  static ImageReference reference(String text) throws CliException {
    try {
      return ImageReference.parse(text);
    } catch (InvalidReferenceException e) {
      throw CliException.badInput("image reference: " + e.getMessage());
    }
  }

  /**
   * A registry or layout failure as the CLI reports it: exit 3 when the registry or the network failed
   * (unauthorized, denied, timeout, unavailable), exit 2 when the input is wrong (no such image, plain HTTP refused,
   * malformed content).
   */
  static CliException failure(String image, OciException e) {
    int code =
        switch (e.reason()) {
          case NOT_FOUND, INSECURE_REFUSED, INVALID_CONTENT, DIGEST_MISMATCH, TOO_LARGE, UNSUPPORTED -> ExitCode.BAD_INPUT;
          default -> ExitCode.ENVIRONMENT;
        };
    return new CliException(code, e.getMessage().contains(image) ? e.getMessage() : image + ": " + e.getMessage(), e);
  }
}
