package dev.sigil.verifier;

import dev.sigil.verifier.crypto.SignatureVerifier;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller expects of one bundle: who must have signed it, and which checks it deliberately waives. Build once
 * and reuse: the key's verifier is prepared at construction.
 *
 * <p>Weakening a check is named as such ({@code ...Unsafe}).
 */
public final class VerificationPolicy {
  private final SignatureVerifier key;
  private final boolean transparencyLogRequired;

  private VerificationPolicy(SignatureVerifier key, boolean transparencyLogRequired) {
    this.key = key;
    this.transparencyLogRequired = transparencyLogRequired;
  }

  /** The bundle must be signed by this public key (a key-based bundle). */
  public static VerificationPolicy publicKey(PublicKey key) throws UnsupportedKeyException {
    return new VerificationPolicy(SignatureVerifier.of(Objects.requireNonNull(key, "key")), true);
  }

  /**
   * Accept bundles with no verified transparency-log entry. Unsafe: without a log entry nobody can audit that the
   * signature was ever made, and a stolen key can sign in secret. This is cosign's {@code --insecure-ignore-tlog}.
   */
  public VerificationPolicy withoutTransparencyLogUnsafe() {
    return new VerificationPolicy(key, false);
  }

  public Optional<SignatureVerifier> key() {
    return Optional.ofNullable(key);
  }

  public boolean transparencyLogRequired() {
    return transparencyLogRequired;
  }
}
