package dev.sigil.attestations.slsa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Fixtures;
import dev.sigil.attestations.Predicate;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.TestCrypto;
import dev.sigil.attestations.provenance.ProvenanceBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlsaChecksTest {
  private static final String NPM_V1 = "corpus/sigstore.js-2.0.0-provenance.sigstore.json";
  private static final String NPM_V02 = "corpus/sigstore.js-1.3.0-provenance-v02.sigstore.json";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:09:10Z"), ZoneOffset.UTC);

  private static Predicate predicate(String bundle) throws Exception {
    return Fixtures.statement(bundle).typedPredicate();
  }

  private static Map<String, String> certificateClaims(String bundle) throws Exception {
    return TestCrypto.fulcioClaims(
        TestCrypto.bundleCertificate(StrictJson.parseObject(Fixtures.bytes(bundle), 1 << 24)));
  }

  private static List<String> names(SlsaReport r) {
    return names(r.checks());
  }

  private static List<String> names(List<SlsaCheck> checks) {
    return checks.stream().map(SlsaCheck::name).toList();
  }

  @Test
  void npmProvenanceComesFromSigstoreJs() throws Exception {
    SlsaReport r =
        SlsaChecks.check(
            predicate(NPM_V1),
            SlsaExpectations.builder()
                .sourceUri("github.com/sigstore/sigstore-js")
                .sourceBranch("main")
                .builderId("https://github.com/actions/runner/github-hosted")
                .build());
    assertTrue(r.passed(), r.checks().toString());
    assertEquals(List.of("source-uri", "trigger-uri", "source-matches-trigger", "source-ref", "builder-id"), names(r));
    assertEquals(
        new SlsaCheck("source-uri", "git+https://github.com/sigstore/sigstore-js", "git+https://github.com/sigstore/sigstore-js", true),
        r.checks().get(0));
    assertEquals(new SlsaCheck("source-ref", "refs/heads/main", "refs/heads/main", true), r.checks().get(3));
  }

  @ParameterizedTest
  @CsvSource({
    "github.com/sigstore/sigstore-js",
    "https://github.com/sigstore/sigstore-js",
    "git+https://github.com/sigstore/sigstore-js",
  })
  void sourceUriIsNormalisedAsSlsaVerifierDoes(String given) throws Exception {
    assertTrue(SlsaChecks.check(predicate(NPM_V1), SlsaExpectations.builder().sourceUri(given).build()).passed());
    assertTrue(SlsaChecks.check(predicate(NPM_V02), SlsaExpectations.builder().sourceUri(given).build()).passed());
  }

  @ParameterizedTest
  @CsvSource({
    "github.com/evil/sigstore-js",
    "github.com/sigstore/sigstore-js2",
    "github.com/sigstore",
    "gitlab.com/sigstore/sigstore-js",
    "github.com/sigstore/sigstore-js.git",
    "github.com/sigstore/sigstore-js@refs/heads/main",
    "http://github.com/sigstore/sigstore-js",
  })
  void otherSourcesFail(String given) throws Exception {
    SlsaReport r = SlsaChecks.check(predicate(NPM_V1), SlsaExpectations.builder().sourceUri(given).build());
    assertFalse(r.passed());
    assertEquals(List.of("source-uri", "trigger-uri"), names(r.failures()));
    assertEquals("git+https://github.com/sigstore/sigstore-js", r.failures().get(0).found());
  }

  @Test
  void refChecksComeInThreeForms() throws Exception {
    Predicate p = predicate(NPM_V1);
    assertTrue(SlsaChecks.check(p, SlsaExpectations.builder().sourceRef("refs/heads/main").build()).passed());
    assertTrue(SlsaChecks.check(p, SlsaExpectations.builder().sourceBranch("main").build()).passed());
    SlsaReport tag = SlsaChecks.check(p, SlsaExpectations.builder().sourceTag("main").build());
    assertEquals(List.of(new SlsaCheck("source-ref", "refs/tags/main", "refs/heads/main", false)), tag.checks());
  }

  @Test
  void v02ProvenanceReadsMaterialsAndConfigSource() throws Exception {
    SlsaReport r =
        SlsaChecks.check(
            predicate(NPM_V02),
            SlsaExpectations.builder().sourceUri("github.com/sigstore/sigstore-js").sourceBranch("main").build());
    assertTrue(r.passed(), r.checks().toString());
    assertEquals(List.of("source-uri", "trigger-uri", "source-matches-trigger", "source-ref"), names(r));
  }

  @Test
  void triggerAndSourceMustAgree() throws Exception {
    String v02 =
        "{\"builder\":{\"id\":\"https://github.com/actions/runner\"},\"buildType\":\"https://example.com/bt\","
            + "\"invocation\":{\"configSource\":{\"uri\":\"git+https://github.com/o/r@refs/heads/main\"}},"
            + "\"materials\":[{\"uri\":\"git+https://github.com/o/r@refs/heads/evil\"}]}";
    Predicate p = Predicate.of("https://slsa.dev/provenance/v0.2", StrictJson.parse(Fixtures.utf8(v02), 1 << 20));
    SlsaReport r = SlsaChecks.check(p, SlsaExpectations.builder().sourceUri("github.com/o/r").build());
    assertEquals(
        List.of(
            new SlsaCheck(
                "source-matches-trigger",
                "git+https://github.com/o/r@refs/heads/main",
                "git+https://github.com/o/r@refs/heads/evil",
                false)),
        r.failures());
  }

  @Test
  void provenanceWithoutSourceFails() throws Exception {
    Predicate p =
        Predicate.of(
            "https://slsa.dev/provenance/v1",
            StrictJson.parse(
                Fixtures.utf8(
                    "{\"buildDefinition\":{\"buildType\":\"https://t.example\",\"externalParameters\":{}},"
                        + "\"runDetails\":{\"builder\":{\"id\":\"https://b.example\"}}}"),
                1 << 20));
    SlsaReport r =
        SlsaChecks.check(p, SlsaExpectations.builder().sourceUri("github.com/o/r").sourceTag("v1").build());
    assertEquals(List.of("source-uri", "source-ref"), names(r.failures()));
    assertTrue(r.failures().get(1).found().startsWith("no ref"), r.failures().get(1).found());
  }

  /** slsa-verifier's MatchesLoose(expected, allowRef=true) on a provenance builder id of NAME@refs/tags/v1.9.0. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml, true",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.9.0, true",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0, true",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.9.1, false",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/heads/v1.9.0, false",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_go_slsa3.yml, false",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.ym, false",
  })
  void builderIdMatchesAsSlsaVerifierDoes(String expected, boolean passes) throws Exception {
    SlsaReport r =
        SlsaChecks.check(
            predicate("cosign/slsaprovenance02.sigstore.json"), SlsaExpectations.builder().builderId(expected).build());
    assertEquals(passes, r.passed(), r.checks().toString());
  }

  @Test
  void builderIdWithoutVersionInTheProvenance() throws Exception {
    Predicate npm = predicate(NPM_V1);
    assertTrue(
        SlsaChecks.check(npm, SlsaExpectations.builder().builderId("https://github.com/actions/runner/github-hosted").build())
            .passed());
    assertFalse(
        SlsaChecks.check(npm, SlsaExpectations.builder().builderId("https://github.com/actions/runner/github-hosted@v2").build())
            .passed());
    assertFalse(
        SlsaChecks.check(npm, SlsaExpectations.builder().builderId("https://github.com/actions/runner").build()).passed(),
        "no retry with and without /github-hosted, unlike slsa-verifier for npm");
  }

  @Test
  void expectationsRefuseNothingAndContradictions() {
    assertThrows(IllegalStateException.class, () -> SlsaExpectations.builder().build());
    assertThrows(IllegalStateException.class, () -> SlsaExpectations.builder().sourceTag("v1").sourceBranch("v1"));
    assertThrows(IllegalStateException.class, () -> SlsaExpectations.builder().sourceRef("refs/tags/a").sourceTag("b"));
    assertEquals(
        "refs/tags/v1",
        SlsaExpectations.builder().sourceRef("refs/tags/v1").sourceTag("v1").build().sourceRef().orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> SlsaExpectations.builder().sourceRef("main"));
    assertThrows(IllegalArgumentException.class, () -> SlsaExpectations.builder().sourceUri(""));
    assertThrows(IllegalArgumentException.class, () -> SlsaExpectations.builder().builderId("a@b@c"));
    assertThrows(IllegalArgumentException.class, () -> SlsaExpectations.builder().builderId("a@"));
  }

  @Test
  void otherPredicatesFailThePredicateTypeCheck() throws Exception {
    SlsaReport r =
        SlsaChecks.check(
            predicate("corpus/sigstore.js-1.3.0-publish.sigstore.json"),
            SlsaExpectations.builder().sourceUri("github.com/sigstore/sigstore-js").build());
    assertEquals(List.of("predicate-type"), names(r.failures()));
    assertFalse(SlsaChecks.compareWithCertificate(predicate("cosign/vuln.sigstore.json"), Map.of("issuer", "x")).passed());
  }

  // --- generated provenance (the acceptance script's environments) --------------------------------------------------

  @Test
  void generatedGitHubProvenance() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_REPOSITORY", "acme/app");
    env.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    env.put("GITHUB_REF", "refs/tags/v1.2.3");
    env.put("GITHUB_WORKFLOW_REF", "acme/app/.github/workflows/release.yml@refs/tags/v1.2.3");
    env.put("GITHUB_RUN_ID", "42");
    env.put("GITHUB_RUN_ATTEMPT", "1");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_EVENT_NAME", "push");
    env.put("RUNNER_ENVIRONMENT", "github-hosted");
    Predicate p =
        ProvenanceBuilder.fromEnvironment(env)
            .subject("f.txt", DigestSet.of(DigestAlgorithm.SHA256, "ab".repeat(32)))
            .clock(CLOCK)
            .build()
            .typedPredicate();
    assertTrue(
        SlsaChecks.check(
                p,
                SlsaExpectations.builder()
                    .sourceUri("github.com/acme/app")
                    .sourceTag("v1.2.3")
                    .builderId("https://github.com/acme/app/.github/workflows/release.yml@v1.2.3")
                    .build())
            .passed());
    assertFalse(SlsaChecks.check(p, SlsaExpectations.builder().sourceUri("github.com/evil/app").build()).passed());

    // What Fulcio would certify for that run, and a certificate from another ref.
    Map<String, String> claims = new LinkedHashMap<>();
    claims.put("sourceRepositoryURI", "https://github.com/acme/app");
    claims.put("sourceRepositoryRef", "refs/tags/v1.2.3");
    claims.put("sourceRepositoryDigest", "0123456789abcdef0123456789abcdef01234567");
    claims.put("buildSignerURI", "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3");
    claims.put("buildConfigURI", "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3");
    claims.put("runInvocationURI", "https://github.com/acme/app/actions/runs/42/attempts/1");
    claims.put("buildTrigger", "push");
    claims.put("runnerEnvironment", "github-hosted");
    SlsaReport cert = SlsaChecks.compareWithCertificate(p, claims);
    assertTrue(cert.passed(), cert.checks().toString());
    assertEquals(
        List.of(
            "certificate-source-uri",
            "certificate-trigger-uri",
            "certificate-source-ref",
            "certificate-source-digest",
            "certificate-builder-id",
            "certificate-build-config",
            "certificate-run-invocation",
            "certificate-build-trigger",
            "certificate-runner-environment"),
        names(cert));
    claims.put("sourceRepositoryRef", "refs/heads/main");
    claims.put("buildSignerURI", "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main");
    SlsaReport other = SlsaChecks.compareWithCertificate(p, claims);
    assertEquals(List.of("certificate-source-ref", "certificate-builder-id"), names(other.failures()));
    assertEquals(
        new SlsaCheck("certificate-source-ref", "refs/heads/main", "refs/tags/v1.2.3", false), other.failures().get(0));
  }

  @Test
  void generatedGitLabProvenance() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("GITLAB_CI", "true");
    env.put("CI_PROJECT_URL", "https://gitlab.com/acme/app");
    env.put("CI_COMMIT_SHA", "89abcdef0123456789abcdef0123456789abcdef");
    env.put("CI_COMMIT_REF_NAME", "main");
    env.put("CI_JOB_ID", "99");
    env.put("CI_SERVER_URL", "https://gitlab.com");
    env.put("CI_CONFIG_PATH", ".gitlab-ci.yml");
    Predicate p =
        ProvenanceBuilder.fromEnvironment(env)
            .subject("f.txt", DigestSet.of(DigestAlgorithm.SHA256, "ab".repeat(32)))
            .clock(CLOCK)
            .build()
            .typedPredicate();
    assertTrue(
        SlsaChecks.check(p, SlsaExpectations.builder().sourceUri("gitlab.com/acme/app").sourceBranch("main").build())
            .passed());
    // GitLab's Fulcio claims for that job.
    Map<String, String> claims = new LinkedHashMap<>();
    claims.put("source-repository-uri", "https://gitlab.com/acme/app");
    claims.put("source-repository-ref", "refs/heads/main");
    claims.put("source-repository-digest", "89abcdef0123456789abcdef0123456789abcdef");
    claims.put("build-config-uri", "https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main");
    claims.put("run-invocation-uri", "https://gitlab.com/acme/app/-/jobs/99");
    SlsaReport cert = SlsaChecks.compareWithCertificate(p, claims);
    assertTrue(cert.passed(), cert.checks().toString());
    assertEquals(
        List.of(
            "certificate-source-uri",
            "certificate-source-ref",
            "certificate-source-digest",
            "certificate-build-config",
            "certificate-run-invocation"),
        names(cert));
  }

  // --- certificate comparison on the real npm bundles --------------------------------------------------------------

  @Test
  void npmProvenanceAgreesWithItsCertificate() throws Exception {
    Map<String, String> claims = certificateClaims(NPM_V1);
    SlsaReport r = SlsaChecks.compareWithCertificate(predicate(NPM_V1), claims);
    assertTrue(r.passed(), r.checks().toString());
    assertEquals(
        List.of(
            "certificate-source-uri",
            "certificate-trigger-uri",
            "certificate-source-ref",
            "certificate-source-digest",
            "certificate-builder-id",
            "certificate-build-config",
            "certificate-run-invocation",
            "certificate-build-trigger",
            "certificate-repository-id",
            "certificate-repository-owner-id"),
        names(r));
    assertEquals(
        new SlsaCheck("certificate-source-digest", "f0b49a04e5a62250e0f60fb128004a73110fe311",
            "f0b49a04e5a62250e0f60fb128004a73110fe311", true),
        r.checks().get(3));
  }

  @Test
  void v02NpmProvenanceAgreesWithItsCertificate() throws Exception {
    SlsaReport r = SlsaChecks.compareWithCertificate(predicate(NPM_V02), certificateClaims(NPM_V02));
    assertTrue(r.passed(), r.checks().toString());
    assertTrue(names(r).containsAll(List.of("certificate-run-invocation", "certificate-builder-id", "certificate-build-config")));
  }

  @Test
  void aCertificateFromAnotherRunOrCommitFails() throws Exception {
    Map<String, String> claims = certificateClaims(NPM_V1);
    claims.put("1.3.6.1.4.1.57264.1.13", "0000000000000000000000000000000000000000");
    claims.put("1.3.6.1.4.1.57264.1.21", "https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/2");
    claims.put("1.3.6.1.4.1.57264.1.11", "self-hosted");
    SlsaReport r = SlsaChecks.compareWithCertificate(predicate(NPM_V1), claims);
    assertEquals(
        List.of("certificate-source-digest", "certificate-builder-id", "certificate-run-invocation"), names(r.failures()));
    assertEquals(
        new SlsaCheck("certificate-builder-id", "self-hosted", "github-hosted", false), r.failures().get(1));
  }

  @Test
  void aClaimTheProvenanceStatesButTheCertificateLacksFails() throws Exception {
    Map<String, String> claims = certificateClaims(NPM_V1);
    claims.remove("1.3.6.1.4.1.57264.1.15");
    SlsaReport r = SlsaChecks.compareWithCertificate(predicate(NPM_V1), claims);
    assertEquals(List.of("certificate-repository-id"), names(r.failures()));
    assertEquals("a sourceRepositoryIdentifier claim in the certificate", r.failures().get(0).expected());
    assertEquals(List.of("certificate-claims"), names(SlsaChecks.compareWithCertificate(predicate(NPM_V1), Map.of())));
  }

  @Test
  void claimKeysMayBeSpelledAnyWay() throws Exception {
    Map<String, String> byOid = certificateClaims(NPM_V1);
    Map<String, String> byName = new HashMap<>();
    String[] names = {
      "", "", "", "", "", "", "", "", "Issuer", "BuildSignerURI", "build-signer-digest", "runner_environment",
      "sourceRepositoryURI", "SOURCE-REPOSITORY-DIGEST", "sourceRepositoryRef", "source-repository-identifier",
      "sourceRepositoryOwnerURI", "sourceRepositoryOwnerIdentifier", "buildConfigURI", "buildConfigDigest",
      "buildTrigger", "runInvocationURI", "sourceRepositoryVisibilityAtSigning"
    };
    byOid.forEach((oid, v) -> byName.put(names[Integer.parseInt(oid.substring(oid.lastIndexOf('.') + 1))], v));
    assertEquals(
        SlsaChecks.compareWithCertificate(predicate(NPM_V1), byOid),
        SlsaChecks.compareWithCertificate(predicate(NPM_V1), byName));
  }

  @Test
  void summaryOfNpmProvenance() throws Exception {
    ProvenanceSummary s = ProvenanceSummary.of(predicate(NPM_V1)).orElseThrow();
    assertEquals("https://github.com/actions/runner/github-hosted", s.builderId());
    assertEquals("git+https://github.com/sigstore/sigstore-js", s.sourceRepository().orElseThrow());
    assertEquals("refs/heads/main", s.sourceRef().orElseThrow());
    assertEquals("f0b49a04e5a62250e0f60fb128004a73110fe311", s.sourceCommit().orElseThrow());
    assertEquals(".github/workflows/release.yml", s.buildConfigPath().orElseThrow());
    assertEquals(
        Map.of("event_name", "push", "repository_id", "495574555", "repository_owner_id", "71096353", "run_id",
            "5904696764", "run_attempt", "1"),
        s.ci());
    ProvenanceSummary v02 = ProvenanceSummary.of(predicate(NPM_V02)).orElseThrow();
    assertEquals("4735384265", v02.ci().get("run_id"));
    assertEquals("push", v02.ci().get("event_name"));
    assertTrue(ProvenanceSummary.of(predicate("cosign/vuln.sigstore.json")).isEmpty());
  }

  @Test
  void userInformationIsNotARef() {
    assertEquals(List.of("git+https://user@h.example/o/r", "refs/x"), List.of(GitUris.split("git+https://user@h.example/o/r@refs/x")));
    assertEquals("git+https://h.example/o/r", GitUris.split("git+https://h.example/o/r")[0]);
    assertEquals(null, GitUris.split("git+https://h.example/o/r")[1]);
  }
}
