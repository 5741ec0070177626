package dev.sigil.cli;

import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.VerifierOptions;
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
    description = "Verify a Sigstore bundle for a file (or a sha256:<hex> digest).")
class VerifyBlobCommand extends BaseCommand {
  private static final int MAX_IN_MEMORY_ARTIFACT = 256 * 1024 * 1024;

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
    VerificationResult result = p.verifier().verify(p.bundle(), p.policy());
    report(result, p.artifact());
    return result.isVerified() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
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
    boolean hasIdentity = identityOptions.any();
    if (keyPath != null && hasIdentity) {
      throw CliException.badInput("usage: expected either --key or certificate identity flags, found both");
    }
    if (keyPath == null && !hasIdentity) {
      throw CliException.badInput(
          "usage: expected --key, or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], found"
              + " neither");
    }
    TrustedMaterial trusted = TrustedRoots.load(trustedRootPath, terminal);
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
    Verifier verifier = Verifier.create(trusted, VerifierOptions.builder().cryptoBackend(CliCrypto.BACKEND).build());
    return new Prepared(bundleJson, bundle, verifier, artifact, policy.build());
  }

  /** The artifact as a file (hashed as a stream) or as a digest reference. */
  private Artifact artifact(Bundle bundle, TrustedPublicKey key) throws CliException {
    Path path = Path.of(artifactArg);
    if (!Files.exists(path)) {
      Optional<Artifact> ref = Artifact.parseDigestReference(artifactArg);
      if (ref.isPresent()) {
        return ref.get();
      }
    }
    InputFiles.requireRegularFile(path, "artifact");
    boolean needsContent = bundle.messageSignature().isPresent() && key != null && key.signsWholeMessage();
    try (InputStream in = InputFiles.open(path, "artifact")) {
      if (needsContent) {
        byte[] content = in.readNBytes(MAX_IN_MEMORY_ARTIFACT + 1);
        if (content.length > MAX_IN_MEMORY_ARTIFACT) {
          throw CliException.badInput(
              "artifact " + path + ": Ed25519 verification needs the artifact in memory, expected at most "
                  + MAX_IN_MEMORY_ARTIFACT + " bytes, found more");
        }
        return Artifact.ofContent(content, CliCrypto.BACKEND);
      }
      Set<HashAlgorithm> algs = EnumSet.of(HashAlgorithm.SHA2_256);
      if (bundle.messageSignature().isPresent() && bundle.messageSignature().get().messageDigest().isPresent()) {
        algs.add(bundle.messageSignature().get().messageDigest().get().algorithm());
      }
      if (key != null && key.digestAlgorithm().isPresent()) {
        algs.add(key.digestAlgorithm().get());
      }
      return Artifact.ofDigests(ArtifactDigests.digest(in, algs, CliCrypto.BACKEND));
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
      var checks = n.putArray("checks");
      for (Check c : result.checks()) {
        checks.addObject()
            .put("check", c.name())
            .put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT))
            .put("reason", c.reason().isPresent() ? c.reason().get().name() : null)
            .put("expected", c.expected())
            .put("found", c.found());
      }
      printJson(n);
    } else {
      for (Check c : result.checks()) {
        verbose("  " + c.describe());
      }
      if (result instanceof VerificationResult.Verified v) {
        terminal.out().println("Verified OK: " + artifactArg + " (" + artifact + ") signed by " + v.signer().describe());
      } else {
        terminal.err().println("Verification failed: " + Hints.describe(((VerificationResult.Rejected) result).failure()));
      }
    }
    for (Check c : result.skipped()) {
      warn(c.name() + " not checked: " + c.found());
    }
  }
}
