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
import dev.sigil.verifier.internal.certificate.FulcioCertificate;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.certificate.MalformedCertificateException;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keyless signing: an ephemeral ECDSA P-256 key, a Fulcio certificate for an OIDC identity, a Rekor v1
 * {@code hashedrekord} entry and optionally an RFC 3161 timestamp, assembled into a Sigstore v0.3 bundle that is
 * verified with {@link Verifier} before it is returned (identity policy: the SAN and issuer read back from the issued
 * certificate).
 *
 * <p>The ephemeral private key lives in memory for one call to {@link #sign} and is never written, logged or put in a
 * message; neither is the identity token. Thread-safe if the clients are (they are); the constructor does no I/O.
 */
public final class KeylessSigner {
  private final FulcioClient fulcio;
  private final List<TransparencyLogClient> logs;
  private final List<TimestampClient> tsas;
  private final Verifier verifier;
  private final SecureRandom random;

  /**
   * @param verifier built on the trusted root of these services (their CA, CT log, Rekor log and TSA)
   */
  public KeylessSigner(
      FulcioClient fulcio, TransparencyLogClient rekor, Optional<TimestampClient> tsa, Verifier verifier,
      SecureRandom random) {
    this(fulcio, List.of(Objects.requireNonNull(rekor, "rekor")), tsa.map(List::of).orElse(List.of()), verifier,
        random);
  }

  /**
   * Logs every signature in each of {@code logs} (at least one) and timestamps it with each of {@code tsas}.
   *
   * @throws IllegalArgumentException if no log is given, or a Rekor v2 log without a TSA
   */
  public KeylessSigner(
      FulcioClient fulcio, List<? extends TransparencyLogClient> logs, List<TimestampClient> tsas, Verifier verifier,
      SecureRandom random) {
    this.fulcio = Objects.requireNonNull(fulcio, "fulcio");
    if (logs.isEmpty()) {
      throw new IllegalArgumentException("logs: expected at least one transparency log, found none");
    }
    dev.sigil.signer.SigningSession.requireTimestampsForRekorV2(logs, tsas);
    this.logs = List.copyOf(logs);
    this.tsas = List.copyOf(tsas);
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Who signed, as the issued certificate states it. */
  public record Identity(String subjectAlternativeName, String issuer) {
    public Identity {
      Objects.requireNonNull(subjectAlternativeName, "subjectAlternativeName");
      Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * The identity a Fulcio certificate states: its SAN and OIDC issuer extension.
     *
     * @param fulcio where the certificate came from, for messages
     * @throws SigningException if the certificate is malformed or lacks either
     */
    public static Identity of(X509Certificate leaf, java.net.URI fulcio) throws SigningException {
      FulcioCertificate fc;
      try {
        fc = FulcioCertificate.parse(leaf);
      } catch (MalformedCertificateException e) {
        throw new SigningException("Fulcio at " + fulcio + ": the issued certificate is malformed: " + e.getMessage());
      }
      Optional<String> san = fc.subjectAlternativeName();
      Optional<String> issuer = fc.issuer();
      if (san.isEmpty() || issuer.isEmpty()) {
        throw new SigningException(
            "Fulcio at " + fulcio + ": expected a certificate with a SAN (URI, email or username) and an OIDC"
                + " issuer extension (1.3.6.1.4.1.57264.1.8 or .1.1), found " + fc);
      }
      return new Identity(san.get(), issuer.get());
    }
  }

  /**
   * A verified keyless bundle.
   *
   * @param artifact the artifact's digest(s), for re-verification
   * @param digest what was signed (SHA-256 of the artifact)
   * @param identity the certificate's SAN and OIDC issuer
   * @param logIndex the index of the entry in the first log (the bundle holds one entry per log)
   */
  public record Signed(Bundle bundle, Artifact artifact, MessageDigest digest, Identity identity, long logIndex) {
    public Signed {
      Objects.requireNonNull(bundle, "bundle");
      Objects.requireNonNull(artifact, "artifact");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(identity, "identity");
    }
  }

  /**
   * Signs the stream's content (read to its end, not closed).
   *
   * @throws SigningException if any service fails or refuses (the message names the service URL, what was sent and
   *     what came back), the certificate is not for the ephemeral key or lacks a SAN or issuer, or the bundle does not
   *     verify
   */
  public Signed sign(IdToken token, InputStream content) throws IOException, SigningException {
    Objects.requireNonNull(token, "token");
    Map<HashAlgorithm, byte[]> digests = ArtifactDigests.digest(content, Set.of(HashAlgorithm.SHA2_256));
    return signDigest(token, digests.get(HashAlgorithm.SHA2_256));
  }

  /** Signs an artifact known by its SHA-256 digest. */
  public Signed signDigest(IdToken token, byte[] sha256) throws SigningException {
    Objects.requireNonNull(token, "token");
    if (sha256.length != HashAlgorithm.SHA2_256.length()) {
      throw new IllegalArgumentException("digest: expected 32 bytes of SHA-256, found " + sha256.length);
    }
    byte[] digest = sha256.clone();
    Artifact artifact = Artifact.ofDigest(HashAlgorithm.SHA2_256, digest);

    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, random);
    byte[] pop = FulcioClient.proofOfPossession(key, token);
    List<X509Certificate> chain = fulcio.requestCertificate(token, key.publicKey(), pop);
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw new SigningException(
          "Fulcio at " + fulcio.baseUrl() + ": expected a certificate for the ephemeral public key that was sent, "
              + "found one for another key (subject " + leaf.getSubjectX500Principal() + ")");
    }
    Identity identity = identityOf(leaf);
    byte[] leafDer;
    try {
      leafDer = leaf.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new SigningException("Fulcio at " + fulcio.baseUrl() + ": the issued certificate does not re-encode ("
          + e.getMessage() + ")");
    }

    byte[] signature;
    try {
      signature = DigestSigner.signDigest(key, HashAlgorithm.SHA2_256, digest);
    } catch (GeneralSecurityException e) {
      throw new SigningException("signing with the ephemeral ECDSA P-256 key failed: " + e.getMessage());
    }
    List<TransparencyLogEntry> entries = Bundles.upload(logs,
        new RekorClient.HashedRekord(signature, HashAlgorithm.SHA2_256, digest, Bundles.certificatePem(leafDer)));
    List<byte[]> timestamps = new ArrayList<>();
    for (TimestampClient t : tsas) {
      timestamps.add(t.timestamp(signature));
    }
    Bundle bundle =
        Bundles.messageSignature(
            Optional.empty(), List.of(leafDer), entries, timestamps, HashAlgorithm.SHA2_256, digest, signature);
    VerificationPolicy policy =
        VerificationPolicy.identity(
            artifact, IdentityMatcher.exact(identity.subjectAlternativeName(), identity.issuer()));
    Bundles.selfCheck(verifier, bundle, policy, "keyless");
    return new Signed(
        bundle, artifact, new MessageDigest(HashAlgorithm.SHA2_256, digest), identity, entries.get(0).logIndex());
  }

  private Identity identityOf(X509Certificate leaf) throws SigningException {
    return Identity.of(leaf, fulcio.baseUrl());
  }

  @Override
  public String toString() {
    return "KeylessSigner[fulcio=" + fulcio.baseUrl() + ", logs=" + logs.stream().map(TransparencyLogClient::baseUrl)
        .toList() + (tsas.isEmpty() ? "" : ", tsas=" + tsas.stream().map(TimestampClient::url).toList()) + "]";
  }
}
