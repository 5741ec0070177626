package dev.sigil.admission.kube;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sigil.oci.OciException;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.Credentials;
import dev.sigil.oci.registry.DockerConfigCredentials;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from Kubernetes pull secrets, read through the API server with the webhook's own service
 * account (RBAC: get secrets and service accounts): the pod's {@code imagePullSecrets}, then its service account's.
 * Secrets of type {@code kubernetes.io/dockerconfigjson} and {@code kubernetes.io/dockercfg} are read; only their
 * {@code auths} entries count (never a credential helper). Lookups are cached for 30 seconds; nothing read is logged.
 *
 * <p>Thread-safe. Used only when running in a cluster ({@link #inCluster()}).
 */
public final class PullSecrets implements AutoCloseable {
  private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final KubernetesClient client;
  private final Cache<String, Optional<DockerConfigCredentials>> secrets =
      Caffeine.newBuilder().maximumSize(1024).expireAfterWrite(Duration.ofSeconds(30)).build();
  private final Cache<String, List<String>> accounts =
      Caffeine.newBuilder().maximumSize(1024).expireAfterWrite(Duration.ofSeconds(30)).build();

  private PullSecrets(KubernetesClient client) {
    this.client = client;
  }

  /** Whether this process runs in a Kubernetes pod with a service account token. */
  public static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
  }

  /** A client for the cluster this pod runs in (no I/O until the first lookup). */
  public static PullSecrets inClusterClient() {
    Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.autoConfigure(null))
        .withRequestTimeout(5_000)
        .withConnectionTimeout(5_000)
        .withRequestRetryBackoffLimit(1)
        .build();
    return new PullSecrets(new KubernetesClientBuilder().withConfig(config).build());
  }

  /** For tests: a client for any API server. */
  public static PullSecrets using(KubernetesClient client) {
    return new PullSecrets(client);
  }

  /** The pod's credentials: its pull secrets, then its service account's, looked up when a registry asks. */
  public CredentialSource forPod(String namespace, String serviceAccount, List<String> pullSecrets) {
    return registry -> {
      for (String name : pullSecrets) {
        Optional<Credentials> c = lookup(namespace, name, registry);
        if (c.isPresent()) {
          return c;
        }
      }
      for (String name : accountSecrets(namespace, serviceAccount)) {
        Optional<Credentials> c = lookup(namespace, name, registry);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }

  private Optional<Credentials> lookup(String namespace, String name, String registry) throws OciException {
    Optional<DockerConfigCredentials> config;
    try {
      config = secrets.get(namespace + "/" + name, k -> read(namespace, name));
    } catch (KubernetesClientException e) {
      throw new OciException(OciException.Reason.CREDENTIALS,
          "pull secret " + namespace + "/" + name + " could not be read: HTTP " + e.getCode(), true, null);
    }
    return config.isPresent() ? config.get().lookup(registry) : Optional.empty();
  }

  private Optional<DockerConfigCredentials> read(String namespace, String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null || s.getData() == null) {
      return Optional.empty();
    }
    Map<String, String> data = s.getData();
    String origin = "secret " + namespace + "/" + name;
    try {
      if (data.containsKey(".dockerconfigjson")) {
        return Optional.of(DockerConfigCredentials.fromJson(Base64.getDecoder().decode(data.get(".dockerconfigjson")), origin));
      }
      if (data.containsKey(".dockercfg")) {
        String legacy = new String(Base64.getDecoder().decode(data.get(".dockercfg")), StandardCharsets.UTF_8);
        return Optional.of(
            DockerConfigCredentials.fromJson(("{\"auths\":" + legacy + "}").getBytes(StandardCharsets.UTF_8), origin));
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private List<String> accountSecrets(String namespace, String account) throws OciException {
    try {
      return accounts.get(namespace + "/" + account, k -> {
        ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(account).get();
        List<String> out = new ArrayList<>();
        if (sa != null && sa.getImagePullSecrets() != null) {
          for (LocalObjectReference r : sa.getImagePullSecrets()) {
            if (r != null && r.getName() != null) {
              out.add(r.getName());
            }
          }
        }
        return out;
      });
    } catch (KubernetesClientException e) {
      throw new OciException(OciException.Reason.CREDENTIALS,
          "service account " + namespace + "/" + account + " could not be read: HTTP " + e.getCode(), true, null);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
