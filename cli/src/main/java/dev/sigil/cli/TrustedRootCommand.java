package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.tuf.TrustException;
import dev.sigil.tuf.TrustedRootSnapshot;
import dev.sigil.tuf.TrustedRoots;
import dev.sigil.tuf.TufOrigin;
import dev.sigil.tuf.TufRoot;
import dev.sigil.tuf.TufTrustedRoot;
import dev.sigil.tuf.TufUpdate;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.ValidityPeriod;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sigil trusted-root}: refresh the Sigstore trusted root through TUF ({@code update}) and say which root
 * verification uses ({@code show}). Both are thin over the tuf module ({@link TufTrustedRoot}, {@link TrustedRoots}),
 * which owns the cache layout, the TUF client and the typed errors; {@link Sigil} maps those errors to exit codes, and
 * this class adds only what names its flags. Only {@code update} loads sigstore-java.
 */
@Command(
    name = "trusted-root",
    description = "Refresh (through TUF) or show the Sigstore trusted root verification starts from.",
    subcommands = {TrustedRootCommand.Update.class, TrustedRootCommand.Show.class})
final class TrustedRootCommand implements Runnable {
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
                + TufTrustedRoot.PUBLIC_GOOD_MIRROR + ").")
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
    int execute() throws CliException, TrustException {
      URI mirrorUri;
      try {
        mirrorUri = TufTrustedRoot.parseMirror(mirror == null ? TufTrustedRoot.PUBLIC_GOOD_MIRROR : mirror);
      } catch (TrustException e) {
        throw CliException.badInput("--mirror " + e.getMessage());
      }
      TufRoot initialRoot = tufRoot == null ? null : readTufRoot(tufRoot);
      TufTrustedRoot.Builder builder = TufTrustedRoot.builder().mirror(mirrorUri).cacheDir(cacheDir(cache, terminal));
      if (initialRoot != null) {
        builder.tufRoot(initialRoot);
      }
      TufTrustedRoot tuf = builder.build();
      SigstoreLogging.quiet(!global.debug);
      TufUpdate update;
      try {
        update = tuf.update();
      } catch (TrustException e) {
        if (e.reason() == TrustException.Reason.TUF_ROOT_REQUIRED) {
          throw CliException.badInput(
              "--mirror " + mirrorUri + ": expected --tuf-root FILE (the initial TUF root.json to trust for this"
                  + " mirror) on first use, found none");
        }
        throw e;
      }
      if (tufRoot != null && !update.startedFromInitialRoot()) {
        verbose("TUF root " + tufRoot + " not used: the cache already trusts a TUF root for " + mirrorUri);
      }
      TrustedRootSnapshot snapshot = update.snapshot();
      TrustedRoot root = snapshot.root();
      TufOrigin origin = update.origin();
      Path target = snapshot.path().orElseThrow();
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("exitCode", ExitCode.OK);
        n.put("path", target.toString());
        n.put("changed", update.changed());
        n.put("version", snapshot.version());
        n.put("mirror", origin.mirror().toString());
        n.put("tufRootVersion", origin.rootVersion());
        n.put("targetsVersion", origin.targetsVersion());
        n.put("mediaType", root.mediaType());
        n.put("certificateAuthorities", root.certificateAuthorities().size());
        n.put("tlogs", root.tlogs().size());
        n.put("ctlogs", root.ctlogs().size());
        n.put("timestampAuthorities", root.timestampAuthorities().size());
        printJson(n);
      } else {
        terminal.out().println(
            (update.changed() ? "Trusted root updated: " : "Trusted root already up to date: ") + target);
        terminal.out().println(
            "  from " + origin.mirror() + " (TUF root version " + origin.rootVersion() + ", targets version "
                + origin.targetsVersion() + ")");
        terminal.out().println("  media type " + root.mediaType());
        terminal.out().println("  " + Render.counts(root));
      }
      return ExitCode.OK;
    }

    /** Reads {@code --tuf-root}; a file that is not TUF root metadata is bad input (exit 2), caught before fetching. */
    private static TufRoot readTufRoot(Path file) throws CliException {
      byte[] bytes = InputFiles.readSmall(file, "TUF root", TufRoot.MAX_BYTES);
      try {
        return TufRoot.parse(bytes);
      } catch (TrustException e) {
        throw CliException.badInput("TUF root " + file + ": " + e.getMessage());
      }
    }
  }

  /**
   * sigstore-java logs ignored signatures as WARNINGs with stack traces through {@code java.util.logging}; the CLI
   * reports failures itself, so it silences them unless {@code --debug}. A class of its own so that only
   * {@code update} initialises java.util.logging.
   */
  private static final class SigstoreLogging {
    /** A strong reference: JUL forgets levels set on loggers nobody holds. */
    private static final Logger LOGGER = Logger.getLogger("dev.sigstore");

    static void quiet(boolean quiet) {
      LOGGER.setLevel(quiet ? Level.OFF : null);
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
    int execute() throws CliException, TrustException {
      TrustedRootSnapshot active = InputFiles.trustedRoot(trustedRootPath, cache.resolve(terminal.env()), terminal);
      Optional<TufOrigin> origin = TrustedRoots.cachedOrigin(active);
      TrustedRoot root = active.root();
      Instant now = Instant.now();
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("exitCode", ExitCode.OK);
        n.put("origin", Render.origin(active.origin()));
        active.path().ifPresent(p -> n.put("path", p.toString()));
        n.put("version", active.version());
        origin.ifPresent(
            o -> {
              n.put("mirror", o.mirror().toString());
              n.put("updated", o.updated().toString());
            });
        active.fallbackReason().ifPresent(p -> n.put("warning", p + InputFiles.UPDATE_HINT));
        Render.json(n, root, now);
        printJson(n);
        return ExitCode.OK;
      }
      var out = terminal.out();
      out.println("Trusted root: " + Render.describe(active));
      origin.ifPresent(o -> out.println("  fetched from " + o.mirror() + " at " + o.updated()));
      out.println("  version " + active.version());
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

    /** Where the root came from, as {@code show} says it. */
    static String describe(TrustedRootSnapshot s) {
      switch (s.origin()) {
        case FILE:
          return "file " + s.path().orElseThrow() + " (--trusted-root)";
        case TUF_CACHE:
          return "TUF cache " + s.path().orElseThrow() + " (written by 'sigil trusted-root update')";
        default:
          return "embedded public-good snapshot (no --trusted-root, no usable cached copy)";
      }
    }

    /** The origin as {@code show --output json} names it. */
    static String origin(TrustedRootSnapshot.Origin o) {
      switch (o) {
        case FILE:
          return "file";
        case TUF_CACHE:
          return "cache";
        default:
          return "embedded";
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
}
