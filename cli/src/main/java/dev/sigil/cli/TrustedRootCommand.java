package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import dev.sigil.verifier.trust.ValidityPeriod;
import dev.sigstore.http.URIFormat;
import dev.sigstore.json.JsonParseException;
import dev.sigstore.tuf.FileNotFoundException;
import dev.sigstore.tuf.FileSystemTufStore;
import dev.sigstore.tuf.Fetcher;
import dev.sigstore.tuf.HttpFetcher;
import dev.sigstore.tuf.MetaFetcher;
import dev.sigstore.tuf.PassthroughCacheMetaStore;
import dev.sigstore.tuf.RoleExpiredException;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SigstoreTufClient;
import dev.sigstore.tuf.TargetMetadataMissingException;
import dev.sigstore.tuf.TrustedMetaStore;
import dev.sigstore.tuf.TufException;
import dev.sigstore.tuf.Updater;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sigil trusted-root}: refresh the Sigstore trusted root through TUF ({@code update}) and say which root
 * verification uses ({@code show}).
 *
 * <p>Only {@link Tuf} touches sigstore-java (the {@code dev.sigstore} imports are for it alone), and only
 * {@code update} calls it: every other command, verification included, never loads a sigstore-java class. Picocli
 * reflects on the command classes at every start-up, so their fields and method signatures (lambdas included) use JDK
 * and Sigil types only; helpers whose signatures name other types live in {@link Render}.
 *
 * <p>Cache layout ({@code DIR} from {@code --cache}, else {@link TrustedRoots#defaultCacheDir}):
 *
 * <pre>
 * DIR/trusted_root.json          the verified Sigstore trusted root that verification reads (written atomically)
 * DIR/trusted_root.origin        mirror and time of the last successful update (informational)
 * DIR/metadata/&lt;mirror&gt;/         sigstore-java's TUF store for one mirror (metadata, targets/)
 * DIR/.lock                      held while an update runs
 * </pre>
 */
@Command(
    name = "trusted-root",
    description = "Refresh (through TUF) or show the Sigstore trusted root verification starts from.",
    subcommands = {TrustedRootCommand.Update.class, TrustedRootCommand.Show.class})
final class TrustedRootCommand implements Runnable {
  /** The public-good Sigstore TUF repository, as sigstore-java's {@code usePublicGoodInstance()} names it. */
  static final String PUBLIC_GOOD_MIRROR = "https://tuf-repo-cdn.sigstore.dev/";
  /** The TUF target holding the Sigstore trusted root. */
  static final String TARGET = "trusted_root.json";
  /** A TUF root.json is a few KiB; refuse absurd --tuf-root files before parsing them. */
  static final int MAX_TUF_ROOT_BYTES = 1024 * 1024;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: update or show");
  }

  /** {@code --cache DIR}, which both subcommands take. */
  static final class CacheOption {
    @Option(
        names = "--cache",
        paramLabel = "DIR",
        description =
            "Cache directory (default: $SIGIL_TUF_CACHE, else $XDG_CACHE_HOME/sigil/tuf, else ~/.cache/sigil/tuf).")
    Path dir;

    /** The flag, else the default the environment gives (empty when it gives none). */
    Optional<Path> resolve(Map<String, String> env) {
      return dir != null ? Optional.of(dir) : TrustedRoots.defaultCacheDir(env);
    }
  }

  /** The cache directory: {@code --cache}, else the environment; exit 2 when neither names one. */
  static Path cacheDir(CacheOption option, Terminal terminal) throws CliException {
    return option
        .resolve(terminal.env())
        .orElseThrow(
            () ->
                CliException.badInput(
                    "TUF cache directory: expected --cache DIR, $" + TrustedRoots.CACHE_ENV
                        + ", $XDG_CACHE_HOME or $HOME, found none set"));
  }

  /**
   * The per-mirror TUF metadata directory inside the cache: the URL-encoded mirror URL, or its SHA-256 when that name
   * would be too long for a file system. One store per mirror, so a second mirror never meets the first one's root.
   */
  static Path metadataDir(Path cacheDir, URI mirror) {
    String name = URLEncoder.encode(mirror.toString(), StandardCharsets.UTF_8);
    if (name.length() > 200) {
      try {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        name = "sha256-" + java.util.HexFormat.of().formatHex(d);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
    return cacheDir.resolve("metadata").resolve(name);
  }

  /** {@code sigil trusted-root update}. */
  @Command(
      name = "update",
      description = {
        "Fetch the Sigstore trusted root through TUF, verify the TUF metadata chain, and cache the root: verification"
            + " then uses it by default (--trusted-root still overrides).",
        "The public-good TUF root of trust ships with Sigil; a private mirror needs --tuf-root on first use."
      })
  static final class Update extends BaseCommand {
    @Option(
        names = "--mirror",
        paramLabel = "URL",
        description =
            "TUF repository: metadata at URL/, targets at URL/targets/ (default: the public-good mirror "
                + PUBLIC_GOOD_MIRROR + ").")
    String mirror;

    @Option(
        names = "--tuf-root",
        paramLabel = "FILE",
        description =
            "Initial TUF root.json to trust for the mirror. Needed with --mirror the first time; afterwards the"
                + " cached, TUF-updated root of that mirror is used and this file is ignored.")
    Path tufRoot;

    @picocli.CommandLine.Mixin CacheOption cache;

    @Override
    @SuppressWarnings("try") // the lock is held for the block's extent, not referenced in it
    int execute() throws CliException {
      URI mirrorUri = parseMirror(mirror == null ? PUBLIC_GOOD_MIRROR : mirror);
      String initialRoot = null;
      if (tufRoot != null) {
        initialRoot = readTufRoot(tufRoot);
      }
      Path dir = cacheDir(cache, terminal);
      prepareDirectory(dir);
      Path metaDir = metadataDir(dir, mirrorUri);
      Path target = dir.resolve(TrustedRoots.CACHED_ROOT);
      Tuf.Result fetched;
      boolean changed;
      TrustedRoot root;
      try (FileChannel lockChannel = openLock(dir);
          FileLock lock = lockChannel.lock()) {
        // After the first update the store's own (TUF-updated) root is trusted; before it, an initial root is needed.
        boolean bootstrapped = Files.isRegularFile(metaDir.resolve("root.json"));
        if (initialRoot == null && !bootstrapped && !mirrorUri.toString().equals(PUBLIC_GOOD_MIRROR)) {
          throw CliException.badInput(
              "--mirror " + mirrorUri + ": expected --tuf-root FILE (the initial TUF root.json to trust for this"
                  + " mirror) on first use, found none");
        }
        if (initialRoot != null && bootstrapped) {
          verbose("TUF root " + tufRoot + " not used: the cache already trusts a TUF root for " + mirrorUri);
        }
        fetched = Tuf.update(metaDir, mirrorUri, initialRoot, global.debug);
        if (fetched.trustedRoot().length > TrustedRoot.MAX_TRUSTED_ROOT_BYTES) {
          throw CliException.environment(
              "trusted root from TUF mirror " + mirrorUri + ": expected at most " + TrustedRoot.MAX_TRUSTED_ROOT_BYTES
                  + " bytes, found " + fetched.trustedRoot().length + "; the cached copy is unchanged", null);
        }
        try {
          root = TrustedRoot.parse(fetched.trustedRoot(), CliCrypto.BACKEND);
        } catch (TrustedRootException e) {
          throw CliException.environment(
              "trusted root from TUF mirror " + mirrorUri + " (target " + TARGET + "): expected a Sigstore trusted"
                  + " root Sigil can read, found: " + e.getMessage() + "; the cached copy is unchanged", e);
        }
        changed = !sameContent(target, fetched.trustedRoot());
        try {
          AtomicFiles.write(target, fetched.trustedRoot(), false, true);
          String origin =
              "mirror=" + mirrorUri + "\nupdated=" + Instant.now() + "\ntufRootVersion=" + fetched.rootVersion()
                  + "\ntargetsVersion=" + fetched.targetsVersion() + "\n";
          AtomicFiles.write(
              dir.resolve(TrustedRoots.CACHED_ORIGIN), origin.getBytes(StandardCharsets.UTF_8), false, true);
        } catch (IOException e) {
          throw CliException.environment("writing " + target + " failed: " + message(e), e);
        }
      } catch (IOException e) {
        throw CliException.environment("TUF cache " + dir + ": locking " + dir.resolve(".lock") + " failed: "
            + message(e), e);
      }
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("exitCode", ExitCode.OK);
        n.put("path", target.toString());
        n.put("changed", changed);
        n.put("mirror", mirrorUri.toString());
        n.put("tufRootVersion", fetched.rootVersion());
        n.put("targetsVersion", fetched.targetsVersion());
        n.put("mediaType", root.mediaType());
        n.put("certificateAuthorities", root.certificateAuthorities().size());
        n.put("tlogs", root.tlogs().size());
        n.put("ctlogs", root.ctlogs().size());
        n.put("timestampAuthorities", root.timestampAuthorities().size());
        printJson(n);
      } else {
        terminal.out().println(
            (changed ? "Trusted root updated: " : "Trusted root already up to date: ") + target);
        terminal.out().println(
            "  from " + mirrorUri + " (TUF root version " + fetched.rootVersion() + ", targets version "
                + fetched.targetsVersion() + ")");
        terminal.out().println("  media type " + root.mediaType());
        terminal.out().println("  " + Render.counts(root));
      }
      return ExitCode.OK;
    }

    /** Reads {@code --tuf-root}; a file that is not TUF root metadata is bad input (exit 2), caught before fetching. */
    private static String readTufRoot(Path file) throws CliException {
      byte[] bytes = InputFiles.readSmall(file, "TUF root", MAX_TUF_ROOT_BYTES);
      com.fasterxml.jackson.databind.JsonNode json;
      try {
        json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
      } catch (IOException e) {
        String m =
            e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : message(e);
        throw CliException.badInput("TUF root " + file + ": expected JSON, found " + oneLine(String.valueOf(m)));
      }
      if (json == null
          || !json.path("signed").path("_type").asText().equals("root")
          || !json.path("signatures").isArray()) {
        throw CliException.badInput(
            "TUF root " + file + ": expected TUF root metadata ({\"signed\": {\"_type\": \"root\", ...},"
                + " \"signatures\": [...]}), found other JSON");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private static URI parseMirror(String s) throws CliException {
      URI uri;
      try {
        uri = new URI(s);
      } catch (URISyntaxException e) {
        throw CliException.badInput("--mirror " + s + ": expected an http(s) URL, found " + e.getReason());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw CliException.badInput(
            "--mirror " + s + ": expected an http(s) URL, found " + (scheme.isEmpty() ? "no scheme" : scheme + ":"));
      }
      if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw CliException.badInput("--mirror " + s + ": expected an http(s) URL with a host and no query or"
            + " fragment, found otherwise");
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return URI.create(scheme + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
    }

    /** Creates the cache directory; exit 2 when it cannot be used, before anything is fetched. */
    private static void prepareDirectory(Path dir) throws CliException {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw CliException.badInput("TUF cache " + dir + ": expected a directory, found a file");
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw CliException.badInput(
            "TUF cache " + dir + ": expected a directory that exists or can be created, found " + message(e));
      }
      if (!Files.isWritable(dir)) {
        throw CliException.badInput("TUF cache " + dir + ": expected a writable directory, found no write permission");
      }
    }

    private static FileChannel openLock(Path dir) throws IOException {
      return FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static boolean sameContent(Path file, byte[] data) {
      try {
        return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), data);
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** {@code sigil trusted-root show}. */
  @Command(
      name = "show",
      description =
          "Say which trusted root verification uses (--trusted-root, the TUF cache, or the embedded snapshot) and"
              + " list its authorities and logs with their validity windows. Never uses the network.")
  static final class Show extends BaseCommand {
    @Option(names = "--trusted-root", paramLabel = "FILE", description = "Show this trusted root file instead.")
    Path trustedRootPath;

    @picocli.CommandLine.Mixin CacheOption cache;

    @Override
    int execute() throws CliException {
      Optional<Path> dir = cache.resolve(terminal.env());
      TrustedRoots.Active active = TrustedRoots.resolve(trustedRootPath, dir);
      active.cacheProblem().ifPresent(this::warn);
      Optional<Properties> origin =
          active.origin() == TrustedRoots.Origin.CACHE
              ? Render.readOrigin(active.path().orElseThrow().resolveSibling(TrustedRoots.CACHED_ORIGIN))
              : Optional.empty();
      TrustedRoot root = active.root();
      Instant now = Instant.now();
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("exitCode", ExitCode.OK);
        n.put("origin", active.origin().name().toLowerCase(Locale.ROOT));
        active.path().ifPresent(p -> n.put("path", p.toString()));
        origin.ifPresent(
            o -> {
              n.put("mirror", o.getProperty("mirror", ""));
              n.put("updated", o.getProperty("updated", ""));
            });
        active.cacheProblem().ifPresent(p -> n.put("warning", p));
        Render.json(n, root, now);
        printJson(n);
        return ExitCode.OK;
      }
      var out = terminal.out();
      out.println("Trusted root: " + active.describe());
      origin.ifPresent(
          o -> out.println("  fetched from " + o.getProperty("mirror", "?") + " at " + o.getProperty("updated", "?")));
      Render.text(out, root, now);
      return ExitCode.OK;
    }
  }

  /**
   * Text and JSON renderings of a trusted root. A separate class, not a command: picocli reflects on the command
   * classes' methods at every start-up, and these signatures name Jackson and verifier types.
   */
  static final class Render {
    private Render() {}

    static Optional<Properties> readOrigin(Path file) {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file);
          Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
        p.load(r);
        return Optional.of(p);
      } catch (IOException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    /** The media type, the counts, and every authority and log with its validity window. */
    static void text(java.io.PrintWriter out, TrustedRoot root, Instant now) {
      out.println("  media type " + root.mediaType());
      out.println("  " + counts(root));
      section(out, "Certificate authorities", root.certificateAuthorities().stream().map(c -> authority(c, now)));
      section(out, "Transparency logs", root.tlogs().stream().map(l -> log(l, now)));
      section(out, "CT logs", root.ctlogs().stream().map(l -> log(l, now)));
      section(out, "Timestamp authorities", root.timestampAuthorities().stream().map(c -> authority(c, now)));
    }

    static void json(ObjectNode n, TrustedRoot root, Instant now) {
      n.put("mediaType", root.mediaType());
      authorities(n.putArray("certificateAuthorities"), root.certificateAuthorities(), now);
      logs(n.putArray("tlogs"), root.tlogs(), now);
      logs(n.putArray("ctlogs"), root.ctlogs(), now);
      authorities(n.putArray("timestampAuthorities"), root.timestampAuthorities(), now);
    }

    static void section(java.io.PrintWriter out, String title, java.util.stream.Stream<String> entries) {
      List<String> lines = entries.toList();
      out.println(title + " (" + lines.size() + "):");
      for (String l : lines) {
        out.println("  " + l);
      }
    }

    static String authority(CertificateAuthority c, Instant now) {
      String name = (c.subject().organization() + " " + c.subject().commonName()).strip();
      return (name.isEmpty() ? "(unnamed)" : name) + (c.uri().isEmpty() ? "" : " " + c.uri()) + "  valid "
          + window(c.validFor(), now);
    }

    static String log(TransparencyLogInstance l, Instant now) {
      return l.baseUrl() + "  valid " + window(l.validFor(), now);
    }

    static void authorities(ArrayNode a, List<CertificateAuthority> cas, Instant now) {
      for (CertificateAuthority c : cas) {
        ObjectNode o = a.addObject();
        o.put("organization", c.subject().organization());
        o.put("commonName", c.subject().commonName());
        o.put("uri", c.uri());
        validity(o, c.validFor(), now);
      }
    }

    static void logs(ArrayNode a, List<TransparencyLogInstance> logs, Instant now) {
      for (TransparencyLogInstance l : logs) {
        ObjectNode o = a.addObject();
        o.put("baseUrl", l.baseUrl());
        validity(o, l.validFor(), now);
      }
    }

    static void validity(ObjectNode o, ValidityPeriod v, Instant now) {
      v.startInstant().ifPresent(s -> o.put("validFrom", s.toString()));
      v.endInstant().ifPresent(e -> o.put("validUntil", e.toString()));
      o.put("current", v.contains(now));
    }

    static String window(ValidityPeriod v, Instant now) {
      String state =
          v.endInstant().filter(now::isAfter).isPresent()
              ? " (ended)"
              : v.startInstant().filter(now::isBefore).isPresent() ? " (not yet started)" : "";
      return v.describe() + state;
    }

    static String counts(TrustedRoot root) {
      return plural(root.certificateAuthorities().size(), "certificate authority", "certificate authorities") + ", "
          + plural(root.tlogs().size(), "transparency log", "transparency logs") + ", "
          + plural(root.ctlogs().size(), "CT log", "CT logs") + ", "
          + plural(root.timestampAuthorities().size(), "timestamp authority", "timestamp authorities");
    }

    private static String plural(int n, String one, String many) {
      return n + " " + (n == 1 ? one : many);
    }
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    String s = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      s = e.getClass().getSimpleName() + ": " + fse.getFile() + ": " + fse.getReason();
    }
    return oneLine(s);
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /**
   * The one place Sigil uses sigstore-java: its TUF {@link Updater} refreshes one mirror's metadata in a
   * {@link FileSystemTufStore} and fetches the {@value #TARGET} target. Loaded only when
   * {@code update} runs. Every failure becomes one {@link CliException} line (exit 3, or 2 for an unusable
   * {@code --tuf-root}).
   */
  static final class Tuf {
    /** Strong references: JUL forgets levels set on loggers nobody holds. */
    private static final Logger[] CHATTY = {
      Logger.getLogger("dev.sigstore"), Logger.getLogger("com.google.api.client"), Logger.getLogger("org.apache.http"),
    };

    private Tuf() {}

    /** The verified target and the versions of the metadata that vouched for it. */
    record Result(byte[] trustedRoot, int rootVersion, int targetsVersion) {}

    /**
     * Runs a TUF client update against {@code mirror} with its store in {@code metaDir}, then fetches (or re-checks
     * the cached copy of) {@value #TARGET}.
     *
     * @param initialRoot the TUF root to bootstrap from when {@code metaDir} holds none yet; null for the public-good
     *     root that ships inside sigstore-java
     */
    static Result update(Path metaDir, URI mirror, String initialRoot, boolean debug) throws CliException {
      for (Logger l : CHATTY) {
        // sigstore-java logs ignored signatures as WARNINGs with stack traces; Sigil reports failures itself.
        l.setLevel(debug ? null : Level.OFF);
      }
      RootProvider rootProvider =
          initialRoot != null
              ? () -> initialRoot
              : RootProvider.fromResource(SigstoreTufClient.PUBLIC_GOOD_ROOT_RESOURCE);
      FileSystemTufStore store;
      Fetcher metaFetcher;
      Fetcher targetFetcher;
      try {
        Files.createDirectories(metaDir);
        store = FileSystemTufStore.newFileSystemStore(metaDir);
        metaFetcher = new Watched(HttpFetcher.newFetcher(mirror));
        targetFetcher = new Watched(HttpFetcher.newFetcher(URIFormat.appendPath(mirror, "targets")));
      } catch (IOException e) {
        throw CliException.environment("TUF cache " + metaDir + ": preparing the TUF store failed: " + message(e), e);
      }
      TrustedMetaStore trusted =
          TrustedMetaStore.newTrustedMetaStore(PassthroughCacheMetaStore.newPassthroughMetaCache(store));
      Updater updater =
          Updater.builder()
              .setTrustedRootPath(rootProvider)
              .setTrustedMetaStore(trusted)
              .setTargetStore(store)
              .setMetaFetcher(MetaFetcher.newFetcher(metaFetcher))
              .setTargetFetcher(targetFetcher)
              .build();
      String failed = "TUF verification failed for mirror " + mirror + ": ";
      String kept = "; the cached trusted root is unchanged";
      try {
        updater.updateMeta();
        updater.downloadTarget(TARGET);
        byte[] bytes = store.readTarget(TARGET);
        return new Result(
            bytes, trusted.getRoot().getSignedMeta().getVersion(), trusted.getTargets().getSignedMeta().getVersion());
      } catch (Unreachable e) {
        throw CliException.environment(
            "TUF mirror " + mirror + ": expected a reachable TUF repository, found " + message(e.getCause())
                + " (fetching " + e.url + ")" + kept,
            e);
      } catch (RoleExpiredException e) {
        throw CliException.environment(
            failed + "metadata expired: expected an expiry after " + e.getUpdateTime().toInstant() + ", found "
                + e.getRoleExpirationTime().toInstant() + " and no newer version on the mirror" + kept,
            e);
      } catch (TargetMetadataMissingException e) {
        throw CliException.environment(
            "TUF mirror " + mirror + ": expected its targets metadata to list " + TARGET + ", found no such target"
                + kept,
            e);
      } catch (FileNotFoundException e) {
        // "file (NAME) was not found at source (URL)."
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^file \\((.*?)\\) was not found")
            .matcher(String.valueOf(e.getMessage()));
        String what = m.find() ? "expected " + m.group(1) + ", found none (HTTP 404)" : oneLine(e.getMessage());
        throw CliException.environment("TUF mirror " + mirror + ": " + what + kept, e);
      } catch (TufException e) {
        String m = oneLine(String.valueOf(e.getMessage()));
        if (e.getClass() == TufException.class) {
          // HttpFetcher: an HTTP status other than 200 or 404.
          throw CliException.environment("TUF mirror " + mirror + ": " + m + kept, e);
        }
        throw CliException.environment(failed + m + " (" + e.getClass().getSimpleName() + ")" + kept, e);
      } catch (JsonParseException e) {
        throw CliException.environment(failed + malformed(e, metaDir) + kept, e);
      } catch (IOException e) {
        throw CliException.environment(
            "TUF cache " + metaDir + ": reading or writing TUF metadata failed: " + message(e) + kept, e);
      } catch (RuntimeException e) {
        // Metadata that is JSON but not TUF (missing fields, wrong types) surfaces as runtime exceptions from
        // sigstore-java's generated model classes.
        throw CliException.environment(failed + malformed(e, metaDir) + kept, e);
      }
    }

    private static String malformed(Exception e, Path metaDir) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "malformed metadata from the mirror or in " + metaDir + " (" + message(root) + ")";
    }

    /** A fetch that failed below HTTP (connection refused, DNS, TLS, timeout), with the URL it was for. */
    static final class Unreachable extends IOException {
      private static final long serialVersionUID = 1L;
      final String url;

      Unreachable(String url, IOException cause) {
        super(cause);
        this.url = url;
      }
    }

    /** Marks I/O failures of the mirror so they are told apart from failures of the local store. */
    private static final class Watched implements Fetcher {
      private final Fetcher delegate;

      Watched(Fetcher delegate) {
        this.delegate = delegate;
      }

      @Override
      public String getSource() {
        return delegate.getSource();
      }

      @Override
      public byte[] fetchResource(String filename, int maxLength) throws IOException {
        try {
          return delegate.fetchResource(filename, maxLength);
        } catch (IOException e) {
          throw new Unreachable(URIFormat.appendPath(URI.create(getSource()), filename).toString(), e);
        }
      }
    }
  }
}
