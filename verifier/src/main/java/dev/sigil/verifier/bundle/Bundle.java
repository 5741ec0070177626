package dev.sigil.verifier.bundle;

import dev.sigil.verifier.internal.util.Bytes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Sigstore bundle (v0.1, v0.2 or v0.3), as parsed: the signed content plus the material needed to verify it.
 *
 * <p>Exactly one of {@link #messageSignature()} and {@link #dsseEnvelope()} is present. Values are immutable; byte
 * arrays inside the nested records are defensive copies and must not be mutated by callers.
 */
public record Bundle(
    BundleVersion version,
    String mediaType,
    VerificationMaterial verificationMaterial,
    Optional<MessageSignature> messageSignature,
    Optional<DsseEnvelope> dsseEnvelope) {

  public Bundle {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(verificationMaterial, "verificationMaterial");
    Objects.requireNonNull(messageSignature, "messageSignature");
    Objects.requireNonNull(dsseEnvelope, "dsseEnvelope");
    if (messageSignature.isPresent() == dsseEnvelope.isPresent()) {
      throw new IllegalArgumentException("a bundle holds exactly one of messageSignature and dsseEnvelope");
    }
  }

  /** The key material, log entries and timestamps that accompany the signature. */
  public record VerificationMaterial(
      Optional<String> publicKeyHint,
      List<byte[]> certificateChain,
      List<TransparencyLogEntry> tlogEntries,
      List<byte[]> rfc3161Timestamps) {
    public VerificationMaterial {
      Objects.requireNonNull(publicKeyHint, "publicKeyHint");
      certificateChain = List.copyOf(certificateChain);
      tlogEntries = List.copyOf(tlogEntries);
      rfc3161Timestamps = List.copyOf(rfc3161Timestamps);
    }

    /** True when the bundle names a public key (by hint) instead of carrying certificates. */
    public boolean isKeyBased() {
      return certificateChain.isEmpty();
    }
  }

  /** A signature over an artifact's digest. */
  public record MessageSignature(Optional<MessageDigest> messageDigest, byte[] signature) {
    public MessageSignature {
      Objects.requireNonNull(messageDigest, "messageDigest");
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /** A digest with its algorithm, as named by the Sigstore protobuf specs (e.g. SHA2_256). */
  public record MessageDigest(HashAlgorithm algorithm, byte[] digest) {
    public MessageDigest {
      Objects.requireNonNull(algorithm, "algorithm");
      digest = digest.clone();
    }

    @Override
    public byte[] digest() {
      return digest.clone();
    }
  }

  /** A DSSE envelope: payload bytes, payload type and signatures over PAE(type, payload). */
  public record DsseEnvelope(byte[] payload, String payloadType, List<DsseSignature> signatures) {
    public DsseEnvelope {
      payload = payload.clone();
      Objects.requireNonNull(payloadType, "payloadType");
      signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** One DSSE signature and its optional key id. */
  public record DsseSignature(byte[] sig, String keyId) {
    public DsseSignature {
      sig = sig.clone();
      Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  /** A transparency-log entry (Rekor v1 or v2) as carried in a bundle. */
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

  /**
   * An RFC 6962 inclusion proof with the checkpoint (signed note) it commits to. Bundles v0.1 and v0.2 written by
   * early clients may lack the checkpoint.
   */
  public record InclusionProof(
      long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, Optional<String> checkpoint) {
    public InclusionProof {
      rootHash = rootHash.clone();
      hashes = cloneAll(hashes);
      Objects.requireNonNull(checkpoint, "checkpoint");
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }

    @Override
    public List<byte[]> hashes() {
      return cloneAll(hashes);
    }

    private static List<byte[]> cloneAll(List<byte[]> arrays) {
      byte[][] out = new byte[arrays.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = arrays.get(i).clone();
      }
      return List.of(out);
    }
  }
}
