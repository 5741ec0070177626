package dev.sigil.cli;

import dev.sigil.sandbox.Sandbox;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.KeylessSigner;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.SigningTime;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.VerifierOptions;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What {@code sigil quickstart} does, outside the picocli-reflected command class. */
final class Quickstart {
  static final String IDENTITY = "dev@example.com";
  static final String SAMPLE = "release 1.0 of something important\n";

  private final QuickstartCommand cmd;

  Quickstart(QuickstartCommand cmd) {
    this.cmd = cmd;
  }

  int run() throws CliException {
    boolean keep = cmd.dir != null;
    Path work;
    try {
      work = keep ? Files.createDirectories(cmd.dir) : Files.createTempDirectory("sigil-quickstart-");
    } catch (IOException e) {
      throw CliException.environment("quickstart: cannot create a working directory: " + e.getMessage(), e);
    }
    try {
      return steps(work);
    } finally {
      if (!keep) {
        deleteQuietly(work);
      }
    }
  }

  private int steps(Path work) throws CliException {
    long start = System.nanoTime();
    say("Sigil quickstart: keyless signing against an embedded private Sigstore, offline.");
    try (SandboxRuntime.Running running = SandboxRuntime.start(work.resolve("sandbox"), 0)) {
      Sandbox sandbox = running.sandbox();
      say("");
      say("1. Started a sandbox at " + sandbox.uri() + ": OIDC issuer, Fulcio CA, CT log, Rekor log, timestamp authority.");

      String jwt = SandboxRuntime.tokenFromIssuer(sandbox.oidcIssuerUrl(), IDENTITY, null, "sigstore",
          Duration.ofMinutes(10), Map.of());
      IdToken token;
      try {
        token = IdToken.parse(jwt);
      } catch (SigningException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "quickstart: the sandbox's token: " + e.getMessage());
      }
      say("2. Got an OIDC identity token for " + IDENTITY + " from the sandbox's issuer:");
      say("   " + token.issuer());

      TrustedRoot root;
      try {
        root = TrustedRoot.parse(Files.readAllBytes(sandbox.trustedRootFile()), CliCrypto.BACKEND);
      } catch (IOException | TrustedRootException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "quickstart: the sandbox's trusted root: " + e.getMessage(), e);
      }
      Verifier verifier = Verifier.create(root, VerifierOptions.builder().cryptoBackend(CliCrypto.BACKEND).build());
      Path sample = work.resolve("release.txt");
      Path bundle = work.resolve("release.txt.sigstore.json");
      KeylessSigner.Signed signed;
      try {
        AtomicFiles.write(sample, SAMPLE.getBytes(StandardCharsets.UTF_8), false, true);
        KeylessSigner signer = new KeylessSigner(new FulcioClient(sandbox.uri()), new RekorClient(sandbox.uri()),
            Optional.of(new TimestampClient(sandbox.tsaUrl())), verifier, new SecureRandom());
        try (InputStream in = Files.newInputStream(sample)) {
          signed = signer.sign(token, in);
        }
        AtomicFiles.write(bundle, new BundleWriter().write(signed.bundle()), false, true);
      } catch (IOException e) {
        throw CliException.environment("quickstart: " + e.getMessage(), e);
      } catch (SigningException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "quickstart: signing failed: " + e.getMessage());
      }
      say("3. Signed " + sample.getFileName() + " keyless: a fresh key (never written), a 10-minute certificate for "
          + signed.identity().subjectAlternativeName() + ", Rekor entry " + signed.logIndex()
          + " and an RFC 3161 timestamp.");
      say("   Bundle: " + bundle + (cmd.dir == null ? " (temporary)" : ""));

      Artifact genuine = Artifact.ofDigests(Map.of(signed.digest().algorithm(), signed.digest().digest()));
      IdentityMatcher expected = IdentityMatcher.exact(IDENTITY, token.issuer());
      VerificationResult result = verifier.verify(signed.bundle(), VerificationPolicy.identity(genuine, expected));
      if (!(result instanceof VerificationResult.Verified ok)) {
        return failed("the genuine file was rejected: " + result.firstFailure().map(Check::describe).orElse("?"));
      }
      say("4. Verified it against the sandbox's trusted root, requiring signer " + IDENTITY + ":");
      say("   signed by " + ok.signer().describe());
      for (SigningTime t : ok.signingTimes()) {
        say("   at " + t.describe());
      }
      say("   " + ok.checks().stream().filter(c -> c.outcome() == Check.Outcome.PASSED).count()
          + " checks passed: signature, certificate chain, SCT, log entry (inclusion proof, checkpoint, SET), "
          + "timestamp, identity.");

      Artifact tampered = Artifact.ofContent("release 1.0 of something important, with a backdoor\n"
          .getBytes(StandardCharsets.UTF_8));
      VerificationResult t = verifier.verify(signed.bundle(), VerificationPolicy.identity(tampered, expected));
      if (t.isVerified()) {
        return failed("a tampered copy was accepted");
      }
      say("5. A tampered copy is rejected:");
      say("   " + t.firstFailure().map(Check::describe).orElse("?"));

      VerificationResult w = verifier.verify(signed.bundle(),
          VerificationPolicy.identity(genuine, IdentityMatcher.exact("mallory@example.com", token.issuer())));
      if (w.isVerified()) {
        return failed("the bundle was accepted for the wrong signer");
      }
      say("6. The genuine file, but expecting signer mallory@example.com, is rejected:");
      say("   " + w.firstFailure().map(Check::describe).orElse("?"));

      say("");
      say(String.format("Quickstart OK in %.1f s. The same with the CLI:", (System.nanoTime() - start) / 1e9));
      say("  sigil sandbox serve --port 8080 &");
      say("  sigil sign-blob --sandbox http://127.0.0.1:8080 --oidc-provider sandbox --bundle release.txt.sigstore.json release.txt");
      say("  sigil verify-blob --bundle release.txt.sigstore.json --trusted-root <sandbox data>/trusted_root.json \\");
      say("      --certificate-identity " + IDENTITY + " --certificate-oidc-issuer http://127.0.0.1:8080"
          + Sandbox.OIDC_PATH + " release.txt");
      if (cmd.global.json()) {
        var n = cmd.jsonObject();
        n.put("ok", true);
        n.put("identity", IDENTITY);
        n.put("issuer", token.issuer());
        n.put("logIndex", signed.logIndex());
        n.put("tamperedRejected", true);
        n.put("wrongSignerRejected", true);
        cmd.printJson(n);
      }
      return ExitCode.OK;
    }
  }

  private int failed(String what) throws CliException {
    throw new CliException(ExitCode.VERIFICATION_FAILED, "quickstart: " + what);
  }

  private void say(String line) {
    cmd.info(line);
  }

  private static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("WARNING: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
