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
