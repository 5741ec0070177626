package dev.sigil.cli;

import dev.sigil.signer.BlobSigner;
import dev.sigil.tuf.TrustException;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sigil verify-blob} (also {@code verify-bundle}): verify a bundle against a file or a digest. */
@Command(
    name = "verify-blob",
    aliases = "verify-bundle",
    description = "Verify a Sigstore bundle for a file (or a sha256:, sha384: or sha512: digest).")
class VerifyBlobCommand extends BaseCommand {
  private static final int MAX_WARNINGS = 3;

  /** The largest artifact an Ed25519 key verifies, which needs it whole in memory (as {@code BlobSigner} signs). */
  static final int MAX_IN_MEMORY_ARTIFACT = BlobSigner.MAX_ED25519_MESSAGE;

  @Option(names = "--bundle", paramLabel = "BUNDLE", required = true, description = "The Sigstore bundle.")
  Path bundlePath;

  @Option(names = "--key", paramLabel = "KEY", description = "PEM public key that must have signed (key-based bundles).")
  Path keyPath;

  @picocli.CommandLine.Mixin IdentityOptions identityOptions;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Trusted root JSON (default: the copy from 'sigil trusted-root update', else the embedded"
          + " Sigstore public-good snapshot).")
  Path trustedRootPath;

  @Option(names = "--insecure-ignore-tlog", arity = "0..1", fallbackValue = "true",
      description = "Accept a bundle without a verified transparency-log entry (unsafe).")
  boolean ignoreTlog;

  @Parameters(paramLabel = "FILE_OR_DIGEST",
      description = "The artifact: a path, or sha256:<hex>, sha384:<hex> or sha512:<hex> when no such file exists.")
  String artifactArg;

  @Override
  int execute() throws CliException, TrustException {
    Prepared p = prepare();
    VerificationResult result = p.verifier().verify(p.bundle(), p.policy());
    report(result, p.artifact());
    return result.isVerified() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
  }

  /** Everything one verification needs, read and parsed from the command line. */
  record Prepared(byte[] bundleJson, Bundle bundle, Verifier verifier, Artifact artifact, VerificationPolicy policy) {}

  Prepared prepare() throws CliException, TrustException {
    byte[] bundleJson = InputFiles.readSmall(bundlePath, "bundle", BundleParser.MAX_BUNDLE_BYTES);
    Bundle bundle;
    try {
      bundle = new BundleParser().parse(bundleJson);
    } catch (BundleParseException e) {
      throw CliException.badInput("bundle " + bundlePath + ": " + e.getMessage());
    }
    boolean hasIdentity = identityOptions.any();
    if (keyPath != null && hasIdentity) {
      throw CliException.badInput("usage: expected either --key or certificate identity flags, found both");
    }
    if (keyPath == null && !hasIdentity) {
      throw CliException.badInput(
          "usage: expected --key, or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], found"
              + " neither");
    }
    TrustedMaterial trusted = InputFiles.trustedRoot(trustedRootPath, terminal).root();
    TrustedPublicKey key = null;
    if (keyPath != null) {
      key = TrustedPublicKey.of(KeyFiles.publicKey(keyPath));
      trusted = TrustedMaterial.combine(trusted, new PublicKeyMaterial(List.of(key)));
    }
    Artifact artifact = artifact(bundle, key);
    VerificationPolicy.Builder policy = VerificationPolicy.builder().artifact(artifact);
    if (key != null) {
      policy.publicKey();
    } else {
      policy.identity(identityOptions.matcher());
    }
    if (ignoreTlog) {
      policy.withoutTransparencyLogUnsafe();
    }
    return new Prepared(bundleJson, bundle, Verifier.create(trusted), artifact, policy.build());
  }

  /**
   * The artifact as a file or as a digest reference. A file is hashed once, with every algorithm the bundle needs: its
   * message digest's and the key's, or each one its in-toto statement's subjects use (read unverified, only to
   * choose).
   */
  private Artifact artifact(Bundle bundle, TrustedPublicKey key) throws CliException {
    boolean needsContent = bundle.messageSignature().isPresent() && key != null && key.signsWholeMessage();
    if (!needsContent) {
      Optional<Artifact> digest = ArtifactInputs.digestReference(artifactArg);
      if (digest.isPresent()) {
        return digest.get();
      }
      Set<HashAlgorithm> algs = EnumSet.copyOf(ArtifactDigests.algorithmsFor(bundle));
      if (bundle.messageSignature().isPresent() && key != null && key.digestAlgorithm().isPresent()) {
        algs.add(key.digestAlgorithm().get());
      }
      return ArtifactInputs.resolve(artifactArg, algs, progress("Hashing " + ArtifactInputs.displayName(artifactArg)));
    }
    Path path = Path.of(artifactArg);
    if (!Files.exists(path)) {
      Optional<Artifact> ref = Artifact.parseDigestReference(artifactArg);
      if (ref.isPresent()) {
        return ref.get();
      }
    }
    InputFiles.requireRegularFile(path, "artifact");
    return Artifact.ofContent(readWhole(path));
  }

  /**
   * The whole artifact, for an Ed25519 key, read into one array of its exact size: at most two copies are held at once
   * (this one while {@link Artifact#ofContent} copies it, then that copy and the one the verifier takes).
   */
  private static byte[] readWhole(Path path) throws CliException {
    long size = InputFiles.requireFitsInMemory(path, MAX_IN_MEMORY_ARTIFACT, 2, "verifying");
    try (InputStream in = InputFiles.open(path, "artifact")) {
      byte[] content = new byte[(int) size];
      int n = in.readNBytes(content, 0, content.length);
      if (n != content.length || in.read() != -1) {
        throw CliException.badInput("artifact " + path + ": changed while it was read (expected " + size
            + " bytes, found " + (n != content.length ? n : "more") + ")");
      }
      return content;
    } catch (IOException e) {
      throw InputFiles.unreadable(path, "artifact", e);
    }
  }

  void report(VerificationResult result, Artifact artifact) {
    if (global.json()) {
      var n = jsonObject();
      n.put("ok", result.isVerified());
      n.put("exitCode", result.isVerified() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED);
      n.put("artifact", artifact.toString());
      if (result instanceof VerificationResult.Verified v) {
        n.put("signer", v.signer().describe());
      }
      if (result instanceof VerificationResult.Rejected r) {
        n.put("error", "verification failed: " + Hints.describe(r.failure()));
        n.put("reason", r.reason().name());
      }
      putChecks(n.putArray("checks"), result.checks());
      printJson(n);
    } else {
      for (Check c : result.checks()) {
        verbose("  " + TerminalText.safe(c.describe()));
      }
      if (result instanceof VerificationResult.Verified v) {
        terminal.out().println(
            "Verified OK: " + TerminalText.safe(artifactArg) + " (" + artifact + ") signed by "
                + TerminalText.safe(v.signer().describe()));
      } else {
        terminal.err().println(
            "Verification failed: " + TerminalText.safe(Hints.describe(((VerificationResult.Rejected) result).failure())));
      }
    }
    // At most a few warnings: a hostile bundle may carry 32 timestamps that do not verify (--verbose lists them all).
    java.util.List<Check> skipped = result.skipped();
    for (int i = 0; i < skipped.size() && i < MAX_WARNINGS; i++) {
      warn(skipped.get(i).name() + " not checked: " + skipped.get(i).found());
    }
    if (skipped.size() > MAX_WARNINGS) {
      warn((skipped.size() - MAX_WARNINGS) + " more checks not made (--verbose lists them)");
    }
  }

  /** Adds each check as {@code {check, outcome, reason, expected, found}} (the shape {@code --output json} gives). */
  static void putChecks(com.fasterxml.jackson.databind.node.ArrayNode into, List<Check> checks) {
    for (Check c : checks) {
      into.addObject()
          .put("check", c.name())
          .put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT))
          .put("reason", c.reason().isPresent() ? c.reason().get().name() : null)
          .put("expected", c.expected())
          .put("found", c.found());
    }
  }
}
