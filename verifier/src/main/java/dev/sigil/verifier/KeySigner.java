package dev.sigil.verifier;

import java.util.Objects;
import java.util.Optional;

/**
 * A signature made by a trusted public key.
 *
 * @param hint the hint under which the trusted material lists the key, if any
 * @param algorithm the key's algorithm, e.g. {@code ECDSA P-256}
 * @param fingerprint SHA-256 of the key's SubjectPublicKeyInfo, lowercase hex
 */
public record KeySigner(Optional<String> hint, String algorithm, String fingerprint) implements Signer {
  public KeySigner {
    Objects.requireNonNull(hint, "hint");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public String describe() {
    return "key " + algorithm + " " + (hint.isPresent() ? hint.get() : "sha256:" + fingerprint);
  }
}
