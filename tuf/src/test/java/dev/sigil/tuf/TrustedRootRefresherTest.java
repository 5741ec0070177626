package dev.sigil.tuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.TufRepository;
import dev.sigil.tuf.TrustException.Reason;
import dev.sigil.verifier.trust.PublicGood;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrustedRootRefresher} against a TUF repository on 127.0.0.1 whose trusted root changes between refreshes.
 * Intervals are tens of milliseconds; tests wait for events (never for a time), with generous upper bounds.
 */
class TrustedRootRefresherTest {
  static final String TARGET = "trusted_root.json";
  static final Duration FAST = Duration.ofMillis(50);

  @TempDir Path tmp;
  TufRepository repo;
  Path cache;
  byte[] rootA;
  byte[] rootB;
  final Events events = new Events();
  final List<Thread> threads = new CopyOnWriteArrayList<>();
  TrustedRootRefresher refresher;

  /** What the listener heard, in order. */
  static final class Events implements TrustedRootRefresher.Listener {
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** When set: at each callback, the next refresh the status announced (the one scheduled after the previous). */
    volatile TrustedRootRefresher watched;
    final BlockingQueue<Instant> dues = new LinkedBlockingQueue<>();

    @Override
    public void refreshed(TufUpdate update) {
      recordDue();
      queue.add(update);
    }

    @Override
    public void refreshFailed(TrustException error, TrustedRootSnapshot serving) {
      recordDue();
      queue.add(new Failure(error, serving));
    }

    private void recordDue() {
      TrustedRootRefresher r = watched;
      if (r != null) {
        dues.add(r.status().nextRefresh().orElseThrow());
      }
    }

    Object next() throws InterruptedException {
      Object o = queue.poll(20, TimeUnit.SECONDS);
      assertNotNull(o, "no refresh within 20 s");
      return o;
    }

    TufUpdate nextUpdate() throws InterruptedException {
      Object o = next();
      assertTrue(o instanceof TufUpdate, () -> "expected a successful refresh, got " + o);
      return (TufUpdate) o;
    }

    Failure nextFailure() throws InterruptedException {
      Object o = next();
      assertTrue(o instanceof Failure, () -> "expected a failed refresh, got " + o);
      return (Failure) o;
    }

    /** Skips successful refreshes that found nothing new until one that changed the root. */
    TufUpdate nextChange() throws InterruptedException {
      while (true) {
        TufUpdate u = nextUpdate();
        if (u.changed()) {
          return u;
        }
      }
    }
  }

  record Failure(TrustException error, TrustedRootSnapshot serving) {}

  @BeforeEach
  void serve() throws Exception {
    repo = TufRepository.start();
    cache = tmp.resolve("cache");
    rootA = PublicGood.json();
    rootB = TufTrustedRootTest.withoutCas(rootA);
  }

  @AfterEach
  void stop() {
    if (refresher != null) {
      refresher.close();
    }
    repo.close();
  }

  TufTrustedRoot tuf(Clock clock) throws TrustException {
    return TufTrustedRoot.builder().mirror(URI.create(repo.url())).cacheDir(cache)
        .tufRoot(TufRoot.parse(repo.root(1))).clock(clock).build();
  }

  TrustedRootRefresher.Builder refresher(TufTrustedRoot tuf) {
    return tuf.refresher().interval(FAST).retryDelay(FAST).jitter(0).listener(events).threadFactory(r -> {
      Thread t = new Thread(r, "test-refresh");
      t.setDaemon(true);
      threads.add(t);
      return t;
    });
  }

  static String version(byte[] json) {
    return "sha256:" + dev.sigil.tuf.internal.CacheFiles.sha256(json);
  }

  @Test
  void servesTheCachedRootAtOnceAndFollowsTheMirrorAsItChanges() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();

    refresher = refresher(tuf).build().start();
    assertEquals(version(rootA), refresher.current().version());
    assertEquals(TrustedRootSnapshot.Origin.TUF_CACHE, refresher.current().origin());
    // The first background refresh runs at once and finds nothing new.
    TufUpdate first = events.nextUpdate();
    assertFalse(first.changed());
    assertEquals(version(rootA), first.snapshot().version());

    repo.publish(Map.of(TARGET, rootB));
    TufUpdate changed = events.nextChange();
    assertEquals(version(rootB), changed.snapshot().version());
    assertEquals(version(rootB), refresher.current().version());
    assertArrayEquals(rootB, refresher.current().json());
    assertEquals(2, changed.origin().targetsVersion());

    // And back: versions name content, so the old version comes back with the old content.
    repo.publish(Map.of(TARGET, rootA));
    assertEquals(version(rootA), events.nextChange().snapshot().version());
    assertEquals(version(rootA), refresher.current().version());
    TrustedRootRefresher.Status s = refresher.status();
    assertTrue(s.lastSuccess().isPresent());
    assertEquals(0, s.consecutiveFailures());
    assertTrue(s.nextRefresh().isPresent());
  }

  @Test
  void withNothingCachedStartFetchesFirst() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    refresher = refresher(tuf(Clock.systemUTC())).interval(Duration.ofHours(1)).build().start();
    assertEquals(version(rootA), refresher.current().version());
    assertTrue(refresher.status().lastSuccess().isPresent());
    TufUpdate u = events.nextUpdate();
    assertTrue(u.changed());
    assertTrue(u.startedFromInitialRoot());
    // The next refresh is an interval away, not at once.
    assertTrue(refresher.status().nextRefresh().orElseThrow().isAfter(Instant.now().plus(50, ChronoUnit.MINUTES)));
  }

  @Test
  void withNothingCachedAndTheMirrorDownStartFailsAndCanBeRetried() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    repo.failWith(503);
    TrustedRootRefresher r = refresher(tuf(Clock.systemUTC())).build();
    TrustException e = assertThrows(TrustException.class, r::start);
    assertEquals(Reason.MIRROR_HTTP_STATUS, e.reason());
    assertThrows(IllegalStateException.class, r::current);
    assertThrows(IllegalStateException.class, r::refreshNow);
    assertTrue(threads.isEmpty(), "no thread before a successful start");

    repo.failWith(0);
    refresher = r.start();
    assertEquals(version(rootA), r.current().version());
    assertThrows(IllegalStateException.class, r::start);
  }

  @Test
  void aFailingRefreshKeepsTheLastGoodRootAndReportsWhy() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    refresher = refresher(tuf).build().start();
    events.nextUpdate();

    // The mirror goes down: REMOTE failures, the root served stays.
    repo.failWith(503);
    Failure down = events.nextFailure();
    assertEquals(Reason.MIRROR_HTTP_STATUS, down.error().reason());
    assertEquals(version(rootA), down.serving().version());
    assertEquals(version(rootA), refresher.current().version());

    // It comes back serving a new root whose metadata was tampered with: METADATA failures, the root served stays.
    repo.publish(Map.of(TARGET, rootB));
    String ts = new String(repo.files().get("timestamp.json"), StandardCharsets.UTF_8);
    repo.files().put("timestamp.json",
        ts.replace(repo.expires().toString(), repo.expires().plus(1, ChronoUnit.DAYS).toString())
            .getBytes(StandardCharsets.UTF_8));
    repo.failWith(0);
    Failure tampered = events.nextFailure();
    while (tampered.error().reason() == Reason.MIRROR_HTTP_STATUS) {
      tampered = events.nextFailure();
    }
    assertEquals(Reason.METADATA_SIGNATURES, tampered.error().reason());
    assertEquals(version(rootA), refresher.current().version());
    TrustedRootRefresher.Status s = refresher.status();
    assertTrue(s.consecutiveFailures() >= 2, s::toString);
    assertEquals(Reason.METADATA_SIGNATURES, s.lastError().orElseThrow().reason());
    assertTrue(s.lastFailure().isPresent());
    assertArrayEquals(rootA, Files.readAllBytes(cache.resolve(TARGET)), "the cache is untouched");

    // Fixed: the new root is served, and the failure count is reset.
    repo.publish(Map.of(TARGET, rootB));
    TufUpdate fixed = nextUpdateSkippingFailures();
    assertTrue(fixed.changed());
    assertEquals(version(rootB), refresher.current().version());
    assertEquals(0, refresher.status().consecutiveFailures());
  }

  private TufUpdate nextUpdateSkippingFailures() throws InterruptedException {
    while (true) {
      Object o = events.next();
      if (o instanceof TufUpdate u) {
        return u;
      }
    }
  }

  /**
   * After a failure the next attempt comes after the retry delay, doubling per failure up to the interval (read off
   * the status with a fixed clock, so the arithmetic is exact).
   */
  @Test
  void failuresBackOffUpToTheInterval() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    Clock fixed = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    TufTrustedRoot tuf = tuf(fixed);
    tuf.update();
    repo.failWith(500);
    Duration retry = Duration.ofMillis(10);
    refresher = refresher(tuf).retryDelay(retry).interval(Duration.ofMillis(80)).build();
    events.watched = refresher;
    refresher.start();
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // Each failure's callback sees the delay scheduled after the previous one (the first: at once, on start).
      events.nextFailure();
      delays.add(Duration.between(fixed.instant(), events.dues.take()));
    }
    assertEquals(List.of(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
        Duration.ofMillis(80), Duration.ofMillis(80)), delays);
  }

  @Test
  void jitterSpreadsDelaysWithinItsBounds() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    Clock fixed = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    TufTrustedRoot tuf = tuf(fixed);
    tuf.update();
    refresher = refresher(tuf).interval(Duration.ofMillis(40)).jitter(0.5).build();
    events.watched = refresher;
    refresher.start();
    events.nextUpdate();
    assertEquals(fixed.instant(), events.dues.take(), "the first refresh runs at once");
    Set<Duration> seen = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 8; i++) {
      events.nextUpdate();
      Duration d = Duration.between(fixed.instant(), events.dues.take());
      assertTrue(d.compareTo(Duration.ofMillis(20)) >= 0 && d.compareTo(Duration.ofMillis(60)) <= 0, d::toString);
      seen.add(d);
    }
    assertTrue(seen.size() > 1, () -> "jittered delays differ: " + seen);
  }

  @Test
  void stopIsCleanEvenWithARefreshInFlight() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    repo.publish(Map.of(TARGET, rootB));
    repo.requests().clear();
    repo.hang();
    refresher = refresher(tuf).build().start();
    while (repo.requests().isEmpty()) {
      Thread.sleep(5);
    }
    // The background refresh now waits on a mirror that does not answer.
    long t0 = System.nanoTime();
    refresher.close();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(tookMs < TrustedRootRefresher.STOP_WAIT_SECONDS * 1000, "close waited " + tookMs + " ms");
    assertEquals(1, threads.size());
    threads.get(0).join(10_000);
    assertFalse(threads.get(0).isAlive(), "the refresh thread ended");
    assertNull(events.queue.poll(), "nothing reported for an update abandoned by close: " + events.queue);

    // Still serving, no more refreshing; the cache is as it was.
    assertEquals(version(rootA), refresher.current().version());
    assertTrue(refresher.isClosed());
    assertTrue(refresher.status().nextRefresh().isEmpty());
    assertThrows(IllegalStateException.class, refresher::refreshNow);
    assertThrows(IllegalStateException.class, refresher::start);
    refresher.close();
    repo.release();
    assertArrayEquals(rootA, Files.readAllBytes(cache.resolve(TARGET)));
    int requests = repo.requests().size();
    Thread.sleep(200);
    assertEquals(requests, repo.requests().size(), "no refresh after close");
  }

  @Test
  void closeFromAListenerDoesNotWaitForItself() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    AtomicInteger calls = new AtomicInteger();
    TrustedRootRefresher[] self = new TrustedRootRefresher[1];
    refresher = refresher(tuf).listener(new TrustedRootRefresher.Listener() {
      @Override
      public void refreshed(TufUpdate update) {
        calls.incrementAndGet();
        self[0].close();
        events.refreshed(update);
      }
    }).build();
    self[0] = refresher;
    refresher.start();
    events.nextUpdate();
    threads.get(0).join(10_000);
    assertFalse(threads.get(0).isAlive());
    assertEquals(1, calls.get());
  }

  @Test
  void listenerExceptionsDoNotStopRefreshing() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    AtomicInteger calls = new AtomicInteger();
    refresher = refresher(tuf).listener(new TrustedRootRefresher.Listener() {
      @Override
      public void refreshed(TufUpdate update) {
        calls.incrementAndGet();
        events.refreshed(update);
        throw new IllegalStateException("listener bug");
      }
    }).build().start();
    for (int i = 0; i < 3; i++) {
      events.nextUpdate();
    }
    assertTrue(calls.get() >= 3);
  }

  @Test
  void refreshNowRunsOnTheCallersThread() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    refresher = refresher(tuf).interval(Duration.ofHours(1)).build().start();
    events.nextUpdate();
    repo.publish(Map.of(TARGET, rootB));
    TufUpdate u = refresher.refreshNow();
    assertTrue(u.changed());
    assertEquals(version(rootB), refresher.current().version());
    assertEquals(u, events.nextUpdate());

    repo.failWith(404);
    TrustException e = assertThrows(TrustException.class, refresher::refreshNow);
    assertEquals(Reason.MIRROR_FILE_MISSING, e.reason());
    assertEquals(e, events.nextFailure().error());
    assertEquals(version(rootB), refresher.current().version());
  }

  /** Readers on other threads always see a whole snapshot, old or new, while refreshes replace it. */
  @Test
  void readersSeeWholeSnapshotsWhileTheRootChanges() throws Exception {
    repo.publish(Map.of(TARGET, rootA));
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    tuf.update();
    refresher = refresher(tuf).build().start();
    Set<String> allowed = Set.of(version(rootA), version(rootB));
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> problems = new CopyOnWriteArrayList<>();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        while (!done.get()) {
          Thread.yield();
          try {
            TrustedRootSnapshot s = refresher.current();
            String v = s.version();
            if (!allowed.contains(v) || !version(s.json()).equals(v)) {
              problems.add(new AssertionError("torn or unknown snapshot " + v));
            }
            seen.add(v);
          } catch (RuntimeException e) {
            problems.add(e);
          }
        }
      });
      t.start();
      readers.add(t);
    }
    for (int i = 0; i < 4; i++) {
      repo.publish(Map.of(TARGET, i % 2 == 0 ? rootB : rootA));
      events.nextChange();
    }
    done.set(true);
    for (Thread t : readers) {
      t.join();
    }
    assertTrue(problems.isEmpty(), problems::toString);
    assertEquals(allowed, seen);
  }

  @Test
  void buildersRefuseNonsense() throws Exception {
    TufTrustedRoot tuf = tuf(Clock.systemUTC());
    assertThrows(IllegalArgumentException.class, () -> tuf.refresher().interval(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> tuf.refresher().retryDelay(Duration.ofSeconds(-1)).build());
    assertThrows(IllegalArgumentException.class, () -> tuf.refresher().jitter(0.6).build());
    assertThrows(IllegalArgumentException.class, () -> tuf.refresher().jitter(Double.NaN).build());
    TrustedRootRefresher r = tuf.refresher().build();
    assertTrue(r.toString().contains("not started"), r.toString());
    r.close();
    assertThrows(IllegalStateException.class, r::start);
    assertFalse(Files.exists(cache), "building and closing do no I/O");
  }
}
