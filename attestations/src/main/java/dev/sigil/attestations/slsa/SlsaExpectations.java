package dev.sigil.attestations.slsa;

import java.util.Optional;

/**
 * What a provenance must say, as slsa-verifier's flags state it: {@code --source-uri}, {@code --source-tag} / {@code
 * --source-branch} (here also a full {@code --source-ref}), {@code --builder-id}. Immutable; made by {@link #builder()},
 * whose {@code build()} refuses an empty or contradictory set.
 */
public record SlsaExpectations(Optional<String> sourceUri, Optional<String> sourceRef, Optional<String> builderId) {

  public static Builder builder() {
    return new Builder();
  }

  /** Collects expectations. */
  public static final class Builder {
    private String sourceUri;
    private String sourceRef;
    private String refFrom;
    private String builderId;

    private Builder() {}

    /**
     * The source repository: {@code github.com/org/repo}, {@code https://github.com/org/repo} or {@code
     * git+https://github.com/org/repo} (normalised as slsa-verifier's {@code NormalizeGitURI}). Any host is accepted,
     * where slsa-verifier accepts github.com only.
     */
    public Builder sourceUri(String uri) {
      this.sourceUri = nonEmpty(uri, "source URI");
      return this;
    }

    /** The full source ref, e.g. {@code refs/tags/v1.2.3}. */
    public Builder sourceRef(String ref) {
      if (!ref.startsWith("refs/") || ref.length() == 5) {
        throw new IllegalArgumentException("a source ref starts with refs/ (e.g. refs/tags/v1.2.3), found " + ref);
      }
      return ref(ref, "source ref");
    }

    /** The source tag, e.g. {@code v1.2.3}: the ref {@code refs/tags/v1.2.3}. */
    public Builder sourceTag(String tag) {
      return ref("refs/tags/" + nonEmpty(tag, "source tag"), "source tag");
    }

    /** The source branch, e.g. {@code main}: the ref {@code refs/heads/main}. */
    public Builder sourceBranch(String branch) {
      return ref("refs/heads/" + nonEmpty(branch, "source branch"), "source branch");
    }

    private Builder ref(String ref, String from) {
      if (sourceRef != null && !sourceRef.equals(ref)) {
        throw new IllegalStateException(
            "contradictory expectations: " + refFrom + " gives " + sourceRef + ", " + from + " gives " + ref);
      }
      this.sourceRef = ref;
      this.refFrom = from;
      return this;
    }

    /**
     * The builder id, matched as slsa-verifier matches a user-given {@code --builder-id} ({@code MatchesLoose}): the
     * part before {@code @} must equal; if the expectation has an {@code @version}, the provenance's must equal it or
     * be {@code refs/tags/<version>}.
     */
    public Builder builderId(String id) {
      this.builderId = nonEmpty(id, "builder id");
      if (id.split("@", -1).length > 2 || id.endsWith("@")) {
        throw new IllegalArgumentException("a builder id is NAME or NAME@VERSION, found " + id);
      }
      return this;
    }

    private static String nonEmpty(String s, String what) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException("expected a " + what + ", found none");
      }
      return s;
    }

    /**
     * The expectations.
     *
     * @throws IllegalStateException if nothing is expected (an empty set would pass any provenance)
     */
    public SlsaExpectations build() {
      if (sourceUri == null && sourceRef == null && builderId == null) {
        throw new IllegalStateException("expected at least one of source URI, source ref/tag/branch, builder id");
      }
      return new SlsaExpectations(
          Optional.ofNullable(sourceUri), Optional.ofNullable(sourceRef), Optional.ofNullable(builderId));
    }
  }
}
