package dev.sigil.verifier;

import dev.sigil.verifier.internal.certificate.IdentityMatcher;
import dev.sigil.verifier.internal.crypto.SignatureVerifier;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller expects of one bundle: who must have signed it (a public key, or a certificate identity), and which
 * checks it deliberately waives. Build once and reuse: the key's verifier is prepared at construction.
 *
 * <p>Weakening a check is named as such ({@code ...Unsafe}).
 */
public final class VerificationPolicy {
  private final SignatureVerifier key;
  private final IdentityMatcher identity;
  private final boolean transparencyLogRequired;

  private VerificationPolicy(SignatureVerifier key, IdentityMatcher identity, boolean transparencyLogRequired) {
    this.key = key;
    this.identity = identity;
    this.transparencyLogRequired = transparencyLogRequired;
  }

  /** The bundle must be signed by this public key (a key-based bundle). */
  public static VerificationPolicy publicKey(PublicKey key) throws UnsupportedKeyException {
    return new VerificationPolicy(SignatureVerifier.of(Objects.requireNonNull(key, "key")), null, true);
  }

  /** The bundle must carry a certificate from a trusted CA whose identity matches. */
  public static VerificationPolicy identity(IdentityMatcher identity) {
    return new VerificationPolicy(null, Objects.requireNonNull(identity, "identity"), true);
  }

  /**
   * Accept bundles with no verified transparency-log entry. Unsafe: without a log entry nobody can audit that the
   * signature was ever made, and a stolen key can sign in secret. This is cosign's {@code --insecure-ignore-tlog}.
   */
  public VerificationPolicy withoutTransparencyLogUnsafe() {
    return new VerificationPolicy(key, identity, false);
  }

  public Optional<SignatureVerifier> key() {
    return Optional.ofNullable(key);
  }

  public Optional<IdentityMatcher> identity() {
    return Optional.ofNullable(identity);
  }

  public boolean transparencyLogRequired() {
    return transparencyLogRequired;
  }
}
