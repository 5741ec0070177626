package dev.sigil.verifier.trust;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.util.Bytes;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A transparency log (Rekor) or certificate transparency log from a trusted root ({@code TransparencyLogInstance}).
 *
 * @param baseUrl the URL identifying the log; may be empty or scheme-less, as the spec allows
 * @param hashAlgorithm the Merkle tree hash (always SHA2_256: the parser refuses others)
 * @param keyDetails the key encoding and signature scheme the root declares
 * @param publicKey the log key, parsed once with BouncyCastle
 * @param validFor when the key may be trusted (closed interval); always has a start
 * @param logId the log ID ({@code logId.keyId}); a defensive copy
 * @param checkpointKeyId the signed-note key ID, when the root gives one ({@code checkpointKeyId.keyId})
 * @param operator the operator (a scheme-less URI), empty when absent
 */
public record TransparencyLogInstance(
    String baseUrl,
    HashAlgorithm hashAlgorithm,
    PublicKeyDetails keyDetails,
    PublicKey publicKey,
    ValidityPeriod validFor,
    byte[] logId,
    Optional<byte[]> checkpointKeyId,
    String operator) {
  public TransparencyLogInstance {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(keyDetails, "keyDetails");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(validFor, "validFor");
    Objects.requireNonNull(logId, "logId");
    Objects.requireNonNull(checkpointKeyId, "checkpointKeyId");
    Objects.requireNonNull(operator, "operator");
    if (!validFor.hasStart()) {
      throw new IllegalArgumentException("validFor: a transparency log key needs the start of its validity period");
    }
    if (logId.length == 0) {
      throw new IllegalArgumentException("logId: expected a non-empty key ID");
    }
    logId = logId.clone();
    checkpointKeyId = Bytes.copy(checkpointKeyId);
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public Optional<byte[]> checkpointKeyId() {
    return Bytes.copy(checkpointKeyId);
  }

  /** Whether this log's ID is {@code id}. */
  public boolean hasLogId(byte[] id) {
    return id != null && MessageDigest.isEqual(logId, id);
  }

  /** Whether the key may be trusted at {@code t} (end points included). */
  public boolean validAt(Instant t) {
    return validFor.contains(t);
  }

  /**
   * The authority ({@code host[:port]}) of {@link #baseUrl()}, which is the key name a Rekor log signs its
   * checkpoints with: {@code rekor.sigstore.dev}, {@code log2025-1.rekor.sigstore.dev}, {@code localhost:8000}. A
   * scheme-less base URL is read as if it had one. Empty when the base URL has no host.
   */
  public Optional<String> checkpointKeyName() {
    if (baseUrl.isEmpty()) {
      return Optional.empty();
    }
    String url = baseUrl.contains("://") ? baseUrl : "https://" + baseUrl;
    try {
      URI u = new URI(url);
      String host = u.getHost();
      if (host == null || host.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(u.getPort() >= 0 ? host + ":" + u.getPort() : host);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransparencyLogInstance other
        && baseUrl.equals(other.baseUrl)
        && hashAlgorithm == other.hashAlgorithm
        && keyDetails == other.keyDetails
        && publicKey.equals(other.publicKey)
        && validFor.equals(other.validFor)
        && Arrays.equals(logId, other.logId)
        && checkpointKeyId.isPresent() == other.checkpointKeyId.isPresent()
        && (checkpointKeyId.isEmpty() || Arrays.equals(checkpointKeyId.get(), other.checkpointKeyId.get()))
        && operator.equals(other.operator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl, keyDetails, Arrays.hashCode(logId), validFor);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "TransparencyLogInstance[baseUrl="
        + baseUrl
        + ", keyDetails="
        + keyDetails
        + ", logId="
        + hex.formatHex(logId)
        + checkpointKeyId.map(k -> ", checkpointKeyId=" + hex.formatHex(k)).orElse("")
        + ", validFor="
        + validFor.describe()
        + "]";
  }
}
