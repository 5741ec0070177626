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
import dev.sigil.sandbox.http.RekorV2Server;
import dev.sigil.sandbox.ctlog.CtLog;
import dev.sigil.sandbox.fulcio.CertificateAuthority;
import dev.sigil.sandbox.fulcio.FulcioHttpHandler;
import dev.sigil.sandbox.keys.KeyFiles;
import dev.sigil.sandbox.oidc.OidcHttpHandler;
import dev.sigil.sandbox.oidc.OidcIssuer;
import dev.sigil.sandbox.oidc.TrustedIssuers;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A private Sigstore in one process, on one JDK {@link HttpServer} bound to 127.0.0.1, for local use and tests:
 *
 * <ul>
 *   <li>{@value #OIDC_PATH}{@code /...}: a local OIDC issuer ({@link OidcIssuer}: discovery, JWKS, token endpoint);
 *   <li>{@code /api/v1/signingCert}, {@code /api/v2/signingCert}: a Fulcio-compatible CA ({@link CertificateAuthority})
 *       that accepts tokens from that issuer only and embeds SCTs from its CT log ({@link CtLog});
 *   <li>{@code /api/v1/log...}: a Rekor v1 log ({@link TransparencyLog} behind {@link RekorServer}), and/or
 *       {@code /api/v2/log/entries}, {@code /checkpoint} and {@code /tile/...}: a Rekor v2 log ({@link RekorV2Server}),
 *       as {@link RekorVersions} chooses;
 *   <li>{@code /api/v1/timestamp}: an RFC 3161 timestamp authority ({@link TimestampAuthority});
 *   <li>{@code GET /trusted_root.json} ({@value TrustedRoot#MEDIA_TYPE_0_1}) and {@code GET /signing_config.json}
 *       ({@value #SIGNING_CONFIG_MEDIA_TYPE}), which describe all of the above so any client can be pointed at it.
 * </ul>
 *
 * <p>Data directory layout: {@code oidc/}, {@code fulcio/} (CA and CT log keys), {@code rekor/} (the Rekor v1 log and
 * its key), {@code rekor2/} (the Rekor v2 log and its Ed25519 key), {@code tsa/}, {@code trusted_root.json} and {@code signing_config.json} (rewritten on start when they
 * changed) and {@code port} (the last port served). Restarting on the same directory keeps the keys and the log and,
 * when served on the same port, byte-identical documents. With port 0 a restart first tries the recorded port.
 *
 * <p>Both logs' checkpoint key name is {@code 127.0.0.1:<port>}, which is what verifiers derive from the published
 * base URL ({@code TransparencyLogInstance.checkpointKeyName()}); the Rekor v2 log's origin is that name and its log
 * ID is bound to it (as Sigstore's Ed25519 v2 logs' are), so its entries verify only while it is served on that port.
 */
public final class Sandbox implements AutoCloseable {
  /** Where the trusted root is served. */
  public static final String TRUSTED_ROOT_PATH = "/trusted_root.json";
  /** The trusted root file in the data directory. */
  public static final String TRUSTED_ROOT_FILE = "trusted_root.json";
  /** Where the signing config is served. */
  public static final String SIGNING_CONFIG_PATH = "/signing_config.json";
  /** The signing config file in the data directory. */
  public static final String SIGNING_CONFIG_FILE = "signing_config.json";
  /** The signing config's media type. */
  public static final String SIGNING_CONFIG_MEDIA_TYPE = "application/vnd.dev.sigstore.signingconfig.v0.2+json";
  /** The local OIDC issuer's path: the issuer URL itself says what it is for. */
  public static final String OIDC_PATH = OidcIssuer.LOCAL_TESTING_PATH;
  /** The operator named in the signing config. */
  static final String OPERATOR = "sigil-sandbox (local testing only)";
  static final String PORT_FILE = "port";
  static final String REKOR_DIR = "rekor";
  static final String REKOR_V2_DIR = "rekor2";
  static final String TSA_DIR = "tsa";
  static final String OIDC_DIR = "oidc";
  static final String FULCIO_DIR = "fulcio";
  /** Public material as PEM files, for clients configured by file (cosign's SIGSTORE_* variables). */
  public static final String PUBLIC_DIR = "public";
  /** Under {@link #PUBLIC_DIR}: the CA chain, intermediate first (cosign: {@code SIGSTORE_ROOT_FILE}). */
  public static final String FULCIO_CHAIN_PEM = "fulcio-chain.pem";
  /** Under {@link #PUBLIC_DIR}: the log's public key (cosign: {@code SIGSTORE_REKOR_PUBLIC_KEY}). */
  public static final String REKOR_KEY_PEM = "rekor.pub";
  /** Under {@link #PUBLIC_DIR}: the Rekor v2 log's Ed25519 public key. */
  public static final String REKOR_V2_KEY_PEM = "rekor2.pub";
  /** Under {@link #PUBLIC_DIR}: the CT log's public key (cosign: {@code SIGSTORE_CT_LOG_PUBLIC_KEY_FILE}). */
  public static final String CTLOG_KEY_PEM = "ctlog.pub";
  /** Under {@link #PUBLIC_DIR}: the TSA chain, leaf first. */
  public static final String TSA_CHAIN_PEM = "tsa-chain.pem";
  private static final String HOST = "127.0.0.1";

  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final TransparencyLog log; // null when v1 is not served
  private final TransparencyLog logV2; // null when v2 is not served
  private final RekorServer rekor;
  private final TimestampAuthority tsa;
  private final OidcIssuer oidc;
  private final CertificateAuthority ca;
  private final URI uri;
  private final Path trustedRootFile;
  private final byte[] trustedRoot;
  private final Path signingConfigFile;
  private final Path publicDir;
  private final Object lifecycle = new Object();
  private boolean closed;

  /** Which Rekor API generations the sandbox serves. */
  public enum RekorVersions {
    V1(true, false),
    V2(false, true),
    BOTH(true, true);

    private final boolean v1;
    private final boolean v2;

    RekorVersions(boolean v1, boolean v2) {
      this.v1 = v1;
      this.v2 = v2;
    }

    public boolean servesV1() {
      return v1;
    }

    public boolean servesV2() {
      return v2;
    }

    /** {@code 1}, {@code 2} or {@code both}, as {@code sigil sandbox serve --rekor-version} spells them. */
    public static RekorVersions parse(String s) {
      return switch (s) {
        case "1" -> V1;
        case "2" -> V2;
        case "both" -> BOTH;
        default -> throw new IllegalArgumentException("Rekor version: expected 1, 2 or both, found \"" + s + "\"");
      };
    }
  }

  private Sandbox(HttpServer server, ExecutorService executor, TransparencyLog log, TransparencyLog logV2,
      RekorServer rekor, TimestampAuthority tsa, OidcIssuer oidc, CertificateAuthority ca, URI uri,
      Path trustedRootFile, byte[] trustedRoot, Path signingConfigFile) {
    this.logV2 = logV2;
    this.oidc = oidc;
    this.ca = ca;
    this.signingConfigFile = signingConfigFile;
    this.publicDir = trustedRootFile.resolveSibling(PUBLIC_DIR);
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
    return start(dataDir, port, RekorVersions.V1);
  }

  /**
   * As {@link #start(Path, int)}, serving the Rekor API generations {@code versions} names. Each log keeps its data
   * whether it is served or not: a directory served with {@code V1} and later {@code BOTH} keeps its v1 log.
   */
  public static Sandbox start(Path dataDir, int port, RekorVersions versions) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(versions, "versions");
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
    TransparencyLog logV2 = null;
    try {
      int bound = server.getAddress().getPort();
      String authority = HOST + ":" + bound;
      URI uri = URI.create("http://" + authority);
      TimestampAuthority tsa = TimestampAuthority.open(dataDir.resolve(TSA_DIR));
      OidcIssuer oidc = OidcIssuer.open(dataDir.resolve(OIDC_DIR), uri.resolve(OIDC_PATH));
      CertificateAuthority ca = CertificateAuthority.open(dataDir.resolve(FULCIO_DIR));
      if (versions.servesV1()) {
        log = TransparencyLog.open(dataDir.resolve(REKOR_DIR), TransparencyLog.Options.defaults(authority));
      }
      if (versions.servesV2()) {
        logV2 = TransparencyLog.open(dataDir.resolve(REKOR_V2_DIR), TransparencyLog.Options.rekorV2(authority));
      }
      byte[] root = trustedRootJson(uri, log, logV2, tsa, ca);
      check(root); // fail here, not in a client, if the document is not acceptable
      Path rootFile = dataDir.resolve(TRUSTED_ROOT_FILE);
      writeIfChanged(rootFile, root);
      byte[] signingConfig = signingConfigJson(uri, ca.validFrom(), ca.validFrom(),
          log == null ? null : log.createdAt(), logV2 == null ? null : logV2.createdAt(),
          tsa.root().getNotBefore().toInstant());
      Path signingConfigFile = dataDir.resolve(SIGNING_CONFIG_FILE);
      writeIfChanged(signingConfigFile, signingConfig);
      writePublicMaterial(dataDir.resolve(PUBLIC_DIR), log, logV2, ca, tsa);
      writeIfChanged(dataDir.resolve(PORT_FILE), (bound + "\n").getBytes(StandardCharsets.US_ASCII));

      RekorServer rekor = new RekorServer();
      if (log != null) {
        rekor.mount(log, server);
      }
      if (logV2 != null) {
        new RekorV2Server(logV2).mount(server);
      }
      new TsaHttpHandler(tsa).mount(server);
      new OidcHttpHandler(oidc).mount(server);
      new FulcioHttpHandler(ca, TrustedIssuers.of(oidc)).mount(server);
      server.createContext(TRUSTED_ROOT_PATH, ex -> serveDocument(ex, TRUSTED_ROOT_PATH, root));
      server.createContext(SIGNING_CONFIG_PATH, ex -> serveDocument(ex, SIGNING_CONFIG_PATH, signingConfig));
      server.createContext("/", Sandbox::notFound);
      AtomicInteger n = new AtomicInteger();
      executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "sigil-sandbox-http-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.start();
      return new Sandbox(server, executor, log, logV2, rekor, tsa, oidc, ca, uri, rootFile, root, signingConfigFile);
    } catch (IOException | RuntimeException | Error e) {
      server.stop(0);
      if (executor != null) {
        executor.shutdownNow();
      }
      for (TransparencyLog l : new TransparencyLog[] {log, logV2}) {
        if (l != null) {
          try {
            l.close();
          } catch (IOException | RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
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

  /**
   * The trusted root document: deterministic for a given base URL, logs and timestamp authority. Either log may be
   * null (not served); both are listed at the base URL, the v1 log first.
   */
  static byte[] trustedRootJson(URI base, TransparencyLog log, TransparencyLog logV2, TimestampAuthority tsa,
      CertificateAuthority ca) throws IOException {
    ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode root = json.createObjectNode();
    root.put("mediaType", TrustedRoot.MEDIA_TYPE_0_1);

    ArrayNode tlogs = root.putArray("tlogs");
    for (TransparencyLog l : new TransparencyLog[] {log, logV2}) {
      if (l == null) {
        continue;
      }
      ObjectNode tlog = tlogs.addObject();
      tlog.put("baseUrl", base.toString());
      tlog.put("hashAlgorithm", "SHA2_256");
      ObjectNode pk = tlog.putObject("publicKey");
      pk.put("rawBytes", b64.encodeToString(l.publicKey().getEncoded()));
      pk.put("keyDetails",
          l.generation() == TransparencyLog.Generation.REKOR_V2 ? "PKIX_ED25519" : "PKIX_ECDSA_P256_SHA_256");
      pk.putObject("validFor").put("start", rfc3339(l.createdAt()));
      tlog.putObject("logId").put("keyId", b64.encodeToString(l.logId()));
    }

    try {
      X500Name caSubject = X500Name.getInstance(ca.root().getSubjectX500Principal().getEncoded());
      ObjectNode caNode = root.putArray("certificateAuthorities").addObject();
      ObjectNode caSubj = caNode.putObject("subject");
      caSubj.put("organization", rdn(caSubject, BCStyle.O));
      caSubj.put("commonName", rdn(caSubject, BCStyle.CN));
      caNode.put("uri", base.toString());
      ArrayNode caCerts = caNode.putObject("certChain").putArray("certificates");
      for (X509Certificate c : ca.chain()) {
        caCerts.addObject().put("rawBytes", b64.encodeToString(c.getEncoded()));
      }
      caNode.putObject("validFor").put("start", rfc3339(ca.validFrom()));
    } catch (CertificateEncodingException e) {
      throw new IOException("encoding the certificate authority's chain failed", e);
    }

    CtLog ct = ca.ctLog();
    byte[] ctSpki = ct.publicKey().getEncoded();
    ObjectNode ctNode = root.putArray("ctlogs").addObject();
    ctNode.put("baseUrl", base.toString());
    ctNode.put("hashAlgorithm", "SHA2_256");
    ObjectNode ctKey = ctNode.putObject("publicKey");
    ctKey.put("rawBytes", b64.encodeToString(ctSpki));
    ctKey.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    ctKey.putObject("validFor").put("start", rfc3339(ct.createdAt()));
    ctNode.putObject("logId").put("keyId", b64.encodeToString(ct.logId()));

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

  /**
   * The signing config ({@value #SIGNING_CONFIG_MEDIA_TYPE}): the CA, the OIDC issuer, the log and the TSA, all at
   * {@code base}. Deterministic for a given base URL and service start times.
   */
  static byte[] signingConfigJson(URI base, Instant caStart, Instant oidcStart, Instant logStart, Instant logV2Start,
      Instant tsaStart) throws IOException {
    ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    ObjectNode cfg = json.createObjectNode();
    cfg.put("mediaType", SIGNING_CONFIG_MEDIA_TYPE);
    service(cfg.putArray("caUrls"), base.toString(), 1, caStart);
    service(cfg.putArray("oidcUrls"), base.resolve(OIDC_PATH).toString(), 1, oidcStart);
    ArrayNode logs = cfg.putArray("rekorTlogUrls");
    if (logV2Start != null) {
      service(logs, base.toString(), 2, logV2Start);
    }
    if (logStart != null) {
      service(logs, base.toString(), 1, logStart);
    }
    service(cfg.putArray("tsaUrls"), base.resolve(TsaHttpHandler.PATH).toString(), 1, tsaStart);
    cfg.putObject("rekorTlogConfig").put("selector", "ANY");
    cfg.putObject("tsaConfig").put("selector", "ANY");
    byte[] out = json.writeValueAsBytes(cfg);
    byte[] withNewline = Arrays.copyOf(out, out.length + 1);
    withNewline[out.length] = '\n';
    return withNewline;
  }

  private static void service(ArrayNode list, String url, int majorApiVersion, Instant start) {
    ObjectNode s = list.addObject();
    s.put("url", url);
    s.put("majorApiVersion", majorApiVersion);
    s.putObject("validFor").put("start", rfc3339(start));
    s.put("operator", OPERATOR);
  }

  private static void writePublicMaterial(Path dir, TransparencyLog log, TransparencyLog logV2, CertificateAuthority ca,
      TimestampAuthority tsa) throws IOException {
    Files.createDirectories(dir);
    try {
      StringBuilder chain = new StringBuilder();
      for (X509Certificate c : ca.chain()) {
        chain.append(KeyFiles.pemString("CERTIFICATE", c.getEncoded()));
      }
      writeIfChanged(dir.resolve(FULCIO_CHAIN_PEM), chain.toString().getBytes(StandardCharsets.US_ASCII));
      StringBuilder tsaChain = new StringBuilder();
      for (X509Certificate c : tsa.chain()) {
        tsaChain.append(KeyFiles.pemString("CERTIFICATE", c.getEncoded()));
      }
      writeIfChanged(dir.resolve(TSA_CHAIN_PEM), tsaChain.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (CertificateEncodingException e) {
      throw new IOException("encoding a certificate chain failed", e);
    }
    if (log != null) {
      writeIfChanged(dir.resolve(REKOR_KEY_PEM),
          KeyFiles.pemString("PUBLIC KEY", log.publicKey().getEncoded()).getBytes(StandardCharsets.US_ASCII));
    }
    if (logV2 != null) {
      writeIfChanged(dir.resolve(REKOR_V2_KEY_PEM),
          KeyFiles.pemString("PUBLIC KEY", logV2.publicKey().getEncoded()).getBytes(StandardCharsets.US_ASCII));
    }
    writeIfChanged(dir.resolve(CTLOG_KEY_PEM),
        KeyFiles.pemString("PUBLIC KEY", ca.ctLog().publicKey().getEncoded()).getBytes(StandardCharsets.US_ASCII));
  }

  /** The directory of PEM files for clients configured by file (see {@link #PUBLIC_DIR}). */
  public Path publicMaterialDir() {
    return publicDir;
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
    KeyFiles.writeAtomically(file, content, null);
  }


  private static void serveDocument(HttpExchange ex, String documentPath, byte[] document) throws IOException {
    try (ex) {
      Exchanges.drain(ex.getRequestBody());
      String path = ex.getRequestURI().getRawPath();
      if (!path.equals(documentPath)) {
        Exchanges.send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        Exchanges.send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
      Exchanges.send(ex, 200, "application/json", document, Map.of());
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

  /** The signing config in the data directory (the same bytes as served at {@link #SIGNING_CONFIG_PATH}). */
  public Path signingConfigFile() {
    return signingConfigFile;
  }

  /** The local OIDC issuer's URL ({@code iss} of its tokens). */
  public URI oidcIssuerUrl() {
    return oidc.issuerUrl();
  }

  /** The local OIDC issuer, for minting tokens in-process. */
  public OidcIssuer oidcIssuer() {
    return oidc;
  }

  /** The certificate authority (and, through it, the CT log). */
  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  /** The timestamp authority's URL. */
  public URI tsaUrl() {
    return uri.resolve(TsaHttpHandler.PATH);
  }

  /**
   * The Rekor v1 transparency log (owned by this sandbox).
   *
   * @throws IllegalStateException if this sandbox does not serve Rekor v1
   */
  public TransparencyLog log() {
    if (log == null) {
      throw new IllegalStateException("this sandbox serves no Rekor v1 log (started with Rekor version 2)");
    }
    return log;
  }

  /** Whether this sandbox serves a Rekor v1 log. */
  public boolean servesRekorV1() {
    return log != null;
  }

  /** The Rekor v2 log (owned by this sandbox), when it serves one. */
  public java.util.Optional<TransparencyLog> logV2() {
    return java.util.Optional.ofNullable(logV2);
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
    try {
      if (log != null) {
        log.close();
      }
    } finally {
      if (logV2 != null) {
        logV2.close();
      }
    }
  }
}
