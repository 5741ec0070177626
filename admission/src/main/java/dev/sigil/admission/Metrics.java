package dev.sigil.admission;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The webhook's Prometheus metrics (names prefixed {@code sigil_admission_}), in a registry of its own so several
 * servers in one JVM (tests) never share counts. Hot-path data points are bound once. Thread-safe.
 */
final class Metrics {
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 8, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  final Counter requests;
  final Counter reviews;
  final Histogram reviewSeconds;
  final Counter cache;
  final Counter verifications;
  final Histogram verificationSeconds;
  final Counter registryErrors;
  final Counter deadlineExceeded;
  final Counter rejectedBusy;
  final Counter reloads;
  final Gauge inFlight;
  final Gauge policies;

  final CounterDataPoint decisionCacheHit;
  final CounterDataPoint decisionCacheMiss;
  final CounterDataPoint decisionCacheCoalesced;
  final CounterDataPoint tagCacheHit;
  final CounterDataPoint tagCacheMiss;
  final CounterDataPoint tagCacheCoalesced;
  final DistributionDataPoint validateSeconds;
  final DistributionDataPoint mutateSeconds;

  Metrics() {
    requests = Counter.builder().name("sigil_admission_http_requests_total")
        .help("HTTP requests by path and status code").labelNames("path", "code").withoutExemplars().register(registry);
    reviews = Counter.builder().name("sigil_admission_reviews_total")
        .help("AdmissionReviews answered, by webhook (validate, mutate) and decision (allowed, denied, warned, malformed)")
        .labelNames("webhook", "decision").withoutExemplars().register(registry);
    reviewSeconds = Histogram.builder().name("sigil_admission_review_duration_seconds")
        .help("Time from a review's arrival to its answer, by webhook").labelNames("webhook")
        .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
    cache = Counter.builder().name("sigil_admission_cache_requests_total")
        .help("Cache lookups by cache (decision, tag) and result (hit, miss, coalesced: joined a lookup in flight)")
        .labelNames("cache", "result").withoutExemplars().register(registry);
    verifications = Counter.builder().name("sigil_admission_verifications_total")
        .help("Images fetched and decided by the policy engine (cache misses that ran), by result (allowed, denied, error)")
        .labelNames("result").withoutExemplars().register(registry);
    verificationSeconds = Histogram.builder().name("sigil_admission_verification_duration_seconds")
        .help("Time to fetch an image's signatures and attestations and decide").classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
    registryErrors = Counter.builder().name("sigil_admission_registry_errors_total")
        .help("Registry failures while resolving or fetching, by reason").labelNames("reason").withoutExemplars()
        .register(registry);
    deadlineExceeded = Counter.builder().name("sigil_admission_deadline_exceeded_total")
        .help("Images not decided within the review deadline").withoutExemplars().register(registry);
    rejectedBusy = Counter.builder().name("sigil_admission_rejected_busy_total")
        .help("Images refused because the verification queue was full").withoutExemplars().register(registry);
    reloads = Counter.builder().name("sigil_admission_reloads_total")
        .help("Reloads of policies and TLS certificates, by what and result (applied, refused)")
        .labelNames("what", "result").withoutExemplars().register(registry);
    inFlight = Gauge.builder().name("sigil_admission_reviews_in_flight").help("Reviews being answered now")
        .register(registry);
    policies = Gauge.builder().name("sigil_admission_policies").help("Policies in the set in force").register(registry);
    decisionCacheHit = cache.labelValues("decision", "hit");
    decisionCacheMiss = cache.labelValues("decision", "miss");
    decisionCacheCoalesced = cache.labelValues("decision", "coalesced");
    tagCacheHit = cache.labelValues("tag", "hit");
    tagCacheMiss = cache.labelValues("tag", "miss");
    tagCacheCoalesced = cache.labelValues("tag", "coalesced");
    validateSeconds = reviewSeconds.labelValues("validate");
    mutateSeconds = reviewSeconds.labelValues("mutate");
  }

  /** The registry, for more collectors (JVM metrics). */
  PrometheusRegistry registry() {
    return registry;
  }

  String contentType() {
    return writer.getContentType();
  }

  /** Every metric in the Prometheus text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
