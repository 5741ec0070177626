package dev.sigil.attestations.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.AttestationException.Reason;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.attestations.ResourceDescriptor;
import dev.sigil.attestations.SlsaProvenanceV1;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.StrictJson;
import dev.sigil.attestations.Subject;
import dev.sigil.attestations.schema.SchemaValidator;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a SLSA provenance v1 statement ({@value PredicateTypes#SLSA_PROVENANCE_V1} in an in-toto Statement v1) for
 * the artifacts of a build, from the CI environment. A pure function of the environment map, the subjects and the
 * clock: no I/O, no process environment read behind the caller's back. Hashing the artifacts is the caller's job
 * ({@link dev.sigil.attestations.Digests}). Not thread-safe; build once.
 *
 * <p>Three platforms:
 *
 * <ul>
 *   <li>{@link #gitHubActions GitHub Actions} ({@code GITHUB_ACTIONS=true}): the GitHub Actions workflow build type
 *       {@value #GITHUB_WORKFLOW_BUILD_TYPE} exactly as GitHub's {@code actions/attest-build-provenance} writes it
 *       ({@code actions/toolkit packages/attest/src/provenance.ts}; field rules in {@code actions/buildtypes
 *       workflow/v1}): {@code externalParameters.workflow {ref, repository, path}}, {@code internalParameters.github
 *       {event_name, repository_id, repository_owner_id, runner_environment}}, one resolved dependency {@code
 *       git+SERVER/OWNER/REPO@REF} with {@code gitCommit}, {@code builder.id} {@code SERVER/}workflow ref and {@code
 *       invocationId} {@code SERVER/OWNER/REPO/actions/runs/RUN/attempts/ATTEMPT}. Differences: GitHub takes these
 *       from the job's OIDC token, Sigil from the {@code GITHUB_*} variables, so for a job inside a reusable workflow
 *       the builder id is the calling workflow ({@code GITHUB_WORKFLOW_REF}; the token's {@code job_workflow_ref} is
 *       not in the environment); {@code github} members whose variables are unset are left out; and Sigil adds {@code
 *       startedOn}/{@code finishedOn}.
 *   <li>{@link #gitLabCi GitLab CI} ({@code GITLAB_CI=true}): GitLab's documented SLSA v1 shape (GitLab docs {@code
 *       ci/pipeline_security/slsa/provenance_v1}, buildType {@value #GITLAB_BUILD_TYPE_PREFIX}{@code
 *       v<runner version>/PROVENANCE.md}): {@code externalParameters {source, entryPoint, variables}}, {@code
 *       internalParameters {name, architecture, job}}, {@code builder.id} the runner ({@code
 *       PROJECT_URL/-/runners/ID}) with {@code version.gitlab-runner}. Differences from the runner's own provenance:
 *       {@code variables} holds only a fixed list of non-secret predefined variables (the runner records every
 *       variable, masking masked ones; a process cannot tell which are masked); the source dependency is {@code
 *       git+PROJECT_URL@refs/heads|tags/NAME} (GitLab writes the bare project URL), so slsa-verifier-style source
 *       checks apply; {@code invocationId} is the job URL (GitLab writes the job id as a JSON number, which the
 *       in-toto spec does not allow); without {@code CI_RUNNER_ID} the builder id is {@code CI_SERVER_URL}, and
 *       without {@code CI_RUNNER_VERSION} the build type names {@code main}.
 *   <li>{@link #generic generic}: a builder id and build type given by the caller, an optional source (URI and
 *       digests) and string external parameters.
 * </ul>
 *
 * <p>{@link #build()} validates the result against the shipped SLSA v1 schema and refuses to return anything else.
 */
public final class ProvenanceBuilder {
  /** The GitHub Actions workflow build type, as GitHub's own provenance names it. */
  public static final String GITHUB_WORKFLOW_BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1";
  /** GitLab's build type, followed by {@code v<runner version>/PROVENANCE.md}. */
  public static final String GITLAB_BUILD_TYPE_PREFIX = "https://gitlab.com/gitlab-org/gitlab-runner/-/blob/";

  /** The predefined GitLab variables recorded in {@code externalParameters.variables} when set (none secret). */
  public static final List<String> GITLAB_RECORDED_VARIABLES =
      List.of(
          "CI_COMMIT_BRANCH",
          "CI_COMMIT_REF_NAME",
          "CI_COMMIT_SHA",
          "CI_COMMIT_TAG",
          "CI_CONFIG_PATH",
          "CI_JOB_ID",
          "CI_JOB_NAME",
          "CI_JOB_URL",
          "CI_PIPELINE_ID",
          "CI_PIPELINE_SOURCE",
          "CI_PIPELINE_URL",
          "CI_PROJECT_PATH",
          "CI_PROJECT_URL",
          "CI_RUNNER_ID",
          "CI_SERVER_URL");

  /** Where the build ran. */
  public enum Platform {
    GITHUB_ACTIONS,
    GITLAB_CI,
    GENERIC
  }

  private final Platform platform;
  private final String builderId;
  private final Map<String, String> builderVersion;
  private final String buildType;
  private final ObjectNode externalParameters;
  private final ObjectNode internalParameters;
  private Optional<ResourceDescriptor> source;
  private Optional<String> invocationId;
  private final List<Subject> subjects = new ArrayList<>();
  private Instant startedOn;
  private Clock clock = Clock.systemUTC();

  private ProvenanceBuilder(
      Platform platform,
      String builderId,
      Map<String, String> builderVersion,
      String buildType,
      ObjectNode externalParameters,
      ObjectNode internalParameters,
      Optional<ResourceDescriptor> source,
      Optional<String> invocationId) {
    this.platform = platform;
    this.builderId = builderId;
    this.builderVersion = builderVersion;
    this.buildType = buildType;
    this.externalParameters = externalParameters;
    this.internalParameters = internalParameters;
    this.source = source;
    this.invocationId = invocationId;
  }

  /**
   * The builder for the CI platform {@code env} describes: GitHub Actions if {@code GITHUB_ACTIONS=true}, else GitLab
   * CI if {@code GITLAB_CI=true}.
   *
   * @throws AttestationException ({@link Reason#INVALID_ENVIRONMENT}) if neither, or if a variable the platform needs
   *     is missing or malformed; the pointer names the variable
   */
  public static ProvenanceBuilder fromEnvironment(Map<String, String> env) throws AttestationException {
    if ("true".equals(env.get("GITHUB_ACTIONS"))) {
      return gitHubActions(env);
    }
    if ("true".equals(env.get("GITLAB_CI"))) {
      return gitLabCi(env);
    }
    throw new AttestationException(
        Reason.INVALID_ENVIRONMENT,
        "GITHUB_ACTIONS",
        "expected a CI environment (GITHUB_ACTIONS=true or GITLAB_CI=true), found neither; use generic provenance");
  }

  /** Provenance of a GitHub Actions workflow run, from its {@code GITHUB_*} and {@code RUNNER_*} variables. */
  public static ProvenanceBuilder gitHubActions(Map<String, String> env) throws AttestationException {
    Env e = new Env(env);
    String server = e.url("GITHUB_SERVER_URL");
    String repository = e.matching("GITHUB_REPOSITORY", "OWNER/REPO", "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    String ref = e.ref("GITHUB_REF");
    String sha = e.commit("GITHUB_SHA");
    String workflowRef = e.require("GITHUB_WORKFLOW_REF");
    String prefix = repository + "/";
    int at = workflowRef.lastIndexOf('@');
    if (!workflowRef.startsWith(prefix) || at <= prefix.length()) {
      throw e.bad("GITHUB_WORKFLOW_REF", repository + "/PATH@REF", workflowRef);
    }
    String path =
        workflowRef.endsWith("@" + ref)
            ? workflowRef.substring(prefix.length(), workflowRef.length() - ref.length() - 1)
            : workflowRef.substring(prefix.length(), at);
    String runId = e.digits("GITHUB_RUN_ID");
    String attempt = e.digits("GITHUB_RUN_ATTEMPT");
    String event = e.require("GITHUB_EVENT_NAME");

    ObjectNode external = StrictJson.newObject();
    ObjectNode workflow = external.putObject("workflow");
    workflow.put("ref", ref);
    workflow.put("repository", server + "/" + repository);
    workflow.put("path", path);
    ObjectNode internal = StrictJson.newObject();
    ObjectNode github = internal.putObject("github");
    github.put("event_name", event);
    e.optionalDigits("GITHUB_REPOSITORY_ID").ifPresent(v -> github.put("repository_id", v));
    e.optionalDigits("GITHUB_REPOSITORY_OWNER_ID").ifPresent(v -> github.put("repository_owner_id", v));
    e.optional("RUNNER_ENVIRONMENT").ifPresent(v -> github.put("runner_environment", v));
    return new ProvenanceBuilder(
        Platform.GITHUB_ACTIONS,
        server + "/" + workflowRef,
        Map.of(),
        GITHUB_WORKFLOW_BUILD_TYPE,
        external,
        internal,
        Optional.of(
            ResourceDescriptor.of("git+" + server + "/" + repository + "@" + ref, DigestSet.of("gitCommit", sha))),
        Optional.of(server + "/" + repository + "/actions/runs/" + runId + "/attempts/" + attempt));
  }

  /** Provenance of a GitLab CI job, from its {@code CI_*} variables. */
  public static ProvenanceBuilder gitLabCi(Map<String, String> env) throws AttestationException {
    Env e = new Env(env);
    String server = e.url("CI_SERVER_URL");
    String project = e.url("CI_PROJECT_URL");
    if (!project.startsWith(server + "/")) {
      throw e.bad("CI_PROJECT_URL", "a project URL under CI_SERVER_URL " + server, project);
    }
    String sha = e.commit("CI_COMMIT_SHA");
    String refName = e.require("CI_COMMIT_REF_NAME");
    Optional<String> tag = e.optional("CI_COMMIT_TAG");
    String ref = tag.isPresent() ? "refs/tags/" + tag.get() : "refs/heads/" + refName;
    String jobId = e.digits("CI_JOB_ID");
    Optional<String> runnerId = e.optionalDigits("CI_RUNNER_ID");
    Optional<String> runnerVersion = e.optional("CI_RUNNER_VERSION");

    ObjectNode external = StrictJson.newObject();
    external.put("source", project);
    e.optional("CI_JOB_NAME").ifPresent(v -> external.put("entryPoint", v));
    ObjectNode variables = external.putObject("variables");
    for (String name : GITLAB_RECORDED_VARIABLES) {
      e.optional(name).ifPresent(v -> variables.put(name, v));
    }
    ObjectNode internal = StrictJson.newObject();
    e.optional("CI_RUNNER_DESCRIPTION").ifPresent(v -> internal.put("name", v));
    e.optional("CI_RUNNER_EXECUTABLE_ARCH").ifPresent(v -> internal.put("architecture", v));
    internal.put("job", jobId);
    Map<String, String> version = new LinkedHashMap<>();
    e.optional("CI_RUNNER_REVISION")
        .or(() -> runnerVersion)
        .ifPresent(v -> version.put("gitlab-runner", v));
    String buildType =
        GITLAB_BUILD_TYPE_PREFIX
            + runnerVersion.map(v -> v.startsWith("v") ? v : "v" + v).orElse("main")
            + "/PROVENANCE.md";
    return new ProvenanceBuilder(
        Platform.GITLAB_CI,
        runnerId.map(id -> project + "/-/runners/" + id).orElse(server),
        version,
        buildType,
        external,
        internal,
        Optional.of(ResourceDescriptor.of("git+" + project + "@" + ref, DigestSet.of("gitCommit", sha))),
        Optional.of(e.optional("CI_JOB_URL").orElse(project + "/-/jobs/" + jobId)));
  }

  /**
   * Provenance from a builder and build type the caller names (both absolute URIs).
   *
   * @throws AttestationException ({@link Reason#INVALID_VALUE}) if either is not an absolute URI
   */
  public static ProvenanceBuilder generic(String builderId, String buildType) throws AttestationException {
    checkUri("builderId", builderId);
    checkUri("buildType", buildType);
    return new ProvenanceBuilder(
        Platform.GENERIC,
        builderId,
        Map.of(),
        buildType,
        StrictJson.newObject(),
        StrictJson.newObject(),
        Optional.empty(),
        Optional.empty());
  }

  private static void checkUri(String what, String value) throws AttestationException {
    try {
      if (new URI(value).isAbsolute()) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new AttestationException(
        Reason.INVALID_VALUE, what, what + ": expected an absolute URI, found " + StrictJson.quote(value));
  }

  /** Which platform this provenance describes. */
  public Platform platform() {
    return platform;
  }

  /**
   * The source the build read (generic provenance only; CI platforms record their own): a URI such as {@code
   * git+https://github.com/org/repo@refs/heads/main} and its digests (e.g. {@code gitCommit}).
   */
  public ProvenanceBuilder source(String uri, DigestSet digest) throws AttestationException {
    requireGeneric("source");
    checkUri("sourceUri", uri);
    if (digest.isEmpty()) {
      throw new AttestationException(Reason.INVALID_VALUE, "sourceDigest", "sourceDigest: expected at least one digest, found none");
    }
    this.source = Optional.of(ResourceDescriptor.of(uri, digest));
    return this;
  }

  /** An external parameter (generic provenance only; the CI build types define theirs). */
  public ProvenanceBuilder externalParameter(String name, String value) {
    requireGeneric("externalParameter");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a parameter needs a name");
    }
    externalParameters.put(name, value);
    return this;
  }

  /** The invocation id (generic provenance only; CI platforms give the run's URL). */
  public ProvenanceBuilder invocationId(String id) {
    requireGeneric("invocationId");
    this.invocationId = Optional.of(id);
    return this;
  }

  private void requireGeneric(String what) {
    if (platform != Platform.GENERIC) {
      throw new IllegalStateException(what + " is set by the " + platform + " build type and cannot be overridden");
    }
  }

  /** Adds a subject (an artifact the build produced). */
  public ProvenanceBuilder subject(String name, DigestSet digest) {
    subjects.add(new Subject(name, digest));
    return this;
  }

  /** Adds subjects. */
  public ProvenanceBuilder subjects(List<Subject> all) {
    subjects.addAll(all);
    return this;
  }

  /** When the build started; if unset, the clock's reading at {@link #build()} (the same as the finish time). */
  public ProvenanceBuilder startedOn(Instant start) {
    this.startedOn = Objects.requireNonNull(start, "start");
    return this;
  }

  /** The clock that gives the finish time (default: the system clock, UTC). */
  public ProvenanceBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /** The predicate: this builder's facts with the finish time read from the clock now. */
  public SlsaProvenanceV1 predicate() {
    Instant finished = clock.instant();
    Instant started = startedOn == null ? finished : startedOn;
    if (started.isAfter(finished)) {
      throw new IllegalStateException("the build cannot finish (" + finished + ") before it started (" + started + ")");
    }
    return new SlsaProvenanceV1(
        new SlsaProvenanceV1.BuildDefinition(
            buildType, externalParameters, internalParameters, source.map(List::of).orElse(List.of())),
        new SlsaProvenanceV1.RunDetails(
            new SlsaProvenanceV1.Builder(builderId, builderVersion, List.of()),
            new SlsaProvenanceV1.BuildMetadata(invocationId, Optional.of(started), Optional.of(finished)),
            List.of()));
  }

  /**
   * The provenance statement, validated against the SLSA v1 schema.
   *
   * @throws IllegalStateException if no subject was given
   * @throws AttestationException if the result does not validate (for example a builder id that is not a URI)
   */
  public Statement build() throws AttestationException {
    if (subjects.isEmpty()) {
      throw new IllegalStateException("provenance needs at least one subject");
    }
    Statement s =
        Statement.builder()
            .subjects(subjects)
            .predicateType(PredicateTypes.SLSA_PROVENANCE_V1)
            .predicate(predicate().toJson())
            .build();
    SchemaValidator.validate(s).requireValid();
    return s;
  }

  /** Reads and checks environment variables; errors name the variable. */
  private static final class Env {
    private final Map<String, String> env;

    Env(Map<String, String> env) {
      this.env = env;
    }

    String require(String name) throws AttestationException {
      String v = env.get(name);
      if (v == null || v.isEmpty()) {
        throw new AttestationException(Reason.INVALID_ENVIRONMENT, name, name + ": expected a value, found none");
      }
      return v;
    }

    Optional<String> optional(String name) {
      String v = env.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    String matching(String name, String shape, String regex) throws AttestationException {
      String v = require(name);
      if (!v.matches(regex)) {
        throw bad(name, shape, v);
      }
      return v;
    }

    String digits(String name) throws AttestationException {
      return matching(name, "a decimal number", "[0-9]{1,20}");
    }

    Optional<String> optionalDigits(String name) throws AttestationException {
      Optional<String> v = optional(name);
      if (v.isPresent() && !v.get().matches("[0-9]{1,20}")) {
        throw bad(name, "a decimal number", v.get());
      }
      return v;
    }

    String commit(String name) throws AttestationException {
      return matching(name, "a git commit id (40 or 64 lowercase hex digits)", "[0-9a-f]{40}|[0-9a-f]{64}");
    }

    String ref(String name) throws AttestationException {
      return matching(name, "a full git ref (refs/...)", "refs/[^\\s@]+");
    }

    /** An absolute http(s) URL, without a trailing slash. */
    String url(String name) throws AttestationException {
      String v = require(name);
      try {
        URI u = new URI(v);
        if (("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
            && u.getHost() != null
            && u.getQuery() == null
            && u.getFragment() == null
            && !v.endsWith("/")) {
          return v;
        }
      } catch (URISyntaxException ex) {
        // reported below
      }
      throw bad(name, "an http(s) URL without a trailing slash", v);
    }

    AttestationException bad(String name, String expected, String found) {
      return new AttestationException(
          Reason.INVALID_ENVIRONMENT, name, name + ": expected " + expected + ", found " + StrictJson.quote(found));
    }
  }
}
