package dev.sigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory registry (the parts of the OCI distribution API that clients use: manifests, blobs, monolithic
 * uploads, tags, and optionally the referrers API) on 127.0.0.1 with injectable faults, for tests of what a real
 * registry will not do on demand: answer 500 or 429 then recover, ask for Bearer or Basic credentials, never answer, or
 * serve other bytes than a digest names. Real HTTP (the JDK's server); not a conformance reference.
 */
public final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A stored manifest. */
  private record Stored(byte[] bytes, String contentType) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Stored> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> tags = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile int failStatus;
  private volatile String retryAfter;
  private volatile boolean referrersApi;
  private volatile boolean hang;
  private volatile boolean corruptManifests;
  private volatile String blobRedirect;
  private volatile String bearerUser;
  private volatile String bearerPassword;
  private volatile String refreshToken;
  private volatile boolean bearer;
  private volatile String basicUser;
  private volatile String basicPassword;
  private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();

  private FakeRegistry(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static FakeRegistry start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    ExecutorService ex = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-registry");
      t.setDaemon(true);
      return t;
    });
    FakeRegistry f = new FakeRegistry(s, ex);
    s.createContext("/", f::handle);
    s.setExecutor(ex);
    s.start();
    return f;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} registry requests (not token requests) answer {@code status}, then service resumes. */
  public FakeRegistry failNext(int count, int status, String retryAfterHeader) {
    this.failStatus = status;
    this.retryAfter = retryAfterHeader;
    this.failuresLeft.set(count);
    return this;
  }

  /** Serve {@code GET /v2/<name>/referrers/<digest>} and answer manifest pushes with {@code OCI-Subject}. */
  public FakeRegistry withReferrersApi(boolean on) {
    this.referrersApi = on;
    return this;
  }

  /** Require a Bearer token from {@code /token}, which wants Basic {@code user:password} (null user: anonymous). */
  public FakeRegistry requireBearer(String user, String password) {
    this.bearer = true;
    this.bearerUser = user;
    this.bearerPassword = password;
    return this;
  }

  /** Let {@code /token} also accept an OAuth2 refresh-token grant (POST form) with this token. */
  public FakeRegistry acceptRefreshToken(String token) {
    this.refreshToken = token;
    return this;
  }

  /** Require Basic {@code user:password} on every registry request. */
  public FakeRegistry requireBasic(String user, String password) {
    this.basicUser = user;
    this.basicPassword = password;
    return this;
  }

  /** Accept connections but never answer (until {@link #close}). */
  public FakeRegistry hang(boolean on) {
    this.hang = on;
    return this;
  }

  /** Serve every manifest with a byte appended (its {@code Docker-Content-Digest} still names the stored bytes). */
  public FakeRegistry corruptManifests(boolean on) {
    this.corruptManifests = on;
    return this;
  }

  /** Answer blob GETs with 307 to {@code baseUrl + path} (as registries backed by object storage do). */
  public FakeRegistry redirectBlobsTo(String baseUrl) {
    this.blobRedirect = baseUrl;
    return this;
  }

  /** Stores a blob directly; returns its {@code sha256:} digest. */
  public String putBlob(byte[] content) {
    String d = sha256(content);
    blobs.put(d, content.clone());
    return d;
  }

  /** Stores a manifest directly under its digest (and {@code tag} when not null); returns its digest. */
  public String putManifest(String repo, byte[] bytes, String contentType, String tag) {
    String d = sha256(bytes);
    manifests.put(repo + "@" + d, new Stored(bytes.clone(), contentType));
    if (tag != null) {
      tags.put(repo + ":" + tag, d);
    }
    return d;
  }

  /** Removes a blob (to test missing layers). */
  public void deleteBlob(String digest) {
    blobs.remove(digest);
  }

  /** "METHOD path" of every request received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The scheme ("Basic", "Bearer") of each Authorization header received; values are not kept. */
  public List<String> authorizationSchemes() {
    return List.copyOf(authorizationsSeen);
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      requests.add(method + " " + path + (query == null ? "" : "?" + query));
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizationsSeen.add(auth.split(" ", 2)[0]);
      }
      byte[] body = ex.getRequestBody().readNBytes(8 << 20);
      if (hang) {
        try {
          released.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (path.equals("/token")) {
        if (method.equals("POST") && refreshToken != null) {
          String form = new String(body, StandardCharsets.UTF_8);
          if (form.contains("grant_type=refresh_token") && form.contains("refresh_token=" + refreshToken)) {
            String t = UUID.randomUUID().toString();
            tokens.put(t, Boolean.TRUE);
            send(ex, 200, "application/json", ("{\"access_token\":\"" + t + "\"}").getBytes(StandardCharsets.UTF_8));
          } else {
            error(ex, 401, "UNAUTHORIZED", "bad refresh token");
          }
          return;
        }
        token(ex);
        return;
      }
      if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        if (retryAfter != null) {
          ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        error(ex, failStatus, "UNAVAILABLE", "injected failure");
        return;
      }
      if (!authorized(ex, path, method)) {
        return;
      }
      route(ex, method, path, query, body);
    }
  }

  private boolean authorized(HttpExchange ex, String path, String method) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (basicUser != null) {
      String want = "Basic " + Base64.getEncoder().encodeToString(
          (basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8));
      if (!want.equals(auth)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
        error(ex, 401, "UNAUTHORIZED", "authentication required");
        return false;
      }
      return true;
    }
    if (bearer) {
      String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
      if (token == null || !tokens.containsKey(token)) {
        String name = repoOf(path);
        String action = method.equals("GET") || method.equals("HEAD") ? "pull" : "pull,push";
        ex.getResponseHeaders().set("WWW-Authenticate",
            "Bearer realm=\"http://" + address() + "/token\",service=\"fake-registry\""
                + (name == null ? "" : ",scope=\"repository:" + name + ":" + action + "\""));
        error(ex, 401, "UNAUTHORIZED", "authentication required");
        return false;
      }
    }
    return true;
  }

  private void token(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (bearerUser != null) {
      String want = "Basic " + Base64.getEncoder().encodeToString(
          (bearerUser + ":" + bearerPassword).getBytes(StandardCharsets.UTF_8));
      if (!want.equals(auth)) {
        error(ex, 401, "UNAUTHORIZED", "bad credentials");
        return;
      }
    }
    String t = UUID.randomUUID().toString();
    tokens.put(t, Boolean.TRUE);
    send(ex, 200, "application/json", ("{\"token\":\"" + t + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
  }

  private void route(HttpExchange ex, String method, String path, String query, byte[] body) throws IOException {
    if (path.equals("/v2/") || path.equals("/v2")) {
      send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String repo = repoOf(path);
    if (repo == null) {
      error(ex, 404, "NAME_UNKNOWN", "unknown path");
      return;
    }
    String rest = path.substring(("/v2/" + repo).length());
    if (rest.startsWith("/manifests/")) {
      manifest(ex, method, repo, rest.substring("/manifests/".length()), body);
    } else if (rest.startsWith("/blobs/uploads/")) {
      upload(ex, method, repo, rest.substring("/blobs/uploads/".length()), query, body);
    } else if (rest.startsWith("/blobs/")) {
      blob(ex, method, rest.substring("/blobs/".length()));
    } else if (rest.equals("/tags/list")) {
      List<String> list = new ArrayList<>();
      tags.keySet().stream().filter(k -> k.startsWith(repo + ":")).sorted().forEach(k -> list.add(k.substring(repo.length() + 1)));
      ObjectNode o = JSON.createObjectNode().put("name", repo);
      ArrayNode a = o.putArray("tags");
      list.forEach(a::add);
      send(ex, 200, "application/json", JSON.writeValueAsBytes(o));
    } else if (rest.startsWith("/referrers/") && referrersApi) {
      referrers(ex, repo, rest.substring("/referrers/".length()), query);
    } else {
      ex.sendResponseHeaders(404, -1);
    }
  }

  private void manifest(HttpExchange ex, String method, String repo, String ref, byte[] body) throws IOException {
    if (method.equals("PUT")) {
      String d = sha256(body);
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      manifests.put(repo + "@" + d, new Stored(body, type));
      if (!ref.startsWith("sha256:")) {
        tags.put(repo + ":" + ref, d);
      } else if (!ref.equals(d)) {
        error(ex, 400, "DIGEST_INVALID", "digest mismatch");
        return;
      }
      ex.getResponseHeaders().set("Docker-Content-Digest", d);
      ex.getResponseHeaders().set("Location", "/v2/" + repo + "/manifests/" + d);
      if (referrersApi) {
        JsonNode subject = JSON.readTree(body).get("subject");
        if (subject != null && subject.has("digest")) {
          ex.getResponseHeaders().set("OCI-Subject", subject.get("digest").asText());
        }
      }
      ex.sendResponseHeaders(201, -1);
      return;
    }
    String d = ref.startsWith("sha256:") ? ref : tags.get(repo + ":" + ref);
    Stored s = d == null ? null : manifests.get(repo + "@" + d);
    if (s == null) {
      error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
      return;
    }
    byte[] bytes = s.bytes();
    if (corruptManifests) {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      bytes[bytes.length - 1] = ' ';
    }
    ex.getResponseHeaders().set("Docker-Content-Digest", d);
    if (method.equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Type", s.contentType());
      ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    send(ex, 200, s.contentType(), bytes);
  }

  private void blob(HttpExchange ex, String method, String digest) throws IOException {
    if (blobRedirect != null && method.equals("GET")) {
      ex.getResponseHeaders().set("Location", blobRedirect + ex.getRequestURI().getRawPath());
      ex.sendResponseHeaders(307, -1);
      return;
    }
    byte[] b = blobs.get(digest);
    if (b == null) {
      error(ex, 404, "BLOB_UNKNOWN", "blob unknown");
      return;
    }
    ex.getResponseHeaders().set("Docker-Content-Digest", digest);
    if (method.equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(b.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    send(ex, 200, "application/octet-stream", b);
  }

  private void upload(HttpExchange ex, String method, String repo, String id, String query, byte[] body)
      throws IOException {
    if (method.equals("POST")) {
      ex.getResponseHeaders().set("Location", "/v2/" + repo + "/blobs/uploads/" + UUID.randomUUID());
      ex.sendResponseHeaders(202, -1);
      return;
    }
    String digest = null;
    if (query != null) {
      for (String p : query.split("&")) {
        if (p.startsWith("digest=")) {
          digest = java.net.URLDecoder.decode(p.substring(7), StandardCharsets.UTF_8);
        }
      }
    }
    if (!method.equals("PUT") || digest == null || !digest.equals(sha256(body))) {
      error(ex, 400, "DIGEST_INVALID", "digest missing or wrong");
      return;
    }
    blobs.put(digest, body);
    ex.getResponseHeaders().set("Docker-Content-Digest", digest);
    ex.sendResponseHeaders(201, -1);
  }

  private void referrers(HttpExchange ex, String repo, String digest, String query) throws IOException {
    String filter = null;
    if (query != null && query.startsWith("artifactType=")) {
      filter = java.net.URLDecoder.decode(query.substring("artifactType=".length()), StandardCharsets.UTF_8);
    }
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode list = index.putArray("manifests");
    for (Map.Entry<String, Stored> e : manifests.entrySet()) {
      if (!e.getKey().startsWith(repo + "@")) {
        continue;
      }
      JsonNode m = JSON.readTree(e.getValue().bytes());
      JsonNode subject = m.get("subject");
      if (subject == null || !digest.equals(subject.path("digest").asText())) {
        continue;
      }
      String type = m.has("artifactType") ? m.get("artifactType").asText() : m.path("config").path("mediaType").asText();
      if (filter != null && !filter.equals(type)) {
        continue;
      }
      ObjectNode d = list.addObject();
      d.put("mediaType", e.getValue().contentType());
      d.put("digest", e.getKey().substring(repo.length() + 1));
      d.put("size", e.getValue().bytes().length);
      d.put("artifactType", type);
      if (m.has("annotations")) {
        d.set("annotations", m.get("annotations"));
      }
    }
    if (filter != null) {
      ex.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
    }
    send(ex, 200, "application/vnd.oci.image.index.v1+json", JSON.writeValueAsBytes(index));
  }

  private static String repoOf(String path) {
    if (!path.startsWith("/v2/")) {
      return null;
    }
    String p = path.substring(4);
    for (String marker : new String[] {"/manifests/", "/blobs/", "/tags/list", "/referrers/"}) {
      int i = p.indexOf(marker);
      if (i > 0) {
        return p.substring(0, i);
      }
    }
    return null;
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, "application/json",
        ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
