package dev.sigil.verifier.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The Sigstore public-good trusted root, as a snapshot shipped inside the jar. It is the default when no trusted root
 * is given; {@code sigil trusted-root update} refreshes a local copy through TUF.
 */
public final class PublicGood {
  static final String RESOURCE = "/dev/sigil/verifier/trust/public-good-trusted_root.json";

  private PublicGood() {}

  /** Parses the embedded snapshot (a few milliseconds; callers keep the result). */
  public static TrustedRoot trustedRoot() {
    try (InputStream in = PublicGood.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + RESOURCE);
      }
      return TrustedRoot.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the embedded trusted root failed", e);
    } catch (TrustedRootException e) {
      throw new IllegalStateException("the embedded trusted root does not parse: " + e.getMessage(), e);
    }
  }
}
