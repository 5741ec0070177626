package dev.sigil.signer.keyless;

import dev.sigil.verifier.entity.TransparencyLogEntry;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.signer.DigestSigner;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.ArtifactDigests;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Key-based signing with a transparency-log entry: signs with an existing {@link SigningKey}, uploads a Rekor v1
 * {@code hashedrekord} entry carrying the PEM public key, optionally timestamps the signature, and returns a v0.3
 * bundle with a public-key hint, verified with {@link VerificationPolicy#publicKey} before it is returned.
 *
 * <p>ECDSA and RSA keys only: Rekor's {@code hashedrekord} verifies a signature over a digest, which Ed25519 does not
 * make. Thread-safe; the constructor does no I/O.
 */
public final class LoggedKeySigner {
  private final List<TransparencyLogClient> logs;
  private final List<TimestampClient> tsas;
  private final TrustedMaterial trusted;

  /** @param verifier built on a trusted root that holds the Rekor log's key (and the TSA, if one is used) */
  public LoggedKeySigner(TransparencyLogClient rekor, Optional<TimestampClient> tsa, TrustedMaterial trusted) {
    this(List.of(Objects.requireNonNull(rekor, "rekor")), tsa.map(List::of).orElse(List.of()), trusted);
  }

  /**
   * Logs every signature in each of {@code logs} (at least one) and timestamps it with each of {@code tsas}.
   *
   * @throws IllegalArgumentException if no log is given, or a Rekor v2 log without a TSA
   */
  public LoggedKeySigner(List<? extends TransparencyLogClient> logs, List<TimestampClient> tsas, TrustedMaterial trusted) {
    if (logs.isEmpty()) {
      throw new IllegalArgumentException("logs: expected at least one transparency log, found none");
    }
    dev.sigil.signer.SigningSession.requireTimestampsForRekorV2(logs, tsas);
    this.logs = List.copyOf(logs);
    this.tsas = List.copyOf(tsas);
    this.trusted = Objects.requireNonNull(trusted, "trusted");
  }

  /** A verified key-based bundle with its log index. */
  public record Signed(Bundle bundle, Artifact artifact, MessageDigest digest, long logIndex) {
    public Signed {
      Objects.requireNonNull(bundle, "bundle");
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /** Signs the stream's content (read to its end, not closed) with the key and logs the signature. */
  public Signed sign(SigningKey key, InputStream content) throws IOException, SigningException {
    Objects.requireNonNull(key, "key");
    requireDigestSigning(key.algorithm());
    HashAlgorithm hash = key.algorithm().hash().orElseThrow();
    return signDigest(key, hash, ArtifactDigests.digest(content, Set.of(hash)).get(hash));
  }

  /**
   * Signs an artifact known by its digest in the key's hash algorithm ({@link KeyAlgorithm#hash}), as a caller that
   * hashed the artifact itself has it, and logs the signature.
   */
  public Signed signDigest(SigningKey key, HashAlgorithm hash, byte[] digest) throws SigningException {
    Objects.requireNonNull(key, "key");
    KeyAlgorithm alg = key.algorithm();
    requireDigestSigning(alg);
    if (alg.hash().orElseThrow() != hash || digest.length != hash.length()) {
      throw new IllegalArgumentException("digest: expected " + alg.hash().orElseThrow() + " for a "
          + alg.displayName() + " key, found " + digest.length + " bytes of " + hash);
    }
    digest = digest.clone();
    Map<HashAlgorithm, byte[]> digests = Map.of(hash, digest);
    byte[] signature;
    try {
      signature = DigestSigner.signDigest(key, hash, digest);
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the " + alg.displayName() + " key failed: " + e.getMessage());
    }
    List<TransparencyLogEntry> entries =
        Bundles.upload(logs, new RekorClient.HashedRekord(signature, hash, digest, PublicKeys.toPem(key.publicKey())));
    List<byte[]> timestamps = new ArrayList<>();
    for (TimestampClient t : tsas) {
      timestamps.add(t.timestamp(signature));
    }
    Bundle bundle =
        Bundles.messageSignature(
            Optional.of(PublicKeys.hint(key.publicKey())), List.of(), entries, timestamps, hash, digest, signature);
    Artifact artifact = Artifact.ofDigests(digests);
    Verifier verifier = Verifier.create(TrustedMaterial.combine(trusted, PublicKeyMaterial.of(key.publicKey())));
    Bundles.selfCheck(verifier, bundle, VerificationPolicy.publicKey(artifact), "key-based");
    return new Signed(bundle, artifact, new MessageDigest(hash, digest), entries.get(0).logIndex());
  }

  private static void requireDigestSigning(KeyAlgorithm alg) throws SigningException {
    if (alg == KeyAlgorithm.ED25519) {
      throw new SigningException(
          "key algorithm: expected an ECDSA or RSA key for a Rekor hashedrekord entry (it verifies a signature over a"
              + " digest), found Ed25519; sign without a log upload, or use an ECDSA key");
    }
  }

  @Override
  public String toString() {
    return "LoggedKeySigner[logs=" + logs.stream().map(TransparencyLogClient::baseUrl).toList()
        + (tsas.isEmpty() ? "" : ", tsas=" + tsas.stream().map(TimestampClient::url).toList()) + "]";
  }
}
