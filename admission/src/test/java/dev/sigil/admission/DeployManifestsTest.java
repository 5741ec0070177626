package dev.sigil.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.policy.PolicyLoader;
import dev.sigil.policy.PolicySet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every manifest under deploy/ parses with the fabric8 models, and the pieces are wired to each other. */
class DeployManifestsTest {
  static final Path DEPLOY = Path.of("..", "deploy");
  static final List<HasMetadata> ALL = new ArrayList<>();
  static final List<String> FILES = new ArrayList<>();

  @BeforeAll
  static void parse() throws Exception {
    KubernetesSerialization k8s = new KubernetesSerialization();
    try (Stream<Path> s = Files.list(DEPLOY)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (f.getFileName().toString().equals("kustomization.yaml")) {
          continue;
        }
        FILES.add(f.getFileName().toString());
        for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
          if (doc.strip().isEmpty() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
            continue;
          }
          Object o = k8s.unmarshal(doc);
          assertFalse(o instanceof GenericKubernetesResource, f + ": a kind the models do not know: " + doc);
          ALL.add((HasMetadata) o);
        }
      }
    }
  }

  static <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = ALL.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), type.getSimpleName() + ": " + found);
    return found.get(0);
  }

  @Test
  void everyNamespacedObjectIsInTheWebhooksNamespace() {
    String ns = one(Namespace.class).getMetadata().getName();
    assertEquals("sigil-system", ns);
    for (HasMetadata o : ALL) {
      if (!(o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding
          || o instanceof ValidatingWebhookConfiguration || o instanceof MutatingWebhookConfiguration)) {
        assertEquals(ns, o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName());
      }
    }
  }

  @Test
  void kustomizationListsEveryManifest() throws Exception {
    String k = Files.readString(DEPLOY.resolve("kustomization.yaml"));
    for (String f : FILES) {
      if (!f.equals("ca-bundle-patch.yaml")) {
        assertTrue(k.contains("- " + f + "\n"), f + " is missing from kustomization.yaml");
      }
    }
  }

  @Test
  void deploymentIsHardenedProbedAndMounted() {
    Deployment d = one(Deployment.class);
    assertEquals(2, d.getSpec().getReplicas());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertEquals(one(ServiceAccount.class).getMetadata().getName(), pod.getServiceAccountName());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(1, pod.getContainers().size());
    Container c = pod.getContainers().get(0);
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertNotNull(c.getResources().getLimits().get("memory"));
    assertNotNull(c.getResources().getRequests().get("cpu"));
    assertEquals("https", c.getPorts().get(0).getName());
    int port = c.getPorts().get(0).getContainerPort();
    assertTrue(c.getArgs().contains("--port=" + port), c.getArgs().toString());
    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("HTTPS", c.getReadinessProbe().getHttpGet().getScheme());
    assertEquals("https", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
    Map<String, String> mounts = new java.util.HashMap<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      mounts.put(m.getName(), m.getMountPath());
    }
    Map<String, Volume> volumes = new java.util.HashMap<>();
    for (Volume v : pod.getVolumes()) {
      volumes.put(v.getName(), v);
    }
    assertEquals(volumes.keySet(), mounts.keySet());
    assertEquals(one(ConfigMap.class).getMetadata().getName(), volumes.get("policies").getConfigMap().getName());
    assertTrue(c.getArgs().contains("--policies=" + mounts.get("policies")));
    assertEquals("sigil-admission-tls", volumes.get("tls").getSecret().getSecretName());
    assertTrue(c.getArgs().contains("--tls-cert=" + mounts.get("tls") + "/tls.crt"));
    assertTrue(c.getArgs().contains("--tls-key=" + mounts.get("tls") + "/tls.key"));
    // the review deadline stays under the webhooks' timeout
    assertTrue(c.getArgs().contains("--deadline=8s"));
  }

  @Test
  void serviceSelectsThePodsAndTargetsTheirPort() {
    Service s = one(Service.class);
    Deployment d = one(Deployment.class);
    Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()));
    assertEquals(d.getSpec().getSelector().getMatchLabels(), s.getSpec().getSelector());
    ServicePort p = s.getSpec().getPorts().get(0);
    assertEquals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getName(),
        p.getTargetPort().getStrVal());
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
    assertEquals(d.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
    assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < d.getSpec().getReplicas());
  }

  @Test
  void webhooksCallTheServiceFailClosedAndSkipTheirOwnNamespace() {
    Service s = one(Service.class);
    ValidatingWebhook v = one(ValidatingWebhookConfiguration.class).getWebhooks().get(0);
    MutatingWebhook m = one(MutatingWebhookConfiguration.class).getWebhooks().get(0);
    check(v.getClientConfig(), s, "/validate");
    check(m.getClientConfig(), s, "/mutate");
    for (Object[] w : new Object[][] {
        {v.getFailurePolicy(), v.getTimeoutSeconds(), v.getAdmissionReviewVersions(), v.getSideEffects(),
          v.getNamespaceSelector().getMatchExpressions(), v.getRules()},
        {m.getFailurePolicy(), m.getTimeoutSeconds(), m.getAdmissionReviewVersions(), m.getSideEffects(),
          m.getNamespaceSelector().getMatchExpressions(), m.getRules()}}) {
      assertEquals("Fail", w[0]);
      assertEquals(10, w[1]);
      assertEquals(List.of("v1"), w[2]);
      assertEquals("None", w[3]);
      @SuppressWarnings("unchecked")
      List<LabelSelectorRequirement> sel = (List<LabelSelectorRequirement>) w[4];
      assertTrue(sel.stream().anyMatch(r -> r.getKey().equals("kubernetes.io/metadata.name")
          && r.getOperator().equals("NotIn") && r.getValues().contains(s.getMetadata().getNamespace())), sel.toString());
      @SuppressWarnings("unchecked")
      List<RuleWithOperations> rules = (List<RuleWithOperations>) w[5];
      Set<String> resources = new HashSet<>();
      for (RuleWithOperations r : rules) {
        assertEquals(List.of("CREATE", "UPDATE"), r.getOperations());
        assertEquals(List.of("v1"), r.getApiVersions());
        for (String res : r.getResources()) {
          resources.add(r.getApiGroups().get(0) + "/" + res);
        }
      }
      assertTrue(resources.containsAll(Set.of("/pods", "apps/deployments", "apps/replicasets", "apps/statefulsets",
          "apps/daemonsets", "batch/jobs", "batch/cronjobs")), resources.toString());
    }
    assertTrue(v.getRules().stream().anyMatch(r -> r.getResources().contains("pods/ephemeralcontainers")));
  }

  private static void check(WebhookClientConfig c, Service s, String path) {
    assertEquals(s.getMetadata().getName(), c.getService().getName());
    assertEquals(s.getMetadata().getNamespace(), c.getService().getNamespace());
    assertEquals(path, c.getService().getPath());
    assertEquals(s.getSpec().getPorts().get(0).getPort(), c.getService().getPort());
  }

  @Test
  void rbacReadsSecretsAndServiceAccountsOnly() {
    ClusterRole role = one(ClusterRole.class);
    for (PolicyRule r : role.getRules()) {
      assertEquals(List.of(""), r.getApiGroups());
      assertTrue(Set.of("secrets", "serviceaccounts").containsAll(r.getResources()), r.toString());
      assertEquals(List.of("get"), r.getVerbs());
    }
    ClusterRoleBinding b = one(ClusterRoleBinding.class);
    assertEquals(role.getMetadata().getName(), b.getRoleRef().getName());
    ServiceAccount sa = one(ServiceAccount.class);
    assertEquals(sa.getMetadata().getName(), b.getSubjects().get(0).getName());
    assertEquals(sa.getMetadata().getNamespace(), b.getSubjects().get(0).getNamespace());
  }

  @Test
  void thePolicyConfigMapHoldsAValidPolicySet(@TempDir Path dir) throws Exception {
    ConfigMap cm = one(ConfigMap.class);
    for (Map.Entry<String, String> e : cm.getData().entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    PolicySet set = new PolicyLoader().load(List.of(dir));
    assertFalse(set.policies().isEmpty());
  }
}
