package dev.sigil.verifier.trust;

import java.util.Optional;

/**
 * The key encodings and signature schemes of protobuf-specs {@code dev.sigstore.common.v1.PublicKeyDetails}, with
 * their enum numbers (protobuf JSON accepts either). {@link #supportedForLogs()} marks the ones Sigil accepts for
 * transparency log keys, the same set sigstore-go's trusted root parser accepts.
 */
public enum PublicKeyDetails {
  PUBLIC_KEY_DETAILS_UNSPECIFIED(0, false),
  /** PKCS#1 {@code RSAPublicKey} DER (not PKIX), PKCS#1 v1.5 signatures. Deprecated, still in the staging root. */
  PKCS1_RSA_PKCS1V5(1, true),
  PKCS1_RSA_PSS(2, false),
  PKIX_RSA_PKCS1V5(3, false),
  PKIX_RSA_PSS(4, false),
  PKIX_ECDSA_P256_SHA_256(5, true),
  PKIX_ECDSA_P256_HMAC_SHA_256(6, false),
  PKIX_ED25519(7, true),
  PKIX_ED25519_PH(8, false),
  PKIX_RSA_PKCS1V15_2048_SHA256(9, true),
  PKIX_RSA_PKCS1V15_3072_SHA256(10, true),
  PKIX_RSA_PKCS1V15_4096_SHA256(11, true),
  PKIX_ECDSA_P384_SHA_384(12, true),
  PKIX_ECDSA_P521_SHA_512(13, true),
  LMS_SHA256(14, false),
  LMOTS_SHA256(15, false),
  PKIX_RSA_PSS_2048_SHA256(16, false),
  PKIX_RSA_PSS_3072_SHA256(17, false),
  PKIX_RSA_PSS_4096_SHA256(18, false),
  PKIX_ECDSA_P384_SHA_256(19, false),
  PKIX_ECDSA_P521_SHA_256(20, false),
  ML_DSA_65(21, false),
  ML_DSA_87(22, false),
  ML_DSA_44(23, false);

  private final int number;
  private final boolean supportedForLogs;

  PublicKeyDetails(int number, boolean supportedForLogs) {
    this.number = number;
    this.supportedForLogs = supportedForLogs;
  }

  /** The protobuf enum number. */
  public int number() {
    return number;
  }

  /** Whether Sigil accepts this scheme for a transparency log key. */
  public boolean supportedForLogs() {
    return supportedForLogs;
  }

  /** Looks up a protobuf enum name such as {@code PKIX_ED25519}. */
  public static Optional<PublicKeyDetails> fromName(String name) {
    for (PublicKeyDetails d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** Looks up a protobuf enum number. */
  public static Optional<PublicKeyDetails> fromNumber(long number) {
    for (PublicKeyDetails d : values()) {
      if (d.number == number) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
