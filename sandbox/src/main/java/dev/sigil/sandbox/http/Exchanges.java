package dev.sigil.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Response writing and request-body draining shared by the sandbox's HTTP handlers. */
public final class Exchanges {
  /** How much of an unwanted or oversized body is read and discarded, so the client sees the answer, not a reset. */
  public static final long DRAIN_LIMIT = 16L << 20;

  private Exchanges() {}

  /**
   * Reads and discards up to {@link #DRAIN_LIMIT} bytes of a request body. Not {@code skip()}: the JDK server's
   * request streams do not bound it by the body length and would wait on a kept-alive connection.
   */
  public static void drain(InputStream in) {
    try {
      long left = DRAIN_LIMIT;
      byte[] buf = new byte[8192];
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // The connection is closed after the answer anyway.
    }
  }

  /** The request's raw path without one trailing slash ({@code /api/v1/log/} reads as {@code /api/v1/log}). */
  public static String path(HttpExchange ex) {
    String path = ex.getRequestURI().getRawPath();
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * The request body, at most {@code limit} bytes. A declared {@code Content-Length} that is not a number, or a
   * declared or actual body over the limit, is refused with a {@link BodyRefused}, after the body is drained (up to
   * {@link #DRAIN_LIMIT}) so the client sees the answer. Each handler words the refusal in its own protocol.
   */
  public static byte[] readBody(HttpExchange ex, int limit) throws IOException, BodyRefused {
    String cl = ex.getRequestHeaders().getFirst("Content-Length");
    if (cl != null) {
      long declared;
      try {
        declared = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        drain(ex.getRequestBody());
        throw new BodyRefused(false, cl);
      }
      if (declared > limit) {
        drain(ex.getRequestBody());
        throw new BodyRefused(true, cl);
      }
    }
    InputStream in = ex.getRequestBody();
    byte[] body = in.readNBytes(limit + 1);
    if (body.length > limit) {
      drain(in);
      throw new BodyRefused(true, cl);
    }
    return body;
  }

  /** Why {@link #readBody} refused a body: too large, or a {@code Content-Length} header that is not a number. */
  public static final class BodyRefused extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;
    private final String contentLength;

    BodyRefused(boolean tooLarge, String contentLength) {
      super(tooLarge ? "request body too large" : "invalid Content-Length");
      this.tooLarge = tooLarge;
      this.contentLength = contentLength;
    }

    /** True when the body is over the limit; false when the {@code Content-Length} header is not a number. */
    public boolean tooLarge() {
      return tooLarge;
    }

    /** The {@code Content-Length} header as sent (null when absent). */
    public String contentLength() {
      return contentLength;
    }
  }

  /** Sends a complete response (no body for HEAD or an empty body), with no-store and nosniff headers. */
  public static void send(HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> headers)
      throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    headers.forEach(h::set);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
