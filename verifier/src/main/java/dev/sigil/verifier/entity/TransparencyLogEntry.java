package dev.sigil.verifier.entity;

import dev.sigil.verifier.internal.util.Bytes;
import java.util.Objects;
import java.util.Optional;

/** A transparency-log entry (Rekor v1 or v2) as carried in a bundle or a cosign Rekor annotation. */
public record TransparencyLogEntry(
    long logIndex,
    byte[] logKeyId,
    String kind,
    String kindVersion,
    long integratedTime,
    Optional<byte[]> signedEntryTimestamp,
    Optional<InclusionProof> inclusionProof,
    byte[] canonicalizedBody) {
  public TransparencyLogEntry {
    logKeyId = logKeyId.clone();
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(kindVersion, "kindVersion");
    signedEntryTimestamp = Bytes.copy(signedEntryTimestamp);
    Objects.requireNonNull(inclusionProof, "inclusionProof");
    canonicalizedBody = canonicalizedBody.clone();
  }

  @Override
  public byte[] logKeyId() {
    return logKeyId.clone();
  }

  @Override
  public Optional<byte[]> signedEntryTimestamp() {
    return Bytes.copy(signedEntryTimestamp);
  }

  @Override
  public byte[] canonicalizedBody() {
    return canonicalizedBody.clone();
  }
}
