package dev.sigil.admission;

import dev.sigil.admission.AdmissionHandler.Answer;
import dev.sigil.admission.AdmissionHandler.ImageVerdict;
import dev.sigil.admission.AdmissionHandler.Reply;
import dev.sigil.admission.AdmissionHandler.Verdict;
import dev.sigil.admission.kube.AdmissionReviews;
import dev.sigil.admission.kube.ContainerImage;
import dev.sigil.admission.kube.MalformedReviewException;
import dev.sigil.admission.kube.Review;
import dev.sigil.policy.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook proper, independent of any HTTP server: an AdmissionReview request body in, the HTTP answer out. It
 * decodes, asks {@link ImageDecider} (and so the policy engine) about each image, and encodes; it holds no policy and
 * verifies nothing itself.
 *
 * <ul>
 *   <li>Exempt namespaces, DELETE and CONNECT, and UPDATEs that add no image are allowed without verification.
 *   <li>Each distinct image is decided once per review, all of them concurrently. What is not decided within the
 *       deadline is denied (fail closed), and so is an image whose registry failed, unless every policy that applies
 *       to it is in warn mode: then it is allowed with a warning.
 *   <li>A denial names each failing image, where it is in the object, and the engine's reasons.
 *   <li>{@code mutate} answers as {@code validate} does and, when allowed, adds a JSONPatch replacing each tag that was
 *       resolved and verified with the digest it was verified at.
 *   <li>A body that is not an AdmissionReview v1 request is answered 400 with the reason, and so is one whose
 *       decoding a library failed on unexpectedly (no review, no UID to answer). Nothing else is ever answered with
 *       an error status: an unexpected failure once the review is decoded denies it, naming it.
 * </ul>
 *
 * <p>Thread-safe. The returned futures always complete normally.
 */
final class Webhook {
  enum Kind {
    VALIDATE("validate"),
    MUTATE("mutate");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final String JSON = "application/json";
  private static final int MAX_LISTED = 10;
  private static final JsonMapper AUDIT_JSON = JsonMapper.builder().build();

  private final AdmissionReviews codec;
  private final PolicyStore policies;
  private final RegistryAccess registries;
  private final ImageDecider decider;
  private final Set<String> exempt;
  private final Duration deadline;
  private final AuditLog audit;
  private final Metrics metrics;
  private final ScheduledExecutorService timers;

  Webhook(
      AdmissionReviews codec, PolicyStore policies, RegistryAccess registries, ImageDecider decider,
      Set<String> exemptNamespaces, Duration deadline, AuditLog audit, Metrics metrics,
      ScheduledExecutorService timers) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.registries = Objects.requireNonNull(registries, "registries");
    this.decider = Objects.requireNonNull(decider, "decider");
    this.exempt = Set.copyOf(exemptNamespaces);
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.timers = Objects.requireNonNull(timers, "timers");
  }

  /** Answers one review. */
  CompletableFuture<Answer> review(Kind kind, byte[] body) {
    long start = System.nanoTime();
    Review review;
    try {
      review = codec.decode(body);
    } catch (MalformedReviewException e) {
      return malformed(kind, e.getMessage());
    } catch (RuntimeException e) {
      // The codec turns what parsers throw into MalformedReviewException; anything else still gets a 400 with a
      // reason rather than a 500 (without a decoded request there is no UID to deny).
      return malformed(kind, "cannot be decoded (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return decide(kind, review, start);
    } catch (RuntimeException e) {
      // A bug must not become an HTTP 500 (which the API server reports without our reason): deny, naming it.
      return CompletableFuture.completedFuture(internalError(kind, review, start, e));
    }
  }

  private CompletableFuture<Answer> malformed(Kind kind, String reason) {
    metrics.reviews.labelValues(kind.label, "malformed").inc();
    return CompletableFuture.completedFuture(new Answer(
        new Reply(400, "text/plain; charset=utf-8",
            ("malformed AdmissionReview: " + reason + "\n").getBytes(StandardCharsets.UTF_8)),
        Optional.empty()));
  }

  private CompletableFuture<Answer> decide(Kind kind, Review review, long start) {
    if (exempt.contains(review.namespace())) {
      return CompletableFuture.completedFuture(
          answer(kind, review, start, Map.of(), List.of(), "namespace " + review.namespace() + " is exempt"));
    }
    List<ContainerImage> toVerify = review.imagesToVerify();
    if (toVerify.isEmpty()) {
      String why = switch (review.operation()) {
        case "UPDATE" -> "no new image";
        case "CREATE" -> "no image";
        default -> review.operation() + " is not checked";
      };
      return CompletableFuture.completedFuture(answer(kind, review, start, Map.of(), List.of(), why));
    }
    PolicyStore.Snapshot snapshot = policies.current();
    RegistryAccess.Scoped access = registries.forReview(review);
    Map<String, CompletableFuture<ImageDecider.Outcome>> byImage = new LinkedHashMap<>();
    for (ContainerImage c : toVerify) {
      byImage.computeIfAbsent(c.image(), i -> decider.decide(snapshot, i, access));
    }
    CompletableFuture<?> all = CompletableFuture.allOf(byImage.values().toArray(new CompletableFuture<?>[0]));
    if (all.isDone()) {
      return CompletableFuture.completedFuture(compose(kind, review, start, byImage, toVerify));
    }
    metrics.inFlight.inc();
    CompletableFuture<Answer> reply = new CompletableFuture<>();
    AtomicBoolean once = new AtomicBoolean();
    Runnable finish = () -> {
      if (once.compareAndSet(false, true)) {
        metrics.inFlight.dec();
        try {
          reply.complete(compose(kind, review, start, byImage, toVerify));
        } catch (RuntimeException | Error e) {
          // compose answers its own failures; this keeps the review from never being answered if that fails too
          reply.complete(new Answer(AdmissionHandler.text(500, "internal error"), Optional.empty()));
        }
      }
    };
    long remaining = deadline.toNanos() - (System.nanoTime() - start);
    ScheduledFuture<?> timer = timers.schedule(finish, Math.max(0, remaining), TimeUnit.NANOSECONDS);
    all.whenComplete((v, t) -> {
      timer.cancel(false);
      finish.run();
    });
    return reply;
  }

  private Answer compose(
      Kind kind, Review review, long start, Map<String, CompletableFuture<ImageDecider.Outcome>> byImage,
      List<ContainerImage> toVerify) {
    try {
      Map<String, ImageDecider.Outcome> outcomes = new LinkedHashMap<>();
      for (Map.Entry<String, CompletableFuture<ImageDecider.Outcome>> e : byImage.entrySet()) {
        CompletableFuture<ImageDecider.Outcome> f = e.getValue();
        ImageDecider.Outcome o = f.isDone() ? f.join() : null;
        if (o == null) {
          metrics.deadlineExceeded.inc();
          o = new ImageDecider.Failure(e.getKey(), ImageDecider.Failure.Code.DEADLINE,
              "not verified within the " + seconds(deadline) + " deadline", warnOnly(e.getKey()));
        }
        outcomes.put(e.getKey(), o);
      }
      return answer(kind, review, start, outcomes, toVerify, null);
    } catch (RuntimeException e) {
      return internalError(kind, review, start, e);
    }
  }

  private Answer internalError(Kind kind, Review review, long start, RuntimeException e) {
    String m = "sigil could not decide " + review.object() + ": internal error " + e.getClass().getSimpleName()
        + "; denied (fail closed)";
    return encode(kind, review, start, false, m, List.of(), List.of(), List.of(), Map.of(), List.of(m), null);
  }

  /** Whether every policy matching an image (as written) is in warn mode, for a deadline failure. */
  private boolean warnOnly(String image) {
    try {
      String repository = ImageDecider.repository(decider.reference(image));
      PolicyStore.Snapshot s = policies.current();
      List<dev.sigil.policy.ImagePolicy> matching = s.engine().matching(repository);
      return matching.isEmpty()
          ? s.set().noMatch() != dev.sigil.policy.NoMatch.DENY
          : matching.stream().allMatch(p -> p.mode() == dev.sigil.policy.Mode.WARN);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Answer answer(
      Kind kind, Review review, long start, Map<String, ImageDecider.Outcome> outcomes, List<ContainerImage> toVerify,
      String skipped) {
    List<String> denials = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<ImageVerdict> images = new ArrayList<>(outcomes.size());
    for (Map.Entry<String, ImageDecider.Outcome> e : outcomes.entrySet()) {
      String where = where(e.getKey(), toVerify);
      ImageDecider.Outcome o = e.getValue();
      if (o instanceof ImageDecider.Decided d) {
        warnings.addAll(d.decision().warnings());
        String explanation = d.decision().explanation();
        if (!d.decision().allowed()) {
          denials.add(where + ": " + explanation);
        }
        images.add(new ImageVerdict(e.getKey(), where, d.decision().allowed(), explanation));
      } else {
        ImageDecider.Failure f = (ImageDecider.Failure) o;
        String text = f.image() + " could not be verified: " + f.reason();
        if (f.warnOnly()) {
          text += " (allowed: every policy for it is in warn mode)";
          warnings.add(text);
        } else {
          text += "; denied (fail closed)";
          denials.add(where + ": " + text);
        }
        images.add(new ImageVerdict(e.getKey(), where, f.warnOnly(), text));
      }
    }
    boolean allowed = denials.isEmpty();
    String message = allowed ? "" : "sigil denied " + review.object() + ": " + String.join("; ", first(denials));
    warnings = first(warnings);
    List<AdmissionReviews.Replace> patch = List.of();
    if (allowed && kind == Kind.MUTATE) {
      patch = patch(review, outcomes);
    }
    return encode(kind, review, start, allowed, message, warnings, patch, images, outcomes, denials, skipped);
  }

  /** At most {@value #MAX_LISTED} entries, then how many more: a hostile object must not make a huge answer. */
  private static List<String> first(List<String> all) {
    if (all.size() <= MAX_LISTED) {
      return all;
    }
    List<String> out = new ArrayList<>(all.subList(0, MAX_LISTED));
    out.add("and " + (all.size() - MAX_LISTED) + " more");
    return out;
  }

  /** Where an image is used: {@code container "app"}, or several. */
  private static String where(String image, List<ContainerImage> images) {
    List<String> uses = new ArrayList<>();
    for (ContainerImage c : images) {
      if (c.image().equals(image)) {
        uses.add(c.describe());
      }
    }
    return String.join(", ", uses);
  }

  /** Each tag that was resolved and verified, replaced by the digest it was verified at. */
  private static List<AdmissionReviews.Replace> patch(Review review, Map<String, ImageDecider.Outcome> outcomes) {
    List<AdmissionReviews.Replace> ops = new ArrayList<>();
    for (ContainerImage c : review.images()) {
      if (outcomes.get(c.image()) instanceof ImageDecider.Decided d && d.fromTag() && d.decision().allowed()) {
        ops.add(new AdmissionReviews.Replace(c.path(), withoutTag(c.image()) + d.pinned().substring(d.pinned().lastIndexOf('@'))));
      }
    }
    return ops;
  }

  /** The image as written, without its tag: {@code host:5000/a/b:v1} is {@code host:5000/a/b}. */
  static String withoutTag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }

  private Answer encode(
      Kind kind, Review review, long start, boolean allowed, String message, List<String> warnings,
      List<AdmissionReviews.Replace> patch, List<ImageVerdict> images, Map<String, ImageDecider.Outcome> outcomes,
      List<String> denials, String skipped) {
    byte[] body = codec.encode(review.uid(), allowed, message, warnings,
        patch.isEmpty() ? Optional.empty() : Optional.of(codec.patch(patch)));
    double seconds = (System.nanoTime() - start) / 1e9;
    (kind == Kind.VALIDATE ? metrics.validateSeconds : metrics.mutateSeconds).observe(seconds);
    metrics.reviews.labelValues(kind.label, !allowed ? "denied" : warnings.isEmpty() ? "allowed" : "warned").inc();
    audit.write(auditLine(kind, review, allowed, outcomes, denials, warnings, skipped, seconds));
    return new Answer(new Reply(200, JSON, body),
        Optional.of(new Verdict(review.object(), allowed, message, warnings, images, Optional.ofNullable(skipped), patch)));
  }

  private static byte[] auditLine(
      Kind kind, Review review, boolean allowed, Map<String, ImageDecider.Outcome> outcomes, List<String> denials,
      List<String> warnings, String skipped, double seconds) {
    ObjectNode n = AUDIT_JSON.createObjectNode();
    n.put("time", Instant.now().toString());
    n.put("webhook", kind.label);
    n.put("uid", review.uid());
    n.put("user", review.user());
    n.put("operation", review.operation());
    n.put("object", review.object());
    n.put("dryRun", review.dryRun());
    n.put("allowed", allowed);
    ArrayNode images = n.putArray("images");
    for (ImageDecider.Outcome o : outcomes.values()) {
      ObjectNode i = images.addObject();
      i.put("image", o.image());
      if (o instanceof ImageDecider.Decided d) {
        i.put("digest", d.pinned().substring(d.pinned().lastIndexOf('@') + 1));
        i.put("allowed", d.decision().allowed());
        i.put("reason", d.decision().explanation());
      } else {
        ImageDecider.Failure f = (ImageDecider.Failure) o;
        i.put("allowed", f.warnOnly());
        i.put("error", f.code().name());
        i.put("reason", f.reason());
      }
    }
    ArrayNode reasons = n.putArray("reasons");
    denials.forEach(reasons::add);
    if (!warnings.isEmpty()) {
      ArrayNode w = n.putArray("warnings");
      warnings.forEach(w::add);
    }
    if (skipped != null) {
      n.put("skipped", skipped);
    }
    n.put("latencyMs", Math.round(seconds * 1e6) / 1e3);
    return AUDIT_JSON.writeValueAsBytes(n);
  }

  /**
   * Runs the decoding and encoding paths (every workload kind, a denial with a message, an audit line) on synthetic
   * reviews for up to {@code budget}, so the JIT has compiled them before the first real review: on a busy machine a
   * cold JVM otherwise answers its first seconds of reviews several times slower. Nothing is fetched, decided,
   * counted or audited.
   */
  void warmUp(Duration budget) {
    long end = System.nanoTime() + budget.toNanos();
    String[][] kinds = {
      {"", "Pod", ""}, {"apps", "Deployment", "t"}, {"apps", "ReplicaSet", "t"}, {"apps", "StatefulSet", "t"},
      {"apps", "DaemonSet", "t"}, {"batch", "Job", "t"}, {"batch", "CronJob", "j"}};
    byte[][] bodies = new byte[kinds.length][];
    for (int i = 0; i < kinds.length; i++) {
      bodies[i] = synthetic(kinds[i][0], kinds[i][1], kinds[i][2]).getBytes(StandardCharsets.UTF_8);
    }
    for (int n = 0; System.nanoTime() < end; n++) {
      try {
        Review r = codec.decode(bodies[n % bodies.length]);
        for (ContainerImage c : r.imagesToVerify()) {
          dev.sigil.oci.RegistryReference ref = dev.sigil.oci.RegistryReference.parse(c.image());
          policies.current().engine().matching(ref.name());
        }
        codec.encode(r.uid(), n % 2 == 0, "sigil denied " + r.object() + ": warm-up", List.of(), Optional.empty());
        auditLine(Kind.VALIDATE, r, true, Map.of(), List.of(), List.of(), "warm-up", 0);
      } catch (MalformedReviewException | RuntimeException e) {
        return; // a bug in the sample, not a reason to refuse to start
      }
    }
  }

  private static String synthetic(String group, String kind, String template) {
    String spec = "{\"containers\":[{\"name\":\"app\",\"image\":\"warmup.sigil.invalid/app@sha256:"
        + "0".repeat(64) + "\",\"ports\":[{\"containerPort\":8080}]}],\"initContainers\":[{\"name\":\"init\","
        + "\"image\":\"warmup.sigil.invalid/init:v1\"}],\"serviceAccountName\":\"default\"}";
    String podTemplate = "{\"metadata\":{\"labels\":{\"app\":\"w\"}},\"spec\":" + spec + "}";
    String objectSpec = switch (template) {
      case "t" -> "{\"selector\":{\"matchLabels\":{\"app\":\"w\"}},\"template\":" + podTemplate + "}";
      case "j" -> "{\"schedule\":\"* * * * *\",\"jobTemplate\":{\"spec\":{\"template\":" + podTemplate + "}}}";
      default -> spec;
    };
    String gv = "\"group\":\"" + group + "\",\"version\":\"v1\"";
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"warm-up\","
        + "\"kind\":{" + gv + ",\"kind\":\"" + kind + "\"},\"resource\":{" + gv + ",\"resource\":\"x\"},"
        + "\"requestKind\":{" + gv + ",\"kind\":\"" + kind + "\"},\"name\":\"w\",\"namespace\":\"w\","
        + "\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"warm-up\",\"groups\":[\"a\"]},"
        + "\"object\":{\"apiVersion\":\"" + (group.isEmpty() ? "" : group + "/") + "v1\",\"kind\":\"" + kind + "\","
        + "\"metadata\":{\"name\":\"w\",\"namespace\":\"w\",\"labels\":{\"app\":\"w\"}},\"spec\":" + objectSpec
        + "},\"oldObject\":null,\"dryRun\":false,\"options\":{\"apiVersion\":\"meta.k8s.io/v1\","
        + "\"kind\":\"CreateOptions\"}}}";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
