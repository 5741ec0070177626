package dev.sigil.cli;

import dev.sigil.signer.BlobSigner;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sigil verify-blob} (also {@code verify-bundle}): verify a bundle against a file or a digest. */
@Command(
    name = "verify-blob",
    aliases = "verify-bundle",
    description = "Verify a Sigstore bundle for a file (or a sha256:<hex> digest).")
class VerifyBlobCommand extends BaseCommand {
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
      description = "The artifact: a path, or sha256:<64 hex> when no such file exists.")
  String artifactArg;

  @Override
  int execute() throws CliException {
    Prepared p = prepare();
    VerificationResult result = p.verifier().verify(p.bundle(), p.artifact(), p.policy());
    report(result, p.artifact());
    return result.verified() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
  }

  /** Everything one verification needs, read and parsed from the command line. */
  record Prepared(byte[] bundleJson, Bundle bundle, Verifier verifier, Artifact artifact, VerificationPolicy policy) {}

  Prepared prepare() throws CliException {
    byte[] bundleJson = InputFiles.readSmall(bundlePath, "bundle", BundleParser.MAX_BUNDLE_BYTES);
    Bundle bundle;
    try {
      bundle = new BundleParser().parse(bundleJson);
    } catch (BundleParseException e) {
      throw CliException.badInput("bundle " + bundlePath + ": " + e.getMessage());
    }
    VerificationPolicy policy = policy();
    if (ignoreTlog) {
      policy = policy.withoutTransparencyLogUnsafe();
    }
    Verifier verifier = Verifier.create(TrustedRoots.load(trustedRootPath, terminal));
    return new Prepared(bundleJson, bundle, verifier, artifact(bundle, policy), policy);
  }

  /** A key, or a certificate identity: exactly one. */
  private VerificationPolicy policy() throws CliException {
    boolean hasIdentity = identityOptions.any();
    if (keyPath != null && hasIdentity) {
      throw CliException.badInput(
          "usage: expected either --key or certificate identity flags, found both");
    }
    if (keyPath != null) {
      PublicKey publicKey = KeyFiles.publicKey(keyPath);
      try {
        return VerificationPolicy.publicKey(publicKey);
      } catch (UnsupportedKeyException e) {
        throw CliException.badInput("public key " + keyPath + ": " + e.getMessage());
      }
    }
    if (!hasIdentity) {
      throw CliException.badInput(
          "usage: expected --key, or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], found"
              + " neither");
    }
    return VerificationPolicy.identity(identityOptions.matcher());
  }

  /** The artifact as a file (hashed as a stream) or as a digest reference. */
  private Artifact artifact(Bundle bundle, VerificationPolicy policy) throws CliException {
    Path path = Path.of(artifactArg);
    if (!Files.exists(path)) {
      Optional<Artifact> ref = Artifact.parseDigestReference(artifactArg);
      if (ref.isPresent()) {
        return ref.get();
      }
    }
    InputFiles.requireRegularFile(path, "artifact");
    // Plain conditionals, not Optional.map lambdas, on this path: each lambda call site costs ~0.3 ms to link in a
    // cold JVM, and a verify-blob run links dozens of them otherwise.
    boolean needsContent =
        bundle.messageSignature().isPresent()
            && policy.key().isPresent()
            && policy.key().get().algorithm() == KeyAlgorithm.ED25519;
    if (needsContent) {
      return Artifact.ofContent(readWhole(path));
    }
    Set<HashAlgorithm> algs = EnumSet.of(HashAlgorithm.SHA2_256);
    if (bundle.messageSignature().isPresent() && bundle.messageSignature().get().messageDigest().isPresent()) {
      algs.add(bundle.messageSignature().get().messageDigest().get().algorithm());
    }
    if (policy.key().isPresent() && policy.key().get().algorithm().hash().isPresent()) {
      algs.add(policy.key().get().algorithm().hash().get());
    }
    return FileHasher.forThisProcess().hash(path, algs, progress("Hashing " + path.getFileName())).artifact();
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
      n.put("ok", result.verified());
      n.put("exitCode", result.verified() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED);
      n.put("artifact", artifact.toString());
      if (result.signer().isPresent()) {
        n.put("signer", result.signer().get());
      }
      if (result.firstFailure().isPresent()) {
        n.put("error", "verification failed: " + result.firstFailure().get().describe());
      }
      var checks = n.putArray("checks");
      for (Check c : result.checks()) {
        checks.addObject()
            .put("check", c.name())
            .put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT))
            .put("expected", c.expected())
            .put("found", c.found());
      }
      printJson(n);
    } else {
      for (Check c : result.checks()) {
        verbose("  " + c.describe());
      }
      if (result.verified()) {
        terminal.out().println(
            "Verified OK: " + artifactArg + " (" + artifact + ") signed by " + result.signer().orElse("?"));
      } else {
        Optional<Check> failure = result.firstFailure();
        terminal.err().println("Verification failed: " + (failure.isPresent() ? failure.get().describe() : "?"));
      }
    }
    for (Check c : result.skipped()) {
      warn(c.name() + " not checked: " + c.found());
    }
  }
}
