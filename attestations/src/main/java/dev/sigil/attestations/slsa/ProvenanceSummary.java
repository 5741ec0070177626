package dev.sigil.attestations.slsa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.GenericPredicate;
import dev.sigil.attestations.Predicate;
import dev.sigil.attestations.ResourceDescriptor;
import dev.sigil.attestations.SlsaProvenanceV02;
import dev.sigil.attestations.SlsaProvenanceV1;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a SLSA provenance (v1 or v0.2) says about a build, in one shape for both versions: who built it, from which
 * source at which ref and commit, through which entry point, when. The inputs of {@link SlsaChecks} and what {@code
 * sigil inspect} shows first.
 *
 * <p>Where each fact comes from, as slsa-verifier reads it:
 *
 * <ul>
 *   <li>{@code source}: v1 the first {@code resolvedDependencies} entry's {@code uri}; v0.2 the first {@code materials}
 *       entry's {@code uri}. {@code sourceCommit}: that entry's {@code gitCommit} (or {@code sha1}) digest.
 *   <li>{@code trigger}: v1 {@code git+<externalParameters.workflow.repository>@<workflow.ref>} when the parameters have
 *       that shape (the GitHub workflow build types, npm's too); v0.2 {@code invocation.configSource.uri}.
 *   <li>{@code sourceRef}: the ref after {@code @} in the source URI, else in the trigger URI.
 *   <li>{@code buildConfigPath}: v1 {@code externalParameters.workflow.path} (GitHub) or {@code
 *       externalParameters.variables.CI_CONFIG_PATH} (GitLab); v0.2 {@code configSource.entryPoint}.
 *   <li>{@code ci}: GitHub facts under Sigil's names {@code event_name}, {@code repository_id}, {@code
 *       repository_owner_id}, {@code runner_environment}, {@code run_id}, {@code run_attempt}: v1 from {@code
 *       internalParameters.github} and the invocation URL; v0.2 from {@code invocation.environment} ({@code
 *       github_event_name}, ..., or in capitals as npm writes them) and {@code buildInvocationId} {@code RUN-ATTEMPT}.
 * </ul>
 */
public record ProvenanceSummary(
    String predicateType,
    String builderId,
    String buildType,
    Optional<String> source,
    Optional<String> trigger,
    Optional<String> sourceRef,
    Optional<String> sourceCommit,
    Optional<String> buildConfigPath,
    Optional<String> invocationId,
    Optional<Instant> startedOn,
    Optional<Instant> finishedOn,
    Map<String, String> ci,
    List<ResourceDescriptor> dependencies) {

  public ProvenanceSummary {
    Objects.requireNonNull(predicateType, "predicateType");
    Objects.requireNonNull(builderId, "builderId");
    Objects.requireNonNull(buildType, "buildType");
    ci = Collections.unmodifiableMap(new TreeMap<>(ci));
    dependencies = List.copyOf(dependencies);
  }

  /** The summary of a SLSA provenance predicate, or empty for any other predicate. */
  public static Optional<ProvenanceSummary> of(Predicate predicate) {
    if (predicate instanceof SlsaProvenanceV1) {
      return Optional.of(ofV1((SlsaProvenanceV1) predicate));
    }
    if (predicate instanceof SlsaProvenanceV02) {
      return Optional.of(ofV02((SlsaProvenanceV02) predicate));
    }
    if (predicate instanceof GenericPredicate) {
      return Optional.empty();
    }
    throw new IllegalArgumentException("unknown predicate kind " + predicate.getClass());
  }

  /** The repository part of {@link #source()} (before the ref), normalised as {@link GitUris#normalize}. */
  public Optional<String> sourceRepository() {
    return source.map(s -> GitUris.normalize(GitUris.split(s)[0]));
  }

  /** The repository part of {@link #trigger()}, normalised. */
  public Optional<String> triggerRepository() {
    return trigger.map(s -> GitUris.normalize(GitUris.split(s)[0]));
  }

  private static ProvenanceSummary ofV1(SlsaProvenanceV1 p) {
    SlsaProvenanceV1.BuildDefinition bd = p.buildDefinition();
    List<ResourceDescriptor> deps = bd.resolvedDependencies();
    Optional<String> source = deps.isEmpty() ? Optional.empty() : deps.get(0).uri();
    Optional<String> commit = deps.isEmpty() ? Optional.empty() : commitOf(deps.get(0).digest());
    ObjectNode ext = bd.externalParameters();
    JsonNode workflow = ext.path("workflow");
    Optional<String> trigger = Optional.empty();
    Optional<String> configPath = Optional.empty();
    if (workflow.isObject()) {
      String repo = text(workflow, "repository");
      String ref = text(workflow, "ref");
      if (repo != null && ref != null) {
        trigger = Optional.of("git+" + repo + "@" + ref);
      }
      configPath = Optional.ofNullable(text(workflow, "path"));
    }
    if (configPath.isEmpty()) {
      configPath = Optional.ofNullable(text(ext.path("variables"), "CI_CONFIG_PATH"));
    }
    Map<String, String> ci = new TreeMap<>();
    JsonNode github = bd.internalParameters().path("github");
    for (String k : new String[] {"event_name", "repository_id", "repository_owner_id", "runner_environment"}) {
      String v = text(github, k);
      if (v != null) {
        ci.put(k, v);
      }
    }
    SlsaProvenanceV1.BuildMetadata md = p.runDetails().metadata();
    md.invocationId().ifPresent(id -> runFromInvocationUrl(id, ci));
    Optional<String> triggerUri = trigger;
    return new ProvenanceSummary(
        p.predicateType(),
        p.runDetails().builder().id(),
        bd.buildType(),
        source,
        trigger,
        refOf(source).or(() -> refOf(triggerUri)),
        commit,
        configPath,
        md.invocationId(),
        md.startedOn(),
        md.finishedOn(),
        ci,
        deps);
  }

  private static ProvenanceSummary ofV02(SlsaProvenanceV02 p) {
    List<SlsaProvenanceV02.Material> mats = p.materials();
    Optional<String> source = mats.isEmpty() ? Optional.empty() : mats.get(0).uri();
    Optional<String> commit = mats.isEmpty() ? Optional.empty() : commitOf(mats.get(0).digest());
    Optional<SlsaProvenanceV02.ConfigSource> cs = p.invocation().configSource();
    Optional<String> trigger = cs.flatMap(SlsaProvenanceV02.ConfigSource::uri);
    Map<String, String> ci = new TreeMap<>();
    JsonNode env = p.invocation().environment();
    String[][] names = {
      {"github_event_name", "event_name"},
      {"github_repository_id", "repository_id"},
      {"github_repository_owner_id", "repository_owner_id"},
      {"github_run_id", "run_id"},
      {"github_run_attempt", "run_attempt"}
    };
    for (String[] n : names) {
      String v = text(env, n[0]);
      if (v == null) {
        v = text(env, n[0].toUpperCase(java.util.Locale.ROOT));
      }
      if (v != null) {
        ci.put(n[1], v);
      }
    }
    Optional<String> invocation = p.metadata().buildInvocationId();
    if (invocation.isPresent() && !ci.containsKey("run_id")) {
      String id = invocation.get();
      int dash = id.lastIndexOf('-');
      if (dash > 0 && isDigits(id.substring(0, dash)) && isDigits(id.substring(dash + 1))) {
        ci.put("run_id", id.substring(0, dash));
        ci.put("run_attempt", id.substring(dash + 1));
      } else {
        runFromInvocationUrl(id, ci);
      }
    }
    List<ResourceDescriptor> deps = new ArrayList<>();
    for (SlsaProvenanceV02.Material m : mats) {
      if (m.uri().isPresent() || !m.digest().isEmpty()) {
        deps.add(
            new ResourceDescriptor(
                Optional.empty(), m.uri(), m.digest(), Optional.empty(), Optional.empty(), Optional.empty(), null));
      }
    }
    return new ProvenanceSummary(
        p.predicateType(),
        p.builder().id(),
        p.buildType(),
        source,
        trigger,
        refOf(source).or(() -> refOf(trigger)),
        commit,
        cs.flatMap(SlsaProvenanceV02.ConfigSource::entryPoint),
        invocation,
        p.metadata().buildStartedOn(),
        p.metadata().buildFinishedOn(),
        ci,
        deps);
  }

  private static Optional<String> refOf(Optional<String> uri) {
    return uri.map(u -> GitUris.split(u)[1]).filter(r -> r != null && !r.isEmpty());
  }

  private static Optional<String> commitOf(DigestSet d) {
    return d.get("gitCommit").or(() -> d.get("sha1"));
  }

  /** Fills run_id and run_attempt from a GitHub {@code .../actions/runs/RUN/attempts/ATTEMPT} URL. */
  private static void runFromInvocationUrl(String url, Map<String, String> ci) {
    int runs = url.indexOf("/actions/runs/");
    if (runs < 0) {
      return;
    }
    String[] rest = url.substring(runs + "/actions/runs/".length()).split("/", -1);
    if (rest.length == 3 && "attempts".equals(rest[1]) && isDigits(rest[0]) && isDigits(rest[2])) {
      ci.put("run_id", rest[0]);
      ci.put("run_attempt", rest[2]);
    }
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode v = parent.path(field);
    return v.isTextual() ? v.textValue() : null;
  }
}
