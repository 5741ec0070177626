package dev.sigil.signer;

import dev.sigil.attestations.Statement;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.entity.DsseSignature;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-toto statement signed as a DSSE envelope by a {@link SigningSession}, with its log entry and timestamps. Not
 * yet verified: the caller assembles what it stores and passes that to {@link SigningSession#requireVerified}.
 *
 * @param statement the statement, whose exact bytes are the envelope's payload
 * @param envelope the envelope with one signature over the PAE
 * @param material the key or certificate that verifies it
 * @param logEntries an entry from each log the session writes to, in order (none when it logs nothing)
 * @param timestamps RFC 3161 {@code TimeStampResp} DER over the DSSE signature bytes
 */
public record SignedStatement(
    Statement statement,
    DsseEnvelope envelope,
    SigningSession.Material material,
    List<TransparencyLogEntry> logEntries,
    List<byte[]> timestamps) {
  public SignedStatement {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(material, "material");
    logEntries = List.copyOf(logEntries);
    timestamps = SignedMessage.copy(timestamps);
  }

  /** The first log entry, if any (cosign's layers carry one). */
  public Optional<TransparencyLogEntry> logEntry() {
    return logEntries.stream().findFirst();
  }

  @Override
  public List<byte[]> timestamps() {
    return SignedMessage.copy(timestamps);
  }

  /** A Sigstore bundle v0.3 holding the envelope (what {@code attest-blob} and cosign 3 write). */
  public Bundle toBundle() {
    List<DsseSignature> sigs = new ArrayList<>();
    for (dev.sigil.attestations.dsse.DsseSignature s : envelope.signatures()) {
      sigs.add(new DsseSignature(s.sig(), s.keyid()));
    }
    return new Bundle(
        BundleVersion.V0_3,
        BundleVersion.V0_3.mediaType(),
        verificationMaterial(material, logEntries, timestamps),
        Optional.empty(),
        Optional.of(new dev.sigil.verifier.entity.DsseEnvelope(envelope.payload(), envelope.payloadType(), sigs)));
  }

  static Bundle.VerificationMaterial verificationMaterial(
      SigningSession.Material material, List<TransparencyLogEntry> entries, List<byte[]> timestamps) {
    if (material instanceof SigningSession.KeyMaterial k) {
      return new Bundle.VerificationMaterial(Optional.of(k.hint()), List.of(), entries, timestamps);
    }
    SigningSession.CertificateMaterial c = (SigningSession.CertificateMaterial) material;
    return new Bundle.VerificationMaterial(Optional.empty(), List.of(c.leafDer()), entries, timestamps);
  }
}
