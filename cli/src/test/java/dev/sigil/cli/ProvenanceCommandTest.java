package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.schema.SchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil provenance} from a simulated GitHub Actions run, a simulated GitLab CI job and generic flags: the
 * statement validates against the SLSA v1 schema and names the builder, source and commit; it signs with
 * {@code attest-blob}; bad input is exit 2 and leaves an existing output file untouched.
 */
class ProvenanceCommandTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

  Cli gitHub() {
    return new Cli().env("GITHUB_ACTIONS", "true").env("GITHUB_REPOSITORY", "acme/app").env("GITHUB_SHA", SHA)
        .env("GITHUB_REF", "refs/tags/v1.2.3")
        .env("GITHUB_WORKFLOW_REF", "acme/app/.github/workflows/release.yml@refs/tags/v1.2.3")
        .env("GITHUB_RUN_ID", "42").env("GITHUB_RUN_ATTEMPT", "1").env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_EVENT_NAME", "push").env("RUNNER_ENVIRONMENT", "github-hosted");
  }

  Path artifact(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  static Statement valid(Path p) throws Exception {
    Statement s = Statement.parse(Files.readAllBytes(p));
    SchemaValidator.validate(s).requireValid();
    return s;
  }

  @Test
  void gitHubActionsProvenanceNamesTheWorkflowSourceAndEverySubject() throws Exception {
    Path a = artifact("app.tar", "app\n");
    Path b = artifact("app.sbom", "sbom\n");
    Path out = dir.resolve("p.json");
    Cli.Run r = gitHub().run("provenance", "--subject", a.toString(), "--subject", b.toString(), "--subject-digest",
        "remote.bin=sha512:" + "ab".repeat(64), "--output", out.toString()).expect(0);
    assertTrue(r.err().contains("GITHUB_ACTIONS") && r.out().isEmpty(), r.err());
    Statement s = valid(out);
    assertEquals("https://slsa.dev/provenance/v1", s.predicateType());
    assertEquals(3, s.subjects().size());
    assertEquals("app.tar", s.subjects().get(0).name());
    assertEquals("sha512", s.subjects().get(2).digest().entries().keySet().iterator().next());
    JsonNode p = MAPPER.readTree(s.payload()).path("predicate");
    assertEquals("https://actions.github.io/buildtypes/workflow/v1", p.at("/buildDefinition/buildType").asText());
    assertEquals("https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
        p.at("/runDetails/builder/id").asText());
    assertEquals(SHA, p.at("/buildDefinition/resolvedDependencies/0/digest/gitCommit").asText());
    assertTrue(p.at("/runDetails/metadata/startedOn").isTextual());
  }

  @Test
  void gitLabProvenanceAndStandardOutput() throws Exception {
    Path a = artifact("f.txt", "artifact\n");
    Cli.Run r = new Cli().env("GITLAB_CI", "true").env("CI_PROJECT_URL", "https://gitlab.com/acme/app")
        .env("CI_COMMIT_SHA", "89abcdef0123456789abcdef0123456789abcdef").env("CI_COMMIT_REF_NAME", "main")
        .env("CI_PIPELINE_ID", "7").env("CI_JOB_ID", "99").env("CI_SERVER_URL", "https://gitlab.com")
        .env("CI_PROJECT_PATH", "acme/app").env("CI_CONFIG_PATH", ".gitlab-ci.yml")
        .run("provenance", "--subject", a.toString()).expect(0);
    Statement s = Statement.parse(r.out().strip().getBytes(StandardCharsets.UTF_8));
    SchemaValidator.validate(s).requireValid();
    String text = r.out();
    assertTrue(text.contains("gitlab.com/acme/app") && text.contains("89abcdef0123456789abcdef0123456789abcdef"), text);
  }

  @Test
  void genericProvenanceFromFlagsSignsWithAttestBlob() throws Exception {
    Path a = artifact("f.txt", "artifact\n");
    Path out = dir.resolve("g.json");
    new Cli().run("provenance", "--builder-id", "https://ci.example.com/builder", "--build-type",
        "https://example.com/build/v1", "--source-uri", "git+https://github.com/acme/app@refs/heads/main",
        "--source-digest", "gitCommit:" + SHA, "--param", "target=release", "--param", "note=Grüße",
        "--invocation-id", "https://ci.example.com/runs/7", "--subject", a.toString(), "--output", out.toString())
        .expect(0);
    Statement s = valid(out);
    JsonNode p = MAPPER.readTree(s.payload()).path("predicate");
    assertEquals("release", p.at("/buildDefinition/externalParameters/target").asText());
    assertEquals("Grüße", p.at("/buildDefinition/externalParameters/note").asText());
    assertEquals("git+https://github.com/acme/app@refs/heads/main",
        p.at("/buildDefinition/resolvedDependencies/0/uri").asText());
    assertEquals("https://ci.example.com/runs/7", p.at("/runDetails/metadata/invocationId").asText());

    Path predicate = dir.resolve("predicate.json");
    Files.write(predicate, MAPPER.writeValueAsBytes(p));
    new Cli().password("pw").run("generate-key-pair", "--output-key-prefix", dir.resolve("k").toString()).expect(0);
    Path bundle = dir.resolve("pa.json");
    new Cli().password("pw").run("attest-blob", "--key", dir.resolve("k.key").toString(), "--predicate",
        predicate.toString(), "--type", "slsaprovenance1", "--bundle", bundle.toString(), a.toString()).expect(0);
    new Cli().run("verify-blob", "--insecure-ignore-tlog", "--key", dir.resolve("k.pub").toString(), "--bundle",
        bundle.toString(), a.toString()).expect(0);
  }

  @Test
  void badInputIsExitTwoAndKeepsAnExistingOutput() throws Exception {
    Path a = artifact("f.txt", "x");
    Path out = artifact("keep.json", "previous");
    String noCi = new Cli().run("provenance", "--subject", a.toString(), "--output", out.toString()).expect(2)
        .errorLine();
    assertTrue(noCi.contains("GITHUB_ACTIONS=true or GITLAB_CI=true") && noCi.contains("--builder-id"), noCi);
    new Cli().run("provenance", "--output", out.toString()).expect(2);
    String digest = gitHub().run("provenance", "--subject-digest", "x=sha256:abc").expect(2).errorLine();
    assertTrue(digest.contains("--subject-digest x"), digest);
    gitHub().run("provenance", "--subject-digest", "sha256:" + "ab".repeat(32)).expect(2);
    new Cli().run("provenance", "--builder-id", "https://b", "--subject", a.toString()).expect(2);
    new Cli().run("provenance", "--builder-id", "not a uri", "--build-type", "https://t", "--subject", a.toString())
        .expect(2);
    new Cli().run("provenance", "--builder-id", "https://b", "--build-type", "https://t", "--source-uri",
        "git+https://x/y", "--subject", a.toString()).expect(2);
    new Cli().run("provenance", "--builder-id", "https://b", "--build-type", "https://t", "--source-uri",
        "git+https://x/y", "--source-digest", "sha1:xyz", "--subject", a.toString()).expect(2);
    gitHub().run("provenance", "--subject", dir.resolve("missing").toString(), "--output", out.toString()).expect(2);
    String missingVar = new Cli().env("GITHUB_ACTIONS", "true").run("provenance", "--subject", a.toString())
        .expect(2).errorLine();
    assertTrue(missingVar.contains("GITHUB_"), missingVar);
    assertEquals("previous", Files.readString(out));
    assertFalse(Files.exists(dir.resolve("g.json")));
  }
}
