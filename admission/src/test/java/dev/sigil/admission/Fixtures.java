package dev.sigil.admission;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Test fixtures: serving certificates, AdmissionReview documents as the API server sends them, an HTTPS client. */
public final class Fixtures {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Fixtures() {}

  /** A self-signed serving certificate for localhost and 127.0.0.1. */
  record Tls(Path cert, Path key, X509Certificate certificate) {}

  /** Writes a self-signed certificate and its key: EC P-256 (PKCS#8 PEM) or RSA 2048 (PKCS#1 PEM). */
  static Tls tls(Path dir, String name, boolean rsa) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
    if (rsa) {
      g.initialize(2048);
    } else {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    }
    KeyPair kp = g.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))), subject,
        kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
      new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(kp.getPrivate())));
    Path c = dir.resolve(name + ".crt");
    Path k = dir.resolve(name + ".key");
    Files.writeString(c, pem("CERTIFICATE", cert.getEncoded()));
    if (rsa) {
      byte[] pkcs1 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded())
          .parsePrivateKey().toASN1Primitive().getEncoded();
      Files.writeString(k, pem("RSA PRIVATE KEY", pkcs1));
    } else {
      Files.writeString(k, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }
    return new Tls(c, k, cert);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** An HTTPS client that trusts exactly this certificate. */
  static HttpClient client(X509Certificate trusted, HttpClient.Version version, String... protocols) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("server", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    SSLParameters params = ctx.getDefaultSSLParameters();
    if (protocols.length > 0) {
      params.setProtocols(protocols);
    }
    return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).version(version)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  static HttpResponse<String> post(HttpClient c, int port, String path, String body) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(HttpClient c, int port, String path) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Group, version, resource of each kind, as the API server names them. */
  static String[] gvr(String kind) {
    return switch (kind) {
      case "Pod" -> new String[] {"", "v1", "pods"};
      case "Deployment" -> new String[] {"apps", "v1", "deployments"};
      case "ReplicaSet" -> new String[] {"apps", "v1", "replicasets"};
      case "StatefulSet" -> new String[] {"apps", "v1", "statefulsets"};
      case "DaemonSet" -> new String[] {"apps", "v1", "daemonsets"};
      case "Job" -> new String[] {"batch", "v1", "jobs"};
      case "CronJob" -> new String[] {"batch", "v1", "cronjobs"};
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** A review's options. */
  public static final class Review {
    String kind = "Pod";
    String operation = "CREATE";
    String namespace = "shop";
    List<String> images = List.of();
    List<String> init = List.of();
    List<String> ephemeral = List.of();
    List<String> oldImages;
    boolean dryRun;
    String subResource;
    String uid = UUID.randomUUID().toString();

    public Review kind(String k) {
      this.kind = k;
      return this;
    }

    public Review op(String op) {
      this.operation = op;
      return this;
    }

    public Review ns(String ns) {
      this.namespace = ns;
      return this;
    }

    public Review images(String... i) {
      this.images = List.of(i);
      return this;
    }

    public Review init(String... i) {
      this.init = List.of(i);
      return this;
    }

    public Review ephemeral(String... i) {
      this.ephemeral = List.of(i);
      return this;
    }

    public Review old(String... i) {
      this.oldImages = List.of(i);
      return this;
    }

    public Review dryRun() {
      this.dryRun = true;
      return this;
    }

    public Review subResource(String s) {
      this.subResource = s;
      return this;
    }

    /** The AdmissionReview v1 request, shaped as kube-apiserver sends it. */
    public String json() {
      String[] g = gvr(kind);
      ObjectNode root = JSON.createObjectNode();
      root.put("apiVersion", "admission.k8s.io/v1");
      root.put("kind", "AdmissionReview");
      ObjectNode r = root.putObject("request");
      r.put("uid", uid);
      r.putObject("kind").put("group", g[0]).put("version", g[1]).put("kind", kind);
      r.putObject("resource").put("group", g[0]).put("version", g[1]).put("resource", g[2]);
      if (subResource != null) {
        r.put("subResource", subResource);
      }
      r.putObject("requestKind").put("group", g[0]).put("version", g[1]).put("kind", kind);
      r.putObject("requestResource").put("group", g[0]).put("version", g[1]).put("resource", g[2]);
      if (subResource != null) {
        r.put("requestSubResource", subResource);
      }
      r.put("name", "web");
      r.put("namespace", namespace);
      r.put("operation", operation);
      ObjectNode user = r.putObject("userInfo");
      user.put("username", "system:serviceaccount:ci:deployer");
      user.put("uid", UUID.randomUUID().toString());
      user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:ci").add("system:authenticated");
      if (operation.equals("DELETE")) {
        r.putNull("object");
        r.set("oldObject", object(images, init, ephemeral));
      } else {
        r.set("object", object(images, init, ephemeral));
        if (oldImages != null) {
          r.set("oldObject", object(oldImages, init, ephemeral));
        } else {
          r.putNull("oldObject");
        }
      }
      r.put("dryRun", dryRun);
      ObjectNode o = r.putObject("options");
      o.put("apiVersion", "meta.k8s.io/v1");
      o.put("kind", switch (operation) {
        case "CREATE" -> "CreateOptions";
        case "UPDATE" -> "UpdateOptions";
        default -> "DeleteOptions";
      });
      o.put("fieldManager", "kubectl-client-side-apply");
      return JSON.writeValueAsString(root);
    }

    private ObjectNode object(List<String> containers, List<String> inits, List<String> eph) {
      String[] g = gvr(kind);
      ObjectNode podSpec = JSON.createObjectNode();
      ArrayNode cs = podSpec.putArray("containers");
      for (int i = 0; i < containers.size(); i++) {
        ObjectNode c = cs.addObject().put("name", "app" + (i == 0 ? "" : i)).put("image", containers.get(i));
        c.putArray("ports").addObject().put("containerPort", 8080);
        c.putObject("resources").putObject("limits").put("cpu", "500m");
      }
      if (!inits.isEmpty()) {
        ArrayNode is = podSpec.putArray("initContainers");
        for (int i = 0; i < inits.size(); i++) {
          is.addObject().put("name", "init" + (i == 0 ? "" : i)).put("image", inits.get(i))
              .putArray("command").add("sh").add("-c").add("true");
        }
      }
      if (!eph.isEmpty()) {
        ArrayNode es = podSpec.putArray("ephemeralContainers");
        for (int i = 0; i < eph.size(); i++) {
          es.addObject().put("name", "debug" + (i == 0 ? "" : i)).put("image", eph.get(i)).put("targetContainerName", "app");
        }
      }
      podSpec.put("serviceAccountName", "default");
      podSpec.put("restartPolicy", kind.equals("Job") || kind.equals("CronJob") ? "Never" : "Always");
      ObjectNode obj = JSON.createObjectNode();
      obj.put("apiVersion", g[0].isEmpty() ? g[1] : g[0] + "/" + g[1]);
      obj.put("kind", kind);
      ObjectNode meta = obj.putObject("metadata");
      meta.put("name", "web").put("namespace", namespace).put("uid", UUID.randomUUID().toString());
      meta.putObject("labels").put("app", "web");
      ObjectNode template = JSON.createObjectNode();
      template.putObject("metadata").putObject("labels").put("app", "web");
      template.set("spec", podSpec);
      ObjectNode selector = JSON.createObjectNode();
      selector.putObject("matchLabels").put("app", "web");
      ObjectNode spec = switch (kind) {
        case "Pod" -> podSpec;
        case "Deployment", "ReplicaSet" -> {
          ObjectNode s = JSON.createObjectNode().put("replicas", 2);
          s.set("selector", selector);
          s.set("template", template);
          yield s;
        }
        case "StatefulSet" -> {
          ObjectNode s = JSON.createObjectNode().put("serviceName", "web");
          s.set("selector", selector);
          s.set("template", template);
          yield s;
        }
        case "DaemonSet" -> {
          ObjectNode s = JSON.createObjectNode();
          s.set("selector", selector);
          s.set("template", template);
          yield s;
        }
        case "Job" -> {
          ObjectNode s = JSON.createObjectNode();
          s.putObject("template").set("spec", podSpec);
          yield s;
        }
        case "CronJob" -> {
          ObjectNode s = JSON.createObjectNode().put("schedule", "*/5 * * * *");
          s.putObject("jobTemplate").putObject("spec").putObject("template").set("spec", podSpec);
          yield s;
        }
        default -> throw new IllegalArgumentException(kind);
      };
      obj.set("spec", spec);
      return obj;
    }
  }

  public static Review review() {
    return new Review();
  }
}
