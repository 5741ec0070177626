package dev.sigil.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TUF repository served over real HTTP from 127.0.0.1, laid out as a mirror lays it out: {@code N.root.json},
 * {@code timestamp.json}, {@code N.snapshot.json}, {@code N.targets.json} and {@code targets/<sha512>.<name>}
 * (consistent snapshots), under the path prefix {@code /repo/} so that clients must join URLs properly.
 *
 * <p>One Ed25519 key per role, threshold 1, fresh keys per instance. Metadata is TUF canonical JSON (sorted keys, no
 * whitespace; every string here is plain ASCII, where the TUF and RFC 8785 canonical forms coincide), signed over the
 * canonical {@code signed} object. Tests change what is served between requests through {@link #files()} (to tamper)
 * and the fault switches ({@link #failWith}, {@link #hang}).
 *
 * <p>sigstore-java's own fixtures have all expired and carry no Sigstore trusted root, which is why this exists.
 */
public final class TufRepository implements AutoCloseable {
  /** The path prefix the repository is served under. */
  public static final String PREFIX = "/repo/";

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, KeyPair> keys = new TreeMap<>();
  private final Map<String, String> targetPaths = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Instant expires = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile CountDownLatch released = new CountDownLatch(0);
  private volatile int failStatus;
  private int rootVersion;
  private int targetsVersion;
  private int snapshotVersion;
  private int timestampVersion;

  private TufRepository(HttpServer server, ExecutorService executor) throws GeneralSecurityException {
    this.server = server;
    this.executor = executor;
    for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
      keys.put(role, ed25519());
    }
    publishRoot(List.of(keys.get("root")));
  }

  /** A repository with root version 1 and no targets metadata yet, listening on 127.0.0.1. */
  public static TufRepository start() throws IOException, GeneralSecurityException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    ExecutorService ex = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tuf-repository");
      t.setDaemon(true);
      return t;
    });
    TufRepository repo = new TufRepository(s, ex);
    s.createContext(PREFIX, repo::handle);
    s.setExecutor(ex);
    s.start();
    return repo;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath().substring(PREFIX.length());
      requests.add(path);
      CountDownLatch gate = released;
      if (gate.getCount() > 0) {
        try {
          gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      int status = failStatus;
      byte[] body = files.get(path);
      if (status != 0) {
        ex.sendResponseHeaders(status, -1);
      } else if (body == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    }
  }

  /** The mirror URL, without a trailing slash: {@code http://127.0.0.1:PORT/repo}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX.substring(0, PREFIX.length() - 1);
  }

  /** What is served, by path below the prefix; tests may change it at any time. */
  public Map<String, byte[]> files() {
    return files;
  }

  /** The paths requested so far (below the prefix), in order. */
  public List<String> requests() {
    return requests;
  }

  /** The expiry of metadata published with {@link #publish(Map)}: a year from when this repository started. */
  public Instant expires() {
    return expires;
  }

  /** Root metadata of {@code version}, as served. */
  public byte[] root(int version) {
    return files.get(version + ".root.json");
  }

  /** The served path of target {@code name} below {@code targets/} ({@code <sha512>.<name>}). */
  public String targetPath(String name) {
    return targetPaths.get(name);
  }

  /** From now on every request gets this HTTP status and no body (0: serve normally again). */
  public void failWith(int status) {
    failStatus = status;
  }

  /** From now on requests wait (up to a minute) without an answer, until {@link #release()}. */
  public void hang() {
    released = new CountDownLatch(1);
  }

  /** Answers the requests {@link #hang()} held, and every later one. */
  public void release() {
    released.countDown();
  }

  /** Root version + 1 with a new root key, signed by the old root key and the new one (TUF 5.3.4). */
  public synchronized void rotateRootKey() throws GeneralSecurityException {
    KeyPair old = keys.get("root");
    keys.put("root", ed25519());
    publishRoot(List.of(old, keys.get("root")));
  }

  /** New targets, snapshot and timestamp metadata listing exactly {@code targets}, expiring at {@link #expires()}. */
  public void publish(Map<String, byte[]> targets) throws GeneralSecurityException {
    publish(targets, expires);
  }

  /** New targets, snapshot and timestamp metadata listing exactly {@code targets}, expiring at {@code expiry}. */
  public synchronized void publish(Map<String, byte[]> targets, Instant expiry) throws GeneralSecurityException {
    Map<String, Object> listed = new TreeMap<>();
    for (Map.Entry<String, byte[]> t : targets.entrySet()) {
      String sha512 = hex("SHA-512", t.getValue());
      String path = sha512 + "." + t.getKey();
      files.put("targets/" + path, t.getValue());
      targetPaths.put(t.getKey(), path);
      listed.put(t.getKey(), map("length", t.getValue().length, "hashes",
          map("sha256", hex("SHA-256", t.getValue()), "sha512", sha512)));
    }
    targetsVersion++;
    byte[] targetsJson = envelope(meta("targets", targetsVersion, expiry, "targets", listed), List.of(keys.get("targets")));
    files.put(targetsVersion + ".targets.json", targetsJson);
    snapshotVersion++;
    byte[] snapshotJson =
        envelope(
            meta("snapshot", snapshotVersion, expiry, "meta", map("targets.json", fileMeta(targetsVersion, targetsJson))),
            List.of(keys.get("snapshot")));
    files.put(snapshotVersion + ".snapshot.json", snapshotJson);
    timestampVersion++;
    byte[] timestampJson =
        envelope(
            meta("timestamp", timestampVersion, expiry, "meta", map("snapshot.json", fileMeta(snapshotVersion, snapshotJson))),
            List.of(keys.get("timestamp")));
    files.put("timestamp.json", timestampJson);
  }

  /**
   * Serves, as {@code timestamp.json}, timestamp metadata of {@code version} (signed with the right key) that points
   * at the snapshot now served: for rollback tests, a version lower than one a client has seen.
   */
  public synchronized void serveTimestampVersion(int version) throws GeneralSecurityException {
    byte[] snapshotJson = files.get(snapshotVersion + ".snapshot.json");
    files.put("timestamp.json",
        envelope(meta("timestamp", version, expires, "meta", map("snapshot.json", fileMeta(snapshotVersion, snapshotJson))),
            List.of(keys.get("timestamp"))));
  }

  /** The current targets metadata re-signed with a key the root does not list (same content, wrong signer). */
  public synchronized void signTargetsWithAnUntrustedKey() throws GeneralSecurityException {
    String name = targetsVersion + ".targets.json";
    String json = new String(files.get(name), StandardCharsets.UTF_8);
    // The canonical envelope is {"signatures":[...],"signed":{...}}: re-sign the signed part with a stranger's key.
    String signed = json.substring(json.indexOf(",\"signed\":") + ",\"signed\":".length(), json.length() - 1);
    KeyPair stranger = ed25519();
    String sig = HexFormat.of().formatHex(sign(stranger, signed.getBytes(StandardCharsets.UTF_8)));
    byte[] targetsJson = ("{\"signatures\":[{\"keyid\":\"" + keyId(stranger) + "\",\"sig\":\"" + sig + "\"}],\"signed\":"
        + signed + "}").getBytes(StandardCharsets.UTF_8);
    files.put(name, targetsJson);
    // Snapshot and timestamp must vouch for the new bytes, or the hash check would catch it before the signatures.
    snapshotVersion++;
    byte[] snapshotJson =
        envelope(
            meta("snapshot", snapshotVersion, expires, "meta", map("targets.json", fileMeta(targetsVersion, targetsJson))),
            List.of(keys.get("snapshot")));
    files.put(snapshotVersion + ".snapshot.json", snapshotJson);
    timestampVersion++;
    files.put("timestamp.json",
        envelope(
            meta("timestamp", timestampVersion, expires, "meta", map("snapshot.json", fileMeta(snapshotVersion, snapshotJson))),
            List.of(keys.get("timestamp"))));
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }

  private void publishRoot(List<KeyPair> signers) throws GeneralSecurityException {
    rootVersion++;
    Map<String, Object> keyObjects = new TreeMap<>();
    Map<String, Object> roles = new TreeMap<>();
    for (Map.Entry<String, KeyPair> e : keys.entrySet()) {
      keyObjects.put(keyId(e.getValue()), keyObject(e.getValue()));
      roles.put(e.getKey(), map("keyids", List.of(keyId(e.getValue())), "threshold", 1));
    }
    Map<String, Object> signed =
        map("_type", "root", "spec_version", "1.0", "version", rootVersion, "expires", expires.toString(),
            "consistent_snapshot", true, "keys", keyObjects, "roles", roles);
    files.put(rootVersion + ".root.json", envelope(signed, signers));
  }

  private static Map<String, Object> meta(String type, int version, Instant expiry, String key, Object value) {
    return map("_type", type, "spec_version", "1.0", "version", version, "expires", expiry.toString(), key, value);
  }

  private static Map<String, Object> fileMeta(int version, byte[] file) throws GeneralSecurityException {
    return map("version", version, "length", file.length, "hashes", map("sha256", hex("SHA-256", file)));
  }

  private static byte[] envelope(Map<String, Object> signed, List<KeyPair> signers) throws GeneralSecurityException {
    byte[] canonical = canonical(signed).getBytes(StandardCharsets.UTF_8);
    List<Object> signatures = new ArrayList<>();
    for (KeyPair k : signers) {
      signatures.add(map("keyid", keyId(k), "sig", HexFormat.of().formatHex(sign(k, canonical))));
    }
    return canonical(map("signed", signed, "signatures", signatures)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sign(KeyPair k, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(k.getPrivate());
    s.update(data);
    return s.sign();
  }

  private static KeyPair ed25519() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  private static Map<String, Object> keyObject(KeyPair k) {
    byte[] spki = k.getPublic().getEncoded();
    String raw = HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    return map("keytype", "ed25519", "scheme", "ed25519", "keyid_hash_algorithms", List.of("sha256", "sha512"),
        "keyval", map("public", raw));
  }

  private static String keyId(KeyPair k) {
    try {
      return hex("SHA-256", canonical(keyObject(k)).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(String alg, byte[] data) throws GeneralSecurityException {
    return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Canonical JSON of maps (keys sorted), lists, ASCII strings, integers and booleans. */
  static String canonical(Object o) {
    StringBuilder sb = new StringBuilder();
    write(o, sb);
    return sb.toString();
  }

  private static void write(Object o, StringBuilder sb) {
    if (o instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (o instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(l.get(i), sb);
      }
      sb.append(']');
    } else if (o instanceof String s) {
      for (char c : s.toCharArray()) {
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          throw new IllegalArgumentException("this encoder handles plain ASCII only: " + s);
        }
      }
      sb.append('"').append(s).append('"');
    } else if (o instanceof Integer || o instanceof Long || o instanceof Boolean) {
      sb.append(o);
    } else {
      throw new IllegalArgumentException("not encodable: " + o);
    }
  }
}
