package dev.sigil.admission;

import dev.sigil.admission.kube.PullSecrets;
import dev.sigil.admission.tls.TlsMaterial;
import dev.sigil.oci.registry.RegistryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The admission webhook's HTTPS server (Jetty 12: TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2 by ALPN, keep-alive,
 * TCP_NODELAY): {@code POST /validate}, {@code POST /mutate}, {@code GET /healthz}, {@code /readyz} and
 * {@code /metrics}. It reloads its policies and its certificate when their files change, and stops gracefully:
 * {@link #shutdown} turns {@code /readyz} to 503, stops accepting, and answers every review already received before
 * returning.
 *
 * <p>Built with {@link #builder()}; {@link Builder#start()} loads everything and binds, or throws a
 * {@link StartException} saying which input is wrong. Nothing here prints: lines go to the {@link Events} sink.
 */
public final class AdmissionServer implements AutoCloseable {
  /** Where the server's own log lines go (the CLI prints them to standard error). */
  public interface Events {
    void info(String message);

    void warn(String message);
  }

  /** Why the server did not start. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Bad input (policies, TLS files, options) or the environment (the port is taken). */
    public enum Kind {
      BAD_INPUT,
      ENVIRONMENT
    }

    private final Kind kind;

    public StartException(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final Builder config;
  private final AdmissionHandler handler;
  private final Server server;
  private final ServerConnector connector;
  private final SslContextFactory.Server ssl;
  private volatile TlsMaterial tls;
  private volatile String lastRefusedTls;
  /** Shutting down: HTTP/1.1 answers carry {@code Connection: close}, so clients stop reusing connections first. */
  private volatile boolean draining;

  private AdmissionServer(Builder b, AdmissionHandler handler) throws StartException {
    this.config = b;
    this.handler = handler;
    try {
      this.tls = TlsMaterial.load(b.tlsCert, b.tlsKey);
    } catch (TlsMaterial.TlsException e) {
      throw new StartException(StartException.Kind.BAD_INPUT, e.getMessage(), e);
    }
    QueuedThreadPool threads = new QueuedThreadPool(b.httpThreads, Math.min(8, b.httpThreads));
    threads.setName("sigil-http");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // the API server connects by Service DNS name; the certificate says which
    secure.setSniRequired(false);
    http.addCustomizer(secure);
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(h1.getProtocol());
    this.ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(tls.password()));
    ssl.setKeyManagerPassword(new String(tls.password()));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
    ssl.setUseCipherSuitesOrder(true);
    SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
    this.connector = new ServerConnector(server, 1, 1, tlsFactory, alpn, h2, h1);
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setAcceptedTcpNoDelay(true); // small answers must not wait for the client's delayed ACK (Nagle)
    connector.setIdleTimeout(b.idleTimeout.toMillis());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Routes()));
    server.setStopTimeout(b.shutdownGrace.toMillis());
    server.setStopAtShutdown(false);
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  private void start() throws StartException {
    handler.notReady();
    handler.warmUp(config.warmUp.dividedBy(2));
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly();
      Throwable c = e;
      while (c.getCause() != null && !(c instanceof BindException)) {
        c = c.getCause();
      }
      String where = config.host + ":" + config.port;
      throw new StartException(StartException.Kind.ENVIRONMENT, "cannot listen on " + where + ": "
          + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), e);
    }
    warmUpTransport(config.warmUp.dividedBy(2));
    handler.ready();
    handler.startReloading(this::reloadCertificate);
    PolicyStore.Snapshot p = handler.policies().current();
    config.events.info("serving on https://" + config.host + ":" + port() + " (policies: "
        + p.set().policies().size() + " from " + config.policies + ", hash " + p.set().hash().substring(0, 12)
        + "; trust root " + p.trustVersion() + "; certificate " + tls.describe() + ")");
  }

  /**
   * Before {@code /readyz} says ready: HTTPS requests to {@code /healthz} over a few keep-alive connections from this
   * process, so TLS records and Jetty's HTTP path are compiled before the first review. Best effort; never throws.
   */
  private void warmUpTransport(Duration budget) {
    if (budget.isZero()) {
      return;
    }
    try {
      javax.net.ssl.SSLContext ctx = tls.contextTrustingItself();
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ctx)
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      java.net.URI uri = java.net.URI.create("https://127.0.0.1:" + port() + "/healthz");
      long end = System.nanoTime() + budget.toNanos();
      java.util.List<Thread> threads = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread t = new Thread(() -> {
          while (System.nanoTime() < end) {
            try {
              client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
              return;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        }, "sigil-warm-up");
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(budget.toMillis() + 5_000);
      }
    } catch (java.security.GeneralSecurityException | InterruptedException | RuntimeException e) {
      // warm-up is an optimisation: serve anyway
    }
  }

  /** Loads the certificate again if its files changed; a pair that does not load is refused. Never throws. */
  void reloadCertificate() {
    try {
      String fp;
      try {
        fp = TlsMaterial.fingerprint(config.tlsCert, config.tlsKey);
      } catch (IOException e) {
        return; // mid-rotation; a later pass sees both files
      }
      if (fp.equals(tls.fingerprint()) || fp.equals(lastRefusedTls)) {
        return;
      }
      TlsMaterial next;
      try {
        next = TlsMaterial.load(config.tlsCert, config.tlsKey);
      } catch (TlsMaterial.TlsException e) {
        lastRefusedTls = fp;
        handler.metrics().reloads.labelValues("certificate", "refused").inc();
        config.events.warn("certificate reload refused, the previous certificate stays in use: " + e.getMessage());
        return;
      }
      ssl.reload(f -> {
        f.setKeyStore(next.keyStore());
        f.setKeyStorePassword(new String(next.password()));
        f.setKeyManagerPassword(new String(next.password()));
      });
      tls = next;
      handler.metrics().reloads.labelValues("certificate", "applied").inc();
      config.events.info("certificate reloaded: " + next.describe());
    } catch (Exception e) {
      config.events.warn("certificate reload failed: " + e);
    }
  }

  /**
   * Stops gracefully: {@code /readyz} answers 503 at once and HTTP/1.1 answers close their connections; after
   * {@code delay} (time for the Service to stop sending here, and for clients to leave their keep-alive connections)
   * the server stops accepting, answers every review it has received (up to the builder's grace period), then
   * closes. Returns when done.
   */
  public void shutdown(Duration delay) {
    draining = true;
    handler.notReady();
    try {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      config.events.warn("stopping the HTTP server: " + e);
    }
    stopQuietly();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      // already stopping
    }
    handler.close();
  }

  /** The handler (tests). */
  AdmissionHandler handler() {
    return handler;
  }

  /** Carries bytes between Jetty and the handler; reviews are answered asynchronously, no thread waits on a registry. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      if (!"POST".equals(method)) {
        handler.handle(method, path, null).thenAccept(r -> write(request, response, r, callback));
        return true;
      }
      int max = handler.maxRequestBytes();
      if (request.getLength() > max) {
        write(request, response, handler.tooLarge(), callback);
        return true;
      }
      Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
        if (failure != null) {
          write(request, response, handler.tooLarge(), callback);
        } else {
          handler.handle(method, path, body).thenAccept(r -> write(request, response, r, callback));
        }
      });
      return true;
    }
  }

  /**
   * Writes an answer. Runs on whichever thread completed the review, outside Jetty's handler call: what it throws
   * (the client went away, the response was already committed) fails the exchange rather than leaving it open until
   * the idle timeout, and is never logged as a stack trace.
   */
  private void write(Request request, Response response, AdmissionHandler.Reply reply, Callback callback) {
    try {
      if (draining && request.getConnectionMetaData().getHttpVersion() == org.eclipse.jetty.http.HttpVersion.HTTP_1_1) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    } catch (RuntimeException e) {
      callback.failed(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings. Required: {@link #policies}, {@link #tls}. Defaults: {@code 0.0.0.0:8443}, deadline 8 s, decisions
   * cached 10 min when allowed and 30 s when denied, tags 30 s, 16 verification threads with a queue of 256, request
   * bodies up to 4 MiB, {@code kube-system} exempt, policies and certificate checked for changes every 2 s, 30 s to
   * finish reviews at shutdown.
   */
  public static final class Builder {
    Path policies;
    Path tlsCert;
    Path tlsKey;
    String host = "0.0.0.0";
    int port = 8443;
    RegistryOptions registry = RegistryOptions.defaults();
    PullSecrets pullSecrets;
    TrustRootSource trust;
    Duration deadline = Duration.ofSeconds(8);
    Duration allowTtl = Duration.ofMinutes(10);
    Duration denyTtl = Duration.ofSeconds(30);
    Duration tagTtl = Duration.ofSeconds(30);
    int cacheEntries = 10_000;
    int verifyThreads = 16;
    int verifyQueue = 256;
    int maxRequestBytes = 4 << 20;
    int httpThreads = 64;
    Set<String> exempt = Set.of("kube-system");
    AuditLog audit;
    Events events = new Events() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}
    };
    Duration reloadInterval = Duration.ofSeconds(2);
    Duration shutdownGrace = Duration.ofSeconds(30);
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration warmUp = Duration.ZERO;
    boolean localLayouts;

    private Builder() {}

    /** The directory of policy files ({@code *.yaml}, {@code *.yml}). */
    public Builder policies(Path dir) {
      this.policies = dir;
      return this;
    }

    /** The serving certificate chain and key (PEM). */
    public Builder tls(Path cert, Path key) {
      this.tlsCert = cert;
      this.tlsKey = key;
      return this;
    }

    /** Where to listen (port 0: any free port). */
    public Builder listen(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** Registry settings and the configured credentials (a docker config file). */
    public Builder registry(RegistryOptions options) {
      this.registry = options;
      return this;
    }

    /** Pods' pull secrets, read from the cluster (closed with the server). */
    public Builder pullSecrets(PullSecrets secrets) {
      this.pullSecrets = secrets;
      return this;
    }

    /** The default trusted root (default: the embedded public-good snapshot). */
    public Builder trust(TrustRootSource source) {
      this.trust = source;
      return this;
    }

    /** How long a review may take before what is undecided is denied (keep it under the webhook's timeout). */
    public Builder deadline(Duration d) {
      this.deadline = d;
      return this;
    }

    /** How long decisions are kept: allowed, denied; and tag resolutions. */
    public Builder cache(Duration allow, Duration deny, Duration tags) {
      this.allowTtl = allow;
      this.denyTtl = deny;
      this.tagTtl = tags;
      return this;
    }

    /** Verification threads and how many images may wait for one. */
    public Builder verification(int threads, int queue) {
      this.verifyThreads = threads;
      this.verifyQueue = queue;
      return this;
    }

    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    /** Namespaces whose reviews are allowed without verification. */
    public Builder exemptNamespaces(Set<String> namespaces) {
      this.exempt = Set.copyOf(namespaces);
      return this;
    }

    /**
     * The audit log's destination.
     *
     * @param close close it when the server stops (a file), or only flush it (standard output)
     */
    public Builder audit(OutputStream out, boolean close) {
      this.audit = new AuditLog(out, close);
      return this;
    }

    public Builder events(Events sink) {
      this.events = Objects.requireNonNull(sink, "events");
      return this;
    }

    /** How often the policy directory and certificate files are checked for changes. */
    public Builder reloadInterval(Duration d) {
      this.reloadInterval = d;
      return this;
    }

    /**
     * How long to run the decoding paths on synthetic reviews before listening, so the first real reviews find them
     * compiled (default: none).
     */
    public Builder warmUp(Duration d) {
      this.warmUp = d;
      return this;
    }

    /**
     * Whether {@code oci-layout:PATH} images are read from this machine's disk (default: no, they are denied as
     * invalid references). Only for a handler that answers its own user's reviews ({@code sigil admission review});
     * {@link #start()} refuses it, since a served webhook would read whatever files a pod spec names.
     */
    public Builder localLayouts(boolean read) {
      this.localLayouts = read;
      return this;
    }

    /** How long shutdown waits for reviews in flight. */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = d;
      return this;
    }

    /** Loads policies and TLS files, binds, and serves. */
    public AdmissionServer start() throws StartException {
      if (tlsCert == null || tlsKey == null) {
        throw new StartException(StartException.Kind.BAD_INPUT, "TLS certificate and key files are required", null);
      }
      if (localLayouts) {
        throw new StartException(StartException.Kind.BAD_INPUT,
            "local OCI layouts are read only by a handler answering its own user's reviews, never by a server", null);
      }
      if (port < 0 || port > 65535) {
        throw new StartException(StartException.Kind.BAD_INPUT, "port: expected 0-65535, found " + port, null);
      }
      AdmissionHandler h = buildHandler();
      AdmissionServer s;
      try {
        s = new AdmissionServer(this, h);
      } catch (StartException e) {
        h.close();
        throw e;
      }
      s.start();
      return s;
    }

    /**
     * The handler alone, without a server (the load benchmark serves it with other HTTP servers). Policies are loaded
     * and watched; the caller closes it.
     */
    public AdmissionHandler buildHandler() throws StartException {
      if (policies == null) {
        throw new StartException(StartException.Kind.BAD_INPUT, "a policy directory is required", null);
      }
      if (deadline.isNegative() || deadline.isZero() || reloadInterval.isNegative() || reloadInterval.isZero()) {
        throw new StartException(StartException.Kind.BAD_INPUT, "deadline and reload interval must be positive", null);
      }
      try {
        return new AdmissionHandler(this);
      } catch (StartException e) {
        if (audit != null) {
          audit.close();
        }
        throw e;
      }
    }

    /** Starts the handler's reloading (for {@link #buildHandler()} users). */
    public static void watch(AdmissionHandler handler) {
      handler.startReloading(null);
    }
  }
}
