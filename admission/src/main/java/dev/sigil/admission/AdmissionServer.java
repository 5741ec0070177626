package dev.sigil.admission;

import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.PullSecrets;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.policy.PolicyException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

    StartException(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final Builder config;
  private final Server server;
  private final ServerConnector connector;
  private final SslContextFactory.Server ssl;
  private final PolicyStore policies;
  private final RegistryAccess registries;
  private final ImageDecider decider;
  private final AuditLog audit;
  private final Metrics metrics;
  private final ScheduledExecutorService timers;
  private final ScheduledExecutorService reloader;
  private final PullSecrets pullSecrets;
  private final Webhook webhook;
  private volatile TlsMaterial tls;
  private volatile boolean shuttingDown;

  private AdmissionServer(Builder b) throws StartException {
    this.config = b;
    TrustRootSource trust = b.trust != null ? b.trust : TrustRootSource.embedded();
    try {
      this.policies = PolicyStore.load(b.policies, trust);
    } catch (PolicyException e) {
      throw new StartException(StartException.Kind.BAD_INPUT,
          "policies " + b.policies + ": " + String.join("; ", e.problems()), e);
    }
    try {
      this.tls = TlsMaterial.load(b.tlsCert, b.tlsKey);
    } catch (TlsMaterial.TlsException e) {
      throw new StartException(StartException.Kind.BAD_INPUT, e.getMessage(), e);
    }
    this.metrics = new Metrics();
    metrics.policies.set(policies.current().set().policies().size());
    this.audit = b.audit != null ? b.audit : AuditLog.discard();
    this.decider = new ImageDecider(
        new ImageDecider.Settings(b.allowTtl, b.denyTtl, b.tagTtl, b.cacheEntries, b.verifyThreads, b.verifyQueue),
        metrics);
    this.pullSecrets = b.pullSecrets;
    this.registries = new RegistryAccess(b.registry, pullSecrets == null ? null : pullSecrets::forPod);
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("sigil-deadline"));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    this.reloader = Executors.newSingleThreadScheduledExecutor(daemon("sigil-reload"));
    this.webhook = new Webhook(new AdmissionReviews(), policies, registries, decider, b.exempt, b.deadline, audit,
        metrics, timers);

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
    GracefulHandler graceful = new GracefulHandler(new Routes());
    server.setHandler(graceful);
    server.setStopTimeout(b.shutdownGrace.toMillis());
    server.setStopAtShutdown(false);
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Whether the server answers reviews: policies and trust loaded, started, not shutting down. */
  public boolean ready() {
    return server.isStarted() && !shuttingDown;
  }

  private void start() throws StartException {
    try {
      server.start();
    } catch (Exception e) {
      closeQuietly();
      Throwable c = e;
      while (c.getCause() != null && !(c instanceof BindException)) {
        c = c.getCause();
      }
      String where = config.host + ":" + config.port;
      if (c instanceof BindException || e instanceof IOException) {
        throw new StartException(StartException.Kind.ENVIRONMENT,
            "cannot listen on " + where + ": " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), e);
      }
      throw new StartException(StartException.Kind.ENVIRONMENT, "cannot start the server on " + where + ": " + e, e);
    }
    long every = config.reloadInterval.toMillis();
    reloader.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    events().info("serving on https://" + config.host + ":" + port() + " (policies: "
        + policies.current().set().policies().size() + " from " + config.policies + ", hash "
        + policies.current().set().hash().substring(0, 12) + "; trust root " + policies.current().trustVersion()
        + "; certificate " + tls.describe() + ")");
  }

  /** One reload pass: policies, then the certificate. Never throws. */
  void reload() {
    try {
      PolicyStore.Reload r = policies.poll();
      if (r instanceof PolicyStore.Applied a) {
        metrics.reloads.labelValues("policies", "applied").inc();
        metrics.policies.set(a.set().policies().size());
        events().info("policies reloaded from " + config.policies + ": " + a.set().policies().size()
            + " policies, hash " + a.set().hash().substring(0, 12));
      } else if (r instanceof PolicyStore.Refused f) {
        metrics.reloads.labelValues("policies", "refused").inc();
        events().warn("policy reload refused, the previous set (hash "
            + policies.current().set().hash().substring(0, 12) + ") stays in force: " + String.join("; ", f.problems()));
      }
    } catch (RuntimeException e) {
      events().warn("policy reload failed: " + e);
    }
    try {
      String fp;
      try {
        fp = Fingerprint.of(List.of(config.tlsCert, config.tlsKey));
      } catch (IOException e) {
        return; // mid-rotation; the next pass sees both files
      }
      if (fp.equals(tls.fingerprint()) || fp.equals(lastRefusedTls)) {
        return;
      }
      TlsMaterial next;
      try {
        next = TlsMaterial.load(config.tlsCert, config.tlsKey);
      } catch (TlsMaterial.TlsException e) {
        lastRefusedTls = fp;
        metrics.reloads.labelValues("certificate", "refused").inc();
        events().warn("certificate reload refused, the previous certificate stays in use: " + e.getMessage());
        return;
      }
      ssl.reload(f -> {
        f.setKeyStore(next.keyStore());
        f.setKeyStorePassword(new String(next.password()));
        f.setKeyManagerPassword(new String(next.password()));
      });
      tls = next;
      metrics.reloads.labelValues("certificate", "applied").inc();
      events().info("certificate reloaded: " + next.describe());
    } catch (Exception e) {
      events().warn("certificate reload failed: " + e);
    }
  }

  private volatile String lastRefusedTls;

  /**
   * Stops gracefully: {@code /readyz} answers 503 at once; after {@code delay} (time for the Service to stop sending
   * here) the server stops accepting, answers every review it has received (up to the builder's grace period), then
   * closes. Returns when done.
   */
  public void shutdown(Duration delay) {
    shuttingDown = true;
    try {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      events().warn("stopping the HTTP server: " + e);
    }
    closeQuietly();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private void closeQuietly() {
    reloader.shutdownNow();
    timers.shutdownNow();
    decider.close();
    registries.close();
    if (pullSecrets != null) {
      pullSecrets.close();
    }
    audit.close();
    try {
      server.stop();
    } catch (Exception e) {
      // already stopping
    }
  }

  private Events events() {
    return config.events;
  }

  /** The decision cache size (tests). */
  long cachedDecisions() {
    return decider.cachedDecisions();
  }

  /** The metrics text (tests). */
  String metricsText() {
    return new String(metrics.scrape(), StandardCharsets.UTF_8);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Routes requests; reviews are answered asynchronously, so no thread waits on a registry. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      Webhook.Kind kind = switch (path) {
        case "/validate" -> Webhook.Kind.VALIDATE;
        case "/mutate" -> Webhook.Kind.MUTATE;
        default -> null;
      };
      if (kind == null) {
        Webhook.Reply reply = switch (path) {
          case "/healthz" -> text(200, "ok");
          case "/readyz" -> ready() ? text(200, "ready") : text(503, "not ready");
          case "/metrics" -> new Webhook.Reply(200, metrics.contentType(), metrics.scrape());
          default -> text(404, "not found: POST /validate, POST /mutate, GET /healthz, /readyz, /metrics");
        };
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod()) && reply.status() != 404) {
          reply = text(405, "method not allowed: GET " + path);
        }
        write(response, path, reply, callback);
        return true;
      }
      if (!"POST".equals(request.getMethod())) {
        write(response, path, text(405, "method not allowed: POST " + path + " with an AdmissionReview"), callback);
        return true;
      }
      long length = request.getLength();
      int max = config.maxRequestBytes;
      if (length > max) {
        write(response, path, text(413, "request body of " + length + " bytes is larger than the limit of " + max),
            callback);
        return true;
      }
      Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
        if (failure != null) {
          write(response, path, text(413, "request body larger than the limit of " + max + " bytes, or unreadable"),
              callback);
          return;
        }
        CompletableFuture<Webhook.Reply> reply;
        try {
          reply = webhook.review(kind, body);
        } catch (RuntimeException e) {
          reply = CompletableFuture.completedFuture(text(500, "internal error"));
        }
        reply.whenComplete((r, t) -> write(response, path, r != null ? r : text(500, "internal error"), callback));
      });
      return true;
    }
  }

  private void write(Response response, String path, Webhook.Reply reply, Callback callback) {
    String label = switch (path) {
      case "/validate", "/mutate", "/healthz", "/readyz", "/metrics" -> path;
      default -> "other";
    };
    metrics.requests.labelValues(label, Integer.toString(reply.status())).inc();
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  private static Webhook.Reply text(int status, String body) {
    return new Webhook.Reply(status, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
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
    private Path policies;
    private Path tlsCert;
    private Path tlsKey;
    private String host = "0.0.0.0";
    private int port = 8443;
    private RegistryOptions registry = RegistryOptions.defaults();
    private PullSecrets pullSecrets;
    private TrustRootSource trust;
    private Duration deadline = Duration.ofSeconds(8);
    private Duration allowTtl = Duration.ofMinutes(10);
    private Duration denyTtl = Duration.ofSeconds(30);
    private Duration tagTtl = Duration.ofSeconds(30);
    private int cacheEntries = 10_000;
    private int verifyThreads = 16;
    private int verifyQueue = 256;
    private int maxRequestBytes = 4 << 20;
    private int httpThreads = 64;
    private Set<String> exempt = Set.of("kube-system");
    private AuditLog audit;
    private Events events = new Events() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}
    };
    private Duration reloadInterval = Duration.ofSeconds(2);
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(60);

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

    /** How long shutdown waits for reviews in flight. */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = d;
      return this;
    }

    /** Loads policies and TLS files, binds, and serves. */
    public AdmissionServer start() throws StartException {
      if (policies == null || tlsCert == null || tlsKey == null) {
        throw new StartException(StartException.Kind.BAD_INPUT, "policies and TLS files are required", null);
      }
      if (deadline.isNegative() || deadline.isZero() || reloadInterval.isNegative() || reloadInterval.isZero()) {
        throw new StartException(StartException.Kind.BAD_INPUT, "deadline and reload interval must be positive", null);
      }
      if (port < 0 || port > 65535) {
        throw new StartException(StartException.Kind.BAD_INPUT, "port: expected 0-65535, found " + port, null);
      }
      AdmissionServer s;
      try {
        s = new AdmissionServer(this);
      } catch (StartException e) {
        if (audit != null) {
          audit.close();
        }
        throw e;
      }
      s.start();
      return s;
    }
  }
}
