package dev.sigil.sandbox.rekor;

import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.bundle.Bundle;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One log entry with everything a Rekor v1 {@code LogEntry} response and a Sigstore bundle's {@code tlogEntries[]}
 * carry: index, log ID, integrated time, the canonicalized body, the signed entry timestamp (SET) and an inclusion
 * proof with the signed checkpoint it verifies against. Immutable; byte arrays are defensive copies.
 *
 * @param logIndex the entry's index (the genesis entry is 0; client entries start at 1)
 * @param treeId the log's tree ID (the {@code <tree ID>} of checkpoint origins)
 * @param logId SHA-256 of the log's PKIX public key (32 bytes)
 * @param integratedTime Unix seconds at which the log accepted the entry
 * @param body the canonicalized body
 * @param kind the body's {@code kind} ({@code hashedrekord}, {@code dsse}, or {@code sigil-genesis} for index 0)
 * @param apiVersion the body's {@code apiVersion}
 * @param signedEntryTimestamp the log's ECDSA signature over {@code {"body","integratedTime","logID","logIndex"}}
 *     canonical JSON
 * @param inclusionProof proof that the entry is in the tree of {@link InclusionProof#treeSize()} leaves
 */
public record LogEntry(
    long logIndex,
    long treeId,
    byte[] logId,
    long integratedTime,
    byte[] body,
    String kind,
    String apiVersion,
    byte[] signedEntryTimestamp,
    InclusionProof inclusionProof) {

  public LogEntry {
    logId = logId.clone();
    body = body.clone();
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(apiVersion, "apiVersion");
    signedEntryTimestamp = signedEntryTimestamp.clone();
    Objects.requireNonNull(inclusionProof, "inclusionProof");
  }

  /**
   * An RFC 6962 inclusion proof and the checkpoint it leads to, as in Rekor's {@code verification.inclusionProof}.
   *
   * @param logIndex the leaf index in the tree
   * @param treeSize the tree size the proof is for
   * @param rootHash that tree's root
   * @param hashes the audit path, the leaf's sibling first
   * @param checkpoint the signed checkpoint (note) for {@code treeSize} and {@code rootHash}
   */
  public record InclusionProof(long logIndex, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {
    public InclusionProof {
      rootHash = rootHash.clone();
      hashes = hashes.stream().map(byte[]::clone).toList();
      Objects.requireNonNull(checkpoint, "checkpoint");
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }

    @Override
    public List<byte[]> hashes() {
      return hashes.stream().map(byte[]::clone).toList();
    }

    /** Hex strings, as the Rekor v1 API serves {@code hashes}. */
    public List<String> hashesHex() {
      return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public byte[] signedEntryTimestamp() {
    return signedEntryTimestamp.clone();
  }

  /** The RFC 6962 leaf hash of the body. */
  public byte[] leafHash() {
    return MerkleLog.leafHash(body);
  }

  /** The Rekor v1 UUID: 64 hex digits of the leaf hash. */
  public String uuid() {
    return HexFormat.of().formatHex(leafHash());
  }

  /** The Rekor v1 entry ID: the tree ID as 16 hex digits, then the UUID (the key of a {@code LogEntry} response). */
  public String entryId() {
    return String.format("%016x", treeId) + uuid();
  }

  public String logIdHex() {
    return HexFormat.of().formatHex(logId);
  }

  public String bodyBase64() {
    return Base64.getEncoder().encodeToString(body);
  }

  public String signedEntryTimestampBase64() {
    return Base64.getEncoder().encodeToString(signedEntryTimestamp);
  }

  /** This entry as a bundle's transparency-log entry (with SET, inclusion proof and checkpoint). */
  public TransparencyLogEntry toBundleEntry() {
    return new TransparencyLogEntry(
        logIndex,
        logId,
        kind,
        apiVersion,
        integratedTime,
        Optional.of(signedEntryTimestamp),
        Optional.of(
            new dev.sigil.verifier.entity.InclusionProof(
                inclusionProof.logIndex(),
                inclusionProof.rootHash(),
                inclusionProof.treeSize(),
                inclusionProof.hashes(),
                Optional.of(inclusionProof.checkpoint()))),
        body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e
        && logIndex == e.logIndex
        && treeId == e.treeId
        && integratedTime == e.integratedTime
        && java.util.Arrays.equals(logId, e.logId)
        && java.util.Arrays.equals(body, e.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logIndex, treeId, integratedTime, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "LogEntry[" + logIndex + ", " + kind + " " + apiVersion + ", uuid " + uuid() + ", proof at size "
        + inclusionProof.treeSize() + "]";
  }
}
