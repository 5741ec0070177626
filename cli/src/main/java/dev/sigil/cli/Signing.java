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
import dev.sigil.tuf.TrustException;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code sign-blob} does, outside the picocli-reflected command class. */
final class Signing {
  private final SignBlobCommand cmd;
  private final SigningServices services;

  Signing(SignBlobCommand cmd) {
    this.cmd = cmd;
    this.services = new SigningServices(cmd, cmd.services, cmd.tokens);
  }

  int run() throws CliException, TrustException {
    InputFiles.requireRegularFile(cmd.file, "artifact");
    services.checkFlags(cmd.key, cmd.tlogUpload);
    if (cmd.key != null && !cmd.tlogUpload) {
      return keyOnly();
    }
    SigningServices.Plan plan = services.plan(cmd.key == null);
    Verifier verifier = Verifier.create(plan.root());
    if (cmd.key != null) {
      FileHasher.Pending early = hashWhileKeyLoads();
      SigningKey signingKey = signingKey(early);
      if (signingKey.algorithm() == KeyAlgorithm.ED25519) {
        cancel(early);
        throw CliException.badInput("--tlog-upload: expected an ECDSA or RSA key (a Rekor hashedrekord entry holds a"
            + " signature over a digest), found Ed25519; sign without --tlog-upload, or use an ECDSA key");
      }
      HashAlgorithm hash = signingKey.algorithm().hash().orElseThrow();
      byte[] digest = digest(early, hash);
      LoggedKeySigner.Signed signed;
      try {
        signed = new LoggedKeySigner(plan.logClients(), plan.tsaClients(), plan.root())
            .signDigest(signingKey, hash, digest);
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
        new FulcioClient(plan.fulcio().orElseThrow()), plan.logClients(), plan.tsaClients(), verifier,
        new SecureRandom());
    byte[] sha256 = hash(HashAlgorithm.SHA2_256);
    KeylessSigner.Signed signed;
    try {
      signed = signer.signDigest(token, sha256);
    } catch (SigningException e) {
      throw new CliException(ExitCode.ENVIRONMENT, e.getMessage());
    }
    write(signed.bundle());
    report(signed.artifact(), Optional.of(signed.identity()), signed.logIndex(), plan, signed.bundle());
    return ExitCode.OK;
  }

  /**
   * Starts hashing the artifact with SHA-256 while the key is read and decrypted (scrypt), so that with two cores
   * signing a large artifact takes the longer of the two rather than their sum; null when a password prompt could
   * share the terminal with the progress display. SHA-256 is the digest of every key type but ECDSA P-384, whose
   * artifact is hashed again, and Ed25519, which signs the artifact itself.
   */
  private FileHasher.Pending hashWhileKeyLoads() {
    if (Passwords.mayPrompt(cmd.terminal)) {
      return null;
    }
    List<FileHasher.Input> input = new ArrayList<>(1);
    input.add(new FileHasher.Input(cmd.file, EnumSet.of(HashAlgorithm.SHA2_256)));
    return FileHasher.forThisProcess().start(input, cmd.progress("Hashing " + cmd.file.getFileName()));
  }

  /** The signing key; hashing started early is stopped if it cannot be read. */
  private SigningKey signingKey(FileHasher.Pending early) throws CliException {
    try {
      return KeyFiles.signingKey(cmd.key, cmd.terminal);
    } catch (CliException | RuntimeException | Error e) {
      cancel(early);
      throw e;
    }
  }

  /** The artifact's digest in {@code algorithm}: from the early hashing when it is that one, else hashed now. */
  private byte[] digest(FileHasher.Pending early, HashAlgorithm algorithm) throws CliException {
    if (early != null && algorithm == HashAlgorithm.SHA2_256) {
      return early.await().get(0).digest(algorithm);
    }
    cancel(early);
    return hash(algorithm);
  }

  private static void cancel(FileHasher.Pending early) {
    if (early != null) {
      early.cancel();
    }
  }

  /** The artifact's digest, with progress on a terminal. */
  private byte[] hash(HashAlgorithm algorithm) throws CliException {
    return FileHasher.forThisProcess()
        .hash(cmd.file, EnumSet.of(algorithm), cmd.progress("Hashing " + cmd.file.getFileName()))
        .digest(algorithm);
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
      var entries = n.putArray("tlogEntries");
      for (int i = 0; i < b.verificationMaterial().tlogEntries().size(); i++) {
        var e = b.verificationMaterial().tlogEntries().get(i);
        entries.addObject().put("rekorUrl", plan.logs().get(i).url().toString())
            .put("rekorApiVersion", plan.logs().get(i).majorApiVersion()).put("logIndex", e.logIndex())
            .put("kind", e.kind() + " " + e.kindVersion());
      }
      n.put("timestamps", b.verificationMaterial().rfc3161Timestamps().size());
      cmd.printJson(n);
      return;
    }
    cmd.info("Signed " + cmd.file + " (" + artifact + ")"
        + identity.map(id -> " as " + id.subjectAlternativeName() + " (issuer " + id.issuer() + ")").orElse(""));
    for (int i = 0; i < b.verificationMaterial().tlogEntries().size(); i++) {
      var e = b.verificationMaterial().tlogEntries().get(i);
      cmd.info("Transparency log: " + e.kind() + " " + e.kindVersion() + " entry " + e.logIndex() + " at "
          + plan.logs().get(i).url() + " (Rekor v" + plan.logs().get(i).majorApiVersion() + ")");
    }
    if (!b.verificationMaterial().rfc3161Timestamps().isEmpty()) {
      cmd.info("RFC 3161 timestamp" + (plan.tsas().size() > 1 ? "s" : "") + " from "
          + String.join(", ", plan.tsas().stream().map(URI::toString).toList()));
    }
    cmd.info("Bundle verified and written to " + cmd.bundle);
  }

  /** Key signature, no log upload: the original offline mode. */
  private int keyOnly() throws CliException {
    FileHasher.Pending early = hashWhileKeyLoads();
    SigningKey signingKey = signingKey(early);
    BlobSigner signer = new BlobSigner();
    BlobSigner.Signed signed;
    if (signingKey.algorithm() == KeyAlgorithm.ED25519) {
      cancel(early);
      // At most three copies at once: the message, the signer's Artifact, and the copy its self-check verifies.
      InputFiles.requireFitsInMemory(cmd.file, BlobSigner.MAX_ED25519_MESSAGE, 3, "signing with");
      try (InputStream in = InputFiles.open(cmd.file, "artifact")) {
        signed = signer.signWithKey(signingKey, in);
      } catch (IOException e) {
        throw InputFiles.unreadable(cmd.file, "artifact", e);
      } catch (SigningException e) {
        throw CliException.badInput(e.getMessage());
      }
    } else {
      HashAlgorithm hash = signingKey.algorithm().hash().orElseThrow();
      byte[] digest = digest(early, hash);
      try {
        signed = signer.signDigest(signingKey, hash, digest);
      } catch (SigningException e) {
        throw CliException.badInput(e.getMessage());
      }
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
