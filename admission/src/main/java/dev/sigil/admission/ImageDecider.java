package dev.sigil.admission;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sigil.images.ImageEvidence;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.ImageStore;
import dev.sigil.oci.InvalidReferenceException;
import dev.sigil.oci.LayoutReference;
import dev.sigil.oci.OciException;
import dev.sigil.oci.RegistryReference;
import dev.sigil.policy.Decision;
import dev.sigil.policy.ImagePolicy;
import dev.sigil.policy.Mode;
import dev.sigil.policy.NoMatch;
import dev.sigil.policy.PolicyEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides images, fast and bounded: the policy engine decides; this class only finds what to decide from, remembers,
 * and shares.
 *
 * <ul>
 *   <li><b>Decision cache</b> keyed by (image {@code registry/repository@digest}, policy-set hash, trust-root
 *       version), with one time-to-live for allowed images and another, shorter one for denied images. The repository
 *       is part of the key, not only the digest: policies match repositories, and signatures live beside the image
 *       in its repository. Registry failures are never cached.
 *   <li><b>Tag cache</b>: tag to digest resolutions, kept briefly, per credential scope.
 *   <li><b>Coalescing</b>: concurrent lookups of the same key share one future, so fifty reviews of one new image
 *       fetch and verify it once.
 *   <li><b>Bounded work</b>: fetching and verifying run on a fixed pool with a bounded queue; when it is full the
 *       image is refused at once ({@link Failure.Code#BUSY}) rather than queued past the deadline.
 * </ul>
 *
 * <p>Futures returned never complete exceptionally: failures are {@link Failure} outcomes. Waiting for them, and the
 * deadline, is the caller's. Thread-safe.
 */
final class ImageDecider implements AutoCloseable {
  /** What happened to one image. */
  sealed interface Outcome permits Decided, Failure {
    /** The image as written in the object. */
    String image();

    /** Whether every policy that applies to the image is in warn mode (a failure then only warns). */
    boolean warnOnly();
  }

  /**
   * The engine decided.
   *
   * @param pinned {@code registry/repository@digest} that was decided
   * @param fromTag whether the object named a tag that was resolved to that digest
   */
  record Decided(String image, String pinned, boolean fromTag, Decision decision, boolean warnOnly)
      implements Outcome {}

  /** No decision could be made; the image is denied unless {@link #warnOnly()}. */
  record Failure(String image, Code code, String reason, boolean warnOnly) implements Outcome {
    enum Code {
      /** Not a valid image reference. */
      INVALID_REFERENCE,
      /** The registry failed: unreachable, timed out, unauthorised, no such image or tag. */
      REGISTRY,
      /** The verification queue was full. */
      BUSY,
      /** Not decided within the review's deadline. */
      DEADLINE,
      /** A bug: something threw that should not have. */
      INTERNAL
    }
  }

  /**
   * Cache settings, and where images may be.
   *
   * @param localLayouts whether {@code oci-layout:PATH} images are read from this machine's disk; off in the served
   *     webhook (a pod spec must never make it read local files), on only for {@code sigil admission review}
   */
  record Settings(
      Duration allowTtl, Duration denyTtl, Duration tagTtl, int maxEntries, int threads, int queue,
      boolean localLayouts) {
    Settings {
      Objects.requireNonNull(allowTtl, "allowTtl");
      Objects.requireNonNull(denyTtl, "denyTtl");
      Objects.requireNonNull(tagTtl, "tagTtl");
      if (threads < 1 || queue < 0 || maxEntries < 1) {
        throw new IllegalArgumentException("threads, queue and maxEntries must be positive");
      }
    }
  }

  private record DecisionKey(String pinned, String policyHash, String trustVersion) {}

  private record TagKey(String scope, String repository, String tag) {}

  /** Why an {@code oci-layout:} image is refused when layouts are not read. */
  static final String LAYOUT_REFUSED =
      "oci-layout: images name files on the webhook's machine and are never read by the webhook "
          + "(sigil admission review reads them)";

  private final Settings settings;
  private final Metrics metrics;
  private final ThreadPoolExecutor pool;
  private final AsyncCache<DecisionKey, Decision> decisions;
  private final AsyncCache<TagKey, Digest> tags;

  ImageDecider(Settings settings, Metrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
            settings.queue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new LinkedBlockingQueue<>(settings.queue()),
            r -> {
              Thread t = new Thread(r, "sigil-verify-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.decisions =
        Caffeine.newBuilder()
            .maximumSize(settings.maxEntries())
            .expireAfter(new Expiry<DecisionKey, Decision>() {
              @Override
              public long expireAfterCreate(DecisionKey key, Decision value, long currentTime) {
                return ttl(value);
              }

              @Override
              public long expireAfterUpdate(DecisionKey key, Decision value, long currentTime, long currentDuration) {
                return ttl(value);
              }

              @Override
              public long expireAfterRead(DecisionKey key, Decision value, long currentTime, long currentDuration) {
                return currentDuration;
              }
            })
            .executor(Runnable::run)
            .buildAsync();
    this.tags =
        Caffeine.newBuilder()
            .maximumSize(settings.maxEntries())
            .expireAfterWrite(settings.tagTtl())
            .executor(Runnable::run)
            .buildAsync();
  }

  private long ttl(Decision d) {
    return (d.allowed() ? settings.allowTtl() : settings.denyTtl()).toNanos();
  }

  /** Decides an image as written in an object, with this policy snapshot and registry access. */
  CompletableFuture<Outcome> decide(PolicyStore.Snapshot policies, String image, RegistryAccess.Scoped access) {
    ImageReference ref;
    try {
      ref = reference(image);
    } catch (InvalidReferenceException e) {
      return CompletableFuture.completedFuture(
          new Failure(image, Failure.Code.INVALID_REFERENCE, "not a valid image reference: " + e.getMessage(), false));
    }
    String repository = repository(ref);
    PolicyEngine engine = policies.engine();
    List<ImagePolicy> matching = engine.matching(repository);
    boolean warnOnly =
        matching.isEmpty()
            ? policies.set().noMatch() != NoMatch.DENY
            : matching.stream().allMatch(p -> p.mode() == Mode.WARN);
    CompletableFuture<Digest> digest =
        ref.digest().isPresent()
            ? CompletableFuture.completedFuture(ref.digest().get())
            : resolve(access, ref);
    boolean fromTag = ref.digest().isEmpty();
    CompletableFuture<Outcome> out =
        digest.thenCompose(d -> {
          ImageReference pinned = ref.withDigest(d);
          String name = repository + "@" + d;
          if (matching.isEmpty()) {
            // No policy applies: nothing to fetch; the engine says what no-match means.
            ImageEvidence none =
                new ImageEvidence(name, ref instanceof RegistryReference ? Optional.of(repository) : Optional.empty(), d,
                    Optional.empty(), List.of(), List.of(), List.of());
            return CompletableFuture.completedFuture(
                new Decided(image, name, fromTag, engine.decide(new PolicyEngine.VerifiedEvidence(none, Map.of())), warnOnly));
          }
          return decision(policies, pinned, name, fromTag ? ref.tag() : Optional.empty(), access)
              .thenApply(dec -> (Outcome) new Decided(image, name, fromTag, dec, warnOnly));
        });
    return out.exceptionally(t -> failure(image, t, warnOnly));
  }

  /**
   * An image as written in an object: a registry reference, or (only with {@link Settings#localLayouts()}) an OCI
   * layout on this machine.
   *
   * @throws InvalidReferenceException naming the rule the text breaks
   */
  ImageReference reference(String image) {
    if (image.startsWith(ImageReference.LAYOUT_PREFIX)) {
      if (!settings.localLayouts()) {
        throw new InvalidReferenceException(image, LAYOUT_REFUSED);
      }
      return LayoutReference.parse(image);
    }
    return RegistryReference.parse(image);
  }

  /** What policies are matched against: {@code registry/repository}, or {@code oci-layout:PATH} as the engine has it. */
  static String repository(ImageReference ref) {
    return ref instanceof RegistryReference r ? r.name() : ImageReference.LAYOUT_PREFIX + ((LayoutReference) ref).path();
  }

  private CompletableFuture<Digest> resolve(RegistryAccess.Scoped access, ImageReference ref) {
    TagKey key = new TagKey(access.key(), repository(ref), ref.tag().orElse("latest"));
    CompletableFuture<Digest> cached = tags.getIfPresent(key);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      metrics.tagCacheHit.inc();
      return cached;
    }
    boolean[] ran = new boolean[1];
    CompletableFuture<Digest> f =
        tags.get(key, (k, executor) -> {
          ran[0] = true;
          return submit(() -> {
            ImageStore store = access.fetcher().store(ref);
            Optional<Descriptor> d = store.resolveTag(k.tag());
            if (d.isEmpty()) {
              throw new OciException(OciException.Reason.NOT_FOUND, k.repository() + ": no tag \"" + k.tag() + "\"");
            }
            return d.get().digest();
          });
        });
    (ran[0] ? metrics.tagCacheMiss : metrics.tagCacheCoalesced).inc();
    return f;
  }

  private CompletableFuture<Decision> decision(
      PolicyStore.Snapshot policies, ImageReference pinned, String name, Optional<String> tag,
      RegistryAccess.Scoped access) {
    DecisionKey key = new DecisionKey(name, policies.set().hash(), policies.trustVersion());
    CompletableFuture<Decision> cached = decisions.getIfPresent(key);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      metrics.decisionCacheHit.inc();
      return cached;
    }
    boolean[] ran = new boolean[1];
    CompletableFuture<Decision> f =
        decisions.get(key, (k, executor) -> {
          ran[0] = true;
          return submit(() -> {
            long start = System.nanoTime();
            try {
              ImageStore store = access.fetcher().store(pinned);
              ImageEvidence evidence = access.fetcher().fetch(store, pinned, pinned.digest().orElseThrow(), tag);
              Decision d = policies.engine().decide(evidence);
              metrics.verifications.labelValues(d.allowed() ? "allowed" : "denied").inc();
              return d;
            } catch (OciException | RuntimeException e) {
              metrics.verifications.labelValues("error").inc();
              throw e;
            } finally {
              metrics.verificationSeconds.observe((System.nanoTime() - start) / 1e9);
            }
          });
        });
    (ran[0] ? metrics.decisionCacheMiss : metrics.decisionCacheCoalesced).inc();
    return f;
  }

  private interface Work<T> {
    T run() throws OciException;
  }

  private <T> CompletableFuture<T> submit(Work<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try {
          f.complete(work.run());
        } catch (OciException e) {
          metrics.registryErrors.labelValues(e.reason().name()).inc();
          f.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
          f.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      metrics.rejectedBusy.inc();
      f.completeExceptionally(new Busy());
    }
    return f;
  }

  /** The verification queue is full. */
  private static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super(null, null, false, false);
    }
  }

  private static Failure failure(String image, Throwable t, boolean warnOnly) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof OciException e) {
      return new Failure(image, Failure.Code.REGISTRY, e.getMessage(), warnOnly);
    }
    if (c instanceof Busy) {
      return new Failure(image, Failure.Code.BUSY, "the webhook is at its verification capacity; try again", warnOnly);
    }
    return new Failure(image, Failure.Code.INTERNAL,
        "internal error: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()),
        warnOnly);
  }

  /** Cached decisions (for tests and metrics). */
  long cachedDecisions() {
    return decisions.synchronous().estimatedSize();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
