package dev.sigil.oci.registry;

import dev.sigil.oci.OciException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Finds credentials for a registry host ({@code docker.io}, {@code ghcr.io}, {@code 127.0.0.1:5000}). */
@FunctionalInterface
public interface CredentialSource {
  /**
   * The credentials for {@code registry}, or empty to go anonymous.
   *
   * @throws OciException {@code CREDENTIALS} when a configured source fails (unreadable config, helper error)
   */
  Optional<Credentials> lookup(String registry) throws OciException;

  /** Never any credentials. */
  static CredentialSource anonymous() {
    return registry -> Optional.empty();
  }

  /** {@code credentials} for {@code registry} only (e.g. from {@code --registry-username/--registry-password}). */
  static CredentialSource of(String registry, Credentials credentials) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(credentials, "credentials");
    return r -> DockerConfigCredentials.sameRegistry(registry, r) ? Optional.of(credentials) : Optional.empty();
  }

  /** The first source that has credentials for the registry. */
  static CredentialSource firstOf(CredentialSource... sources) {
    List<CredentialSource> list = List.of(sources);
    return r -> {
      for (CredentialSource s : list) {
        Optional<Credentials> c = s.lookup(r);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }
}
