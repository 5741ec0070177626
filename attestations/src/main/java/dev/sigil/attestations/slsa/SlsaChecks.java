package dev.sigil.attestations.slsa;

import dev.sigil.attestations.Predicate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SLSA checks as slsa-verifier makes them (v2, {@code verifiers/internal/gha/provenance.go}, {@code
 * verifiers/utils/git.go}, {@code verifiers/utils/builder.go}), as pure functions over a provenance that the verifier
 * has already verified (signature, log, subject): nothing here looks at signatures or artifacts.
 *
 * <p>{@link #check} compares a provenance with {@link SlsaExpectations}. Check names:
 *
 * <ul>
 *   <li>{@code predicate-type}: fails when the predicate is not SLSA provenance v1 or v0.2;
 *   <li>{@code source-uri}: the repository of the source ({@link ProvenanceSummary#source()}) equals the expected one,
 *       both normalised by {@code NormalizeGitURI} ({@code github.com/o/r} is {@code git+https://github.com/o/r});
 *   <li>{@code trigger-uri}: the same for the trigger, when the provenance names one;
 *   <li>{@code source-matches-trigger}: source and trigger, refs included, are the same URI (slsa-verifier: "source
 *       and trigger URIs do not match"), when both carry a ref;
 *   <li>{@code source-ref}: the source's ref (else the trigger's) equals the expected full ref;
 *   <li>{@code builder-id}: slsa-verifier's {@code MatchesLoose}, see {@link SlsaExpectations.Builder#builderId}.
 * </ul>
 *
 * <p>Deliberate differences from slsa-verifier: any source host is accepted (slsa-verifier: github.com only); a source
 * URI without {@code git+} is normalised rather than refused (GitLab's own provenance writes the bare project URL); the
 * ref is read from the source URI (slsa-verifier reads tags and branches from {@code GITHUB_REF} in builder-specific
 * parameters, which GitHub's and npm's provenance do not have); a missing ref fails only the ref check, not the source
 * check; {@code @} in user information before the host is not taken as the ref separator; the npm builder-id retry with
 * and without {@code /github-hosted} is not made.
 *
 * <p>{@link #compareWithCertificate} compares the same facts with the claims of a Fulcio certificate (keyless GitHub
 * Actions or GitLab signing), expected = the certificate's claim, found = the provenance's value. A fact the provenance
 * states but the certificate lacks is a failure (slsa-verifier: "empty certificate value to verify"). Check names:
 * {@code certificate-claims} (fails when no claim is given), {@code certificate-source-uri}, {@code
 * certificate-trigger-uri}, {@code certificate-source-ref}, {@code certificate-source-digest}, {@code
 * certificate-builder-id} (a {@code https://github.com/actions/runner/<env>} builder against {@code
 * runnerEnvironment}, a GitHub workflow builder against {@code buildSignerURI}; other builders are not compared), {@code
 * certificate-build-config} (workflow path against {@code buildConfigURI}), {@code certificate-run-invocation}, {@code
 * certificate-build-trigger}, {@code certificate-repository-id}, {@code certificate-repository-owner-id}, {@code
 * certificate-runner-environment}.
 */
public final class SlsaChecks {
  private static final String GITHUB_RUNNER = "https://github.com/actions/runner";

  private SlsaChecks() {}

  /** Checks {@code provenance} against {@code expected}; one check per fact compared. */
  public static SlsaReport check(Predicate provenance, SlsaExpectations expected) {
    Optional<ProvenanceSummary> summary = ProvenanceSummary.of(provenance);
    if (summary.isEmpty()) {
      return notProvenance(provenance);
    }
    ProvenanceSummary s = summary.get();
    List<SlsaCheck> out = new ArrayList<>();
    if (expected.sourceUri().isPresent()) {
      String want = GitUris.normalize(expected.sourceUri().get());
      out.add(
          s.sourceRepository()
              .map(found -> SlsaCheck.of("source-uri", want, found))
              .orElse(SlsaCheck.fail("source-uri", want, "no source URI (first resolved dependency / material)")));
      s.triggerRepository().ifPresent(found -> out.add(SlsaCheck.of("trigger-uri", want, found)));
      if (s.source().isPresent() && s.trigger().isPresent()) {
        String source = GitUris.normalize(s.source().get());
        String trigger = GitUris.normalize(s.trigger().get());
        if (GitUris.split(source)[1] != null && GitUris.split(trigger)[1] != null) {
          out.add(SlsaCheck.of("source-matches-trigger", trigger, source));
        }
      }
    }
    expected
        .sourceRef()
        .ifPresent(
            want ->
                out.add(
                    s.sourceRef()
                        .map(found -> SlsaCheck.of("source-ref", want, found))
                        .orElse(SlsaCheck.fail("source-ref", want, "no ref in the source or trigger URI"))));
    expected.builderId().ifPresent(want -> out.add(builderId(want, s.builderId())));
    return new SlsaReport(out);
  }

  private static SlsaReport notProvenance(Predicate p) {
    return new SlsaReport(
        List.of(SlsaCheck.fail("predicate-type", "SLSA provenance v1 or v0.2", p.predicateType())));
  }

  /** slsa-verifier's {@code TrustedBuilderID.MatchesLoose(expected, allowRef=true)}. */
  private static SlsaCheck builderId(String expected, String found) {
    String[] want = expected.split("@", -1);
    String[] got = found.split("@", -1);
    if (got.length > 2 || (got.length == 2 && got[1].isEmpty())) {
      return SlsaCheck.fail("builder-id", expected, found + " (not of the form NAME or NAME@VERSION)");
    }
    boolean passed = want[0].equals(got[0]);
    if (passed && want.length == 2) {
      String gotVersion = got.length == 2 ? got[1] : "";
      passed = want[1].equals(gotVersion) || ("refs/tags/" + want[1]).equals(gotVersion);
    }
    return new SlsaCheck("builder-id", expected, found, passed);
  }

  /**
   * Compares what {@code provenance} says with the claims of the Fulcio certificate that signed it, given as a map
   * (see {@link FulcioClaims} for the accepted key spellings).
   */
  public static SlsaReport compareWithCertificate(Predicate provenance, Map<String, String> certificateClaims) {
    Optional<ProvenanceSummary> summary = ProvenanceSummary.of(provenance);
    if (summary.isEmpty()) {
      return notProvenance(provenance);
    }
    FulcioClaims claims = FulcioClaims.of(certificateClaims);
    if (claims.isEmpty()) {
      return new SlsaReport(
          List.of(SlsaCheck.fail("certificate-claims", "Fulcio CI claims (source repository, ref, digest, ...)", "none")));
    }
    ProvenanceSummary s = summary.get();
    List<SlsaCheck> out = new ArrayList<>();
    Optional<String> certRepo = claims.get(FulcioClaims.SOURCE_REPOSITORY_URI).map(GitUris::normalize);
    s.sourceRepository()
        .ifPresent(v -> out.add(compare("certificate-source-uri", FulcioClaims.SOURCE_REPOSITORY_URI, certRepo, v)));
    s.triggerRepository()
        .ifPresent(v -> out.add(compare("certificate-trigger-uri", FulcioClaims.SOURCE_REPOSITORY_URI, certRepo, v)));
    s.sourceRef()
        .ifPresent(
            v ->
                out.add(
                    compare(
                        "certificate-source-ref",
                        FulcioClaims.SOURCE_REPOSITORY_REF,
                        claims.get(FulcioClaims.SOURCE_REPOSITORY_REF),
                        v)));
    s.sourceCommit()
        .ifPresent(
            v ->
                out.add(
                    compare(
                        "certificate-source-digest",
                        FulcioClaims.SOURCE_REPOSITORY_DIGEST,
                        claims.get(FulcioClaims.SOURCE_REPOSITORY_DIGEST),
                        v)));
    String builder = s.builderId();
    if (builder.equals(GITHUB_RUNNER) || builder.startsWith(GITHUB_RUNNER + "/")) {
      String env = builder.length() > GITHUB_RUNNER.length() ? builder.substring(GITHUB_RUNNER.length() + 1) : "github-hosted";
      out.add(
          compare(
              "certificate-builder-id", FulcioClaims.RUNNER_ENVIRONMENT, claims.get(FulcioClaims.RUNNER_ENVIRONMENT), env));
    } else if (builder.contains("/.github/workflows/")) {
      out.add(
          compare(
              "certificate-builder-id", FulcioClaims.BUILD_SIGNER_URI, claims.get(FulcioClaims.BUILD_SIGNER_URI), builder));
    }
    s.buildConfigPath()
        .ifPresent(
            v ->
                out.add(
                    compare(
                        "certificate-build-config",
                        FulcioClaims.BUILD_CONFIG_URI,
                        claims.get(FulcioClaims.BUILD_CONFIG_URI).map(u -> configPath(u, claims)),
                        v)));
    Map<String, String> ci = s.ci();
    if (ci.containsKey("run_id") && ci.containsKey("run_attempt")) {
      out.add(
          compare(
              "certificate-run-invocation",
              FulcioClaims.RUN_INVOCATION_URI,
              claims.get(FulcioClaims.RUN_INVOCATION_URI).map(SlsaChecks::runAndAttempt),
              ci.get("run_id") + "/attempts/" + ci.get("run_attempt")));
    } else if (s.invocationId().isPresent() && s.invocationId().get().contains("://")) {
      out.add(
          compare(
              "certificate-run-invocation",
              FulcioClaims.RUN_INVOCATION_URI,
              claims.get(FulcioClaims.RUN_INVOCATION_URI),
              s.invocationId().get()));
    }
    String[][] ciClaims = {
      {"event_name", "certificate-build-trigger", FulcioClaims.BUILD_TRIGGER},
      {"repository_id", "certificate-repository-id", FulcioClaims.SOURCE_REPOSITORY_IDENTIFIER},
      {"repository_owner_id", "certificate-repository-owner-id", FulcioClaims.SOURCE_REPOSITORY_OWNER_IDENTIFIER},
      {"runner_environment", "certificate-runner-environment", FulcioClaims.RUNNER_ENVIRONMENT}
    };
    for (String[] c : ciClaims) {
      if (ci.containsKey(c[0])) {
        out.add(compare(c[1], c[2], claims.get(c[2]), ci.get(c[0])));
      }
    }
    return new SlsaReport(out);
  }

  private static SlsaCheck compare(String name, String claim, Optional<String> certificate, String provenance) {
    if (certificate.isEmpty()) {
      return SlsaCheck.fail(name, "a " + claim + " claim in the certificate", "none (the provenance says " + provenance + ")");
    }
    return SlsaCheck.of(name, certificate.get(), provenance);
  }

  /**
   * The workflow path in a build config URI: {@code https://github.com/o/r/.github/workflows/x.yml@refs/heads/main}
   * gives {@code .github/workflows/x.yml}; GitLab's {@code https://gitlab.com/g/p//.gitlab-ci.yml@ref} gives {@code
   * .gitlab-ci.yml}. A URI outside the claimed source repository is returned whole, so it cannot match a path.
   */
  private static String configPath(String uri, FulcioClaims claims) {
    Optional<String> repo = claims.get(FulcioClaims.SOURCE_REPOSITORY_URI);
    if (repo.isEmpty() || !uri.startsWith(repo.get() + "/")) {
      return uri;
    }
    String rest = uri.substring(repo.get().length() + 1);
    while (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    int at = rest.lastIndexOf('@');
    return at < 0 ? rest : rest.substring(0, at);
  }

  /** {@code RUN/attempts/ATTEMPT} from a GitHub run invocation URI, or the URI itself if it has another shape. */
  private static String runAndAttempt(String uri) {
    int runs = uri.indexOf("/actions/runs/");
    return runs < 0 ? uri : uri.substring(runs + "/actions/runs/".length());
  }
}
