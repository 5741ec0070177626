package dev.sigil.admission.kube;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the webhook needs from one AdmissionReview request, decoded and checked. Immutable.
 *
 * @param uid {@code request.uid}, echoed in the response
 * @param kind the object's kind ({@code Pod}, {@code Deployment}, ...), {@code group/version/kind} of {@code request.kind}
 * @param operation {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code CONNECT}
 * @param namespace {@code request.namespace} (empty for cluster-scoped objects)
 * @param name {@code request.name} (empty when the API server generates it)
 * @param subResource {@code request.subResource}, empty when none
 * @param dryRun {@code request.dryRun}: decided the same way, but nothing will run
 * @param user {@code request.userInfo.username}
 * @param images the images of {@code object}, in order (empty for DELETE)
 * @param oldImages the images of {@code oldObject} (UPDATE and DELETE), empty otherwise
 * @param pullSecrets the pod spec's {@code imagePullSecrets} names
 * @param serviceAccount the pod spec's {@code serviceAccountName} ({@code default} when unset)
 */
public record Review(
    String uid,
    WorkloadKind kind,
    String operation,
    String namespace,
    String name,
    Optional<String> subResource,
    boolean dryRun,
    String user,
    List<ContainerImage> images,
    List<ContainerImage> oldImages,
    List<String> pullSecrets,
    String serviceAccount) {
  public Review {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subResource, "subResource");
    Objects.requireNonNull(user, "user");
    images = List.copyOf(images);
    oldImages = List.copyOf(oldImages);
    pullSecrets = List.copyOf(pullSecrets);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
  }

  /** {@code Kind namespace/name}, for messages and the audit log. */
  public String object() {
    return kind.kind() + " " + (namespace.isEmpty() ? "" : namespace + "/") + (name.isEmpty() ? "(generated name)" : name);
  }

  /**
   * The images to verify: every image on CREATE; on UPDATE only images that {@code oldObject} did not have (scaling or
   * relabelling a workload verifies nothing); none on DELETE and CONNECT.
   */
  public List<ContainerImage> imagesToVerify() {
    return switch (operation) {
      case "CREATE" -> images;
      case "UPDATE" -> {
        java.util.Set<String> old = new java.util.HashSet<>();
        for (ContainerImage c : oldImages) {
          old.add(c.image());
        }
        List<ContainerImage> fresh = new java.util.ArrayList<>();
        for (ContainerImage c : images) {
          if (!old.contains(c.image())) {
            fresh.add(c);
          }
        }
        yield fresh;
      }
      default -> List.of();
    };
  }
}
