package dev.sigil.oci.registry;

import dev.sigil.oci.RegistryReference;
import java.net.http.HttpClient;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access to registries with one set of {@link RegistryOptions}: hands out a {@link RegistryStore} per repository, and
 * holds what they share (the JDK HTTP client, cached tokens, which registries fell back to plain HTTP and which lack
 * the referrers API). Construction does no I/O. Thread-safe; share one per process.
 */
public final class RegistryClient {
  private final RegistryOptions options;
  private final HttpClient http;
  /** Authorization header values by registry and scope; never logged. */
  final Map<String, String> authorizations = new ConcurrentHashMap<>();
  /** Registries (allowed insecure) that turned out to speak plain HTTP. */
  final Map<String, Boolean> plainHttp = new ConcurrentHashMap<>();
  /** Registries known to lack (false) or have (true) the referrers API. */
  final Map<String, Boolean> referrersApi = new ConcurrentHashMap<>();

  public RegistryClient(RegistryOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public RegistryOptions options() {
    return options;
  }

  /** The store for {@code registry/repository} (e.g. {@code 127.0.0.1:5000}, {@code test/app}). */
  public RegistryStore repository(String registry, String repository) {
    return new RegistryStore(new RegistryCaller(this, registry, repository));
  }

  /** The store for the repository a reference names (its tag and digest are not used). */
  public RegistryStore repository(RegistryReference ref) {
    return repository(ref.registry(), ref.repository());
  }

  HttpClient http() {
    return http;
  }

  /** Loopback hosts (localhost, 127.0.0.0/8, [::1]) by name, without DNS. */
  static boolean isLoopback(String registry) {
    String host = registry.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close > 0 && host.substring(1, close).equals("::1");
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    if (host.equals("localhost")) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
