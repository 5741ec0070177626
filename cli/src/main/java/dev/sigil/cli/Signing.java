package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.signer.BlobSigner;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.config.SigningConfig;
import dev.sigil.signer.config.SigningConfigException;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.KeylessSigner;
import dev.sigil.signer.keyless.LoggedKeySigner;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.signer.keyless.TokenSources;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.VerifierOptions;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What {@code sign-blob} does, outside the picocli-reflected command class. */
final class Signing {
  private final SignBlobCommand cmd;
  private final SignBlobCommand.Services svc;
  private final SignBlobCommand.Tokens tok;

  Signing(SignBlobCommand cmd) {
    this.cmd = cmd;
    this.svc = cmd.services;
    this.tok = cmd.tokens;
  }

  /** The services a signature goes to, and the root its bundle is checked against. */
  record Plan(Optional<URI> fulcio, Optional<URI> rekor, Optional<URI> tsa, Optional<URI> oidc, TrustedRoot root,
      String from) {}

  int run() throws CliException {
    InputFiles.requireRegularFile(cmd.file, "artifact");
    if (cmd.key == null && cmd.tlogUpload) {
      throw CliException.badInput("--tlog-upload: only with --key (keyless signing always uploads)");
    }
    if (cmd.key != null && (tok.identityToken != null || tok.identityTokenFile != null || tok.oidcProvider != null)) {
      throw CliException.badInput("--identity-token/--identity-token-file/--oidc-provider: not with --key");
    }
    if (tok.oidcProvider != null && !tok.oidcProvider.equals("sandbox")) {
      throw CliException.badInput("--oidc-provider: expected 'sandbox', found '" + tok.oidcProvider
          + "' (other tokens come from --identity-token, $SIGSTORE_ID_TOKEN, --identity-token-file or GitHub Actions)");
    }
    if (tok.oidcProvider != null && svc.sandbox == null) {
      throw CliException.badInput("--oidc-provider sandbox: needs --sandbox URL");
    }
    if (cmd.key != null && !cmd.tlogUpload) {
      return keyOnly();
    }
    Plan plan = plan(cmd.key == null);
    Verifier verifier =
        Verifier.create(plan.root(), VerifierOptions.builder().cryptoBackend(CliCrypto.BACKEND).build());
    Optional<TimestampClient> tsa = plan.tsa().map(TimestampClient::new);
    RekorClient rekor = new RekorClient(plan.rekor().orElseThrow());
    if (cmd.key != null) {
      SigningKey signingKey = KeyFiles.signingKey(cmd.key, cmd.terminal);
      LoggedKeySigner.Signed signed;
      try (InputStream in = InputFiles.open(cmd.file, "artifact")) {
        signed = new LoggedKeySigner(rekor, tsa, plan.root()).sign(signingKey, in);
      } catch (IOException e) {
        throw InputFiles.unreadable(cmd.file, "artifact", e);
      } catch (SigningException e) {
        throw new CliException(ExitCode.ENVIRONMENT, e.getMessage());
      }
      write(signed.bundle());
      report(signed.artifact(), Optional.empty(), signed.logIndex(), plan, signed.bundle());
      return ExitCode.OK;
    }
    IdToken token = token(plan);
    cmd.verbose("identity token: issuer " + token.issuer() + ", identity " + token.identity());
    KeylessSigner signer = new KeylessSigner(
        new FulcioClient(plan.fulcio().orElseThrow()), rekor, tsa, verifier, new SecureRandom());
    KeylessSigner.Signed signed;
    try (InputStream in = InputFiles.open(cmd.file, "artifact")) {
      signed = signer.sign(token, in);
    } catch (IOException e) {
      throw InputFiles.unreadable(cmd.file, "artifact", e);
    } catch (SigningException e) {
      throw new CliException(ExitCode.ENVIRONMENT, e.getMessage());
    }
    write(signed.bundle());
    report(signed.artifact(), Optional.of(signed.identity()), signed.logIndex(), plan, signed.bundle());
    return ExitCode.OK;
  }

  private IdToken token(Plan plan) throws CliException {
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
          root = TrustedRoot.parse(json, CliCrypto.BACKEND);
        } catch (TrustedRootException e) {
          throw new CliException(ExitCode.ENVIRONMENT, "the sandbox's trusted root: " + e.getMessage());
        }
      }
      from = "sandbox " + svc.sandbox;
    } else if (svc.signingConfig != null) {
      config = parseConfig(InputFiles.readSmall(svc.signingConfig, "signing config", 1 << 20),
          "signing config " + svc.signingConfig);
      from = "signing config " + svc.signingConfig;
    } else {
      config = SigningConfig.publicGood();
      from = "public-good Sigstore (embedded signing config)";
      if ((svc.fulcioUrl != null || svc.rekorUrl != null || svc.tsaUrl != null) && svc.trustedRoot == null) {
        throw CliException.badInput("--fulcio-url/--rekor-url/--tsa-url: also give --trusted-root FILE for "
            + "those services (the new bundle is verified against it before it is written)");
      }
    }
    if (root == null) {
      root = TrustedRoots.load(svc.trustedRoot, cmd.terminal);
    }
    Instant now = Instant.now();
    try {
      Optional<URI> fulcio = keyless
          ? Optional.of(svc.fulcioUrl != null ? svc.fulcioUrl : config.selectCa(now).url())
          : Optional.empty();
      URI rekor = svc.rekorUrl;
      if (rekor == null) {
        SigningConfig.Selection logs = config.selectRekorTlogs(now);
        if (logs.selected().isEmpty()) {
          throw CliException.badInput(from + ": expected a usable Rekor v1 log, found none"
              + logs.skipped().stream().map(s -> "; " + s.service().url() + ": " + s.reason()).reduce("", String::concat));
        }
        if (logs.selected().size() > 1) {
          cmd.warn("the signing config asks for " + logs.selected().size()
              + " logs; Sigil uploads to the first, " + logs.selected().get(0).url());
        }
        rekor = logs.selected().get(0).url();
      }
      Optional<URI> tsa = Optional.empty();
      if (!svc.noTimestamp) {
        if (svc.tsaUrl != null) {
          tsa = Optional.of(svc.tsaUrl);
        } else {
          tsa = config.selectTsas(now).selected().stream().findFirst().map(SigningConfig.Service::url);
        }
      }
      Optional<URI> oidc = config.selectOidc(now).map(SigningConfig.Service::url);
      return new Plan(fulcio, Optional.of(rekor), tsa, oidc, root, from);
    } catch (SigningConfigException e) {
      throw CliException.badInput(from + ": " + e.getMessage());
    }
  }

  private static SigningConfig parseConfig(byte[] json, String what) throws CliException {
    try {
      return SigningConfig.parse(json);
    } catch (SigningConfigException e) {
      throw CliException.badInput(what + ": " + e.getMessage());
    }
  }

  private void write(Bundle b) throws CliException {
    byte[] json = new BundleWriter().write(b);
    try {
      AtomicFiles.write(cmd.bundle, json, false, true);
    } catch (IOException e) {
      throw CliException.environment("writing bundle " + cmd.bundle + " failed: " + e.getMessage(), e);
    }
  }

  private void report(Artifact artifact, Optional<KeylessSigner.Identity> identity, long logIndex, Plan plan,
      Bundle b) {
    if (cmd.global.json()) {
      ObjectNode n = cmd.jsonObject();
      n.put("ok", true);
      n.put("bundle", cmd.bundle.toString());
      n.put("artifact", artifact.toString());
      identity.ifPresent(id -> {
        n.put("identity", id.subjectAlternativeName());
        n.put("issuer", id.issuer());
      });
      n.put("tlogUpload", true);
      n.put("rekorUrl", plan.rekor().orElseThrow().toString());
      n.put("logIndex", logIndex);
      n.put("timestamps", b.verificationMaterial().rfc3161Timestamps().size());
      cmd.printJson(n);
      return;
    }
    cmd.info("Signed " + cmd.file + " (" + artifact + ")"
        + identity.map(id -> " as " + id.subjectAlternativeName() + " (issuer " + id.issuer() + ")").orElse(""));
    cmd.info("Transparency log: entry " + logIndex + " at " + plan.rekor().orElseThrow()
        + (b.verificationMaterial().rfc3161Timestamps().isEmpty() ? "" : "; RFC 3161 timestamp from "
            + plan.tsa().orElseThrow()));
    cmd.info("Bundle verified and written to " + cmd.bundle);
  }

  /** Key signature, no log upload: the original offline mode. */
  private int keyOnly() throws CliException {
    SigningKey signingKey = KeyFiles.signingKey(cmd.key, cmd.terminal);
    BlobSigner.Signed signed;
    try (InputStream in = InputFiles.open(cmd.file, "artifact")) {
      signed = new BlobSigner().signWithKey(signingKey, in);
    } catch (IOException e) {
      throw InputFiles.unreadable(cmd.file, "artifact", e);
    } catch (SigningException e) {
      throw CliException.badInput(e.getMessage());
    }
    write(signed.bundle());
    String noLog =
        "no transparency-log upload was made (key mode without --tlog-upload); verifiers will need --insecure-ignore-tlog";
    if (cmd.global.json()) {
      var n = cmd.jsonObject();
      n.put("ok", true);
      n.put("bundle", cmd.bundle.toString());
      n.put("artifact", signed.artifact().toString());
      n.put("tlogUpload", false);
      n.put("warning", noLog);
      cmd.printJson(n);
    } else {
      cmd.info("Signed " + cmd.file + " (" + signed.artifact() + ") with " + signingKey.algorithm().displayName()
          + " key");
      cmd.info("Bundle written to " + cmd.bundle);
    }
    cmd.warn(noLog);
    return ExitCode.OK;
  }
}
