package dev.sigil.verifier.internal.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.Check;
import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdentityMatcherTest {
  /** The checks of one match, as the verifier reports them. */
  record IdentityMatch(List<Check> checks) {
    boolean matched() {
      return failures().isEmpty();
    }

    List<Check> failures() {
      return checks.stream().filter(c -> c.outcome() == Check.Outcome.FAILED).toList();
    }

    Optional<Check> firstFailure() {
      return failures().stream().findFirst();
    }

    String describe() {
      return checks.toString();
    }
  }

  static IdentityMatch match(IdentityMatcher m, FulcioCertificate c) {
    return new IdentityMatch(m.evaluate(c.toSigner()));
  }

  private static FulcioCertificate happy;

  @BeforeAll
  static void parse() throws Exception {
    happy = FulcioCertificate.parse(Fixtures.happyLeaf());
  }

  @Test
  void exactSanAndIssuerMatch() {
    IdentityMatch m = match(IdentityMatcher.exact(Fixtures.BEACON_SAN, Fixtures.GITHUB_ACTIONS_ISSUER), happy);
    assertTrue(m.matched(), m.describe());
    assertEquals(2, m.checks().size());
    assertTrue(m.checks().stream().allMatch(c -> c.outcome() == Check.Outcome.PASSED));
  }

  @Test
  void fullRegexesAndExtensionClaimsMatch() {
    IdentityMatcher matcher =
        IdentityMatcher.builder()
            .subjectAlternativeNameRegex(
                "https://github\\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.*@refs/heads/main")
            .issuerRegex("https://token\\.actions\\.githubusercontent\\.com")
            .extension("source-repository-uri", "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon")
            .extension(FulcioExtension.RUNNER_ENVIRONMENT, "github-hosted")
            .githubWorkflowTrigger("workflow_dispatch")
            .githubWorkflowSha("c7b3dfb335f051e1c86bda4c716fac97df62ad81")
            .githubWorkflowName("Extremely dangerous OIDC beacon")
            .githubWorkflowRepository("sigstore-conformance/extremely-dangerous-public-oidc-beacon")
            .githubWorkflowRef("refs/heads/main")
            .build();
    IdentityMatch m = match(matcher, happy);
    assertTrue(m.matched(), m.describe());
    assertEquals(9, m.checks().size());
  }

  @Test
  void sanMismatchSaysWhatWasExpectedAndFound() {
    IdentityMatch m =
        match(
            IdentityMatcher.exact(
                "https://github.com/sigstore-conformance/other/.github/workflows/x.yml@refs/heads/main",
                Fixtures.GITHUB_ACTIONS_ISSUER),
            happy);
    assertFalse(m.matched());
    Check failed = m.firstFailure().orElseThrow();
    assertEquals(Reason.IDENTITY_MISMATCH, failed.reason().orElseThrow());
    assertEquals("certificate SAN", failed.name());
    assertTrue(failed.expected().contains("/other/"));
    assertEquals("URI " + Fixtures.BEACON_SAN, failed.found());
    // The issuer check is still reported, and passed.
    assertEquals(Check.Outcome.PASSED, m.checks().get(1).outcome());
  }

  @Test
  void issuerMismatch() {
    IdentityMatch m = match(IdentityMatcher.exact(Fixtures.BEACON_SAN, "https://accounts.google.com"), happy);
    assertFalse(m.matched());
    Check failed = m.firstFailure().orElseThrow();
    assertEquals(Reason.ISSUER_MISMATCH, failed.reason().orElseThrow());
    assertEquals("https://accounts.google.com", failed.expected());
    assertEquals("certificate OIDC issuer", failed.name());
    assertEquals(Fixtures.GITHUB_ACTIONS_ISSUER, failed.found());
  }

  @Test
  void regexMustMatchTheWholeValue() {
    // cosign and sigstore-go would accept these (unanchored search); Sigil requires a full match.
    IdentityMatch prefix =
        match(
            IdentityMatcher.builder()
                .subjectAlternativeNameRegex("https://github\\.com/sigstore-conformance/")
                .issuer(Fixtures.GITHUB_ACTIONS_ISSUER)
                .build(),
            happy);
    assertFalse(prefix.matched());
    assertTrue(prefix.firstFailure().orElseThrow().expected().contains("in full"));

    IdentityMatch infix =
        match(
            IdentityMatcher.builder()
                .subjectAlternativeName(Fixtures.BEACON_SAN)
                .issuerRegex("actions\\.githubusercontent")
                .build(),
            happy);
    assertFalse(infix.matched());
    assertEquals(Reason.ISSUER_MISMATCH, infix.firstFailure().orElseThrow().reason().orElseThrow());
    assertTrue(infix.firstFailure().orElseThrow().expected().contains("matching"));
  }

  @Test
  void extensionClaimMismatchAndAbsence() {
    IdentityMatch m =
        match(
            IdentityMatcher.builder()
                .subjectAlternativeName(Fixtures.BEACON_SAN)
                .issuer(Fixtures.GITHUB_ACTIONS_ISSUER)
                .githubWorkflowRef("refs/heads/release")
                .extension("deployment-environment", "production")
                .build(),
            happy);
    assertFalse(m.matched());
    assertEquals(2, m.failures().size());
    Check ref = m.failures().get(0);
    assertTrue(ref.expected().contains("github-workflow-ref (1.3.6.1.4.1.57264.1.6)"), ref.expected());
    assertEquals(Reason.CLAIM_MISMATCH, ref.reason().orElseThrow());
    assertTrue(ref.expected().startsWith("refs/heads/release in "), ref.expected());
    assertEquals("refs/heads/main", ref.found());
    Check env = m.failures().get(1);
    assertEquals("extension absent", env.found());
  }

  @Test
  void theRootInBundleCaseFailsTheConformanceDefaultIdentity() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(Fixtures.leaf("bundle-with-root-cert_fail.sigstore.json"));
    IdentityMatch m = match(IdentityMatcher.exact(Fixtures.BEACON_SAN, Fixtures.GITHUB_ACTIONS_ISSUER), c);
    assertFalse(m.matched());
    assertEquals(2, m.failures().size());
    assertEquals("email a@tny.town", m.failures().get(0).found());
    assertEquals("https://github.com/login/oauth", m.failures().get(1).found());
  }

  @Test
  void usernameSanMatches() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(Fixtures.leaf("othername.sigstore.json"));
    assertTrue(match(IdentityMatcher.exact("foo!oidc.local", "http://oidc.local:8080"), c).matched());
  }

  @Test
  void emptyMatcherCannotBeBuilt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().build());
    assertTrue(e.getMessage().contains("no SAN constraint and no issuer constraint"), e.getMessage());
  }

  @Test
  void matcherNeedsBothSanAndIssuer() {
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityMatcher.builder().subjectAlternativeName(Fixtures.BEACON_SAN).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityMatcher.builder().issuerRegex(".*").githubWorkflowRef("refs/heads/main").build());
  }

  @Test
  void invalidConstraintsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().subjectAlternativeName(""));
    assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().issuerRegex("(unclosed"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().extension("no-such", "x"));
    assertTrue(unknown.getMessage().contains("sourceRepositoryURI"), unknown.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> IdentityMatcher.builder().extension(FulcioExtension.ISSUER, "x"));
    assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().extension("issuer-v1", "x"));
  }

  @Test
  void matcherDescribesItsConstraints() {
    IdentityMatcher m =
        IdentityMatcher.builder()
            .subjectAlternativeNameRegex("a.*")
            .issuer("https://issuer.example")
            .githubWorkflowSha("abc")
            .build();
    assertEquals(
        java.util.List.of(
            "certificate SAN matches /a.*/ in full",
            "certificate OIDC issuer = https://issuer.example",
            "certificate extension github-workflow-sha (1.3.6.1.4.1.57264.1.3) = abc"),
        m.describeConstraints());
  }
}
