package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.signer.BlobSigner;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.KeylessSigner;
import dev.sigil.signer.keyless.LoggedKeySigner;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleWriter;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Optional;

/** What {@code sign-blob} does, outside the picocli-reflected command class. */
final class Signing {
  private final SignBlobCommand cmd;

  private final SigningServices services;

  Signing(SignBlobCommand cmd) {
    this.cmd = cmd;
    this.services = new SigningServices(cmd, cmd.services, cmd.tokens);
  }

  int run() throws CliException {
    InputFiles.requireRegularFile(cmd.file, "artifact");
    services.checkFlags(cmd.key, cmd.tlogUpload);
    if (cmd.key != null && !cmd.tlogUpload) {
      return keyOnly();
    }
    SigningServices.Plan plan = services.plan(cmd.key == null);
    Verifier verifier = Verifier.create(plan.root());
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
    IdToken token = services.token(plan);
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

  private void write(Bundle b) throws CliException {
    byte[] json = new BundleWriter().write(b);
    try {
      AtomicFiles.write(cmd.bundle, json, false, true);
    } catch (IOException e) {
      throw CliException.environment("writing bundle " + cmd.bundle + " failed: " + e.getMessage(), e);
    }
  }

  private void report(Artifact artifact, Optional<KeylessSigner.Identity> identity, long logIndex, SigningServices.Plan plan,
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
