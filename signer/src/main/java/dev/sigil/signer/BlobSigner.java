package dev.sigil.signer;

import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Signs blobs with a key into Sigstore bundles (v0.3). Artifacts are hashed as streams, so size is bounded by disk,
 * not memory; the exception is Ed25519, whose signature covers the whole message, read into memory up to
 * {@link #MAX_ED25519_MESSAGE} bytes.
 *
 * <p>Every bundle is verified with {@link Verifier} before it is returned: Sigil never emits a bundle that does not
 * verify.
 */
public final class BlobSigner {
  /** Ed25519 artifacts are held in memory to sign; larger ones are refused with a clear message. */
  public static final int MAX_ED25519_MESSAGE = 256 * 1024 * 1024;

  public BlobSigner() {}

  /** A signed bundle, and the digest of what was signed. */
  public record Signed(Bundle bundle, Artifact artifact) {}

  /** Signs the stream's content (read to its end, not closed) with the key; no transparency-log upload. */
  public Signed signWithKey(SigningKey key, InputStream content) throws IOException, SigningException {
    KeyAlgorithm alg = key.algorithm();
    if (alg != KeyAlgorithm.ED25519) {
      HashAlgorithm hash = alg.hash().orElseThrow();
      return signDigest(key, hash, ArtifactDigests.digest(content, Set.of(hash)).get(hash));
    }
    byte[] message = content.readNBytes(MAX_ED25519_MESSAGE + 1);
    if (message.length > MAX_ED25519_MESSAGE) {
      throw new SigningException(
          "artifact size: Ed25519 signs the whole artifact in memory, expected at most "
              + MAX_ED25519_MESSAGE
              + " bytes, found more; use an ECDSA or RSA key for large artifacts");
    }
    byte[] signature;
    try {
      signature = DigestSigner.signMessage(key, message);
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + alg.displayName() + " key failed: " + e.getMessage());
    }
    Artifact artifact = Artifact.ofContent(message);
    HashAlgorithm hash = HashAlgorithm.SHA2_256;
    return signed(key, hash, artifact.digest(hash).orElseThrow(), signature, artifact);
  }

  /**
   * Signs an artifact known by its digest in the key's hash algorithm ({@link KeyAlgorithm#hash}), as a caller that
   * hashed the artifact itself has it; no transparency-log upload. Not for Ed25519 keys, whose signatures cover the
   * artifact itself: use {@link #signWithKey}.
   */
  public Signed signDigest(SigningKey key, HashAlgorithm hash, byte[] digest) throws SigningException {
    KeyAlgorithm alg = key.algorithm();
    if (alg == KeyAlgorithm.ED25519) {
      throw new SigningException("key algorithm: an Ed25519 signature covers the artifact itself, not a digest; sign"
          + " the artifact's content");
    }
    if (alg.hash().orElseThrow() != hash || digest.length != hash.length()) {
      throw new IllegalArgumentException("digest: expected " + alg.hash().orElseThrow() + " for a "
          + alg.displayName() + " key, found " + digest.length + " bytes of " + hash);
    }
    byte[] signature;
    try {
      signature = DigestSigner.signDigest(key, hash, digest);
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + alg.displayName() + " key failed: " + e.getMessage());
    }
    return signed(key, hash, digest.clone(), signature, Artifact.ofDigest(hash, digest));
  }

  private Signed signed(SigningKey key, HashAlgorithm hash, byte[] digest, byte[] signature, Artifact artifact)
      throws SigningException {
    Bundle bundle =
        new Bundle(
            BundleVersion.V0_3,
            BundleVersion.V0_3.mediaType(),
            new Bundle.VerificationMaterial(
                Optional.of(PublicKeys.hint(key.publicKey())), List.of(), List.of(), List.of()),
            Optional.of(
                new MessageSignature(Optional.of(new MessageDigest(hash, digest)), signature)),
            Optional.empty());
    selfCheck(bundle, artifact, key);
    return new Signed(bundle, artifact);
  }

  private void selfCheck(Bundle bundle, Artifact artifact, SigningKey key) throws SigningException {
    Verifier verifier = Verifier.create(PublicKeyMaterial.of(key.publicKey()));
    VerificationResult r =
        verifier.verify(
            bundle,
            VerificationPolicy.builder().artifact(artifact).publicKey().withoutTransparencyLogUnsafe().build());
    if (r instanceof VerificationResult.Rejected rejected) {
      throw new SigningException(
          "self-check of the new bundle failed, nothing written: " + rejected.failure().describe());
    }
  }
}
