package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.entity.InclusionProof;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import dev.sigil.verifier.trust.TransparencyLogInstance;
import dev.sigil.verifier.internal.util.Lazy;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies transparency-log entries from bundles against the trusted logs: the body matches the bundle, the signed
 * entry timestamp (Rekor v1), the RFC 6962 inclusion proof and the signed checkpoint it leads to. Built once from the
 * trusted logs; each log's key and note verifiers are prepared the first time an entry names that log, then kept.
 * Thread-safe; no I/O.
 */
public final class EntryVerifier {
  /** How far an integrated time may lie ahead of the verifier's clock (clock skew between log and verifier). */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** 9999-12-31T23:59:59Z: larger values cannot be an integrated time (and overflow java.time). */
  static final long MAX_UNIX_TIME = 253402300799L;

  private final List<LogSlot> logs;
  private final RekorBody bodies = new RekorBody();

  private record TrustedLog(
      TransparencyLogInstance instance,
      SignatureVerifier setVerifier,
      Optional<NoteVerifier> v1Notes,
      Optional<NoteVerifier> v2Notes) {}

  /** A verified entry: which log, and the signing time it proves (Rekor v1 integrated time covered by a SET). */
  public record VerifiedEntry(
      TransparencyLogInstance log, boolean rekorV2, Optional<Instant> integratedTime, String summary) {}

  public EntryVerifier(List<TransparencyLogInstance> trustedLogs) {
    List<LogSlot> out = new ArrayList<>(trustedLogs.size());
    for (TransparencyLogInstance t : trustedLogs) {
      out.add(new LogSlot(t));
    }
    this.logs = List.copyOf(out);
  }

  /**
   * A trusted log, prepared on first use (a one-shot verification prepares only the log it needs): the outcome is
   * kept, the prepared {@link TrustedLog} or why the log's key cannot be used.
   */
  private static final class LogSlot {
    final TransparencyLogInstance instance;
    final Lazy<Outcome<TrustedLog>> prepared;

    LogSlot(TransparencyLogInstance instance) {
      this.instance = instance;
      this.prepared =
          new Lazy<>() {
            @Override
            protected Outcome<TrustedLog> compute() {
              return prepare(instance);
            }
          };
    }

    private static Outcome<TrustedLog> prepare(TransparencyLogInstance t) {
      try {
        SignatureVerifier sv = SignatureVerifier.longLived(t.publicKey());
        Optional<String> name = t.checkpointKeyName();
        Optional<NoteVerifier> v1 = Optional.empty();
        Optional<NoteVerifier> v2 = Optional.empty();
        if (name.isPresent() && SignedNote.isValidKeyName(name.get())) {
          v1 = Optional.of(NoteVerifier.create(name.get(), sv, NoteVerifier.KeyIdScheme.REKOR_V1));
          v2 = Optional.of(NoteVerifier.create(name.get(), sv, NoteVerifier.KeyIdScheme.C2SP));
        }
        return Outcome.ok(new TrustedLog(t, sv, v1, v2));
      } catch (UnsupportedKeyException e) {
        return Outcome.failure(Reason.TLOG_UNKNOWN_LOG, e.getMessage());
      }
    }
  }

  /** Whether an entry of this kind and version comes from a Rekor v2 log. */
  public static boolean isRekorV2(TransparencyLogEntry e) {
    return "0.0.2".equals(e.kindVersion()) && ("hashedrekord".equals(e.kind()) || "dsse".equals(e.kind()));
  }

  /**
   * Verifies one entry.
   *
   * @param requireInclusionProof bundles v0.2 and later must carry an inclusion proof
   * @param now the verifier's clock, only to reject integrated times in the future
   */
  public Outcome<VerifiedEntry> verify(
      TransparencyLogEntry e, RekorBody.Expected expected, boolean requireInclusionProof, Instant now) {
    if (e.logIndex() < 0) {
      return Outcome.failure(Reason.TLOG_ENTRY_MALFORMED, "log index: expected a non-negative index, found " + e.logIndex());
    }
    byte[] logId = e.logKeyId();
    TrustedLog log = null;
    String unusable = null;
    for (LogSlot slot : logs) {
      if (slot.instance.hasLogId(logId)) {
        Outcome<TrustedLog> p = slot.prepared.get();
        if (p.isOk()) {
          log = p.value();
          break;
        }
        unusable = p.detail();
      }
    }
    if (log == null && unusable != null) {
      return Outcome.failure(Reason.TLOG_UNKNOWN_LOG,
          "log ID: expected a transparency log in the trusted root with a usable key, found log "
              + Base64.getEncoder().encodeToString(logId) + " whose key cannot be used (" + unusable + ")");
    }
    if (log == null) {
      return Outcome.failure(Reason.TLOG_UNKNOWN_LOG,
          "log ID: expected a transparency log in the trusted root, found unknown log "
              + Base64.getEncoder().encodeToString(logId));
    }
    Optional<String> mismatch = bodies.mismatch(e.kind(), e.kindVersion(), e.canonicalizedBody(), expected);
    if (mismatch.isPresent()) {
      return Outcome.failure(Reason.TLOG_BODY_MISMATCH, "log entry body does not match the bundle: " + mismatch.get());
    }
    boolean v2 = isRekorV2(e);
    List<String> done = new ArrayList<>();
    done.add("body matches");

    Optional<Instant> integrated = Optional.empty();
    if (!v2) {
      if (e.integratedTime() <= 0 || e.integratedTime() > MAX_UNIX_TIME) {
        return Outcome.failure(Reason.TLOG_INTEGRATED_TIME_INVALID,
            "integrated time: expected a Unix time between 1 and " + MAX_UNIX_TIME + ", found " + e.integratedTime());
      }
      Instant t = Instant.ofEpochSecond(e.integratedTime());
      if (t.isAfter(now.plus(MAX_CLOCK_SKEW))) {
        return Outcome.failure(Reason.TLOG_INTEGRATED_TIME_INVALID, "integrated time: expected a time not in the future, found " + t + " (now " + now + ")");
      }
      if (!log.instance().validAt(t)) {
        return Outcome.failure(Reason.TLOG_INTEGRATED_TIME_INVALID,
            "integrated time: expected a time within the log key's validity " + log.instance().validFor().describe()
                + ", found " + t);
      }
      if (e.signedEntryTimestamp().isPresent()) {
        byte[] payload = RekorBody.setPayload(e.canonicalizedBody(), e.integratedTime(), logId, e.logIndex());
        try {
          log.setVerifier().verifyMessage(payload, e.signedEntryTimestamp().get());
        } catch (InvalidSignatureException ex) {
          return Outcome.failure(Reason.TLOG_SET_INVALID, "signed entry timestamp: expected a valid signature by the log, found " + ex.getMessage());
        }
        done.add("SET verifies");
        integrated = Optional.of(t);
      }
    }
    Optional<InclusionProof> proof = e.inclusionProof();
    if (proof.isEmpty()) {
      if (v2 || requireInclusionProof) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
            "inclusion proof: expected one (" + (v2 ? "Rekor v2 entries" : "bundles v0.2 and later") + " need it), found none");
      }
      if (integrated.isEmpty()) {
        return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID, "log entry: expected an inclusion proof or a signed entry timestamp, found neither");
      }
    } else {
      Outcome<String> p = verifyProof(e, proof.get(), log, v2);
      if (!p.isOk()) {
        return p.propagate();
      }
      done.add(p.value());
    }
    String summary =
        (v2 ? "Rekor v2" : "Rekor v1") + " entry " + e.logIndex() + " in " + log.instance().baseUrl() + ": "
            + String.join(", ", done);
    return Outcome.ok(new VerifiedEntry(log.instance(), v2, integrated, summary));
  }

  private static Outcome<String> verifyProof(TransparencyLogEntry e, InclusionProof p, TrustedLog log, boolean v2) {
    if (p.logIndex() < 0 || p.treeSize() <= 0) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "inclusion proof: expected a non-negative index and a positive tree size, found index " + p.logIndex()
              + " and size " + p.treeSize());
    }
    if (v2 ? p.logIndex() != e.logIndex() : p.logIndex() > e.logIndex()) {
      return Outcome.failure(Reason.TLOG_INCLUSION_PROOF_INVALID,
          "inclusion proof index: expected " + (v2 ? "" : "at most ") + e.logIndex() + " (the entry's index), found "
              + p.logIndex());
    }
    // The log's long-lived key chooses the digest: the JDK's SHA-2 once the process is warm (see SignatureVerifier)
    byte[] leaf = MerkleTree.leafHash(log.setVerifier().newDigest(HashAlgorithm.SHA2_256), e.canonicalizedBody());
    Outcome<byte[]> incl = MerkleTree.verifyInclusion(p.logIndex(), p.treeSize(), leaf, p.hashes(), p.rootHash());
    if (!incl.isOk()) {
      return incl.propagate("inclusion proof: ");
    }
    if (p.checkpoint().isEmpty()) {
      // protobuf-specs marks InclusionProof.checkpoint REQUIRED; without it the root above is unsigned. sigstore-go,
      // sigstore-python and sigstore-java reject such proofs too (the Merkle path was still checked above, so a
      // wrong proof is reported as such first).
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "checkpoint: expected a signed checkpoint with the inclusion proof, found none");
    }
    Optional<NoteVerifier> nv = v2 ? log.v2Notes() : log.v1Notes();
    if (nv.isEmpty()) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint: expected a log key name from the trusted root's baseUrl, found \"" + log.instance().baseUrl() + "\"");
    }
    Outcome<Checkpoint> cp = nv.get().verifyCheckpoint(p.checkpoint().get());
    if (!cp.isOk()) {
      return cp.propagate("checkpoint: ");
    }
    Checkpoint c = cp.value();
    if (c.size() != p.treeSize()) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "checkpoint tree size: expected " + p.treeSize() + " (the proof's), found " + c.size());
    }
    if (!MessageDigest.isEqual(c.rootHash(), p.rootHash())) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "checkpoint root hash: expected " + HexFormat.of().formatHex(p.rootHash()) + " (the proof's), found "
              + HexFormat.of().formatHex(c.rootHash()));
    }
    return Outcome.ok("inclusion proof verifies to a checkpoint signed by the log (tree size " + c.size() + ")");
  }
}
