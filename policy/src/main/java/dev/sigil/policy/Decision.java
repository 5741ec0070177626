package dev.sigil.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine decided for one image, and why: per matching policy, per authority and per attestation, what was
 * required and what was found. {@link #explanation()} says it for people; the records say it for machines.
 *
 * @param image the image, {@code registry/repository@digest}
 * @param allowed whether the image may run
 * @param policies the matching policies' results, in set order
 * @param warnings warn-mode failures and no-match warnings (the image is allowed)
 * @param noMatch present when no policy matched, with what the settings say happens then
 */
public record Decision(
    String image, boolean allowed, List<PolicyResult> policies, List<String> warnings, Optional<NoMatch> noMatch) {
  public Decision {
    Objects.requireNonNull(image, "image");
    policies = List.copyOf(policies);
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(noMatch, "noMatch");
  }

  /** One policy's result. */
  public record PolicyResult(
      String policy, Mode mode, boolean satisfied, int threshold, int satisfiedAuthorities, List<AuthorityResult> authorities) {
    public PolicyResult {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(mode, "mode");
      authorities = List.copyOf(authorities);
    }

    /** Why the policy is not satisfied, in one phrase per unsatisfied authority. */
    public String reasons() {
      List<String> out = new ArrayList<>();
      for (AuthorityResult a : authorities) {
        if (!a.satisfied()) {
          out.add(a.authority() + ": " + a.detail());
        }
      }
      String need = threshold > 1 ? " (" + satisfiedAuthorities + " of the " + threshold + " required authorities satisfied)" : "";
      return String.join("; ", out) + need;
    }
  }

  /**
   * One authority's result.
   *
   * @param signers who signed the accepted signatures or attestations this authority counted
   * @param detail what was required and what was found, for people
   */
  public record AuthorityResult(
      String authority, boolean satisfied, String detail, List<String> signers, List<AttestationResult> attestations) {
    public AuthorityResult {
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(detail, "detail");
      signers = List.copyOf(signers);
      attestations = List.copyOf(attestations);
    }
  }

  /**
   * One required attestation's result.
   *
   * @param found how many verified attestations of the type this authority signed
   * @param failures for each of them, why it did not satisfy the requirement
   */
  public record AttestationResult(String name, String predicateType, boolean satisfied, int found, List<String> failures) {
    public AttestationResult {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(predicateType, "predicateType");
      failures = List.copyOf(failures);
    }
  }

  /** For people: allowed, or denied by which policies and why, one line. */
  public String explanation() {
    if (noMatch.isPresent()) {
      return image + (allowed ? " allowed" : " denied") + ": no policy matches it (noMatch: "
          + noMatch.get().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (allowed) {
      List<String> names = new ArrayList<>();
      for (PolicyResult p : policies) {
        names.add(p.policy() + (p.satisfied() ? "" : " (warn: " + p.reasons() + ")"));
      }
      return image + " allowed by " + String.join(", ", names);
    }
    List<String> denials = new ArrayList<>();
    for (PolicyResult p : policies) {
      if (!p.satisfied() && p.mode() == Mode.ENFORCE) {
        denials.add("policy " + p.policy() + ": " + p.reasons());
      }
    }
    return image + " denied by " + String.join("; and by ", denials);
  }
}
