package dev.sigil.admission.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sigil.oci.OciException;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.Credentials;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pull secrets read through a Kubernetes API (a loopback HTTP server answering as the API server does, with the
 * fabric8 client): the pod's secrets first, then its service account's; missing secrets are skipped, a refused read
 * is a credentials error; lookups are cached.
 */
class PullSecretsTest {
  HttpServer api;
  final Map<String, String> objects = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  PullSecrets secrets;

  @BeforeEach
  void start() throws Exception {
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    api.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      requests.add(path);
      String body = objects.get(path);
      int status = body == null ? 404 : body.equals("forbidden") ? 403 : 200;
      if (status != 200) {
        body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status + "}";
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    api.start();
    secrets = PullSecrets.using(new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + api.getAddress().getPort()).withRequestTimeout(5000)
        .withRequestRetryBackoffLimit(0).withNamespace("default").build()).build());
  }

  @AfterEach
  void stop() {
    secrets.close();
    api.stop(0);
  }

  void secret(String ns, String name, String type, String key, String json) {
    objects.put("/api/v1/namespaces/" + ns + "/secrets/" + name,
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
            + "\"},\"type\":\"" + type + "\",\"data\":{\"" + key + "\":\""
            + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "\"}}");
  }

  static String auth(String registry, String user, String password) {
    return "{\"auths\":{\"" + registry + "\":{\"auth\":\""
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}";
  }

  @Test
  void podSecretsFirstThenTheServiceAccountsThenNothing() throws Exception {
    secret("shop", "regcred", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", auth("r1.example", "pod", "p1"));
    secret("shop", "sa-cred", "kubernetes.io/dockercfg", ".dockercfg",
        "{\"r2.example\":{\"auth\":\"" + Base64.getEncoder().encodeToString("sa:p2".getBytes(StandardCharsets.UTF_8)) + "\"}}");
    objects.put("/api/v1/namespaces/shop/serviceaccounts/builder",
        "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\",\"namespace\":\"shop\"},"
            + "\"imagePullSecrets\":[{\"name\":\"sa-cred\"}]}");
    CredentialSource c = secrets.forPod("shop", "builder", List.of("missing", "regcred"));
    assertEquals(Optional.of(new Credentials.Basic("pod", "p1")), c.lookup("r1.example"));
    assertEquals(Optional.of(new Credentials.Basic("sa", "p2")), c.lookup("r2.example"));
    assertEquals(Optional.empty(), c.lookup("r3.example"));
    int before = requests.size();
    c.lookup("r1.example");
    c.lookup("r2.example");
    assertEquals(before, requests.size(), "cached: " + requests);
    // another namespace's secret of the same name is another secret
    assertEquals(Optional.empty(), secrets.forPod("other", "default", List.of("regcred")).lookup("r1.example"));
  }

  @Test
  void aRefusedReadIsACredentialsError() {
    objects.put("/api/v1/namespaces/shop/secrets/locked", "forbidden");
    OciException e = assertThrows(OciException.class,
        () -> secrets.forPod("shop", "default", List.of("locked")).lookup("r1.example"));
    assertEquals(OciException.Reason.CREDENTIALS, e.reason());
    assertTrue(e.getMessage().contains("pull secret shop/locked could not be read: HTTP 403"), e.getMessage());
  }
}
