package dev.sigil.cli;

import dev.sigil.sandbox.Sandbox;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.config.SigningConfig;
import dev.sigil.signer.config.SigningConfigException;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.signer.keyless.TokenSources;
import dev.sigil.signer.keyless.RekorV2Client;
import dev.sigil.signer.keyless.TransparencyLogClient;
import java.util.List;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where signatures go and who signs, as every signing command's flags say it: a key ({@code --key}, logged with
 * {@code --tlog-upload}) or keyless; the services from {@code --sandbox}, {@code --signing-config}, explicit URLs or the
 * public-good signing config; the identity token from its sources. One place, so {@code sign-blob}, {@code attest-blob},
 * {@code sign} and {@code attest} choose alike.
 */
final class SigningServices {
  private final BaseCommand cmd;
  private final SignBlobCommand.Services svc;
  private final SignBlobCommand.Tokens tok;

  SigningServices(BaseCommand cmd, SignBlobCommand.Services svc, SignBlobCommand.Tokens tok) {
    this.cmd = cmd;
    this.svc = svc;
    this.tok = tok;
  }

  /**
   * The services a signature goes to, and the root its result is checked against.
   *
   * @param logs every transparency log to upload to, each with its Rekor API version
   * @param tsas every timestamp authority to ask (none with {@code --no-timestamp})
   */
  record Plan(Optional<URI> fulcio, List<SigningConfig.Service> logs, List<URI> tsas, Optional<URI> oidc,
      TrustedRoot root, String from) {
    /** The first log. */
    Optional<URI> rekor() {
      return logs.stream().findFirst().map(SigningConfig.Service::url);
    }

    /** The first timestamp authority. */
    Optional<URI> tsa() {
      return tsas.stream().findFirst();
    }

    /** A client for each log: Rekor v1 or v2 as the signing config says. */
    List<TransparencyLogClient> logClients() {
      return logs.stream().<TransparencyLogClient>map(l -> l.majorApiVersion() == 2
          ? new RekorV2Client(l.url()) : new RekorClient(l.url())).toList();
    }

    List<TimestampClient> tsaClients() {
      return tsas.stream().map(TimestampClient::new).toList();
    }

    /** The logs as the user reads them: {@code URL (Rekor v2)}, comma-separated. */
    String describeLogs() {
      return String.join(", ", logs.stream().map(l -> l.url() + " (Rekor v" + l.majorApiVersion() + ")").toList());
    }
  }

  /** A session and the plan it came from (empty for a key without log). */
  record Opened(SigningSession session, Optional<Plan> plan) {}

  /** Refuses contradictory flags before any file, registry or service is touched. */
  void checkFlags(Path key, boolean tlogUpload) throws CliException {
    if (key == null && tlogUpload) {
      throw CliException.badInput("--tlog-upload: only with --key (keyless signing always uploads)");
    }
    if (key != null && (tok.identityToken != null || tok.identityTokenFile != null || tok.oidcProvider != null)) {
      throw CliException.badInput("--identity-token/--identity-token-file/--oidc-provider: not with --key");
    }
    if (tok.oidcProvider != null && !tok.oidcProvider.equals("sandbox")) {
      throw CliException.badInput("--oidc-provider: expected 'sandbox', found '" + tok.oidcProvider
          + "' (other tokens come from --identity-token, $SIGSTORE_ID_TOKEN, --identity-token-file or GitHub Actions)");
    }
    if (tok.oidcProvider != null && svc.sandbox == null) {
      throw CliException.badInput("--oidc-provider sandbox: needs --sandbox URL");
    }
  }

  /**
   * Opens the signing session the flags ask for: reads the key (asking for its password) or, keyless, resolves the
   * services, gets an identity token and a Fulcio certificate.
   */
  Opened open(Path key, boolean tlogUpload) throws CliException {
    checkFlags(key, tlogUpload);
    if (key != null && !tlogUpload) {
      return new Opened(SigningSession.withKey(KeyFiles.signingKey(key, cmd.terminal)), Optional.empty());
    }
    Plan plan = plan(key == null);
    if (key != null) {
      SigningKey signingKey = KeyFiles.signingKey(key, cmd.terminal);
      return new Opened(SigningSession.withLoggedKey(signingKey, plan.logClients(), plan.tsaClients(), plan.root()),
          Optional.of(plan));
    }
    IdToken token = token(plan);
    cmd.verbose("identity token: issuer " + token.issuer() + ", identity " + token.identity());
    try {
      SigningSession s = SigningSession.startKeyless(
          new FulcioClient(plan.fulcio().orElseThrow()), token, plan.logClients(), plan.tsaClients(), plan.root(),
          new SecureRandom());
      return new Opened(s, Optional.of(plan));
    } catch (SigningException e) {
      throw new CliException(ExitCode.ENVIRONMENT, e.getMessage());
    }
  }

  /** The identity token: the sandbox's issuer, or the flags, the environment, a file, GitHub Actions. */
  IdToken token(Plan plan) throws CliException {
    if ("sandbox".equals(tok.oidcProvider)) {
      // The sandbox's signing config, read for the plan, names its issuer; no need to fetch it again.
      String jwt = plan.oidc().isPresent()
          ? SandboxRuntime.tokenFromIssuer(plan.oidc().get(), tok.sandboxSubject, null, "sigstore",
              Duration.ofMinutes(10), Map.of())
          : SandboxRuntime.token(svc.sandbox, tok.sandboxSubject, null, "sigstore", Duration.ofMinutes(10), Map.of());
      try {
        return IdToken.parse(jwt);
      } catch (SigningException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "the sandbox's token endpoint: " + e.getMessage());
      }
    }
    try {
      TokenSources.Resolved r = new TokenSources(cmd.terminal.env())
          .resolve(Optional.ofNullable(tok.identityToken), Optional.ofNullable(tok.identityTokenFile));
      cmd.verbose("identity token from " + r.source());
      return r.token();
    } catch (SigningException e) {
      throw CliException.badInput(e.getMessage());
    }
  }

  /** Resolves the services: --sandbox, else --signing-config, else the public-good config; URL flags override. */
  Plan plan(boolean keyless) throws CliException {
    SigningConfig config;
    TrustedRoot root = null;
    String from;
    if (svc.sandbox != null) {
      if (svc.signingConfig != null) {
        throw CliException.badInput("--sandbox and --signing-config: give one of them");
      }
      HttpClient http = SandboxRuntime.client();
      config = parseConfig(SandboxRuntime.fetch(http, svc.sandbox, Sandbox.SIGNING_CONFIG_PATH),
          "the sandbox's signing config");
      if (svc.trustedRoot == null) {
        byte[] json = SandboxRuntime.fetch(http, svc.sandbox, Sandbox.TRUSTED_ROOT_PATH);
        try {
          root = TrustedRoot.parse(json);
        } catch (TrustedRootException e) {
          throw new CliException(ExitCode.ENVIRONMENT, "the sandbox's trusted root: " + e.getMessage());
        }
      }
      from = "sandbox " + svc.sandbox;
    } else if (svc.signingConfig != null) {
      config = parseConfig(InputFiles.readSmall(svc.signingConfig, "signing config", 1 << 20),
          "signing config " + svc.signingConfig);
      from = "signing config " + svc.signingConfig;
    } else if (svc.fulcioUrl != null || svc.rekorUrl != null || svc.tsaUrl != null) {
      return explicitPlan(keyless);
    } else {
      config = SigningConfig.publicGood();
      from = "public-good Sigstore (embedded signing config)";
    }
    if (root == null) {
      try {
        root = InputFiles.trustedRoot(svc.trustedRoot, cmd.terminal).root();
      } catch (dev.sigil.tuf.TrustException e) {
        throw new CliException(ExitCode.of(e.kind()), e.getMessage(), e);
      }
    }
    Instant now = Instant.now();
    try {
      Optional<URI> fulcio = keyless
          ? Optional.of(svc.fulcioUrl != null ? svc.fulcioUrl : config.selectCa(now).url())
          : Optional.empty();
      // An explicit --rekor-url is a Rekor v1 log; Rekor v2 logs come from a signing config (or --sandbox).
      List<SigningConfig.Service> logs = svc.rekorUrl != null
          ? List.of(SigningConfig.Service.of(svc.rekorUrl, 1, Instant.EPOCH, "--rekor-url"))
          : config.selectRekorTlogs(now).selected();
      List<URI> tsas = List.of();
      if (!svc.noTimestamp) {
        tsas = svc.tsaUrl != null
            ? List.of(svc.tsaUrl)
            : config.selectTsas(now).selected().stream().map(SigningConfig.Service::url).toList();
      }
      if (tsas.isEmpty()) {
        for (SigningConfig.Service l : logs) {
          if (l.majorApiVersion() == 2) {
            throw CliException.badInput(from + ": the Rekor v2 log " + l.url() + " records no signing time, so"
                + " signing against it needs an RFC 3161 timestamp, and "
                + (svc.noTimestamp ? "--no-timestamp refuses one (drop it)"
                    : "no timestamp authority is configured (give --tsa-url, or a signing config with tsaUrls)"));
          }
        }
      }
      if (logs.size() > 1) {
        cmd.verbose("transparency logs (selector " + config.rekorTlogConfig().selector() + "): "
            + String.join(", ", logs.stream().map(l -> l.url() + " (Rekor v" + l.majorApiVersion() + ")").toList()));
      }
      Optional<URI> oidc = config.selectOidc(now).map(SigningConfig.Service::url);
      return new Plan(fulcio, logs, tsas, oidc, root, from);
    } catch (SigningConfigException e) {
      throw CliException.badInput(from + ": " + e.getMessage());
    }
  }

  /**
   * Services given by flag, with no --sandbox or --signing-config, are the whole set: none is taken from the
   * public-good signing config (which would send the signature's hash to the public TSA, and fail offline). A TSA is
   * used only with --tsa-url (as cosign); a missing Fulcio or Rekor is an error that names the flag.
   */
  private Plan explicitPlan(boolean keyless) throws CliException {
    if (svc.trustedRoot == null) {
      throw CliException.badInput("--fulcio-url/--rekor-url/--tsa-url: also give --trusted-root FILE for "
          + "those services (what is signed is verified against it before it is written)");
    }
    String given = given();
    if (keyless && svc.fulcioUrl == null) {
      throw CliException.badInput(given + " without --fulcio-url: keyless signing needs a Fulcio CA (services given"
          + " by flag are the whole set; none is taken from the public-good signing config)");
    }
    if (svc.rekorUrl == null) {
      throw CliException.badInput(given + " without --rekor-url: " + (keyless ? "keyless signing" : "--tlog-upload")
          + " needs a Rekor log (services given by flag are the whole set; none is taken from the public-good"
          + " signing config)");
    }
    if (svc.tsaUrl != null && svc.noTimestamp) {
      throw CliException.badInput("--tsa-url and --no-timestamp: give one of them");
    }
    TrustedRoot root;
    try {
      root = InputFiles.trustedRoot(svc.trustedRoot, cmd.terminal).root();
    } catch (dev.sigil.tuf.TrustException e) {
      throw new CliException(ExitCode.of(e.kind()), e.getMessage(), e);
    }
    return new Plan(
        keyless ? Optional.of(svc.fulcioUrl) : Optional.empty(),
        List.of(SigningConfig.Service.of(svc.rekorUrl, 1, Instant.EPOCH, "--rekor-url")),
        svc.tsaUrl != null ? List.of(svc.tsaUrl) : List.of(),
        Optional.empty(),
        root,
        "the services given by flag (" + given + ")");
  }

  private String given() {
    java.util.List<String> flags = new java.util.ArrayList<>();
    if (svc.fulcioUrl != null) {
      flags.add("--fulcio-url");
    }
    if (svc.rekorUrl != null) {
      flags.add("--rekor-url");
    }
    if (svc.tsaUrl != null) {
      flags.add("--tsa-url");
    }
    return String.join(", ", flags);
  }

  private static SigningConfig parseConfig(byte[] json, String what) throws CliException {
    try {
      return SigningConfig.parse(json);
    } catch (SigningConfigException e) {
      throw CliException.badInput(what + ": " + e.getMessage());
    }
  }
}
