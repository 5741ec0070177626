package dev.sigil.tuf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the trusted root of a {@link TufTrustedRoot} fresh for a long-running service (the admission webhook): one
 * background thread runs {@link TufTrustedRoot#update()} every {@link Builder#interval interval} (jittered, so that
 * replicas do not refresh in step), and {@link #current()} answers from memory with the last root that verified.
 *
 * <p>A failed refresh changes nothing that is served: the last good root stays in force, the failure goes to the
 * {@link Listener} and into {@link #status()}, and the next attempt comes sooner ({@link Builder#retryDelay}, doubling
 * up to the interval). How long to keep serving a root no refresh has confirmed is the service's decision (for example
 * readiness from {@link Status#lastSuccess()}); this class never drops the last good root.
 *
 * <p>Lifecycle: {@link #start()} returns once a root is available (cached, the builder's fallback, or fetched there and
 * then), {@link #close()} stops the thread: an update in flight is abandoned at its next wait for the network or a
 * lock, without interrupting file writes, so the cache is never left half-written. Thread-safe; nothing is printed or
 * logged. Build the verifier per {@link TrustedRootSnapshot#version()}, and key result caches on it.
 *
 * <p>A service (the admission webhook) uses it like this:
 *
 * <pre>{@code
 * TufTrustedRoot tuf = TufTrustedRoot.publicGood(Path.of("/var/cache/sigil/tuf")).build();
 * TrustedRootRefresher trust = tuf.refresher().listener(new TrustedRootRefresher.Listener() {
 *       public void refreshed(TufUpdate u) { if (u.changed()) log("trusted root now " + u.snapshot().version()); }
 *       public void refreshFailed(TrustException e, TrustedRootSnapshot serving) { metrics.failure(e.reason()); }
 *     }).build().start();                           // ready: a root is served from here on
 * ...
 * TrustedRootSnapshot root = trust.current();       // per request, from memory
 * Verifier v = verifiers.computeIfAbsent(root.version(), k -> Verifier.create(root.root()));
 * CacheKey key = new CacheKey(imageDigest, policySetHash, root.version());
 * ...
 * trust.close();                                    // on SIGTERM; current() keeps answering while requests drain
 * }</pre>
 */
public final class TrustedRootRefresher implements TrustedRootSource, AutoCloseable {
  /** How long {@link #close()} waits for the refresh thread to end, in seconds. */
  static final long STOP_WAIT_SECONDS = 10;

  /**
   * Told about every refresh, on the thread that ran it (the refresher's, or the caller of {@link #refreshNow()}).
   * Keep callbacks short; anything they throw is ignored (it cannot stop the refresher).
   */
  public interface Listener {
    /** A refresh verified the mirror's trusted root and cached it; {@link TufUpdate#changed()} says if it is new. */
    default void refreshed(TufUpdate update) {}

    /** A refresh failed; {@code serving} (the last good root) stays in force. */
    default void refreshFailed(TrustException error, TrustedRootSnapshot serving) {}
  }

  /**
   * What the refresher serves and how refreshing has gone.
   *
   * @param serving the root {@link #current()} answers with
   * @param lastSuccess when a refresh last succeeded (empty: none yet, the root came from the cache or a fallback)
   * @param lastFailure when a refresh last failed
   * @param lastError why it failed
   * @param consecutiveFailures failed refreshes since the last success (0 after a success)
   * @param nextRefresh when the next background refresh is due (empty once closed)
   */
  public record Status(
      TrustedRootSnapshot serving,
      Optional<Instant> lastSuccess,
      Optional<Instant> lastFailure,
      Optional<TrustException> lastError,
      int consecutiveFailures,
      Optional<Instant> nextRefresh) {
    public Status {
      Objects.requireNonNull(serving, "serving");
      Objects.requireNonNull(lastSuccess, "lastSuccess");
      Objects.requireNonNull(lastFailure, "lastFailure");
      Objects.requireNonNull(lastError, "lastError");
      Objects.requireNonNull(nextRefresh, "nextRefresh");
    }

    Status succeeded(TrustedRootSnapshot root, Instant at) {
      return new Status(root, Optional.of(at), lastFailure, lastError, 0, nextRefresh);
    }

    Status failed(TrustException error, Instant at) {
      return new Status(serving, lastSuccess, Optional.of(at), Optional.of(error), consecutiveFailures + 1, nextRefresh);
    }

    Status next(Optional<Instant> due) {
      return new Status(serving, lastSuccess, lastFailure, lastError, consecutiveFailures, due);
    }
  }

  private final TufTrustedRoot tuf;
  private final Duration interval;
  private final double jitter;
  private final Duration retryDelay;
  private final Listener listener;
  private final ThreadFactory threadFactory;
  private final Clock clock;
  private final AtomicReference<Status> status = new AtomicReference<>();
  /** Completed by {@link #close()}: abandons the update in flight. */
  private final CompletableFuture<Void> stop = new CompletableFuture<>();
  /** One refresh at a time (background and {@link #refreshNow()}). */
  private final ReentrantLock refreshing = new ReentrantLock();
  /** Guards {@link #executor}, {@link #starting} and {@link #closed}. */
  private final Object lifecycle = new Object();
  private ScheduledThreadPoolExecutor executor;
  private boolean starting;
  private volatile boolean closed;
  private volatile Thread worker;

  private TrustedRootRefresher(Builder b) {
    this.tuf = b.tuf;
    this.interval = b.interval;
    this.jitter = b.jitter;
    this.retryDelay = b.retryDelay;
    this.listener = b.listener;
    this.threadFactory = b.threadFactory;
    this.clock = b.tuf.clock();
  }

  public static Builder builder(TufTrustedRoot tuf) {
    return new Builder(tuf);
  }

  /**
   * Starts serving and refreshing. The first root is the {@link TufTrustedRoot#current() cached one} (or the
   * builder's fallback), refreshed at once in the background; when there is none, an update runs here, and its failure
   * is thrown (the refresher is then not started, and {@code start} may be called again). Reads the cache and may use
   * the network.
   *
   * @return this
   * @throws TrustException when no root is cached and the first update fails
   * @throws IllegalStateException when already started or closed
   */
  public TrustedRootRefresher start() throws TrustException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      if (executor != null || starting) {
        throw new IllegalStateException("already started");
      }
      starting = true;
    }
    try {
      TrustedRootSnapshot initial;
      TufUpdate fetched = null;
      try {
        initial = tuf.current();
      } catch (TrustException notCached) {
        fetched = tuf.update(stop);
        initial = fetched.snapshot();
      }
      Instant now = clock.instant();
      status.set(new Status(initial, fetched == null ? Optional.empty() : Optional.of(now), Optional.empty(),
          Optional.empty(), 0, Optional.empty()));
      if (fetched != null) {
        notifyRefreshed(fetched);
      }
      synchronized (lifecycle) {
        if (!closed) {
          executor = new ScheduledThreadPoolExecutor(1, threadFactory);
          executor.setRemoveOnCancelPolicy(true);
          // shutdown() drops the refresh that is waiting for its time instead of running it then.
          executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
          schedule(fetched == null ? Duration.ZERO : jittered(interval));
        }
      }
      return this;
    } finally {
      synchronized (lifecycle) {
        starting = false;
      }
    }
  }

  /**
   * The last good trusted root. From memory: never blocks, never fails once {@link #start()} has returned, and keeps
   * answering after {@link #close()}.
   *
   * @throws IllegalStateException before a successful {@link #start()}
   */
  @Override
  public TrustedRootSnapshot current() {
    Status s = status.get();
    if (s == null) {
      throw new IllegalStateException("not started: no trusted root yet");
    }
    return s.serving();
  }

  /**
   * The root served and how refreshing has gone.
   *
   * @throws IllegalStateException before a successful {@link #start()}
   */
  public Status status() {
    Status s = status.get();
    if (s == null) {
      throw new IllegalStateException("not started: no trusted root yet");
    }
    return s;
  }

  /**
   * Refreshes now, on the calling thread (waiting for a background refresh in flight), with the same effect as a
   * background one: the root served, the status and the listener. The background schedule is unchanged.
   *
   * @throws TrustException when the refresh fails (the root served is unchanged)
   * @throws IllegalStateException before a successful {@link #start()} or after {@link #close()}
   */
  public TufUpdate refreshNow() throws TrustException {
    if (status.get() == null || closed) {
      throw new IllegalStateException(closed ? "closed" : "not started");
    }
    return refresh();
  }

  /**
   * Stops refreshing: no refresh starts after this, and one in flight is abandoned at its next wait for the network
   * or a lock (never in the middle of writing the cache). Waits up to {@value #STOP_WAIT_SECONDS} s for the refresh
   * thread to end (not when called from a listener on that thread). {@link #current()} keeps answering with the last
   * good root. Idempotent.
   */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor ex;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      ex = executor;
    }
    stop.complete(null);
    status.updateAndGet(s -> s == null ? null : s.next(Optional.empty()));
    if (ex == null) {
      return;
    }
    ex.shutdown();
    if (Thread.currentThread() != worker) {
      try {
        ex.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    Status s = status.get();
    return "TrustedRootRefresher[" + tuf.mirror() + ", every " + interval + (closed ? ", closed" : "")
        + (s == null ? ", not started" : ", serving " + s.serving().version()) + "]";
  }

  private void runScheduled() {
    if (closed) {
      return;
    }
    worker = Thread.currentThread();
    try {
      refresh();
    } catch (TrustException e) {
      // recorded in the status and told to the listener by refresh()
    } finally {
      worker = null;
      // Even past an unexpected exception: the schedule must go on.
      int failures = status.get().consecutiveFailures();
      Duration base = failures == 0 ? interval : backoff(failures);
      synchronized (lifecycle) {
        if (!closed) {
          schedule(jittered(base));
        }
      }
    }
  }

  /** retryDelay * 2^(failures-1), at most the interval. */
  private Duration backoff(int failures) {
    Duration d = retryDelay;
    for (int i = 1; i < failures && d.compareTo(interval) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(interval) < 0 ? d : interval;
  }

  private Duration jittered(Duration base) {
    if (jitter == 0 || base.isZero()) {
      return base;
    }
    double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Duration.ofNanos((long) (base.toNanos() * factor));
  }

  /** Caller holds {@link #lifecycle}. */
  private void schedule(Duration delay) {
    executor.schedule(this::runScheduled, delay.toNanos(), TimeUnit.NANOSECONDS);
    Optional<Instant> due = Optional.of(clock.instant().plus(delay));
    status.updateAndGet(s -> s.next(due));
  }

  private TufUpdate refresh() throws TrustException {
    refreshing.lock();
    try {
      TufUpdate update;
      try {
        update = tuf.update(stop);
      } catch (TrustException e) {
        if (!closed) {
          Status s = status.updateAndGet(old -> old.failed(e, clock.instant()));
          try {
            listener.refreshFailed(e, s.serving());
          } catch (RuntimeException ignored) {
            // a listener cannot stop the refresher
          }
        }
        throw e;
      }
      status.updateAndGet(old -> old.succeeded(update.snapshot(), clock.instant()));
      notifyRefreshed(update);
      return update;
    } finally {
      refreshing.unlock();
    }
  }

  private void notifyRefreshed(TufUpdate update) {
    try {
      listener.refreshed(update);
    } catch (RuntimeException ignored) {
      // a listener cannot stop the refresher
    }
  }

  /** Options of a {@link TrustedRootRefresher}. */
  public static final class Builder {
    private final TufTrustedRoot tuf;
    private Duration interval = Duration.ofHours(1);
    private double jitter = 0.1;
    private Duration retryDelay = Duration.ofMinutes(1);
    private Listener listener = new Listener() {};
    private ThreadFactory threadFactory =
        r -> {
          Thread t = new Thread(r, "sigil-tuf-refresh");
          t.setDaemon(true);
          return t;
        };

    private Builder(TufTrustedRoot tuf) {
      this.tuf = Objects.requireNonNull(tuf, "tuf");
    }

    /** Time between successful refreshes (default one hour). */
    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Each delay is drawn uniformly from {@code delay * (1 ± jitter)} (default 0.1; 0 for none; at most 0.5), so that
     * replicas started together spread their requests.
     */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Delay before the first retry after a failure, doubling with each further failure up to the interval (default 1 min). */
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
      return this;
    }

    /** Told about each refresh (default: none). */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Makes the refresh thread (default: one daemon thread named {@code sigil-tuf-refresh}). */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /** @throws IllegalArgumentException on a non-positive interval or retry delay, or a jitter outside [0, 0.5] */
    public TrustedRootRefresher build() {
      if (interval.isNegative() || interval.isZero() || retryDelay.isNegative() || retryDelay.isZero()) {
        throw new IllegalArgumentException("interval and retry delay must be positive");
      }
      if (!(jitter >= 0 && jitter <= 0.5)) {
        throw new IllegalArgumentException("jitter must be within [0, 0.5], found " + jitter);
      }
      return new TrustedRootRefresher(this);
    }
  }
}
