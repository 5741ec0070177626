package dev.sigil.verifier.bundle;

import dev.sigil.verifier.entity.DsseEnvelope;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.entity.SignatureContent;
import dev.sigil.verifier.entity.SignedEntity;
import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.VerificationContent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Sigstore bundle (v0.1, v0.2 or v0.3), as parsed: the signed content plus the material needed to verify it.
 *
 * <p>Exactly one of {@link #messageSignature()} and {@link #dsseEnvelope()} is present. Values are immutable; byte
 * arrays inside the nested records are defensive copies and must not be mutated by callers. A bundle is a
 * {@link SignedEntity}: the verifier checks it through that interface.
 */
public record Bundle(
    BundleVersion version,
    String mediaType,
    VerificationMaterial verificationMaterial,
    Optional<MessageSignature> messageSignature,
    Optional<DsseEnvelope> dsseEnvelope)
    implements SignedEntity {

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

  @Override
  public VerificationContent verificationContent() {
    return verificationMaterial.isKeyBased()
        ? new VerificationContent.PublicKeyHint(verificationMaterial.publicKeyHint())
        : new VerificationContent.CertificateChain(verificationMaterial.certificateChain(), false);
  }

  @Override
  public SignatureContent signatureContent() {
    return messageSignature.isPresent() ? messageSignature.get() : dsseEnvelope.orElseThrow();
  }

  @Override
  public List<TransparencyLogEntry> tlogEntries() {
    return verificationMaterial.tlogEntries();
  }

  @Override
  public List<byte[]> rfc3161Timestamps() {
    return verificationMaterial.rfc3161Timestamps();
  }

  /** Bundles v0.2 and later must carry an inclusion proof for every log entry. */
  @Override
  public boolean inclusionProofRequired() {
    return version != BundleVersion.V0_1;
  }
}
