package dev.sigil.sandbox.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.rekor.CanonicalEntry;
import dev.sigil.sandbox.rekor.DuplicateEntryException;
import dev.sigil.sandbox.rekor.InvalidEntryException;
import dev.sigil.sandbox.rekor.LogEntry;
import dev.sigil.sandbox.rekor.SignedCheckpoint;
import dev.sigil.sandbox.rekor.TransparencyLog;
import dev.sigil.verifier.internal.tlog.MerkleTree;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Rekor v1 REST API subset that cosign 2.x, sigstore-go and sigstore-js use, served from a {@link TransparencyLog}
 * with the JDK's {@link HttpServer}. Response shapes follow Rekor's OpenAPI document ({@code LogEntry}, {@code
 * LogInfo}, {@code ConsistencyProof}, {@code Error}):
 *
 * <ul>
 *   <li>{@code POST /api/v1/log/entries}: 201 with {@code {"<entry ID>": {body, integratedTime, logID, logIndex,
 *       verification: {inclusionProof, signedEntryTimestamp}}}} and {@code Location}; 400 for invalid proposals, 409
 *       (with the existing entry's {@code Location}) for duplicates, 413 for bodies over the limit, 415 for non-JSON
 *       content types.
 *   <li>{@code GET /api/v1/log/entries?logIndex=N}, {@code GET /api/v1/log/entries/{uuid or entry ID}}, {@code POST
 *       /api/v1/log/entries/retrieve} ({@code entryUUIDs}, {@code logIndexes} and/or {@code entries}, at most 10
 *       each; unknown ones are left out of the answer).
 *   <li>{@code GET /api/v1/log} ({@code LogInfo}), {@code GET /api/v1/log/publicKey} (PEM), {@code GET
 *       /api/v1/log/proof?firstSize=&lastSize=} ({@code ConsistencyProof}).
 * </ul>
 *
 * Errors are {@code {"code": n, "message": "..."}} and never carry stack traces. Request bodies are read up to a
 * bound ({@link #DEFAULT_MAX_REQUEST_BYTES} unless set). Requests run on a small fixed pool of daemon threads.
 *
 * <pre>{@code
 * try (RekorServer server = new RekorServer()) {
 *   URI base = server.start(log, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
 *   ...
 * }
 * }</pre>
 */
public final class RekorServer implements AutoCloseable {
  /** The default bound on request bodies: 1 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
  /** At most this many items per list in a retrieve query, as in Rekor's OpenAPI ({@code maxItems: 10}). */
  public static final int MAX_SEARCH_ITEMS = 10;

  static final String API = "/api/v1/log";
  static final String ENTRIES = API + "/entries";
  static final String RETRIEVE = ENTRIES + "/retrieve";

  private static final System.Logger LOG = System.getLogger(RekorServer.class.getName());

  private final int maxRequestBytes;
  private final int threads;
  private final ObjectMapper json;
  private final Object lifecycle = new Object();
  private HttpServer server;
  private ExecutorService executor;
  private TransparencyLog log;
  private URI uri;
  private boolean closed;

  /** A server with the default request bound and 8 worker threads. */
  public RekorServer() {
    this(DEFAULT_MAX_REQUEST_BYTES, 8);
  }

  /**
   * @param maxRequestBytes the largest request body accepted (larger ones get 413)
   * @param threads worker threads
   */
  public RekorServer(int maxRequestBytes, int threads) {
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: expected a positive value, found " + maxRequestBytes);
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: expected a positive value, found " + threads);
    }
    this.maxRequestBytes = maxRequestBytes;
    this.threads = threads;
    this.json = JsonMapper.builder().build();
    this.json.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(maxRequestBytes).build());
  }

  /**
   * Binds to {@code address} (null: 127.0.0.1 on an ephemeral port) and serves {@code log}. The log stays owned by
   * the caller: {@link #close()} stops the server but does not close the log.
   *
   * @return the base URI, e.g. {@code http://127.0.0.1:43123}
   * @throws IllegalStateException if this server was already started or closed
   */
  public URI start(TransparencyLog log, InetSocketAddress address) throws IOException {
    Objects.requireNonNull(log, "log");
    InetSocketAddress bindTo =
        address != null ? address : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    synchronized (lifecycle) {
      if (server != null || this.log != null || closed) {
        throw new IllegalStateException("the server was already " + (closed ? "closed" : "started"));
      }
      this.log = log;
      enableNoDelay();
      HttpServer s = HttpServer.create(bindTo, 64);
      AtomicInteger n = new AtomicInteger();
      ExecutorService ex = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "sigil-rekor-http-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      s.setExecutor(ex);
      s.createContext("/", this::handle);
      s.start();
      InetSocketAddress bound = s.getAddress();
      String host = bound.getAddress().getHostAddress();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      this.server = s;
      this.executor = ex;
      this.uri = URI.create("http://" + host + ":" + bound.getPort());
      return uri;
    }
  }

  /**
   * Serves {@code log} under {@code /api/v1/log} on {@code server}, which stays owned by the caller (its executor,
   * start and stop), so that other handlers (e.g. a timestamp authority) can share its port. Use either this or
   * {@link #start}, once. {@link #close()} then only marks this object closed; the log is not closed either.
   *
   * @throws IllegalStateException if this server was already started, mounted or closed
   */
  public HttpContext mount(TransparencyLog log, HttpServer server) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(server, "server");
    synchronized (lifecycle) {
      if (this.log != null || closed) {
        throw new IllegalStateException("the server was already " + (closed ? "closed" : "started"));
      }
      this.log = log;
      return server.createContext(API, this::handle);
    }
  }

  /**
   * The JDK server writes response headers and body in separate segments; with Nagle's algorithm and delayed ACKs
   * every keep-alive request then waits about 40 ms. {@code sun.net.httpserver.nodelay} (read once, when the JDK's
   * server configuration is first loaded) turns on TCP_NODELAY; it is set here unless the application chose a value.
   */
  private static void enableNoDelay() {
    try {
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
    } catch (SecurityException e) {
      // Keep the default.
    }
  }

  /** The base URI, once started. */
  public Optional<URI> uri() {
    synchronized (lifecycle) {
      return Optional.ofNullable(uri);
    }
  }

  /** Stops accepting requests and waits briefly for running ones. Idempotent. Does not close the log. */
  @Override
  public void close() {
    HttpServer s;
    ExecutorService ex;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      s = server;
      ex = executor;
    }
    if (s != null) {
      s.stop(0);
    }
    if (ex != null) {
      ex.shutdown();
      try {
        if (!ex.awaitTermination(5, TimeUnit.SECONDS)) {
          ex.shutdownNow();
        }
      } catch (InterruptedException e) {
        ex.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------- dispatch

  /** An error answered with {@code {"code","message"}}. */
  private static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final Map<String, String> headers;

    HttpError(int status, String message) {
      this(status, message, Map.of());
    }

    HttpError(int status, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.headers = headers;
    }
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (HttpError e) {
        sendError(ex, e.status, e.getMessage(), e.headers);
      } catch (RuntimeException | IOException e) {
        LOG.log(System.Logger.Level.WARNING, "rekor API: " + ex.getRequestMethod() + " "
            + ex.getRequestURI().getRawPath() + " failed", e);
        sendError(ex, 500, "internal error", Map.of());
      }
    } catch (IOException | RuntimeException e) {
      // The client went away while we answered; nothing more to do.
      LOG.log(System.Logger.Level.DEBUG, "rekor API: could not send the response", e);
    }
  }

  private void route(HttpExchange ex) throws IOException, HttpError {
    String path = Exchanges.path(ex);
    String method = ex.getRequestMethod();
    switch (path) {
      case API -> {
        requireMethod(method, "GET");
        logInfo(ex);
      }
      case API + "/publicKey" -> {
        requireMethod(method, "GET");
        publicKey(ex);
      }
      case API + "/proof" -> {
        requireMethod(method, "GET");
        consistencyProof(ex);
      }
      case ENTRIES -> {
        if (method.equals("POST")) {
          createEntry(ex);
        } else {
          requireMethod(method, "GET", "POST");
          entryByIndex(ex);
        }
      }
      case RETRIEVE -> {
        requireMethod(method, "POST");
        retrieve(ex);
      }
      default -> {
        if (path.startsWith(ENTRIES + "/") && path.indexOf('/', ENTRIES.length() + 1) < 0) {
          requireMethod(method, "GET");
          entryByUuid(ex, path.substring(ENTRIES.length() + 1));
        } else {
          throw new HttpError(404, "path " + abbreviate(path) + " was not found");
        }
      }
    }
  }

  private static void requireMethod(String method, String... allowed) throws HttpError {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new HttpError(405, "method " + abbreviate(method) + " is not allowed", Map.of("Allow", String.join(", ", allowed)));
  }

  // ------------------------------------------------------------------------------------------------- handlers

  private void logInfo(HttpExchange ex) throws IOException {
    SignedCheckpoint cp = log.checkpoint();
    ObjectNode o = json.createObjectNode();
    o.put("rootHash", HexFormat.of().formatHex(cp.rootHash()));
    o.put("treeSize", cp.size());
    o.put("signedTreeHead", cp.note());
    o.put("treeID", Long.toString(log.treeId()));
    o.putArray("inactiveShards");
    sendJson(ex, 200, o, Map.of());
  }

  private void publicKey(HttpExchange ex) throws IOException {
    Exchanges.send(ex, 200, "application/x-pem-file", log.key().publicKeyPem().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private void consistencyProof(HttpExchange ex) throws IOException, HttpError {
    Map<String, String> q = query(ex);
    long size = log.size();
    long last = longParam(q, "lastSize", null);
    long first = longParam(q, "firstSize", 1L);
    if (first < 1 || last < 1) {
      throw new HttpError(400, "firstSize and lastSize must be at least 1");
    }
    if (first > last) {
      throw new HttpError(400, "firstSize(" + first + ") must be less than or equal to lastSize(" + last + ")");
    }
    if (last > size) {
      throw new HttpError(400, "lastSize(" + last + ") must be less than or equal to the tree size (" + size + ")");
    }
    String treeId = q.get("treeID");
    if (treeId != null && !treeId.equals(Long.toString(log.treeId()))) {
      throw new HttpError(404, "tree " + abbreviate(treeId) + " is not served here");
    }
    ObjectNode o = json.createObjectNode();
    o.put("rootHash", HexFormat.of().formatHex(log.rootHash(last)));
    ArrayNode hashes = o.putArray("hashes");
    for (byte[] h : log.consistencyProof(first, last)) {
      hashes.add(HexFormat.of().formatHex(h));
    }
    sendJson(ex, 200, o, Map.of());
  }

  private void createEntry(HttpExchange ex) throws IOException, HttpError {
    requireJsonContentType(ex);
    byte[] body = readBody(ex);
    LogEntry entry;
    try {
      entry = log.submit(body);
    } catch (InvalidEntryException e) {
      throw new HttpError(400, e.getMessage());
    } catch (DuplicateEntryException e) {
      throw new HttpError(409, "An equivalent entry already exists in the transparency log with UUID " + e.uuid(),
          Map.of("Location", location(e.uuid())));
    } catch (IllegalArgumentException e) {
      // E.g. a canonical body over the log's own limit.
      throw new HttpError(400, e.getMessage());
    }
    sendJson(ex, 201, entryJson(entry), Map.of("Location", location(entry.uuid()), "ETag", entry.uuid()));
  }

  private void entryByIndex(HttpExchange ex) throws IOException, HttpError {
    Map<String, String> q = query(ex);
    long index = longParam(q, "logIndex", null);
    if (index < 0) {
      throw new HttpError(400, "logIndex must be greater than or equal to 0");
    }
    sendJson(ex, 200, entryJson(entryAt(index)
        .orElseThrow(() -> new HttpError(404, "no entry at log index " + index))), Map.of());
  }

  private void entryByUuid(HttpExchange ex, String rawId) throws IOException, HttpError {
    String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    Optional<LogEntry> e;
    try {
      e = log.entryByUuid(id);
    } catch (IllegalArgumentException bad) {
      throw new HttpError(400, bad.getMessage());
    }
    sendJson(ex, 200, entryJson(e.orElseThrow(() -> new HttpError(404, "entry " + abbreviate(id) + " not found"))),
        Map.of("ETag", e.get().uuid()));
  }

  private void retrieve(HttpExchange ex) throws IOException, HttpError {
    requireJsonContentType(ex);
    byte[] body = readBody(ex);
    JsonNode q;
    try {
      q = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "request body: not valid JSON");
    }
    if (q == null || !q.isObject()) {
      throw new HttpError(400, "request body: expected a JSON object (SearchLogQuery)");
    }
    var names = q.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!n.equals("entryUUIDs") && !n.equals("logIndexes") && !n.equals("entries")) {
        throw new HttpError(400, "request body: unknown field " + abbreviate(n));
      }
    }
    List<JsonNode> uuids = list(q, "entryUUIDs");
    List<JsonNode> indexes = list(q, "logIndexes");
    List<JsonNode> proposals = list(q, "entries");
    if (uuids.isEmpty() && indexes.isEmpty() && proposals.isEmpty()) {
      throw new HttpError(400, "request body: expected entryUUIDs, logIndexes or entries");
    }
    Map<Long, LogEntry> found = new LinkedHashMap<>();
    for (JsonNode u : uuids) {
      if (!u.isTextual()) {
        throw new HttpError(400, "entryUUIDs: expected strings");
      }
      try {
        log.entryByUuid(u.asText()).ifPresent(e -> found.putIfAbsent(e.logIndex(), e));
      } catch (IllegalArgumentException bad) {
        throw new HttpError(400, "entryUUIDs: " + bad.getMessage());
      }
    }
    for (JsonNode i : indexes) {
      if (!i.isIntegralNumber() || !i.canConvertToLong() || i.asLong() < 0) {
        throw new HttpError(400, "logIndexes: expected integers greater than or equal to 0");
      }
      entryAt(i.asLong()).ifPresent(e -> found.putIfAbsent(e.logIndex(), e));
    }
    for (JsonNode p : proposals) {
      CanonicalEntry c;
      try {
        c = log.proposals().canonicalize(json.writeValueAsBytes(p));
      } catch (InvalidEntryException e) {
        throw new HttpError(400, "entries: " + e.getMessage());
      }
      String uuid = HexFormat.of().formatHex(MerkleTree.leafHash(c.body()));
      log.entryByUuid(uuid).ifPresent(e -> found.putIfAbsent(e.logIndex(), e));
    }
    ArrayNode out = json.createArrayNode();
    for (LogEntry e : found.values()) {
      out.add(entryJson(e));
    }
    sendJson(ex, 200, out, Map.of());
  }

  private static List<JsonNode> list(JsonNode q, String field) throws HttpError {
    JsonNode n = q.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new HttpError(400, field + ": expected an array");
    }
    if (n.size() > MAX_SEARCH_ITEMS) {
      throw new HttpError(422, field + ": at most " + MAX_SEARCH_ITEMS + " items, found " + n.size());
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private Optional<LogEntry> entryAt(long index) throws IOException {
    if (index < 0 || index >= log.size()) {
      return Optional.empty();
    }
    return Optional.of(log.entry(index));
  }

  /** {@code {"<entry ID>": {...}}}, Rekor's {@code LogEntry}. */
  private ObjectNode entryJson(LogEntry e) {
    LogEntry.InclusionProof p = e.inclusionProof();
    ObjectNode proof = json.createObjectNode();
    proof.put("checkpoint", p.checkpoint());
    ArrayNode hashes = proof.putArray("hashes");
    p.hashesHex().forEach(hashes::add);
    proof.put("logIndex", p.logIndex());
    proof.put("rootHash", HexFormat.of().formatHex(p.rootHash()));
    proof.put("treeSize", p.treeSize());
    ObjectNode v = json.createObjectNode();
    v.set("inclusionProof", proof);
    v.put("signedEntryTimestamp", e.signedEntryTimestampBase64());
    ObjectNode inner = json.createObjectNode();
    inner.put("body", e.bodyBase64());
    inner.put("integratedTime", e.integratedTime());
    inner.put("logID", e.logIdHex());
    inner.put("logIndex", e.logIndex());
    inner.set("verification", v);
    ObjectNode outer = json.createObjectNode();
    outer.set(e.entryId(), inner);
    return outer;
  }

  private static String location(String uuid) {
    return ENTRIES + "/" + uuid;
  }

  // ------------------------------------------------------------------------------------------------- requests

  private static void requireJsonContentType(HttpExchange ex) throws HttpError {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    if (ct == null || ct.isBlank()) {
      return;
    }
    int semi = ct.indexOf(';');
    String type = (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
      throw new HttpError(415, "unsupported content type " + abbreviate(type) + ", expected application/json");
    }
  }

  /** The request body, at most {@link #maxRequestBytes}; a larger one is read up to a bound, discarded, and 413'd. */
  private byte[] readBody(HttpExchange ex) throws IOException, HttpError {
    try {
      return Exchanges.readBody(ex, maxRequestBytes);
    } catch (Exchanges.BodyRefused e) {
      throw e.tooLarge() ? tooLarge() : new HttpError(400, "invalid Content-Length");
    }
  }

  private HttpError tooLarge() {
    return new HttpError(413, "request body is larger than " + maxRequestBytes + " bytes");
  }

  private static Map<String, String> query(HttpExchange ex) throws HttpError {
    String raw = ex.getRequestURI().getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k;
      String v;
      try {
        k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "malformed query string");
      }
      if (out.putIfAbsent(k, v) != null) {
        throw new HttpError(400, "query parameter " + abbreviate(k) + " given more than once");
      }
    }
    return out;
  }

  private static long longParam(Map<String, String> q, String name, Long dflt) throws HttpError {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      if (dflt == null) {
        throw new HttpError(400, "query parameter " + name + " is required");
      }
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "query parameter " + name + ": expected an integer, found " + abbreviate(v));
    }
  }

  // ------------------------------------------------------------------------------------------------ responses

  private void sendJson(HttpExchange ex, int status, JsonNode body, Map<String, String> headers) throws IOException {
    Exchanges.send(ex, status, "application/json", json.writeValueAsBytes(body), headers);
  }

  private void sendError(HttpExchange ex, int status, String message, Map<String, String> headers)
      throws IOException {
    ObjectNode o = json.createObjectNode();
    o.put("code", status);
    o.put("message", message == null ? "" : message);
    sendJson(ex, status, o, headers);
  }

  private static String abbreviate(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder("\"");
    t.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.append('"').toString();
  }
}
