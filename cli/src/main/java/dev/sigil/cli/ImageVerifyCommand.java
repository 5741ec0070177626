package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.images.ImageVerifier;
import dev.sigil.images.Unreadable;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.OciException;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code sigil verify} and {@code sigil verify-attestation} share: the image, who must have signed (a key or
 * certificate identity), the trusted root, the log waiver and the registry flags; fetching what is attached and
 * reporting every candidate.
 */
abstract class ImageVerifyCommand extends BaseCommand {
  @Parameters(paramLabel = "IMAGE",
      description = "registry/repository[:tag][@sha256:...], or oci-layout:PATH[:tag|@sha256:...]")
  String image;

  @Option(names = "--key", paramLabel = "KEY", description = "PEM public key that must have signed.")
  Path keyPath;

  @Mixin IdentityOptions identityOptions;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "Trusted root JSON (default: the copy from 'sigil trusted-root update', else the embedded"
          + " Sigstore public-good snapshot).")
  Path trustedRootPath;

  @Option(names = "--insecure-ignore-tlog", arity = "0..1", fallbackValue = "true",
      description = "Accept signatures without a verified transparency-log entry (unsafe).")
  boolean ignoreTlog;

  @Mixin RegistryFlags registry;

  /** The verifier and requirement the command line asks for. */
  record Prepared(ImageReference reference, Verifier verifier, ImageVerifier.Requirement requirement) {}

  Prepared prepare() throws CliException, dev.sigil.tuf.TrustException {
    ImageReference ref = RegistryFlags.reference(image);
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
    ImageVerifier.Requirement requirement;
    if (keyPath != null) {
      TrustedPublicKey key = TrustedPublicKey.of(KeyFiles.publicKey(keyPath));
      trusted = TrustedMaterial.combine(trusted, new PublicKeyMaterial(List.of(key)));
      requirement = ImageVerifier.Requirement.publicKey();
    } else {
      requirement = ImageVerifier.Requirement.identities(List.of(identityOptions.matcher()));
    }
    if (ignoreTlog) {
      requirement = requirement.withoutTransparencyLogUnsafe();
    }
    return new Prepared(ref, Verifier.create(trusted), requirement);
  }

  /** Fetches everything attached to the image (registry failures become exit 2 or 3, naming the image). */
  ImageEvidence fetch(ImageReference ref) throws CliException {
    try (ImageFetcher fetcher = new ImageFetcher(registry.client(ref))) {
      ImageEvidence e = fetcher.fetch(ref);
      if (e.resolvedFromTag().isPresent()) {
        warn(image + ": resolved tag \"" + e.resolvedFromTag().get() + "\" to " + e.digest()
            + "; name the digest to verify exactly this image");
      }
      return e;
    } catch (OciException e) {
      throw RegistryFlags.failure(image, e);
    }
  }

  /**
   * Prints every outcome (verbose: all; otherwise refusals as warnings when something was accepted), the unreadable
   * attachments, and the one-line verdict; returns the exit code.
   */
  int report(ImageEvidence evidence, String what, List<ImageVerifier.Outcome> outcomes, int accepted) {
    boolean ok = accepted > 0;
    if (global.json()) {
      ObjectNode n = jsonObject();
      n.put("ok", ok);
      n.put("exitCode", ok ? ExitCode.OK : ExitCode.VERIFICATION_FAILED);
      n.put("image", evidence.image());
      n.put("digest", evidence.digest().toString());
      ArrayNode list = n.putArray(what);
      for (ImageVerifier.Outcome o : outcomes) {
        ObjectNode e = list.addObject();
        e.put("scheme", o.candidate().scheme().name());
        e.put("location", o.candidate().location());
        if (o instanceof ImageVerifier.Accepted a) {
          e.put("accepted", true);
          e.put("signer", a.verification().signer().describe());
          if (a.verification().statement().isPresent()) {
            e.put("predicateType", a.verification().statement().get().predicateType());
          }
        } else {
          ImageVerifier.Refused r = (ImageVerifier.Refused) o;
          e.put("accepted", false);
          e.put("reason", r.code());
          e.put("detail", r.detail());
        }
      }
      ArrayNode bad = n.putArray("unreadable");
      for (Unreadable u : evidence.unreadable()) {
        bad.add(u.describe());
      }
      if (!ok) {
        n.put("error", verdict(evidence, what, outcomes));
      }
      printJson(n);
    } else {
      for (ImageVerifier.Outcome o : outcomes) {
        if (o instanceof ImageVerifier.Accepted || global.verbose) {
          verbose("  " + o.describe());
        }
        if (ok && o instanceof ImageVerifier.Refused r) {
          warn(r.describe());
        }
      }
      for (Unreadable u : evidence.unreadable()) {
        warn("unreadable: " + u.describe());
      }
      if (ok) {
        terminal.out().println(
            "Verified OK: " + evidence.image() + ": " + accepted + " of " + outcomes.size() + " " + what + " accepted");
        for (ImageVerifier.Outcome o : outcomes) {
          if (o instanceof ImageVerifier.Accepted a) {
            terminal.out().println("  " + a.describe());
          }
        }
      } else {
        terminal.err().println("Verification failed: " + verdict(evidence, what, outcomes));
      }
    }
    return ok ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
  }

  private static String verdict(ImageEvidence evidence, String what, List<ImageVerifier.Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return evidence.image() + ": expected at least one accepted " + singular(what) + ", found none attached"
          + (evidence.unreadable().isEmpty() ? "" : " that could be read (" + evidence.unreadable().size() + " unreadable)");
    }
    StringBuilder sb = new StringBuilder();
    for (ImageVerifier.Outcome o : outcomes) {
      ImageVerifier.Refused r = (ImageVerifier.Refused) o;
      String detail = r.verification().isPresent() ? Hints.describe(r.verification().get().failure()) : r.detail();
      sb.append(sb.length() == 0 ? "" : "; ").append(r.code()).append(": ").append(detail);
    }
    return evidence.image() + ": expected at least one accepted " + singular(what) + ", found " + outcomes.size()
        + " refused (" + sb + ")";
  }

  private static String singular(String what) {
    return what.endsWith("s") ? what.substring(0, what.length() - 1) : what;
  }
}
