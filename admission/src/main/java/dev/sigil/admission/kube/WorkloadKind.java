package dev.sigil.admission.kube;

import java.util.Optional;

/**
 * The kinds whose images the webhook checks, with where their pod spec is ({@code /spec} of a Pod,
 * {@code /spec/template/spec} of most controllers, {@code /spec/jobTemplate/spec/template/spec} of a CronJob).
 */
public enum WorkloadKind {
  POD("", "Pod", "/spec"),
  DEPLOYMENT("apps", "Deployment", "/spec/template/spec"),
  REPLICA_SET("apps", "ReplicaSet", "/spec/template/spec"),
  STATEFUL_SET("apps", "StatefulSet", "/spec/template/spec"),
  DAEMON_SET("apps", "DaemonSet", "/spec/template/spec"),
  JOB("batch", "Job", "/spec/template/spec"),
  CRON_JOB("batch", "CronJob", "/spec/jobTemplate/spec/template/spec");

  private final String group;
  private final String kind;
  private final String podSpecPath;

  WorkloadKind(String group, String kind, String podSpecPath) {
    this.group = group;
    this.kind = kind;
    this.podSpecPath = podSpecPath;
  }

  public String group() {
    return group;
  }

  public String kind() {
    return kind;
  }

  /** The JSON pointer of the pod spec in an object of this kind. */
  public String podSpecPath() {
    return podSpecPath;
  }

  /** The kind for {@code group}/{@code kind} (version v1 is checked by the caller), or empty. */
  public static Optional<WorkloadKind> of(String group, String kind) {
    for (WorkloadKind k : values()) {
      if (k.group.equals(group == null ? "" : group) && k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
