package dev.sigil.verifier.entity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What an entity's signature is verified with: a certificate chain, or a public key named by an optional hint. */
public sealed interface VerificationContent {

  /**
   * A signing certificate, leaf first, optionally followed by intermediates (DER). Whether a root may follow depends
   * on the container: Sigstore bundles must not carry one; cosign's legacy chain annotation does, and it is ignored.
   *
   * @param certificates DER certificates, leaf first; never empty
   * @param rootAllowed whether a self-signed CA certificate may be among them (it is never trusted for that)
   */
  record CertificateChain(List<byte[]> certificates, boolean rootAllowed) implements VerificationContent {
    public CertificateChain {
      certificates = copy(certificates);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("certificates: expected at least the leaf, found none");
      }
    }

    @Override
    public List<byte[]> certificates() {
      return copy(certificates);
    }

    /** The leaf, DER. */
    public byte[] leaf() {
      return certificates.get(0).clone();
    }

    private static List<byte[]> copy(List<byte[]> in) {
      byte[][] out = new byte[in.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = in.get(i).clone();
      }
      return List.of(out);
    }
  }

  /** A public key, named by the hint the signer gave (if any); the key itself comes from trusted material. */
  record PublicKeyHint(Optional<String> hint) implements VerificationContent {
    public PublicKeyHint {
      Objects.requireNonNull(hint, "hint");
    }
  }
}
