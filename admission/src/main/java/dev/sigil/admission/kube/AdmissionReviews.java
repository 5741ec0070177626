package dev.sigil.admission.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * AdmissionReview v1 ({@code admission.k8s.io/v1}) in and out, through the fabric8 Kubernetes models. Decoding checks
 * what the webhook relies on and refuses the rest with a {@link MalformedReviewException} naming the field: the
 * envelope's {@code apiVersion} and {@code kind}, a {@code request} with a {@code uid}, an {@code operation}, a
 * {@code kind} this webhook handles, and an {@code object} (and {@code oldObject}) that reads as that kind. Unknown
 * fields are ignored, as Kubernetes adds fields over time. Nothing a parser throws escapes {@link #decode}.
 *
 * <p>Thread-safe; the mapper is built once.
 */
public final class AdmissionReviews {
  public static final String API_VERSION = "admission.k8s.io/v1";
  private static final int MAX_MESSAGE = 300;

  private final JsonMapper mapper =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /**
   * Decodes a request body.
   *
   * @throws MalformedReviewException with a one-line reason for the HTTP 400 answer
   */
  public Review decode(byte[] body) throws MalformedReviewException {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw new MalformedReviewException("not JSON: " + describe(e));
    }
    if (root == null || !root.isObject()) {
      throw new MalformedReviewException("expected a JSON object (an AdmissionReview), found " + kindOf(root));
    }
    expect(root, "apiVersion", API_VERSION);
    expect(root, "kind", "AdmissionReview");
    JsonNode req = root.path("request");
    if (!req.isObject()) {
      throw new MalformedReviewException("request: expected an object, found " + kindOf(req));
    }
    JsonNode object = ((ObjectNode) req).remove("object");
    JsonNode oldObject = ((ObjectNode) req).remove("oldObject");
    AdmissionRequest r;
    try {
      r = mapper.treeToValue(req, AdmissionRequest.class);
    } catch (JacksonException e) {
      throw new MalformedReviewException("request: " + describe(e));
    }
    if (r.getUid() == null || r.getUid().isBlank()) {
      throw new MalformedReviewException("request.uid: expected the request's UID, found none");
    }
    String op = r.getOperation();
    if (op == null || !List.of("CREATE", "UPDATE", "DELETE", "CONNECT").contains(op)) {
      throw new MalformedReviewException(
          "request.operation: expected CREATE, UPDATE, DELETE or CONNECT, found " + clip(String.valueOf(op)));
    }
    GroupVersionKind gvk = r.getKind();
    if (gvk == null || gvk.getKind() == null) {
      throw new MalformedReviewException("request.kind: expected {group, version, kind}, found none");
    }
    Optional<WorkloadKind> kind = WorkloadKind.of(gvk.getGroup(), gvk.getKind());
    if (kind.isEmpty() || !"v1".equals(gvk.getVersion())) {
      throw new MalformedReviewException(
          "request.kind: expected a v1 Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob, found "
              + clip(gvk.getGroup() + "/" + gvk.getVersion() + " " + gvk.getKind()));
    }
    boolean needsObject = op.equals("CREATE") || op.equals("UPDATE");
    if (needsObject && (object == null || !object.isObject())) {
      throw new MalformedReviewException("request.object: expected the " + gvk.getKind() + " for " + op + ", found "
          + kindOf(object));
    }
    PodSpec spec = needsObject ? podSpec(kind.get(), object, "request.object") : null;
    PodSpec oldSpec =
        oldObject != null && oldObject.isObject() ? podSpec(kind.get(), oldObject, "request.oldObject") : null;
    String user = r.getUserInfo() != null && r.getUserInfo().getUsername() != null ? r.getUserInfo().getUsername() : "";
    PodSpec credentialsFrom = spec != null ? spec : oldSpec;
    List<String> secrets = new ArrayList<>();
    String serviceAccount = "default";
    if (credentialsFrom != null) {
      if (credentialsFrom.getImagePullSecrets() != null) {
        for (LocalObjectReference ref : credentialsFrom.getImagePullSecrets()) {
          if (ref != null && ref.getName() != null && !ref.getName().isEmpty()) {
            secrets.add(ref.getName());
          }
        }
      }
      if (credentialsFrom.getServiceAccountName() != null && !credentialsFrom.getServiceAccountName().isEmpty()) {
        serviceAccount = credentialsFrom.getServiceAccountName();
      }
    }
    String sub = r.getSubResource();
    return new Review(
        r.getUid(),
        kind.get(),
        op,
        r.getNamespace() == null ? "" : r.getNamespace(),
        r.getName() == null ? "" : r.getName(),
        sub == null || sub.isEmpty() ? Optional.empty() : Optional.of(sub),
        Boolean.TRUE.equals(r.getDryRun()),
        user,
        spec == null ? List.of() : images(spec, kind.get().podSpecPath()),
        oldSpec == null ? List.of() : images(oldSpec, kind.get().podSpecPath()),
        secrets,
        serviceAccount);
  }

  /** The pod spec of an object of this kind (a missing spec reads as an empty one). */
  private PodSpec podSpec(WorkloadKind kind, JsonNode object, String field) throws MalformedReviewException {
    try {
      PodSpec spec =
          switch (kind) {
            case POD -> mapper.treeToValue(object, Pod.class).getSpec();
            case DEPLOYMENT -> {
              Deployment o = mapper.treeToValue(object, Deployment.class);
              yield o.getSpec() == null ? null : template(o.getSpec().getTemplate());
            }
            case REPLICA_SET -> {
              ReplicaSet o = mapper.treeToValue(object, ReplicaSet.class);
              yield o.getSpec() == null ? null : template(o.getSpec().getTemplate());
            }
            case STATEFUL_SET -> {
              StatefulSet o = mapper.treeToValue(object, StatefulSet.class);
              yield o.getSpec() == null ? null : template(o.getSpec().getTemplate());
            }
            case DAEMON_SET -> {
              DaemonSet o = mapper.treeToValue(object, DaemonSet.class);
              yield o.getSpec() == null ? null : template(o.getSpec().getTemplate());
            }
            case JOB -> {
              Job o = mapper.treeToValue(object, Job.class);
              yield o.getSpec() == null ? null : template(o.getSpec().getTemplate());
            }
            case CRON_JOB -> {
              CronJob o = mapper.treeToValue(object, CronJob.class);
              JobTemplateSpec jt = o.getSpec() == null ? null : o.getSpec().getJobTemplate();
              yield jt == null || jt.getSpec() == null ? null : template(jt.getSpec().getTemplate());
            }
          };
      return spec == null ? new PodSpec() : spec;
    } catch (JacksonException e) {
      throw new MalformedReviewException(field + ": not a valid " + kind.kind() + ": " + describe(e));
    }
  }

  private static PodSpec template(PodTemplateSpec t) {
    return t == null ? null : t.getSpec();
  }

  /** Every image of a pod spec, with the JSON pointer of its field under {@code base}. */
  static List<ContainerImage> images(PodSpec spec, String base) {
    List<ContainerImage> out = new ArrayList<>();
    List<Container> init = spec.getInitContainers();
    for (int i = 0; init != null && i < init.size(); i++) {
      add(out, "initContainer", init.get(i) == null ? null : init.get(i).getName(),
          init.get(i) == null ? null : init.get(i).getImage(), base + "/initContainers/" + i + "/image");
    }
    List<Container> cs = spec.getContainers();
    for (int i = 0; cs != null && i < cs.size(); i++) {
      add(out, "container", cs.get(i) == null ? null : cs.get(i).getName(),
          cs.get(i) == null ? null : cs.get(i).getImage(), base + "/containers/" + i + "/image");
    }
    List<EphemeralContainer> eph = spec.getEphemeralContainers();
    for (int i = 0; eph != null && i < eph.size(); i++) {
      add(out, "ephemeralContainer", eph.get(i) == null ? null : eph.get(i).getName(),
          eph.get(i) == null ? null : eph.get(i).getImage(), base + "/ephemeralContainers/" + i + "/image");
    }
    return out;
  }

  private static void add(List<ContainerImage> out, String role, String name, String image, String path) {
    // A template may leave the image unset for a controller to fill in; the pod it makes is checked then.
    if (image != null && !image.isEmpty()) {
      out.add(new ContainerImage(role, name == null ? "" : name, image, path));
    }
  }

  private static void expect(JsonNode root, String field, String value) throws MalformedReviewException {
    JsonNode n = root.path(field);
    if (!n.isString() || !n.stringValue().equals(value)) {
      throw new MalformedReviewException(field + ": expected \"" + value + "\", found "
          + (n.isString() ? "\"" + clip(n.stringValue()) + "\"" : kindOf(n)));
    }
  }

  private static String kindOf(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String describe(JacksonException e) {
    String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    String path = e.getPathReference();
    StringBuilder sb = new StringBuilder(clip(msg.replace('\n', ' ')));
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      sb.append(" (line ").append(e.getLocation().getLineNr()).append(", column ").append(e.getLocation().getColumnNr())
          .append(')');
    }
    if (path != null && !path.isEmpty() && !msg.contains(path)) {
      sb.append(" at ").append(clip(path));
    }
    return sb.toString();
  }

  static String clip(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }

  /**
   * An AdmissionReview v1 response.
   *
   * @param message the denial's {@code status.message} (ignored when allowed)
   * @param patch a JSONPatch document (UTF-8 JSON), sent base64 with {@code patchType: JSONPatch}, or empty
   */
  public byte[] encode(String uid, boolean allowed, String message, List<String> warnings, Optional<byte[]> patch) {
    AdmissionResponse resp = new AdmissionResponse();
    resp.setUid(uid);
    resp.setAllowed(allowed);
    if (!allowed) {
      Status s = new Status();
      s.setCode(403);
      s.setReason("Forbidden");
      s.setMessage(message);
      resp.setStatus(s);
    }
    if (!warnings.isEmpty()) {
      resp.setWarnings(warnings);
    }
    if (patch.isPresent()) {
      resp.setPatchType("JSONPatch");
      resp.setPatch(Base64.getEncoder().encodeToString(patch.get()));
    }
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion(API_VERSION);
    review.setKind("AdmissionReview");
    review.setResponse(resp);
    return mapper.writeValueAsBytes(review);
  }

  /**
   * A minimal CREATE request, shaped as kube-apiserver sends it, for a new object of {@code kind} in {@code namespace}
   * with one container per image (for trying policies without a cluster). Containers are named as
   * {@code kubectl create deployment} names them: after the image's last path segment without tag or digest, made a
   * DNS label, with {@code -2}, {@code -3} for repeats; the object is named after its first container. The request
   * and object UIDs are random, as the API server's are.
   *
   * @param user {@code request.userInfo.username}
   */
  public byte[] createRequest(WorkloadKind kind, String namespace, List<String> images, String user) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("expected at least one image");
    }
    List<Container> containers = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String image : images) {
      String base = containerName(image);
      String name = base;
      for (int n = 2; !names.add(name); n++) {
        name = base + "-" + n;
      }
      containers.add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName(name).withImage(image).build());
    }
    String name = containers.get(0).getName();
    boolean job = kind == WorkloadKind.JOB || kind == WorkloadKind.CRON_JOB;
    PodSpec spec = new io.fabric8.kubernetes.api.model.PodSpecBuilder().withContainers(containers)
        .withRestartPolicy(job ? "Never" : "Always").build();
    io.fabric8.kubernetes.api.model.ObjectMeta meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(name).withNamespace(namespace).withUid(java.util.UUID.randomUUID().toString())
        .addToLabels("app", name).build();
    PodTemplateSpec template = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", name).endMetadata().withSpec(spec).build();
    io.fabric8.kubernetes.api.model.LabelSelector selector =
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("app", name).build();
    io.fabric8.kubernetes.api.model.HasMetadata object = switch (kind) {
      case POD -> new io.fabric8.kubernetes.api.model.PodBuilder().withMetadata(meta).withSpec(spec).build();
      case DEPLOYMENT -> new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withMetadata(meta)
          .withNewSpec().withReplicas(1).withSelector(selector).withTemplate(template).endSpec().build();
      case REPLICA_SET -> new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withMetadata(meta)
          .withNewSpec().withReplicas(1).withSelector(selector).withTemplate(template).endSpec().build();
      case STATEFUL_SET -> new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withMetadata(meta)
          .withNewSpec().withServiceName(name).withSelector(selector).withTemplate(template).endSpec().build();
      case DAEMON_SET -> new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withMetadata(meta)
          .withNewSpec().withSelector(selector).withTemplate(template).endSpec().build();
      case JOB -> new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder().withMetadata(meta)
          .withNewSpec().withTemplate(template).endSpec().build();
      case CRON_JOB -> new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder().withMetadata(meta)
          .withNewSpec().withSchedule("0 * * * *").withNewJobTemplate().withNewSpec().withTemplate(template)
          .endSpec().endJobTemplate().endSpec().build();
    };
    String resource = switch (kind) {
      case POD -> "pods";
      case DEPLOYMENT -> "deployments";
      case REPLICA_SET -> "replicasets";
      case STATEFUL_SET -> "statefulsets";
      case DAEMON_SET -> "daemonsets";
      case JOB -> "jobs";
      case CRON_JOB -> "cronjobs";
    };
    GroupVersionKind gvk = new io.fabric8.kubernetes.api.model.GroupVersionKindBuilder()
        .withGroup(kind.group()).withVersion("v1").withKind(kind.kind()).build();
    io.fabric8.kubernetes.api.model.GroupVersionResource gvr =
        new io.fabric8.kubernetes.api.model.GroupVersionResourceBuilder()
            .withGroup(kind.group()).withVersion("v1").withResource(resource).build();
    AdmissionRequest request = new io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder()
        .withUid(java.util.UUID.randomUUID().toString())
        .withKind(gvk).withResource(gvr).withRequestKind(gvk).withRequestResource(gvr)
        .withName(name).withNamespace(namespace).withOperation("CREATE")
        .withNewUserInfo().withUsername(user).endUserInfo()
        .withObject(object).withDryRun(false)
        .withOptions(new io.fabric8.kubernetes.api.model.CreateOptions())
        .build();
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion(API_VERSION);
    review.setKind("AdmissionReview");
    review.setRequest(request);
    return mapper.writeValueAsBytes(review);
  }

  /** A container's name for an image, as kubectl gives it: {@code reg:5000/acme/api:v1} is {@code api}. */
  static String containerName(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    int at = last.indexOf('@');
    last = at >= 0 ? last.substring(0, at) : last;
    int colon = last.indexOf(':');
    last = colon >= 0 ? last.substring(0, colon) : last;
    StringBuilder sb = new StringBuilder();
    for (char c : last.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
    }
    String name = sb.toString().replaceAll("^-+|-+$", "");
    name = name.length() > 50 ? name.substring(0, 50).replaceAll("-+$", "") : name;
    return name.isEmpty() ? "app" : name;
  }

  /** One JSONPatch {@code replace} operation. */
  public record Replace(String path, String value) {}

  /** A JSONPatch of {@code replace} operations, as UTF-8 JSON. */
  public byte[] patch(List<Replace> replacements) {
    tools.jackson.databind.node.ArrayNode ops = mapper.createArrayNode();
    for (Replace r : replacements) {
      ops.addObject().put("op", "replace").put("path", r.path()).put("value", r.value());
    }
    return mapper.writeValueAsString(ops).getBytes(StandardCharsets.UTF_8);
  }
}
