package dev.sigil.signer.keyless;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JDK HTTP server on 127.0.0.1 (port 0) answering with canned responses, recording what it received. */
final class FakeServer implements AutoCloseable {
  /** What a handler answers. */
  record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Reply json(int status, String body) {
      return new Reply(status, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }

    static Reply text(int status, String body) {
      return new Reply(status, "text/plain", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }
  }

  /** What the server received. */
  record Received(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  interface Handler {
    Reply handle(Received request) throws Exception;
  }

  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  FakeServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> serve(ex, handler));
    server.start();
  }

  private void serve(HttpExchange ex, Handler handler) throws IOException {
    try (ex) {
      Received r =
          new Received(ex.getRequestMethod(), ex.getRequestURI(), Map.copyOf(ex.getRequestHeaders()),
              ex.getRequestBody().readAllBytes());
      received.add(r);
      Reply reply;
      try {
        reply = handler.handle(r);
      } catch (Exception e) {
        reply = Reply.text(599, "test handler failed: " + e);
      }
      ex.getResponseHeaders().add("Content-Type", reply.contentType());
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
