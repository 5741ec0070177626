package dev.sigil.oci.cosign;

import dev.sigil.oci.MediaTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A layer to append to a signature or attestation manifest: payload bytes, media type and annotations (kept in the
 * order given, as cosign writes them). Build with {@link #signature} or {@link #attestation}.
 */
public record NewLayer(byte[] payload, String mediaType, Map<String, String> annotations) {
  public NewLayer {
    payload = payload.clone();
    Objects.requireNonNull(mediaType, "mediaType");
    annotations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * A simple-signing signature layer: {@code payload} as signed, {@code signatureBase64} over it, and for keyless
   * signatures the PEM certificate and chain, the Rekor bundle JSON and the RFC 3161 timestamp JSON (null when
   * absent).
   */
  public static NewLayer signature(
      byte[] payload, String signatureBase64, String certificatePem, String chainPem, String rekorBundleJson,
      String rfc3161TimestampJson) {
    Objects.requireNonNull(signatureBase64, "signatureBase64");
    Map<String, String> a = new LinkedHashMap<>();
    a.put(CosignAnnotations.SIGNATURE, signatureBase64);
    if (certificatePem != null) {
      a.put(CosignAnnotations.CERTIFICATE, certificatePem);
    }
    if (chainPem != null) {
      a.put(CosignAnnotations.CHAIN, chainPem);
    }
    if (rekorBundleJson != null) {
      a.put(CosignAnnotations.BUNDLE, rekorBundleJson);
    }
    if (rfc3161TimestampJson != null) {
      a.put(CosignAnnotations.RFC3161_TIMESTAMP, rfc3161TimestampJson);
    }
    return new NewLayer(payload, MediaTypes.COSIGN_SIMPLE_SIGNING, a);
  }

  /** A key-signed simple-signing layer (no certificate, no log entry). */
  public static NewLayer signature(byte[] payload, String signatureBase64) {
    return signature(payload, signatureBase64, null, null, null, null);
  }

  /**
   * An attestation layer: a DSSE envelope JSON, with cosign's empty signature annotation and {@code predicateType};
   * keyless material as for signatures (null when absent).
   */
  public static NewLayer attestation(
      byte[] dsseEnvelope, String predicateType, String certificatePem, String chainPem, String rekorBundleJson) {
    Objects.requireNonNull(predicateType, "predicateType");
    Map<String, String> a = new LinkedHashMap<>();
    a.put(CosignAnnotations.SIGNATURE, "");
    if (certificatePem != null) {
      a.put(CosignAnnotations.CERTIFICATE, certificatePem);
    }
    if (chainPem != null) {
      a.put(CosignAnnotations.CHAIN, chainPem);
    }
    if (rekorBundleJson != null) {
      a.put(CosignAnnotations.BUNDLE, rekorBundleJson);
    }
    a.put(CosignAnnotations.PREDICATE_TYPE, predicateType);
    return new NewLayer(dsseEnvelope, MediaTypes.DSSE_ENVELOPE, a);
  }
}
