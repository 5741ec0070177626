package dev.sigil.signer.keyless;

import java.time.Duration;
import java.util.Objects;

/**
 * Network time limits for the service clients: connecting, and the whole request (send until the response body is
 * read).
 */
public record Timeouts(Duration connect, Duration request) {
  public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST = Duration.ofSeconds(30);

  public Timeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(request, "request");
    if (connect.isNegative() || connect.isZero() || request.isNegative() || request.isZero()) {
      throw new IllegalArgumentException(
          "timeouts: expected positive durations, found connect " + connect + ", request " + request);
    }
  }

  /** 10 s to connect, 30 s per request. */
  public static Timeouts defaults() {
    return new Timeouts(DEFAULT_CONNECT, DEFAULT_REQUEST);
  }
}
