package dev.sigil.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.sigil.sandbox.http.Exchanges;
import java.util.Map;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.sandbox.http.RekorServer;
import dev.sigil.sandbox.rekor.TransparencyLog;
import dev.sigil.sandbox.tsa.TimestampAuthority;
import dev.sigil.sandbox.tsa.TsaHttpHandler;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A private Sigstore in one process: a Rekor v1 log ({@link TransparencyLog} behind {@link RekorServer}) and an RFC
 * 3161 timestamp authority ({@link TimestampAuthority} behind {@link TsaHttpHandler}) on one JDK {@link HttpServer}
 * bound to 127.0.0.1, plus the trusted root that describes them:
 *
 * <ul>
 *   <li>{@code /api/v1/log...}: the Rekor API;
 *   <li>{@code /api/v1/timestamp} and {@code /api/v1/timestamp/certchain}: the timestamp authority;
 *   <li>{@code GET /trusted_root.json}: the trusted root ({@value TrustedRoot#MEDIA_TYPE_0_1}) with the log (base URL
 *       {@code http://127.0.0.1:<port>}) and the timestamp authority; no certificate authorities or CT logs yet.
 * </ul>
 *
 * <p>Data directory layout: {@code rekor/} (the log and its key), {@code tsa/} (the TSA keys and certificates),
 * {@code trusted_root.json} (rewritten on start when it changed) and {@code port} (the last port served). Restarting
 * on the same directory keeps the keys, the log and, when served on the same port, a byte-identical trusted root.
 * With port 0 a restart first tries the port recorded in {@code port}, then an ephemeral one.
 *
 * <p>The log's checkpoint key name is {@code 127.0.0.1:<port>}, which is what verifiers derive from the published
 * base URL ({@code TransparencyLogInstance.checkpointKeyName()}).
 */
public final class Sandbox implements AutoCloseable {
  /** Where the trusted root is served. */
  public static final String TRUSTED_ROOT_PATH = "/trusted_root.json";
  /** The trusted root file in the data directory. */
  public static final String TRUSTED_ROOT_FILE = "trusted_root.json";
  static final String PORT_FILE = "port";
  static final String REKOR_DIR = "rekor";
  static final String TSA_DIR = "tsa";
  private static final String HOST = "127.0.0.1";

  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final TransparencyLog log;
  private final RekorServer rekor;
  private final TimestampAuthority tsa;
  private final URI uri;
  private final Path trustedRootFile;
  private final byte[] trustedRoot;
  private final Object lifecycle = new Object();
  private boolean closed;

  private Sandbox(HttpServer server, ExecutorService executor, TransparencyLog log, RekorServer rekor,
      TimestampAuthority tsa, URI uri, Path trustedRootFile, byte[] trustedRoot) {
    this.server = server;
    this.executor = executor;
    this.log = log;
    this.rekor = rekor;
    this.tsa = tsa;
    this.uri = uri;
    this.trustedRootFile = trustedRootFile;
    this.trustedRoot = trustedRoot;
  }

  /**
   * Opens (creating on first use) the sandbox kept in {@code dataDir} and serves it on 127.0.0.1.
   *
   * @param port the port, or 0 for the previously recorded one if it is free, else an ephemeral one
   * @throws IOException if the port cannot be bound or the data directory cannot be used (e.g. another sandbox holds
   *     it)
   */
  public static Sandbox start(Path dataDir, int port) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: expected 0 to 65535, found " + port);
    }
    Files.createDirectories(dataDir);
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      // See RekorServer: without TCP_NODELAY every keep-alive request waits for a delayed ACK.
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    InetAddress loopback = InetAddress.getByName(HOST);
    HttpServer server = bind(loopback, port, dataDir.resolve(PORT_FILE));
    ExecutorService executor = null;
    TransparencyLog log = null;
    try {
      int bound = server.getAddress().getPort();
      String authority = HOST + ":" + bound;
      URI uri = URI.create("http://" + authority);
      TimestampAuthority tsa = TimestampAuthority.open(dataDir.resolve(TSA_DIR));
      log = TransparencyLog.open(dataDir.resolve(REKOR_DIR), TransparencyLog.Options.defaults(authority));
      byte[] root = trustedRootJson(uri, log, tsa);
      check(root); // fail here, not in a client, if the document is not acceptable
      Path rootFile = dataDir.resolve(TRUSTED_ROOT_FILE);
      writeIfChanged(rootFile, root);
      writeIfChanged(dataDir.resolve(PORT_FILE), (bound + "\n").getBytes(StandardCharsets.US_ASCII));

      RekorServer rekor = new RekorServer();
      rekor.mount(log, server);
      new TsaHttpHandler(tsa).mount(server);
      server.createContext(TRUSTED_ROOT_PATH, ex -> serveTrustedRoot(ex, root));
      server.createContext("/", Sandbox::notFound);
      AtomicInteger n = new AtomicInteger();
      executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "sigil-sandbox-http-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.start();
      return new Sandbox(server, executor, log, rekor, tsa, uri, rootFile, root);
    } catch (IOException | RuntimeException | Error e) {
      server.stop(0);
      if (executor != null) {
        executor.shutdownNow();
      }
      if (log != null) {
        try {
          log.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void check(byte[] trustedRoot) {
    try {
      TrustedRoot.parse(trustedRoot);
    } catch (TrustedRootException e) {
      throw new IllegalStateException("the generated trusted root is not acceptable: " + e.getMessage(), e);
    }
  }

  private static HttpServer bind(InetAddress address, int port, Path portFile) throws IOException {
    if (port == 0 && Files.isRegularFile(portFile)) {
      try {
        int recorded = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
        if (recorded > 0 && recorded <= 65535) {
          try {
            return HttpServer.create(new InetSocketAddress(address, recorded), 64);
          } catch (BindException e) {
            LOG.log(System.Logger.Level.INFO, "sandbox: port " + recorded
                + " is in use; serving on an ephemeral port (the trusted root's base URL changes)");
          }
        }
      } catch (NumberFormatException e) {
        // Ignore an unreadable record.
      }
    }
    return HttpServer.create(new InetSocketAddress(address, port), 64);
  }

  /** The trusted root document: deterministic for a given base URL, log and timestamp authority. */
  static byte[] trustedRootJson(URI base, TransparencyLog log, TimestampAuthority tsa) throws IOException {
    ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode root = json.createObjectNode();
    root.put("mediaType", TrustedRoot.MEDIA_TYPE_0_1);

    byte[] spki = log.publicKey().getEncoded();
    ObjectNode tlog = root.putArray("tlogs").addObject();
    tlog.put("baseUrl", base.toString());
    tlog.put("hashAlgorithm", "SHA2_256");
    ObjectNode pk = tlog.putObject("publicKey");
    pk.put("rawBytes", b64.encodeToString(spki));
    pk.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    pk.putObject("validFor").put("start", rfc3339(log.createdAt()));
    tlog.putObject("logId").put("keyId", b64.encodeToString(sha256(spki)));

    root.putArray("certificateAuthorities");
    root.putArray("ctlogs");

    X509Certificate leaf = tsa.leaf();
    X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
    ObjectNode ta = root.putArray("timestampAuthorities").addObject();
    ObjectNode subj = ta.putObject("subject");
    subj.put("organization", rdn(subject, BCStyle.O));
    subj.put("commonName", rdn(subject, BCStyle.CN));
    ta.put("uri", base.resolve(TsaHttpHandler.PATH).toString());
    ArrayNode certs = ta.putObject("certChain").putArray("certificates");
    try {
      for (X509Certificate c : tsa.chain()) {
        certs.addObject().put("rawBytes", b64.encodeToString(c.getEncoded()));
      }
    } catch (CertificateEncodingException e) {
      throw new IOException("encoding the timestamp authority's chain failed", e);
    }
    ta.putObject("validFor").put("start", rfc3339(tsa.root().getNotBefore().toInstant()));
    byte[] out = json.writeValueAsBytes(root);
    byte[] withNewline = Arrays.copyOf(out, out.length + 1);
    withNewline[out.length] = '\n';
    return withNewline;
  }

  private static String rfc3339(Instant t) {
    // Whole seconds, rounded down so that the period covers the moment itself.
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String rdn(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code content} atomically (temporary file, sync, rename) unless the file already holds it. */
  private static void writeIfChanged(Path file, byte[] content) throws IOException {
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void serveTrustedRoot(HttpExchange ex, byte[] root) throws IOException {
    try (ex) {
      Exchanges.drain(ex.getRequestBody());
      String path = ex.getRequestURI().getRawPath();
      if (!path.equals(TRUSTED_ROOT_PATH)) {
        Exchanges.send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        Exchanges.send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
      Exchanges.send(ex, 200, "application/json", root, Map.of());
    }
  }

  private static void notFound(HttpExchange ex) throws IOException {
    try (ex) {
      Exchanges.drain(ex.getRequestBody());
      Exchanges.send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }
  /** The base URI, {@code http://127.0.0.1:<port>}, which is also the log's base URL in the trusted root. */
  public URI uri() {
    return uri;
  }

  /** The trusted root in the data directory (the same bytes as served at {@link #TRUSTED_ROOT_PATH}). */
  public Path trustedRootFile() {
    return trustedRootFile;
  }

  /** The trusted root document's bytes. */
  public byte[] trustedRootBytes() {
    return trustedRoot.clone();
  }

  /** The transparency log (owned by this sandbox). */
  public TransparencyLog log() {
    return log;
  }

  /** The timestamp authority. */
  public TimestampAuthority timestampAuthority() {
    return tsa;
  }

  /** Stops serving, then closes the log. Idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    server.stop(0);
    rekor.close();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
