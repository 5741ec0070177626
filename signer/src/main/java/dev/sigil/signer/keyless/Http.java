package dev.sigil.signer.keyless;

import dev.sigil.signer.SigningException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place the keyless clients talk HTTP. Every failure becomes a {@link SigningException} naming the service,
 * the URL, what was sent (described by the caller, never a credential) and what came back (status and a truncated
 * body). No redirects are followed: a signing service that redirects is misconfigured.
 */
final class Http {
  /** Response bodies larger than this are refused. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** How much of an error body goes into a message. */
  static final int MAX_QUOTED = 300;

  private final HttpClient client;
  private final Timeouts timeouts;

  Http(Timeouts timeouts) {
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeouts.connect())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A response: status, headers and body. */
  record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return Optional.of(e.getValue().get(0));
        }
      }
      return Optional.empty();
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends a request and returns the response whatever its status.
   *
   * @param service e.g. "Fulcio"
   * @param sent a description of what was sent, for error messages; must not contain credentials
   * @param authorization an Authorization header value, or null; never appears in messages
   */
  Response send(
      String service, String method, URI url, String contentType, byte[] body, String accept, String sent,
      String authorization)
      throws SigningException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeouts.request());
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    // With credentials, the URL's query is not shown either (it may carry run-specific parameters).
    String shown = authorization == null ? url.toString() : url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
    HttpResponse<byte[]> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new SigningException(
          service + " at " + shown + ": no response within the time limit (connect " + timeouts.connect().toSeconds()
              + " s, request " + timeouts.request().toSeconds() + " s) to " + method + " " + sent);
    } catch (IOException e) {
      throw new SigningException(
          service + " at " + shown + ": " + method + " " + sent + " failed: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + quote(e.getMessage()) + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException(service + " at " + shown + ": interrupted while sending " + sent);
    }
    byte[] bytes = r.body() == null ? new byte[0] : r.body();
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new SigningException(
          service + " at " + shown + ": expected a response of at most " + MAX_RESPONSE_BYTES + " bytes to " + sent
              + ", found " + bytes.length + " bytes (HTTP " + r.statusCode() + ")");
    }
    return new Response(r.statusCode(), r.headers().map(), bytes);
  }

  /** The failure for a response with an unexpected status, quoting the server's message. */
  static SigningException unexpectedStatus(String service, URI url, String sent, String expected, Response r) {
    return new SigningException(
        service + " at " + url + ": " + sent + " was refused: expected " + expected + ", found HTTP " + r.status()
            + serverMessage(r));
  }

  /** A malformed response: what was expected and found. */
  static SigningException malformed(String service, URI url, String sent, String problem, Response r) {
    return new SigningException(
        service + " at " + url + ": unusable response to " + sent + " (HTTP " + r.status() + "): " + problem
            + "; body: " + quote(r.bodyText()));
  }

  /** The server's message: the {@code message} field of a JSON error body, else the body, truncated. */
  static String serverMessage(Response r) {
    String text = r.bodyText().strip();
    if (text.isEmpty()) {
      return " with an empty body";
    }
    if (text.startsWith("{")) {
      try {
        var n = Json.MAPPER.readTree(text);
        if (n != null && n.path("message").isTextual()) {
          return ": " + quote(n.path("message").textValue());
        }
      } catch (IOException e) {
        // not JSON after all: quote the text
      }
    }
    return ": " + quote(text);
  }

  /** One line, at most {@link #MAX_QUOTED} characters, non-printable characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(s.length(), MAX_QUOTED);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
    if (s.length() > MAX_QUOTED) {
      b.append(" (").append(s.length() - MAX_QUOTED).append(" more characters)");
    }
    return b.toString();
  }

  /** {@code base} with {@code path} appended (base may end in a slash or not). */
  static URI resolve(URI base, String path) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }
}
