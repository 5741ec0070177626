package dev.sigil.cli;

import dev.sigil.attestations.slsa.SlsaExpectations;
import java.util.Optional;
import picocli.CommandLine.Option;

/** slsa-verifier's flags: what a SLSA provenance must say about its source and builder. */
final class SlsaOptions {
  @Option(names = "--source-uri", paramLabel = "URI",
      description = "Expected source repository, e.g. github.com/org/repo (also https:// or git+https://).")
  String sourceUri;

  @Option(names = "--source-ref", paramLabel = "REF", description = "Expected source ref, e.g. refs/tags/v1.2.3.")
  String sourceRef;

  @Option(names = "--source-tag", paramLabel = "TAG", description = "Expected source tag (the ref refs/tags/TAG).")
  String sourceTag;

  @Option(names = "--source-branch", paramLabel = "BRANCH",
      description = "Expected source branch (the ref refs/heads/BRANCH).")
  String sourceBranch;

  @Option(names = "--builder-id", paramLabel = "URI",
      description = "Expected builder id; NAME@VERSION also pins the version (as slsa-verifier).")
  String builderId;

  /**
   * The expectations the flags state; empty when none is given.
   *
   * @throws CliException (exit 2) for a malformed value or contradictory flags
   */
  Optional<SlsaExpectations> expectations() throws CliException {
    if (sourceUri == null && sourceRef == null && sourceTag == null && sourceBranch == null && builderId == null) {
      return Optional.empty();
    }
    try {
      SlsaExpectations.Builder b = SlsaExpectations.builder();
      if (sourceUri != null) {
        b.sourceUri(sourceUri);
      }
      if (sourceRef != null) {
        b.sourceRef(sourceRef);
      }
      if (sourceTag != null) {
        b.sourceTag(sourceTag);
      }
      if (sourceBranch != null) {
        b.sourceBranch(sourceBranch);
      }
      if (builderId != null) {
        b.builderId(builderId);
      }
      return Optional.of(b.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.badInput("usage: " + e.getMessage());
    }
  }
}
