package dev.sigil.images;

import dev.sigil.verifier.entity.SignedEntity;
import java.util.Objects;
import java.util.Optional;

/**
 * One signature or attestation found attached to an image, read but not yet verified.
 *
 * @param scheme where it was found
 * @param location the tag or referrer manifest digest and the layer digest, for reports
 * @param entity what the verifier checks
 * @param payload for a legacy signature, the signed simple-signing payload bytes (what the signature covers)
 * @param predicateType the predicate type the storage claims (an annotation; authoritative only once verified)
 */
public record Candidate(
    Scheme scheme, String location, SignedEntity entity, Optional<byte[]> payload, Optional<String> predicateType) {
  public Candidate {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(entity, "entity");
    payload = payload.map(byte[]::clone);
    Objects.requireNonNull(predicateType, "predicateType");
  }

  @Override
  public Optional<byte[]> payload() {
    return payload.map(byte[]::clone);
  }

  /** {@code <scheme> <location>}, e.g. {@code tag .sig sha256-ab...sig layer sha256:cd...}. */
  public String describe() {
    return scheme.label() + " " + location;
  }
}
