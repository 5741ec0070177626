package dev.sigil.images;

import dev.sigil.oci.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything attached to one image, fetched and read, not yet verified: what {@link ImageVerifier} checks. Immutable;
 * verifying it does no I/O, so one fetch serves many verifications (one per trusted material or policy).
 *
 * @param image the image as the user named it, for messages ({@code registry/repo@sha256:...} or
 *     {@code oci-layout:PATH@sha256:...})
 * @param repository {@code registry/repository} for registry images (what a signature's docker-reference must name),
 *     empty for OCI layouts
 * @param digest the image manifest's digest: what every signature must name
 * @param resolvedFromTag the tag the digest was resolved from, when the user named a tag
 * @param signatures signature candidates (legacy {@code .sig} layers and bundle referrers of cosign's signing
 *     predicate type)
 * @param attestations attestation candidates (legacy {@code .att} layers and other bundle referrers)
 * @param unreadable attachments that could not be read
 */
public record ImageEvidence(
    String image,
    Optional<String> repository,
    Digest digest,
    Optional<String> resolvedFromTag,
    List<Candidate> signatures,
    List<Candidate> attestations,
    List<Unreadable> unreadable) {
  public ImageEvidence {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(resolvedFromTag, "resolvedFromTag");
    signatures = List.copyOf(signatures);
    attestations = List.copyOf(attestations);
    unreadable = List.copyOf(unreadable);
  }
}
