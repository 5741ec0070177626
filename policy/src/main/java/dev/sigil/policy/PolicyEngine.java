package dev.sigil.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.Subject;
import dev.sigil.attestations.slsa.SlsaCheck;
import dev.sigil.attestations.slsa.SlsaChecks;
import dev.sigil.attestations.slsa.SlsaReport;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageVerifier;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.KeySigner;
import dev.sigil.verifier.Signer;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.VerifierOptions;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import dev.sigil.verifier.trust.TrustedRoot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one policy engine: compiled once from a {@link PolicySet} (globs, regular expressions, CEL programs, a verifier
 * per trusted root and log requirement), immutable and thread-safe, deciding for an image from the evidence attached
 * to it. The engine decides; the verifier verifies: each signature and attestation is verified once per group of
 * authorities that share a trusted root and log requirement, and the engine then matches verified signers to
 * authorities and evaluates attestation requirements over verified statements. No I/O.
 *
 * <p>Semantics (policy-controller's, where it has them): every matching policy must be satisfied (in warn mode a
 * failing policy only warns); a policy is satisfied when at least {@code threshold} distinct authorities are; an
 * authority without attestation requirements is satisfied by one verified signature from it; an authority with
 * attestation requirements is satisfied when, for each requirement, one verified attestation it signed has the
 * predicate type and passes the SLSA checks and every condition; a static authority passes or fails as it says.
 */
public final class PolicyEngine {
  private final PolicySet set;
  private final Map<Object, Group> groups;
  private final Map<Authority, Group> groupOf;

  /** Authorities sharing a trusted root and log requirement share one verifier. */
  private record Group(Object key, Verifier verifier, ImageVerifier.Requirement requirement) {}

  private PolicyEngine(PolicySet set, Map<Object, Group> groups, Map<Authority, Group> groupOf) {
    this.set = set;
    this.groups = groups;
    this.groupOf = groupOf;
  }

  /**
   * Compiles a set.
   *
   * @param defaultRoot the trusted root for authorities that name none (public-good, or the TUF-refreshed root)
   */
  public static PolicyEngine compile(PolicySet set, TrustedRoot defaultRoot) {
    return compile(set, defaultRoot, VerifierOptions.defaults());
  }

  /** As {@link #compile(PolicySet, TrustedRoot)}, with verifier options (clock, caches). */
  public static PolicyEngine compile(PolicySet set, TrustedRoot defaultRoot, VerifierOptions options) {
    Objects.requireNonNull(defaultRoot, "defaultRoot");
    Map<Object, List<TrustedPublicKey>> keys = new LinkedHashMap<>();
    Map<Object, TrustedRoot> roots = new LinkedHashMap<>();
    Map<Object, Boolean> tlog = new HashMap<>();
    Map<Authority, Object> keyOf = new HashMap<>();
    for (ImagePolicy p : set.policies()) {
      for (Authority a : p.authorities()) {
        Optional<Authority.NamedRoot> root;
        boolean requireLog;
        if (a instanceof Authority.Key k) {
          root = k.root();
          requireLog = k.transparencyLogRequired();
        } else if (a instanceof Authority.Keyless k) {
          root = k.root();
          requireLog = k.transparencyLogRequired();
        } else {
          continue;
        }
        Object key = List.of(root.isPresent() ? root.get() : "default", requireLog);
        roots.putIfAbsent(key, root.isPresent() ? root.get().root() : defaultRoot);
        tlog.put(key, requireLog);
        List<TrustedPublicKey> ks = keys.computeIfAbsent(key, x -> new ArrayList<>());
        if (a instanceof Authority.Key k && ks.stream().noneMatch(t -> t.key().equals(k.key()))) {
          ks.add(TrustedPublicKey.of(k.key()));
        }
        keyOf.put(a, key);
      }
    }
    Map<Object, Group> groups = new LinkedHashMap<>();
    for (Map.Entry<Object, TrustedRoot> e : roots.entrySet()) {
      List<TrustedPublicKey> ks = keys.get(e.getKey());
      TrustedMaterial material =
          ks.isEmpty() ? e.getValue() : TrustedMaterial.combine(e.getValue(), new PublicKeyMaterial(ks));
      ImageVerifier.Requirement req = ImageVerifier.Requirement.anySignerUnsafe();
      if (!tlog.get(e.getKey())) {
        req = req.withoutTransparencyLogUnsafe();
      }
      groups.put(e.getKey(), new Group(e.getKey(), Verifier.create(material, options), req));
    }
    Map<Authority, Group> groupOf = new HashMap<>();
    for (Map.Entry<Authority, Object> e : keyOf.entrySet()) {
      groupOf.put(e.getKey(), groups.get(e.getValue()));
    }
    return new PolicyEngine(set, groups, groupOf);
  }

  /** The set this engine was compiled from. */
  public PolicySet policySet() {
    return set;
  }

  /** The policies that apply to a repository ({@code registry/repository}), in set order. */
  public List<ImagePolicy> matching(String repository) {
    List<ImagePolicy> out = new ArrayList<>();
    for (ImagePolicy p : set.policies()) {
      if (p.appliesTo(repository)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Evidence verified for every group of authorities that the matching policies use: each signature and attestation
   * verified once per group. Immutable; deciding from it is cheap and does no verification.
   */
  public record VerifiedEvidence(ImageEvidence evidence, Map<Object, ImageVerifier.ImageVerification> byGroup) {
    public VerifiedEvidence {
      Objects.requireNonNull(evidence, "evidence");
      byGroup = Map.copyOf(byGroup);
    }
  }

  /** Verifies the evidence for every group the policies matching this image use. */
  public VerifiedEvidence verify(ImageEvidence evidence) {
    Map<Object, ImageVerifier.ImageVerification> out = new HashMap<>();
    for (ImagePolicy p : matching(repository(evidence))) {
      for (Authority a : p.authorities()) {
        Group g = groupOf.get(a);
        if (g != null && !out.containsKey(g.key())) {
          out.put(g.key(), ImageVerifier.verify(evidence, g.verifier(), g.requirement()));
        }
      }
    }
    return new VerifiedEvidence(evidence, out);
  }

  /** Verifies and decides. */
  public Decision decide(ImageEvidence evidence) {
    return decide(verify(evidence));
  }

  /** Decides from already verified evidence. */
  public Decision decide(VerifiedEvidence verified) {
    ImageEvidence evidence = verified.evidence();
    String image = evidence.image();
    List<ImagePolicy> matching = matching(repository(evidence));
    if (matching.isEmpty()) {
      NoMatch n = set.noMatch();
      List<String> warnings = new ArrayList<>();
      if (n == NoMatch.WARN) {
        warnings.add(image + ": no policy matches it (noMatch: warn)");
      }
      return new Decision(image, n != NoMatch.DENY, List.of(), warnings, Optional.of(n));
    }
    List<Decision.PolicyResult> results = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    boolean allowed = true;
    for (ImagePolicy p : matching) {
      List<Decision.AuthorityResult> authorities = new ArrayList<>();
      int satisfied = 0;
      for (Authority a : p.authorities()) {
        Decision.AuthorityResult r = evaluate(a, verified);
        authorities.add(r);
        satisfied += r.satisfied() ? 1 : 0;
      }
      boolean ok = satisfied >= p.threshold();
      Decision.PolicyResult pr = new Decision.PolicyResult(p.name(), p.mode(), ok, p.threshold(), satisfied, authorities);
      results.add(pr);
      if (!ok) {
        if (p.mode() == Mode.WARN) {
          warnings.add(image + " would be denied by policy " + p.name() + " (warn mode): " + pr.reasons());
        } else {
          allowed = false;
        }
      }
    }
    return new Decision(image, allowed, results, warnings, Optional.empty());
  }

  /** The repository an image's policies are matched against: {@code registry/repository}, or the layout path. */
  static String repository(ImageEvidence e) {
    if (e.repository().isPresent()) {
      return e.repository().get();
    }
    String image = e.image();
    int at = image.lastIndexOf('@');
    return at < 0 ? image : image.substring(0, at);
  }

  private Decision.AuthorityResult evaluate(Authority a, VerifiedEvidence verified) {
    if (a instanceof Authority.Static s) {
      return new Decision.AuthorityResult(
          a.name(), s.pass(), s.pass() ? "static pass" : "static fail", List.of(), List.of());
    }
    ImageVerifier.ImageVerification v = verified.byGroup().get(groupOf.get(a).key());
    if (a.attestations().isEmpty()) {
      List<String> signers = new ArrayList<>();
      for (ImageVerifier.Accepted s : v.acceptedSignatures()) {
        if (matches(a, s.verification().signer())) {
          signers.add(s.verification().signer().describe());
        }
      }
      if (!signers.isEmpty()) {
        return new Decision.AuthorityResult(a.name(), true, "signed by " + signers.get(0), signers, List.of());
      }
      return new Decision.AuthorityResult(
          a.name(), false,
          "no signature from " + expected(a) + " (" + found(v.signatures(), "signature")
              + unreadable(verified.evidence()) + ")",
          List.of(), List.of());
    }
    List<Decision.AttestationResult> results = new ArrayList<>();
    List<String> signers = new ArrayList<>();
    boolean all = true;
    for (AttestationRequirement req : a.attestations()) {
      List<String> failures = new ArrayList<>();
      int found = 0;
      boolean ok = false;
      for (ImageVerifier.Accepted att : v.acceptedAttestations(req.predicateType())) {
        if (!matches(a, att.verification().signer())) {
          continue;
        }
        found++;
        Optional<String> failure = check(req, att, verified.evidence());
        if (failure.isEmpty()) {
          ok = true;
          signers.add(att.verification().signer().describe());
          break;
        }
        failures.add(failure.get());
      }
      if (found == 0) {
        failures.add(
            "no " + req.predicateType() + " attestation from " + expected(a) + " ("
                + found(v.attestations(), "attestation") + unreadable(verified.evidence()) + ")");
      }
      all &= ok;
      results.add(new Decision.AttestationResult(req.name(), req.predicateType(), ok, found, failures));
    }
    String detail;
    if (all) {
      detail = "attested by " + signers.get(0);
    } else {
      List<String> why = new ArrayList<>();
      for (Decision.AttestationResult r : results) {
        if (!r.satisfied()) {
          why.add("attestation " + r.name() + ": " + String.join("; ", r.failures()));
        }
      }
      detail = String.join("; ", why);
    }
    return new Decision.AuthorityResult(a.name(), all, detail, signers, results);
  }

  /** Whether a verified signer is this authority's. */
  private static boolean matches(Authority a, Signer signer) {
    if (a instanceof Authority.Key k) {
      return signer instanceof KeySigner ks && ks.fingerprint().equals(k.fingerprint());
    }
    if (a instanceof Authority.Keyless k && signer instanceof CertificateSigner cs) {
      for (IdentityMatcher m : k.identities()) {
        if (m.matches(cs)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String expected(Authority a) {
    if (a instanceof Authority.Key k) {
      return "key sha256:" + k.fingerprint().substring(0, 16) + "...";
    }
    return ((Authority.Keyless) a).describe();
  }

  /** What was found, for explanations: {@code found 1 signature, by X via Y} or why they were refused. */
  private static String found(List<ImageVerifier.Outcome> outcomes, String what) {
    if (outcomes.isEmpty()) {
      return "found no " + what;
    }
    List<String> by = new ArrayList<>();
    for (ImageVerifier.Outcome o : outcomes) {
      if (o instanceof ImageVerifier.Accepted acc) {
        by.add("by " + signer(acc.verification().signer()));
      } else {
        ImageVerifier.Refused r = (ImageVerifier.Refused) o;
        by.add("refused: " + r.code());
      }
    }
    return "found " + outcomes.size() + " " + what + (outcomes.size() == 1 ? "" : "s") + ", " + String.join(", ", by);
  }

  private static String unreadable(ImageEvidence e) {
    if (e.unreadable().isEmpty()) {
      return "";
    }
    return "; " + e.unreadable().size() + " attachment(s) unreadable, the first: " + e.unreadable().get(0).describe();
  }

  private static String signer(Signer s) {
    if (s instanceof CertificateSigner cs) {
      return cs.subjectAlternativeName() + (cs.issuer().isPresent() ? " via " + cs.issuer().get() : "");
    }
    return "key sha256:" + ((KeySigner) s).fingerprint().substring(0, 16) + "...";
  }

  /** The first reason this verified attestation does not satisfy the requirement, or empty. */
  private static Optional<String> check(AttestationRequirement req, ImageVerifier.Accepted att, ImageEvidence evidence) {
    Statement statement = att.verification().statement().orElseThrow();
    if (req.slsa().isPresent()) {
      SlsaReport report;
      try {
        report = SlsaChecks.check(statement.typedPredicate(), req.slsa().get());
        Signer s = att.verification().signer();
        if (s instanceof CertificateSigner cs && cs.extension(dev.sigil.verifier.FulcioExtension.SOURCE_REPOSITORY_URI).isPresent()) {
          report = report.and(SlsaChecks.compareWithCertificate(statement.typedPredicate(), cs.claims()));
        }
      } catch (AttestationException | RuntimeException e) {
        return Optional.of("SLSA checks: the predicate cannot be read (" + e.getMessage() + ")");
      }
      if (!report.passed()) {
        SlsaCheck f = report.failures().isEmpty() ? null : report.failures().get(0);
        return Optional.of(
            f == null ? "SLSA checks: none applied" : "SLSA " + f.name() + ": expected " + f.expected() + ", found " + f.found());
      }
    }
    if (!req.conditions().isEmpty()) {
      Map<String, Object> vars = variables(statement, att.verification().signer(), evidence);
      for (Condition c : req.conditions()) {
        Cel.Result r = c.program().evaluate(vars);
        if (r.isError()) {
          return Optional.of("condition " + c.name() + " failed with an error: " + r.error());
        }
        if (!r.value()) {
          return Optional.of("condition " + c.name() + " is false: " + c.message());
        }
      }
    }
    return Optional.empty();
  }

  /** The CEL variables for one verified attestation (see {@link Cel}). */
  static Map<String, Object> variables(Statement statement, Signer signer, ImageEvidence evidence) {
    Map<String, Object> vars = new HashMap<>();
    JsonNode predicate = statement.predicate();
    vars.put("predicate", Cel.value(predicate));
    vars.put("predicateType", statement.predicateType());
    List<Object> subjects = new ArrayList<>();
    for (Subject s : statement.subjects()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("digest", new LinkedHashMap<String, Object>(s.digest().entries()));
      subjects.add(m);
    }
    vars.put("subjects", subjects);
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("_type", statement.type());
    st.put("subject", subjects);
    st.put("predicateType", statement.predicateType());
    st.put("predicate", vars.get("predicate"));
    vars.put("statement", st);
    Map<String, Object> who = new LinkedHashMap<>();
    if (signer instanceof CertificateSigner cs) {
      who.put("kind", "certificate");
      who.put("subject", cs.subjectAlternativeName());
      who.put("issuer", cs.issuer().orElse(""));
      who.put("claims", new LinkedHashMap<String, Object>(cs.claims()));
    } else {
      KeySigner ks = (KeySigner) signer;
      who.put("kind", "key");
      who.put("key", ks.fingerprint());
      who.put("subject", "");
      who.put("issuer", "");
      who.put("claims", Map.of());
    }
    vars.put("signer", who);
    Map<String, String> image = new LinkedHashMap<>();
    image.put("name", evidence.image());
    image.put("repository", repository(evidence));
    image.put("digest", evidence.digest().toString());
    vars.put("image", image);
    return vars;
  }
}
