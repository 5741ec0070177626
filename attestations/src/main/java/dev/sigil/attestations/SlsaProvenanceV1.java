package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A SLSA provenance v1 predicate ({@value PredicateTypes#SLSA_PROVENANCE_V1}; slsa.dev/spec/v1.0/provenance, schema
 * in {@code slsa-framework/slsa spec/schema/provenance.cue}).
 *
 * <p>Required, as the spec requires them for SLSA Build L1: {@code buildDefinition} with {@code buildType} (an absolute
 * URI) and {@code externalParameters} (an object); {@code runDetails} with {@code builder.id} (an absolute URI).
 * Everything else is optional; absent lists and objects read as empty, as the spec treats them. Timestamps must be
 * RFC 3339 in UTC. Unknown fields are ignored (the spec's parsing rules), unlike slsa-verifier, which refuses unknown
 * fields outside the free-form parameter objects.
 */
public record SlsaProvenanceV1(BuildDefinition buildDefinition, RunDetails runDetails) implements Predicate {

  public SlsaProvenanceV1 {
    Objects.requireNonNull(buildDefinition, "buildDefinition");
    Objects.requireNonNull(runDetails, "runDetails");
  }

  @Override
  public String predicateType() {
    return PredicateTypes.SLSA_PROVENANCE_V1;
  }

  /** The inputs of the build. JSON parameter objects are copied in and out. */
  public record BuildDefinition(
      String buildType,
      ObjectNode externalParameters,
      ObjectNode internalParameters,
      List<ResourceDescriptor> resolvedDependencies) {
    public BuildDefinition {
      Objects.requireNonNull(buildType, "buildType");
      externalParameters = externalParameters == null ? StrictJson.newObject() : externalParameters.deepCopy();
      internalParameters = internalParameters == null ? StrictJson.newObject() : internalParameters.deepCopy();
      resolvedDependencies = List.copyOf(resolvedDependencies);
    }

    @Override
    public ObjectNode externalParameters() {
      return externalParameters.deepCopy();
    }

    @Override
    public ObjectNode internalParameters() {
      return internalParameters.deepCopy();
    }
  }

  /** This execution of the build. */
  public record RunDetails(Builder builder, BuildMetadata metadata, List<ResourceDescriptor> byproducts) {
    public RunDetails {
      Objects.requireNonNull(builder, "builder");
      Objects.requireNonNull(metadata, "metadata");
      byproducts = List.copyOf(byproducts);
    }
  }

  /** The build platform: its id (a URI), component versions, and dependencies of the orchestrator. */
  public record Builder(String id, Map<String, String> version, List<ResourceDescriptor> builderDependencies) {
    public Builder {
      Objects.requireNonNull(id, "id");
      version = java.util.Collections.unmodifiableMap(new TreeMap<>(version));
      builderDependencies = List.copyOf(builderDependencies);
    }

    /** A builder with an id only. */
    public static Builder of(String id) {
      return new Builder(id, Map.of(), List.of());
    }
  }

  /** Metadata of this execution; every field optional. */
  public record BuildMetadata(Optional<String> invocationId, Optional<Instant> startedOn, Optional<Instant> finishedOn) {
    public static final BuildMetadata EMPTY = new BuildMetadata(Optional.empty(), Optional.empty(), Optional.empty());

    public BuildMetadata {
      Objects.requireNonNull(invocationId, "invocationId");
      Objects.requireNonNull(startedOn, "startedOn");
      Objects.requireNonNull(finishedOn, "finishedOn");
    }
  }

  /** Reads a SLSA v1 predicate; error pointers are relative to it. */
  public static SlsaProvenanceV1 parse(JsonNode predicate) throws AttestationException {
    return parse(predicate, "");
  }

  static SlsaProvenanceV1 parse(JsonNode predicate, String base) throws AttestationException {
    ObjectNode p = Fields.requireObject(predicate, base, "a SLSA provenance v1 predicate object");
    String bdPtr = StrictJson.pointer(base, "buildDefinition");
    ObjectNode bd = Fields.requireObject(p, "buildDefinition", base);
    String buildType = Fields.requireUri(bd, "buildType", bdPtr);
    JsonNode ext = bd.get("externalParameters");
    ObjectNode external =
        Fields.requireObject(ext, StrictJson.pointer(bdPtr, "externalParameters"), "an externalParameters object");
    ObjectNode internal = Fields.optionalObject(bd, "internalParameters", bdPtr);
    List<ResourceDescriptor> deps = ResourceDescriptor.parseList(bd, "resolvedDependencies", bdPtr);

    String rdPtr = StrictJson.pointer(base, "runDetails");
    ObjectNode rd = Fields.requireObject(p, "runDetails", base);
    String bPtr = StrictJson.pointer(rdPtr, "builder");
    ObjectNode b = Fields.requireObject(rd, "builder", rdPtr);
    Builder builder =
        new Builder(
            Fields.requireUri(b, "id", bPtr),
            Fields.optionalStringMap(b, "version", bPtr),
            ResourceDescriptor.parseList(b, "builderDependencies", bPtr));
    String mPtr = StrictJson.pointer(rdPtr, "metadata");
    ObjectNode m = Fields.optionalObject(rd, "metadata", rdPtr);
    BuildMetadata metadata =
        new BuildMetadata(
            Fields.optionalString(m, "invocationId", mPtr),
            Fields.optionalTimestamp(m, "startedOn", mPtr),
            Fields.optionalTimestamp(m, "finishedOn", mPtr));
    List<ResourceDescriptor> byproducts = ResourceDescriptor.parseList(rd, "byproducts", rdPtr);
    return new SlsaProvenanceV1(
        new BuildDefinition(buildType, external, internal, deps), new RunDetails(builder, metadata, byproducts));
  }

  /**
   * This predicate as JSON, fields in spec order; empty optional lists and objects ({@code internalParameters},
   * {@code resolvedDependencies}, {@code version}, {@code builderDependencies}, {@code metadata}, {@code byproducts})
   * are omitted, {@code externalParameters} always written. Timestamps are written to whole seconds.
   */
  public ObjectNode toJson() {
    ObjectNode root = StrictJson.newObject();
    ObjectNode bd = root.putObject("buildDefinition");
    bd.put("buildType", buildDefinition.buildType());
    bd.set("externalParameters", buildDefinition.externalParameters());
    if (!buildDefinition.internalParameters.isEmpty()) {
      bd.set("internalParameters", buildDefinition.internalParameters());
    }
    if (!buildDefinition.resolvedDependencies().isEmpty()) {
      bd.set("resolvedDependencies", ResourceDescriptor.toJson(buildDefinition.resolvedDependencies()));
    }
    ObjectNode rd = root.putObject("runDetails");
    ObjectNode b = rd.putObject("builder");
    b.put("id", runDetails.builder().id());
    if (!runDetails.builder().version().isEmpty()) {
      ObjectNode v = b.putObject("version");
      runDetails.builder().version().forEach(v::put);
    }
    if (!runDetails.builder().builderDependencies().isEmpty()) {
      b.set("builderDependencies", ResourceDescriptor.toJson(runDetails.builder().builderDependencies()));
    }
    BuildMetadata md = runDetails.metadata();
    if (md.invocationId().isPresent() || md.startedOn().isPresent() || md.finishedOn().isPresent()) {
      ObjectNode m = rd.putObject("metadata");
      md.invocationId().ifPresent(v -> m.put("invocationId", v));
      md.startedOn().ifPresent(v -> m.put("startedOn", Timestamps.format(v)));
      md.finishedOn().ifPresent(v -> m.put("finishedOn", Timestamps.format(v)));
    }
    if (!runDetails.byproducts().isEmpty()) {
      rd.set("byproducts", ResourceDescriptor.toJson(runDetails.byproducts()));
    }
    return root;
  }
}
