package dev.sigil.tuf.internal;

import dev.sigstore.tuf.FileExceedsMaxLengthException;
import dev.sigstore.tuf.Fetcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * sigstore-java's {@link Fetcher} over the JDK's {@code java.net.http} client, in place of its own {@code HttpFetcher}
 * (google-http-client), which has a fixed 60 s timeout and reports every failure as a bare {@code IOException}. This
 * one bounds each exchange as a whole (connection, headers and body) by the configured timeouts, reads no more than
 * the length the caller allows, and marks its failures so that the mirror's problems are told apart from the local
 * store's: {@link Unreachable} below HTTP, {@link HttpStatus} for a status other than 200 and 404 (404 returns null,
 * as the interface asks).
 */
final class JdkFetcher implements Fetcher {
  static final String USER_AGENT = "sigil-tuf";

  private final HttpClient client;
  private final URI base;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final CompletableFuture<Void> stop;

  /**
   * @param base the mirror (or its targets/ directory); ends with {@code /}
   * @param stop completed to abandon the exchange in flight and refuse new ones (without interrupting any thread)
   */
  JdkFetcher(HttpClient client, URI base, Duration connectTimeout, Duration requestTimeout,
      CompletableFuture<Void> stop) {
    this.client = client;
    this.base = base;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.stop = stop;
  }

  @Override
  public String getSource() {
    return base.toString();
  }

  @Override
  public byte[] fetchResource(String filename, int maxLength) throws IOException {
    URI uri;
    try {
      uri = base.resolve(new URI(null, null, filename, null));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a usable file name: " + filename, e);
    }
    if (stop.isDone()) {
      throw new Unreachable(uri, new InterruptedIOException("stopped"));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri).GET().timeout(requestTimeout).header("User-Agent", USER_AGENT).build();
    CompletableFuture<HttpResponse<byte[]>> f =
        client.sendAsync(request, info -> info.statusCode() == 200
            ? new Bounded(maxLength)
            : HttpResponse.BodySubscribers.replacing(null));
    HttpResponse<byte[]> response;
    try {
      // The request timeout covers the wait for headers only; this bounds the body too.
      CompletableFuture.anyOf(f, stop).get(connectTimeout.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
      if (!f.isDone()) {
        f.cancel(true);
        throw new Unreachable(uri, new InterruptedIOException("stopped"));
      }
      response = f.get();
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new Unreachable(uri, new HttpTimeoutException("no answer within " + Text.human(requestTimeout)));
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new Unreachable(uri, new InterruptedIOException("interrupted"));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      for (Throwable t = c; t != null; t = t.getCause()) {
        if (t instanceof TooLarge) {
          throw new FileExceedsMaxLengthException(uri.toString(), maxLength);
        }
        if (t instanceof HttpConnectTimeoutException) {
          throw new Unreachable(uri,
              new HttpConnectTimeoutException("no connection within " + Text.human(connectTimeout)));
        }
        if (t instanceof HttpTimeoutException) {
          throw new Unreachable(uri, new HttpTimeoutException("no answer within " + Text.human(requestTimeout)));
        }
      }
      throw new Unreachable(uri, c instanceof IOException io ? io : new IOException(c));
    }
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new HttpStatus(uri, response.statusCode());
    }
    return response.body();
  }

  /** A fetch that failed below HTTP (connection refused, DNS, TLS, timeout, interruption), with its URL. */
  static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;
    final transient URI uri;

    Unreachable(URI uri, IOException cause) {
      super(cause);
      this.uri = uri;
    }
  }

  /** The mirror answered with a status other than 200 and 404. */
  static final class HttpStatus extends IOException {
    private static final long serialVersionUID = 1L;
    final transient URI uri;
    final int status;

    HttpStatus(URI uri, int status) {
      super("HTTP " + status + " for " + uri);
      this.uri = uri;
      this.status = status;
    }
  }

  /** A 200 body longer than allowed. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body larger than " + limit + " bytes");
    }
  }

  /** Collects a body up to a bound; refuses (and cancels the transfer) as soon as it would exceed it. */
  private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Bounded(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
