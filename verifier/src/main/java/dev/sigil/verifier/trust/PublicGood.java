package dev.sigil.verifier.trust;

import dev.sigil.verifier.crypto.CryptoBackend;
import java.nio.charset.StandardCharsets;

/**
 * The Sigstore public-good trusted root, as a snapshot shipped inside the jar. It is the default when no trusted root
 * is given; {@code sigil trusted-root update} refreshes a local copy through TUF.
 */
public final class PublicGood {
  private PublicGood() {}

  /** The snapshot's {@code trusted_root.json}, byte for byte as Sigstore's TUF repository served it. */
  public static byte[] json() {
    return PublicGoodSnapshot.JSON.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses the embedded snapshot (a few milliseconds; callers keep the result). */
  public static TrustedRoot trustedRoot() {
    return trustedRoot(CryptoBackend.jca());
  }

  /** As {@link #trustedRoot()}, with the certificates and keys read by {@code crypto}. */
  public static TrustedRoot trustedRoot(CryptoBackend crypto) {
    try {
      return TrustedRoot.parse(json(), crypto);
    } catch (TrustedRootException e) {
      throw new IllegalStateException("the embedded trusted root does not parse: " + e.getMessage(), e);
    }
  }
}
