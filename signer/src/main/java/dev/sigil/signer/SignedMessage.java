package dev.sigil.signer;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A payload signed as a message by a {@link SigningSession}, with its log entry and timestamps. Not yet verified: the
 * caller assembles what it stores (a bundle, a cosign layer) and passes that to
 * {@link SigningSession#requireVerified}.
 *
 * @param payload the signed bytes
 * @param hash the hash the signature covers (and the log entry names)
 * @param digest {@code hash} of the payload
 * @param signature the raw signature (DER for ECDSA)
 * @param material the key or certificate that verifies it
 * @param logEntries an entry from each log the session writes to, in order (none when it logs nothing)
 * @param timestamps RFC 3161 {@code TimeStampResp} DER over the signature bytes
 */
public record SignedMessage(
    byte[] payload,
    HashAlgorithm hash,
    byte[] digest,
    byte[] signature,
    SigningSession.Material material,
    List<TransparencyLogEntry> logEntries,
    List<byte[]> timestamps) {
  public SignedMessage {
    payload = payload.clone();
    Objects.requireNonNull(hash, "hash");
    digest = digest.clone();
    signature = signature.clone();
    Objects.requireNonNull(material, "material");
    logEntries = List.copyOf(logEntries);
    timestamps = copy(timestamps);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The first log entry, if any (cosign's layers carry one). */
  public Optional<TransparencyLogEntry> logEntry() {
    return logEntries.stream().findFirst();
  }

  @Override
  public List<byte[]> timestamps() {
    return copy(timestamps);
  }

  /** A Sigstore bundle v0.3 holding this message signature. */
  public Bundle toBundle() {
    return new Bundle(
        BundleVersion.V0_3,
        BundleVersion.V0_3.mediaType(),
        SignedStatement.verificationMaterial(material, logEntries, timestamps),
        Optional.of(new MessageSignature(Optional.of(new MessageDigest(hash, digest)), signature)),
        Optional.empty());
  }

  static List<byte[]> copy(List<byte[]> in) {
    List<byte[]> out = new ArrayList<>(in.size());
    for (byte[] b : in) {
      out.add(b.clone());
    }
    return java.util.Collections.unmodifiableList(out);
  }
}
