package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A SLSA provenance v0.2 predicate ({@value PredicateTypes#SLSA_PROVENANCE_V02}; slsa.dev/provenance/v0.2), read
 * only. Required: {@code builder.id} and {@code buildType} (absolute URIs). Optional fields may be unset or null, and
 * read as empty, as that spec says. JSON objects are copied in and out.
 *
 * <p>{@code metadata.buildInvocationID} (capital D) is read as {@code buildInvocationId}: in-toto-golang's v0.2 type
 * spells it so, and cosign and other Go producers write it that way (Go's JSON field matching ignores case). A
 * predicate with both spellings is refused.
 */
public record SlsaProvenanceV02(
    Builder builder,
    String buildType,
    Invocation invocation,
    ObjectNode buildConfig,
    Metadata metadata,
    List<Material> materials)
    implements Predicate {

  public SlsaProvenanceV02 {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(buildType, "buildType");
    Objects.requireNonNull(invocation, "invocation");
    buildConfig = buildConfig == null ? StrictJson.newObject() : buildConfig.deepCopy();
    Objects.requireNonNull(metadata, "metadata");
    materials = List.copyOf(materials);
  }

  @Override
  public String predicateType() {
    return PredicateTypes.SLSA_PROVENANCE_V02;
  }

  @Override
  public ObjectNode buildConfig() {
    return buildConfig.deepCopy();
  }

  /** The entity that ran the build. */
  public record Builder(String id) {
    public Builder {
      Objects.requireNonNull(id, "id");
    }
  }

  /** The event that started the build: where its configuration came from, its parameters and environment. */
  public record Invocation(Optional<ConfigSource> configSource, ObjectNode parameters, ObjectNode environment) {
    public Invocation {
      Objects.requireNonNull(configSource, "configSource");
      parameters = parameters == null ? StrictJson.newObject() : parameters.deepCopy();
      environment = environment == null ? StrictJson.newObject() : environment.deepCopy();
    }

    @Override
    public ObjectNode parameters() {
      return parameters.deepCopy();
    }

    @Override
    public ObjectNode environment() {
      return environment.deepCopy();
    }
  }

  /** Where the build configuration came from. */
  public record ConfigSource(Optional<String> uri, DigestSet digest, Optional<String> entryPoint) {
    public ConfigSource {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(entryPoint, "entryPoint");
    }
  }

  /** Build metadata as v0.2 names it. */
  public record Metadata(
      Optional<String> buildInvocationId,
      Optional<Instant> buildStartedOn,
      Optional<Instant> buildFinishedOn,
      Completeness completeness,
      boolean reproducible) {
    public Metadata {
      Objects.requireNonNull(buildInvocationId, "buildInvocationId");
      Objects.requireNonNull(buildStartedOn, "buildStartedOn");
      Objects.requireNonNull(buildFinishedOn, "buildFinishedOn");
      Objects.requireNonNull(completeness, "completeness");
    }
  }

  /** Which parts of the invocation the builder claims to be complete. */
  public record Completeness(boolean parameters, boolean environment, boolean materials) {}

  /** An input artifact of the build. */
  public record Material(Optional<String> uri, DigestSet digest) {
    public Material {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /** Reads a SLSA v0.2 predicate; error pointers are relative to it. */
  public static SlsaProvenanceV02 parse(JsonNode predicate) throws AttestationException {
    return parse(predicate, "");
  }

  static SlsaProvenanceV02 parse(JsonNode predicate, String base) throws AttestationException {
    ObjectNode p = Fields.requireObject(predicate, base, "a SLSA provenance v0.2 predicate object");
    ObjectNode b = Fields.requireObject(p, "builder", base);
    Builder builder = new Builder(Fields.requireUri(b, "id", StrictJson.pointer(base, "builder")));
    String buildType = Fields.requireUri(p, "buildType", base);

    String iPtr = StrictJson.pointer(base, "invocation");
    ObjectNode inv = Fields.optionalObject(p, "invocation", base);
    Optional<ConfigSource> configSource = Optional.empty();
    if (Fields.optional(inv, "configSource").isPresent()) {
      String cPtr = StrictJson.pointer(iPtr, "configSource");
      ObjectNode cs = Fields.requireObject(inv, "configSource", iPtr);
      configSource =
          Optional.of(
              new ConfigSource(
                  Fields.optionalString(cs, "uri", cPtr),
                  Fields.digestSet(cs.get("digest"), StrictJson.pointer(cPtr, "digest"), false),
                  Fields.optionalString(cs, "entryPoint", cPtr)));
    }
    Invocation invocation =
        new Invocation(
            configSource,
            Fields.optionalObject(inv, "parameters", iPtr),
            Fields.optionalObject(inv, "environment", iPtr));
    ObjectNode buildConfig = Fields.optionalObject(p, "buildConfig", base);

    String mPtr = StrictJson.pointer(base, "metadata");
    ObjectNode m = Fields.optionalObject(p, "metadata", base);
    String cmpPtr = StrictJson.pointer(mPtr, "completeness");
    ObjectNode c = Fields.optionalObject(m, "completeness", mPtr);
    Optional<String> invocationId = Fields.optionalString(m, "buildInvocationId", mPtr);
    Optional<String> invocationIdAlias = Fields.optionalString(m, "buildInvocationID", mPtr);
    if (invocationId.isPresent() && invocationIdAlias.isPresent()) {
      throw AttestationException.invalid(
          StrictJson.pointer(mPtr, "buildInvocationID"),
          "one of buildInvocationId and buildInvocationID",
          "both");
    }
    Metadata metadata =
        new Metadata(
            invocationId.or(() -> invocationIdAlias),
            Fields.optionalTimestamp(m, "buildStartedOn", mPtr),
            Fields.optionalTimestamp(m, "buildFinishedOn", mPtr),
            new Completeness(
                Fields.optionalBoolean(c, "parameters", cmpPtr),
                Fields.optionalBoolean(c, "environment", cmpPtr),
                Fields.optionalBoolean(c, "materials", cmpPtr)),
            Fields.optionalBoolean(m, "reproducible", mPtr));

    ArrayNode mats = Fields.optionalArray(p, "materials", base);
    String matsPtr = StrictJson.pointer(base, "materials");
    List<Material> materials = new ArrayList<>(mats.size());
    for (int i = 0; i < mats.size(); i++) {
      String ptr = StrictJson.pointer(matsPtr, i);
      ObjectNode mat = Fields.requireObject(mats.get(i), ptr, "a material object");
      materials.add(
          new Material(
              Fields.optionalString(mat, "uri", ptr),
              Fields.digestSet(mat.get("digest"), StrictJson.pointer(ptr, "digest"), false)));
    }
    return new SlsaProvenanceV02(
        builder, buildType, invocation, buildConfig, metadata, Collections.unmodifiableList(materials));
  }
}
