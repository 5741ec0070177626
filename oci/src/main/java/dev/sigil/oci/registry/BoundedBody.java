package dev.sigil.oci.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a bound. Successful (2xx) bodies longer than the bound fail with
 * {@link TooLarge} without reading past it; error bodies are cut at {@link #ERROR_BODY_MAX} bytes (they only feed
 * messages).
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  static final int ERROR_BODY_MAX = 16 << 10;

  /** A 2xx body exceeded its bound; {@code announced} is the Content-Length or -1. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final long limit;

    TooLarge(long limit) {
      super("response body larger than " + limit + " bytes");
      this.limit = limit;
    }
  }

  private final long limit;
  private final boolean truncate;
  private final boolean refuseAtOnce;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private BoundedBody(long limit, boolean truncate, boolean refuseAtOnce) {
    this.limit = limit;
    this.truncate = truncate;
    this.refuseAtOnce = refuseAtOnce;
  }

  static HttpResponse.BodyHandler<byte[]> handler(long successLimit) {
    return info -> {
      boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
      long limit = ok ? successLimit : ERROR_BODY_MAX;
      long announced = info.headers().firstValueAsLong("content-length").orElse(-1L);
      return new BoundedBody(limit, !ok, ok && announced > limit);
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    if (refuseAtOnce) {
      s.cancel();
      result.completeExceptionally(new TooLarge(limit));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if (buffer.size() + (long) n > limit) {
        if (truncate) {
          int keep = (int) (limit - buffer.size());
          byte[] part = new byte[keep];
          b.get(part);
          buffer.write(part, 0, keep);
          subscription.cancel();
          result.complete(buffer.toByteArray());
        } else {
          subscription.cancel();
          result.completeExceptionally(new TooLarge(limit));
        }
        return;
      }
      byte[] chunk = new byte[n];
      b.get(chunk);
      buffer.write(chunk, 0, n);
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
