package dev.sigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.OciException;
import dev.sigil.policy.Decision;
import dev.sigil.policy.ImagePolicy;
import dev.sigil.policy.PolicyEngine;
import dev.sigil.policy.PolicyException;
import dev.sigil.policy.PolicyLoader;
import dev.sigil.policy.PolicySet;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sigil policy validate|test}: declarative image policy, checked and tried out on a laptop. */
@Command(
    name = "policy",
    description = "Validate image policies, and test them on images.",
    subcommands = {PolicyCommands.Validate.class, PolicyCommands.Test.class})
final class PolicyCommands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: validate or test");
  }

  /** Loads a policy set; every problem is bad input (exit 2), each line naming file, document and field. */
  static PolicySet load(List<Path> files) throws CliException {
    try {
      return new PolicyLoader().load(files);
    } catch (PolicyException e) {
      throw CliException.badInput(String.join("\n", e.problems()));
    }
  }

  /** {@code sigil policy validate FILE...}. */
  @Command(name = "validate", description = "Check policy files: fields, globs, expressions, keys, roots, CEL.")
  static final class Validate extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy files or directories of them.")
    List<Path> files;

    @Override
    int execute() throws CliException, dev.sigil.tuf.TrustException {
      PolicySet set = load(files);
      if (global.json()) {
        ObjectNode n = jsonObject();
        n.put("ok", true);
        n.put("hash", set.hash());
        n.put("noMatch", set.noMatch().name());
        ArrayNode ps = n.putArray("policies");
        for (ImagePolicy p : set.policies()) {
          ps.addObject().put("name", p.name()).put("mode", p.mode().name()).put("source", p.source());
        }
        printJson(n);
      } else {
        terminal.out().println(
            "Valid: " + set.policies().size() + " " + (set.policies().size() == 1 ? "policy" : "policies")
                + " (noMatch: " + set.noMatch().name().toLowerCase(java.util.Locale.ROOT) + ")");
        for (ImagePolicy p : set.policies()) {
          terminal.out().println("  " + p.name() + " (" + p.mode().name().toLowerCase(java.util.Locale.ROOT) + ", "
              + p.authorities().size() + " authorities, threshold " + p.threshold() + ") from " + p.source());
        }
      }
      return ExitCode.OK;
    }
  }

  /** {@code sigil policy test --policy FILE IMAGE...}. */
  @Command(name = "test", description = "Decide for images as the admission webhook would (exit 0 allowed, 1 denied).")
  static final class Test extends BaseCommand {
    @Option(names = "--policy", paramLabel = "FILE", required = true, description = "Policy file or directory (repeatable).")
    List<Path> policies;

    @Option(names = "--trusted-root", paramLabel = "FILE",
        description = "Trusted root for authorities that name none (default: the TUF copy, else public-good).")
    Path trustedRootPath;

    @Mixin RegistryFlags registry;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images (registry references or oci-layout:PATH).")
    List<String> images;

    @Override
    int execute() throws CliException, dev.sigil.tuf.TrustException {
      PolicyEngine engine = PolicyEngine.compile(load(policies), InputFiles.trustedRoot(trustedRootPath, terminal).root());
      int code = ExitCode.OK;
      ArrayNode all = global.json() ? jsonObject().putArray("decisions") : null;
      for (String image : images) {
        Decision d = decide(this, engine, registry, image);
        if (all != null) {
          all.add(json(d));
        } else {
          print(this, d);
        }
        code = d.allowed() ? code : ExitCode.VERIFICATION_FAILED;
      }
      if (all != null) {
        ObjectNode n = jsonObject();
        n.put("ok", code == ExitCode.OK);
        n.set("decisions", all);
        printJson(n);
      }
      return code;
    }
  }

  /** Fetches an image's evidence (registry failures: exit 2 or 3) and decides. */
  static Decision decide(BaseCommand cmd, PolicyEngine engine, RegistryFlags registry, String image) throws CliException {
    ImageReference ref = RegistryFlags.reference(image);
    try (ImageFetcher fetcher = new ImageFetcher(registry.client(ref))) {
      ImageEvidence e = fetcher.fetch(ref);
      if (e.resolvedFromTag().isPresent()) {
        cmd.warn(image + ": resolved tag \"" + e.resolvedFromTag().get() + "\" to " + e.digest());
      }
      return engine.decide(e);
    } catch (OciException e) {
      throw RegistryFlags.failure(image, e);
    }
  }

  /** A decision for people: the verdict line, then per policy and authority what was found (verbose: all). */
  static void print(BaseCommand cmd, Decision d) {
    for (String w : d.warnings()) {
      cmd.warn(w);
    }
    if (d.allowed()) {
      cmd.terminal.out().println("Allowed: " + d.explanation());
    } else {
      cmd.terminal.err().println("Denied: " + d.explanation());
    }
    for (Decision.PolicyResult p : d.policies()) {
      cmd.verbose("  policy " + p.policy() + " (" + p.mode().name().toLowerCase(java.util.Locale.ROOT) + "): "
          + (p.satisfied() ? "satisfied" : "not satisfied") + ", " + p.satisfiedAuthorities() + " of threshold "
          + p.threshold());
      for (Decision.AuthorityResult a : p.authorities()) {
        cmd.verbose("    " + a.authority() + ": " + (a.satisfied() ? "yes" : "no") + " (" + a.detail() + ")");
      }
    }
  }

  static ObjectNode json(Decision d) {
    ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("image", d.image());
    n.put("allowed", d.allowed());
    n.put("explanation", d.explanation());
    if (d.noMatch().isPresent()) {
      n.put("noMatch", d.noMatch().get().name());
    }
    ArrayNode w = n.putArray("warnings");
    d.warnings().forEach(w::add);
    ArrayNode ps = n.putArray("policies");
    for (Decision.PolicyResult p : d.policies()) {
      ObjectNode pn = ps.addObject();
      pn.put("policy", p.policy());
      pn.put("mode", p.mode().name());
      pn.put("satisfied", p.satisfied());
      pn.put("threshold", p.threshold());
      pn.put("satisfiedAuthorities", p.satisfiedAuthorities());
      ArrayNode as = pn.putArray("authorities");
      for (Decision.AuthorityResult a : p.authorities()) {
        ObjectNode an = as.addObject();
        an.put("authority", a.authority());
        an.put("satisfied", a.satisfied());
        an.put("detail", a.detail());
        ArrayNode signers = an.putArray("signers");
        a.signers().forEach(signers::add);
        ArrayNode atts = an.putArray("attestations");
        for (Decision.AttestationResult r : a.attestations()) {
          ObjectNode rn = atts.addObject();
          rn.put("name", r.name());
          rn.put("predicateType", r.predicateType());
          rn.put("satisfied", r.satisfied());
          rn.put("found", r.found());
          ArrayNode f = rn.putArray("failures");
          r.failures().forEach(f::add);
        }
      }
    }
    return n;
  }
}
