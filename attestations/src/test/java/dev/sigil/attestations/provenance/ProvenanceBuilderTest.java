package dev.sigil.attestations.provenance;

import static dev.sigil.attestations.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Digests;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.SlsaProvenanceV1;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.schema.SchemaValidator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProvenanceBuilderTest {
  private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:09:10.750Z"), ZoneOffset.UTC);
  private static final DigestSet F_TXT =
      Digests.of("artifact\n".getBytes(StandardCharsets.UTF_8), EnumSet.of(DigestAlgorithm.SHA256));

  /** The GitHub Actions environment of shared/acceptance/attestations.sh (provenance-gha), plus the numeric ids. */
  static Map<String, String> gitHub() {
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
    env.put("GITHUB_REPOSITORY_ID", "1296269");
    env.put("GITHUB_REPOSITORY_OWNER_ID", "583231");
    env.put("GITHUB_TOKEN", "ghs_secret-never-recorded");
    return env;
  }

  /** The GitLab CI environment of shared/acceptance/attestations.sh (provenance-gitlab). */
  static Map<String, String> gitLab() {
    Map<String, String> env = new HashMap<>();
    env.put("GITLAB_CI", "true");
    env.put("CI_PROJECT_URL", "https://gitlab.com/acme/app");
    env.put("CI_COMMIT_SHA", "89abcdef0123456789abcdef0123456789abcdef");
    env.put("CI_COMMIT_REF_NAME", "main");
    env.put("CI_PIPELINE_ID", "7");
    env.put("CI_JOB_ID", "99");
    env.put("CI_SERVER_URL", "https://gitlab.com");
    env.put("CI_PROJECT_PATH", "acme/app");
    env.put("CI_CONFIG_PATH", ".gitlab-ci.yml");
    env.put("CI_JOB_TOKEN", "glcbt-secret-never-recorded");
    return env;
  }

  private static String json(Statement s) {
    return new String(s.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void gitHubActionsProvenanceHasGitHubsShape() throws Exception {
    Statement s =
        ProvenanceBuilder.fromEnvironment(gitHub()).subject("f.txt", F_TXT).startedOn(START).clock(CLOCK).build();
    String expected =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"f.txt\",\"digest\":{\"sha256\":\""
            + F_TXT.get(DigestAlgorithm.SHA256).orElseThrow()
            + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{"
            + "\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\","
            + "\"externalParameters\":{\"workflow\":{\"ref\":\"refs/tags/v1.2.3\",\"repository\":\"https://github.com/acme/app\","
            + "\"path\":\".github/workflows/release.yml\"}},"
            + "\"internalParameters\":{\"github\":{\"event_name\":\"push\",\"repository_id\":\"1296269\","
            + "\"repository_owner_id\":\"583231\",\"runner_environment\":\"github-hosted\"}},"
            + "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/acme/app@refs/tags/v1.2.3\","
            + "\"digest\":{\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\"}}]},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3\"},"
            + "\"metadata\":{\"invocationId\":\"https://github.com/acme/app/actions/runs/42/attempts/1\","
            + "\"startedOn\":\"2026-03-04T05:06:07Z\",\"finishedOn\":\"2026-03-04T05:09:10Z\"}}}}";
    assertEquals(expected, json(s));
    assertTrue(SchemaValidator.validate(s).isValid());
    assertFalse(json(s).contains("secret"), "no other environment variable is recorded");
  }

  @Test
  void gitHubProvenanceMatchesTheBuildTypeExample() throws Exception {
    // actions/buildtypes workflow/v1/example.json, made again from the environment that run had.
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_REPOSITORY", "octocat/hello-world");
    env.put("GITHUB_REF", "refs/heads/main");
    env.put("GITHUB_SHA", "c27d339ee6075c1f744c5d4b200f7901aad2c369");
    env.put("GITHUB_WORKFLOW_REF", "octocat/hello-world/.github/workflow/release.yml@refs/heads/main");
    env.put("GITHUB_RUN_ID", "1536140711");
    env.put("GITHUB_RUN_ATTEMPT", "1");
    env.put("GITHUB_EVENT_NAME", "workflow_dispatch");
    env.put("GITHUB_REPOSITORY_ID", "1296269");
    env.put("GITHUB_REPOSITORY_OWNER_ID", "583231");
    env.put("RUNNER_ENVIRONMENT", "github-hosted");
    SlsaProvenanceV1 p = ProvenanceBuilder.gitHubActions(env).clock(CLOCK).predicate();
    JsonNode example =
        StrictJson.parse(
            utf8(
                "{\"buildDefinition\":{\"buildType\":\"https://actions.github.io/buildtypes/workflow/v1\","
                    + "\"externalParameters\":{\"workflow\":{\"ref\":\"refs/heads/main\",\"repository\":\"https://github.com/octocat/hello-world\","
                    + "\"path\":\".github/workflow/release.yml\"}},\"internalParameters\":{\"github\":{\"event_name\":\"workflow_dispatch\","
                    + "\"repository_id\":\"1296269\",\"repository_owner_id\":\"583231\",\"runner_environment\":\"github-hosted\"}},"
                    + "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/octocat/hello-world@refs/heads/main\","
                    + "\"digest\":{\"gitCommit\":\"c27d339ee6075c1f744c5d4b200f7901aad2c369\"}}]},"
                    + "\"runDetails\":{\"builder\":{\"id\":\"https://github.com/octocat/hello-world/.github/workflow/release.yml@refs/heads/main\"},"
                    + "\"metadata\":{\"invocationId\":\"https://github.com/octocat/hello-world/actions/runs/1536140711/attempts/1\"}}}"),
            1 << 20);
    com.fasterxml.jackson.databind.node.ObjectNode ours = p.toJson();
    ((com.fasterxml.jackson.databind.node.ObjectNode) ours.get("runDetails").get("metadata")).remove("startedOn");
    ((com.fasterxml.jackson.databind.node.ObjectNode) ours.get("runDetails").get("metadata")).remove("finishedOn");
    // The example's builder is a reusable workflow (octocat/builders/...): from the environment Sigil names the
    // calling workflow, as documented; everything else is identical.
    assertEquals(example, ours);
  }

  @Test
  void gitHubOptionalIdsAreLeftOutWhenUnset() throws Exception {
    Map<String, String> env = gitHub();
    env.remove("GITHUB_REPOSITORY_ID");
    env.remove("GITHUB_REPOSITORY_OWNER_ID");
    env.remove("RUNNER_ENVIRONMENT");
    Statement s = ProvenanceBuilder.gitHubActions(env).subject("f.txt", F_TXT).clock(CLOCK).build();
    SlsaProvenanceV1 p = assertInstanceOf(SlsaProvenanceV1.class, s.typedPredicate());
    assertEquals("{\"event_name\":\"push\"}", p.buildDefinition().internalParameters().get("github").toString());
    assertEquals(p.runDetails().metadata().startedOn(), p.runDetails().metadata().finishedOn());
  }

  @Test
  void gitLabProvenanceHasGitLabsShape() throws Exception {
    Statement s =
        ProvenanceBuilder.fromEnvironment(gitLab()).subject("f.txt", F_TXT).startedOn(START).clock(CLOCK).build();
    String expected =
        "{\"buildDefinition\":{\"buildType\":\"https://gitlab.com/gitlab-org/gitlab-runner/-/blob/main/PROVENANCE.md\","
            + "\"externalParameters\":{\"source\":\"https://gitlab.com/acme/app\",\"variables\":{"
            + "\"CI_COMMIT_REF_NAME\":\"main\",\"CI_COMMIT_SHA\":\"89abcdef0123456789abcdef0123456789abcdef\","
            + "\"CI_CONFIG_PATH\":\".gitlab-ci.yml\",\"CI_JOB_ID\":\"99\",\"CI_PIPELINE_ID\":\"7\",\"CI_PROJECT_PATH\":\"acme/app\","
            + "\"CI_PROJECT_URL\":\"https://gitlab.com/acme/app\",\"CI_SERVER_URL\":\"https://gitlab.com\"}},"
            + "\"internalParameters\":{\"job\":\"99\"},"
            + "\"resolvedDependencies\":[{\"uri\":\"git+https://gitlab.com/acme/app@refs/heads/main\","
            + "\"digest\":{\"gitCommit\":\"89abcdef0123456789abcdef0123456789abcdef\"}}]},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://gitlab.com\"},\"metadata\":{"
            + "\"invocationId\":\"https://gitlab.com/acme/app/-/jobs/99\",\"startedOn\":\"2026-03-04T05:06:07Z\","
            + "\"finishedOn\":\"2026-03-04T05:09:10Z\"}}}";
    assertEquals(StrictJson.parse(utf8(expected), 1 << 20), s.predicate());
    assertEquals(PredicateTypes.SLSA_PROVENANCE_V1, s.predicateType());
    assertTrue(SchemaValidator.validate(s).isValid());
    assertFalse(json(s).contains("secret"));
  }

  @Test
  void gitLabRunnerFactsAndTags() throws Exception {
    Map<String, String> env = gitLab();
    env.put("CI_RUNNER_ID", "14811533");
    env.put("CI_RUNNER_VERSION", "17.5.0");
    env.put("CI_RUNNER_REVISION", "4d7093e1");
    env.put("CI_RUNNER_DESCRIPTION", "blue-2.shared.runners-manager.gitlab.com/default");
    env.put("CI_RUNNER_EXECUTABLE_ARCH", "linux/amd64");
    env.put("CI_COMMIT_TAG", "v1.2.3");
    env.put("CI_COMMIT_REF_NAME", "v1.2.3");
    env.put("CI_JOB_NAME", "build-job");
    env.put("CI_JOB_URL", "https://gitlab.com/acme/app/-/jobs/99");
    SlsaProvenanceV1 p = ProvenanceBuilder.gitLabCi(env).clock(CLOCK).predicate();
    assertEquals("https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.5.0/PROVENANCE.md", p.buildDefinition().buildType());
    assertEquals("https://gitlab.com/acme/app/-/runners/14811533", p.runDetails().builder().id());
    assertEquals(Map.of("gitlab-runner", "4d7093e1"), p.runDetails().builder().version());
    assertEquals("build-job", p.buildDefinition().externalParameters().get("entryPoint").textValue());
    assertEquals("linux/amd64", p.buildDefinition().internalParameters().get("architecture").textValue());
    assertEquals(
        "git+https://gitlab.com/acme/app@refs/tags/v1.2.3",
        p.buildDefinition().resolvedDependencies().get(0).uri().orElseThrow());
  }

  @Test
  void genericProvenance() throws Exception {
    Statement s =
        ProvenanceBuilder.generic("https://ci.example/builder@v1", "https://ci.example/buildtypes/make@v1")
            .source("git+https://git.example/org/repo@refs/heads/main", DigestSet.of("gitCommit", "f".repeat(40)))
            .externalParameter("target", "release")
            .externalParameter("note", "Grüße 🚀")
            .invocationId("run-17")
            .subject("a.tar.gz", F_TXT)
            .subject("b.tar.gz", DigestSet.of(DigestAlgorithm.SHA512, "e".repeat(128)))
            .clock(CLOCK)
            .build();
    SlsaProvenanceV1 p = assertInstanceOf(SlsaProvenanceV1.class, s.typedPredicate());
    assertEquals("https://ci.example/builder@v1", p.runDetails().builder().id());
    assertEquals("{\"target\":\"release\",\"note\":\"Grüße 🚀\"}", p.buildDefinition().externalParameters().toString());
    assertEquals("run-17", p.runDetails().metadata().invocationId().orElseThrow());
    assertEquals(2, s.subjects().size());
    assertTrue(SchemaValidator.validate(s).isValid());
  }

  @Test
  void genericProvenanceWithoutSource() throws Exception {
    Statement s = ProvenanceBuilder.generic("https://b.example", "https://t.example").subject("a", F_TXT).clock(CLOCK).build();
    assertFalse(s.predicate().get("buildDefinition").has("resolvedDependencies"));
    assertTrue(SchemaValidator.validate(s).isValid());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GITHUB_SHA          | ''                                          | expected a value, found none",
        "GITHUB_SHA          | 0123456789ABCDEF0123456789ABCDEF01234567    | expected a git commit id",
        "GITHUB_SHA          | 0123                                        | expected a git commit id",
        "GITHUB_REPOSITORY   | acme                                        | expected OWNER/REPO",
        "GITHUB_REF          | v1.2.3                                      | expected a full git ref",
        "GITHUB_RUN_ID       | 4x                                          | expected a decimal number",
        "GITHUB_RUN_ATTEMPT  | ''                                          | expected a value",
        "GITHUB_SERVER_URL   | github.com                                  | expected an http(s) URL",
        "GITHUB_SERVER_URL   | https://github.com/                         | expected an http(s) URL",
        "GITHUB_WORKFLOW_REF | other/app/.github/workflows/r.yml@refs/x    | expected acme/app/PATH@REF",
        "GITHUB_WORKFLOW_REF | acme/app/.github/workflows/release.yml      | expected acme/app/PATH@REF",
        "GITHUB_EVENT_NAME   | ''                                          | expected a value",
        "GITHUB_REPOSITORY_ID| abc                                         | expected a decimal number",
      })
  void refusesABrokenGitHubEnvironment(String variable, String value, String message) {
    Map<String, String> env = gitHub();
    env.put(variable, value);
    AttestationException e = assertThrows(AttestationException.class, () -> ProvenanceBuilder.gitHubActions(env));
    assertEquals(Reason.INVALID_ENVIRONMENT, e.reason());
    assertEquals(variable, e.pointer());
    assertTrue(e.getMessage().startsWith(variable + ": " + message), e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CI_PROJECT_URL     | ''                          | expected a value",
        "CI_PROJECT_URL     | https://evil.example/a/b    | expected a project URL under CI_SERVER_URL",
        "CI_COMMIT_SHA      | main                        | expected a git commit id",
        "CI_COMMIT_REF_NAME | ''                          | expected a value",
        "CI_JOB_ID          | job                         | expected a decimal number",
        "CI_SERVER_URL      | ftp://gitlab.com            | expected an http(s) URL",
        "CI_RUNNER_ID       | r1                          | expected a decimal number",
      })
  void refusesABrokenGitLabEnvironment(String variable, String value, String message) {
    Map<String, String> env = gitLab();
    env.put(variable, value);
    AttestationException e = assertThrows(AttestationException.class, () -> ProvenanceBuilder.gitLabCi(env));
    assertEquals(Reason.INVALID_ENVIRONMENT, e.reason());
    assertEquals(variable, e.pointer());
    assertTrue(e.getMessage().startsWith(variable + ": " + message), e.getMessage());
  }

  @Test
  void refusesAnEnvironmentThatIsNoCi() {
    AttestationException e =
        assertThrows(AttestationException.class, () -> ProvenanceBuilder.fromEnvironment(Map.of("GITHUB_ACTIONS", "false")));
    assertEquals(Reason.INVALID_ENVIRONMENT, e.reason());
    assertTrue(e.getMessage().contains("use generic provenance"), e.getMessage());
  }

  @Test
  void refusesBadGenericInputs() throws Exception {
    assertEquals(
        "builderId",
        assertThrows(AttestationException.class, () -> ProvenanceBuilder.generic("builder", "https://t.example")).pointer());
    assertEquals(
        "buildType",
        assertThrows(AttestationException.class, () -> ProvenanceBuilder.generic("https://b.example", "make")).pointer());
    ProvenanceBuilder b = ProvenanceBuilder.generic("https://b.example", "https://t.example");
    assertEquals(
        "sourceUri",
        assertThrows(AttestationException.class, () -> b.source("org/repo", DigestSet.of("gitCommit", "a".repeat(40)))).pointer());
    assertEquals(
        "sourceDigest",
        assertThrows(AttestationException.class, () -> b.source("git+https://h/o/r", DigestSet.EMPTY)).pointer());
    assertThrows(IllegalArgumentException.class, () -> b.externalParameter("", "v"));
  }

  @Test
  void ciBuildTypesCannotBeOverridden() throws Exception {
    ProvenanceBuilder b = ProvenanceBuilder.gitHubActions(gitHub());
    assertThrows(IllegalStateException.class, () -> b.externalParameter("extra", "x"));
    assertThrows(IllegalStateException.class, () -> b.source("git+https://h/o/r", DigestSet.of("gitCommit", "a".repeat(40))));
    assertThrows(IllegalStateException.class, () -> b.invocationId("x"));
  }

  @Test
  void refusesNoSubjectAndAStartAfterTheFinish() throws Exception {
    assertThrows(IllegalStateException.class, () -> ProvenanceBuilder.gitHubActions(gitHub()).clock(CLOCK).build());
    ProvenanceBuilder b =
        ProvenanceBuilder.gitHubActions(gitHub()).subject("f", F_TXT).clock(CLOCK).startedOn(CLOCK.instant().plusSeconds(1));
    assertThrows(IllegalStateException.class, b::build);
  }

  @Test
  void detectsThePlatform() throws Exception {
    assertEquals(ProvenanceBuilder.Platform.GITHUB_ACTIONS, ProvenanceBuilder.fromEnvironment(gitHub()).platform());
    assertEquals(ProvenanceBuilder.Platform.GITLAB_CI, ProvenanceBuilder.fromEnvironment(gitLab()).platform());
  }
}
