package dev.sigil.attestations;

import java.util.Objects;

/**
 * One subject of an in-toto statement: the artifact's name ({@code ""} when the statement leaves it unset; in-toto v1
 * allows that and suggests {@code "_"} for a meaningless name) and its digests (never empty). Other resource-descriptor
 * fields a v1 subject may carry stay in the statement's payload.
 */
public record Subject(String name, DigestSet digest) {
  public Subject {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    if (digest.isEmpty()) {
      throw new IllegalArgumentException("a subject needs at least one digest");
    }
  }

  /** Whether this subject names the artifact with these digests (see {@link DigestSet#matches}). */
  public boolean matches(DigestSet artifact) {
    return digest.matches(artifact);
  }
}
