package dev.sigil.oci.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RegistryClient} talks to registries. Build with {@link #builder()}; {@link #defaults()} is the preset
 * used when nothing is said.
 *
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param requestTimeout the bound on one HTTP exchange, from sending the request to the last byte of the body
 * @param maxAttempts tries per call (1 = no retry); retried: connection errors, timeouts, HTTP 429, 500, 502, 503, 504
 * @param initialBackoff the first retry's delay; doubling each time, with full jitter, capped at {@code maxBackoff}
 * @param maxBackoff the longest delay between tries, also the longest {@code Retry-After} honoured (a longer one ends
 *     the retries with a retryable error)
 * @param allowInsecureRegistry allow plain HTTP to non-loopback registries (HTTPS is tried first). Loopback registries
 *     ({@code localhost}, 127.0.0.0/8, [::1]) always use plain HTTP, as Docker treats them.
 * @param credentials where credentials come from
 * @param userAgent the {@code User-Agent} sent
 */
public record RegistryOptions(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    boolean allowInsecureRegistry,
    CredentialSource credentials,
    String userAgent) {

  public RegistryOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(userAgent, "userAgent");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("maxAttempts must be between 1 and 10, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= initialBackoff <= maxBackoff");
    }
  }

  /**
   * Connect 10 s, request 60 s, 4 attempts, backoff 250 ms doubling up to 10 s, HTTPS except loopback, credentials
   * from docker's config ({@link DockerConfigCredentials#fromEnvironment()}).
   */
  public static RegistryOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .maxAttempts(maxAttempts)
        .backoff(initialBackoff, maxBackoff)
        .allowInsecureRegistry(allowInsecureRegistry)
        .credentials(credentials)
        .userAgent(userAgent);
  }

  /** Builder for {@link RegistryOptions}; {@link #build()} validates the combination. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private boolean allowInsecureRegistry;
    private CredentialSource credentials;
    private String userAgent = "sigil-oci";

    private Builder() {}

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Allows plain HTTP to registries that are not on loopback (named "insecure": it gives up transport security). */
    public Builder allowInsecureRegistry(boolean allow) {
      this.allowInsecureRegistry = allow;
      return this;
    }

    public Builder credentials(CredentialSource source) {
      this.credentials = source;
      return this;
    }

    /** Explicit credentials for one registry, tried before docker's config. */
    public Builder credentials(String registry, String username, String password) {
      this.credentials =
          CredentialSource.firstOf(
              CredentialSource.of(registry, new Credentials.Basic(username, password)),
              DockerConfigCredentials.fromEnvironment());
      return this;
    }

    public Builder userAgent(String ua) {
      this.userAgent = ua;
      return this;
    }

    public RegistryOptions build() {
      return new RegistryOptions(
          connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, allowInsecureRegistry,
          credentials != null ? credentials : DockerConfigCredentials.fromEnvironment(), userAgent);
    }
  }
}
