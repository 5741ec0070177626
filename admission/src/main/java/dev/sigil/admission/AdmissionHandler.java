package dev.sigil.admission;

import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.PullSecrets;
import dev.sigil.policy.PolicyException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's HTTP routes, independent of any HTTP server: a method, a path and a body in, an answer out
 * ({@code POST /validate}, {@code POST /mutate}, {@code GET /healthz}, {@code /readyz}, {@code /metrics}). It owns
 * what answering needs (policies and their reloading, caches, registry clients, the audit log, metrics); an HTTP
 * server only carries bytes. {@link AdmissionServer} serves it with Jetty; the load benchmark serves the same
 * handler with other servers to compare them.
 *
 * <p>Thread-safe. Close it to stop its threads and flush the audit log.
 */
public final class AdmissionHandler implements AutoCloseable {
  /** An HTTP answer. */
  public record Reply(int status, String contentType, byte[] body) {}

  /**
   * One review answered: the HTTP answer exactly as the webhook serves it, and what was decided, for callers that
   * show it to people ({@code sigil admission review}).
   *
   * @param verdict empty when the body was refused (400 malformed, 413 too large) and no review was decided
   */
  public record Answer(Reply reply, Optional<Verdict> verdict) {
    public Answer {
      Objects.requireNonNull(reply, "reply");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /**
   * What was decided about one review; the same decision {@link Answer#reply()} encodes.
   *
   * @param object {@code Kind namespace/name}
   * @param allowed the response's {@code allowed}
   * @param message the denial's {@code status.message}, empty when allowed
   * @param warnings the response's {@code warnings}
   * @param images each image verified, in the order of the object, once per distinct image
   * @param skipped why nothing was verified (an exempt namespace, DELETE, no new image), empty when images were
   * @param patch the JSONPatch's replacements (mutate, when allowed); empty otherwise
   */
  public record Verdict(
      String object, boolean allowed, String message, List<String> warnings, List<ImageVerdict> images,
      Optional<String> skipped, List<AdmissionReviews.Replace> patch) {
    public Verdict {
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(message, "message");
      warnings = List.copyOf(warnings);
      images = List.copyOf(images);
      Objects.requireNonNull(skipped, "skipped");
      patch = List.copyOf(patch);
    }
  }

  /**
   * One image's part in a verdict.
   *
   * @param image the image as written in the object
   * @param where where the object uses it ({@code container "app"}, several separated by commas)
   * @param allowed whether it passed (a failure under warn-mode policies passes, with a warning)
   * @param detail the policy engine's explanation, or why the image could not be verified, as the response says it
   */
  public record ImageVerdict(String image, String where, boolean allowed, String detail) {
    public ImageVerdict {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private final AdmissionServer.Builder config;
  private final PolicyStore policies;
  private final RegistryAccess registries;
  private final ImageDecider decider;
  private final AuditLog audit;
  private final Metrics metrics;
  private final ScheduledExecutorService timers;
  private final ScheduledExecutorService reloader;
  private final PullSecrets pullSecrets;
  private final Webhook webhook;
  private volatile boolean ready = true;

  AdmissionHandler(AdmissionServer.Builder b) throws AdmissionServer.StartException {
    this.config = b;
    TrustRootSource trust = b.trust != null ? b.trust : TrustRootSource.embedded();
    try {
      this.policies = PolicyStore.load(b.policies, trust);
    } catch (PolicyException e) {
      throw new AdmissionServer.StartException(AdmissionServer.StartException.Kind.BAD_INPUT,
          "policies " + b.policies + ": " + String.join("; ", e.problems()), e);
    }
    this.metrics = new Metrics();
    metrics.policies.set(policies.current().set().policies().size());
    this.audit = b.audit != null ? b.audit : AuditLog.discard();
    this.decider = new ImageDecider(
        new ImageDecider.Settings(b.allowTtl, b.denyTtl, b.tagTtl, b.cacheEntries, b.verifyThreads, b.verifyQueue,
            b.localLayouts),
        metrics);
    this.pullSecrets = b.pullSecrets;
    this.registries = new RegistryAccess(b.registry, pullSecrets == null ? null : pullSecrets::forPod);
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("sigil-deadline"));
    t.setRemoveOnCancelPolicy(true);
    this.timers = t;
    this.reloader = Executors.newSingleThreadScheduledExecutor(daemon("sigil-reload"));
    this.webhook = new Webhook(new AdmissionReviews(), policies, registries, decider, b.exempt, b.deadline, audit,
        metrics, timers);
  }

  /** Starts watching the policy directory (and whatever else {@code extra} checks) every reload interval. */
  void startReloading(Runnable extra) {
    long every = config.reloadInterval.toMillis();
    reloader.scheduleWithFixedDelay(() -> {
      reload();
      if (extra != null) {
        extra.run();
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** Checks the policy directory once; a changed set is applied only if all of it loads. Never throws. */
  void reload() {
    try {
      PolicyStore.Reload r = policies.poll();
      if (r instanceof PolicyStore.Applied a) {
        metrics.reloads.labelValues("policies", "applied").inc();
        metrics.policies.set(a.set().policies().size());
        config.events.info("policies reloaded from " + config.policies + ": " + a.set().policies().size()
            + " policies, hash " + a.set().hash().substring(0, 12));
      } else if (r instanceof PolicyStore.Refused f) {
        metrics.reloads.labelValues("policies", "refused").inc();
        config.events.warn("policy reload refused, the previous set (hash "
            + policies.current().set().hash().substring(0, 12) + ") stays in force: " + String.join("; ", f.problems()));
      }
    } catch (RuntimeException e) {
      config.events.warn("policy reload failed: " + e);
    }
  }

  /** Answers one request. The future always completes normally. */
  public CompletableFuture<Reply> handle(String method, String path, byte[] body) {
    Webhook.Kind kind = switch (path) {
      case "/validate" -> Webhook.Kind.VALIDATE;
      case "/mutate" -> Webhook.Kind.MUTATE;
      default -> null;
    };
    if (kind == null) {
      Reply reply = switch (path) {
        case "/healthz" -> text(200, "ok");
        case "/readyz" -> ready ? text(200, "ready") : text(503, "not ready");
        case "/metrics" -> new Reply(200, metrics.contentType(), metrics.scrape());
        default -> text(404, "not found: POST /validate, POST /mutate, GET /healthz, /readyz, /metrics");
      };
      if (!"GET".equals(method) && !"HEAD".equals(method) && reply.status() != 404) {
        reply = text(405, "method not allowed: GET " + path);
      }
      return count(path, CompletableFuture.completedFuture(reply));
    }
    if (!"POST".equals(method)) {
      return count(path, CompletableFuture.completedFuture(
          text(405, "method not allowed: POST " + path + " with an AdmissionReview")));
    }
    return count(path, review(kind, body).thenApply(Answer::reply));
  }

  /**
   * Answers one AdmissionReview body as {@code POST /validate} (or {@code /mutate}) does, with what was decided. The
   * future always completes normally.
   */
  public CompletableFuture<Answer> review(boolean mutate, byte[] body) {
    return review(mutate ? Webhook.Kind.MUTATE : Webhook.Kind.VALIDATE, body);
  }

  private CompletableFuture<Answer> review(Webhook.Kind kind, byte[] body) {
    if (body == null || body.length > config.maxRequestBytes) {
      return CompletableFuture.completedFuture(new Answer(tooLarge(), Optional.empty()));
    }
    try {
      return webhook.review(kind, body);
    } catch (RuntimeException e) {
      // Webhook.review answers every failure itself; this only keeps a bug from becoming an exception in Jetty.
      return CompletableFuture.completedFuture(new Answer(text(500, "internal error"), Optional.empty()));
    }
  }

  /** The answer to a body over {@link #maxRequestBytes()}. */
  public Reply tooLarge() {
    return text(413, "request body larger than the limit of " + config.maxRequestBytes + " bytes, or unreadable");
  }

  /** The largest request body read. */
  public int maxRequestBytes() {
    return config.maxRequestBytes;
  }

  private CompletableFuture<Reply> count(String path, CompletableFuture<Reply> reply) {
    String label = switch (path) {
      case "/validate", "/mutate", "/healthz", "/readyz", "/metrics" -> path;
      default -> "other";
    };
    return reply.thenApply(r -> {
      metrics.requests.labelValues(label, Integer.toString(r.status())).inc();
      return r;
    });
  }

  /** Runs the decoding and encoding paths on synthetic reviews for up to {@code budget} (see {@link Webhook#warmUp}). */
  public void warmUp(java.time.Duration budget) {
    webhook.warmUp(budget);
  }

  /** After this, {@code /readyz} answers 503 (starting, or shutting down). */
  void notReady() {
    ready = false;
  }

  /** After this, {@code /readyz} answers 200. */
  void ready() {
    ready = true;
  }

  Metrics metrics() {
    return metrics;
  }

  PolicyStore policies() {
    return policies;
  }

  /** The decision cache size (tests). */
  long cachedDecisions() {
    return decider.cachedDecisions();
  }

  static Reply text(int status, String body) {
    return new Reply(status, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread th = new Thread(r, name);
      th.setDaemon(true);
      return th;
    };
  }

  @Override
  public void close() {
    reloader.shutdownNow();
    timers.shutdownNow();
    decider.close();
    registries.close();
    if (pullSecrets != null) {
      pullSecrets.close();
    }
    audit.close();
  }
}
