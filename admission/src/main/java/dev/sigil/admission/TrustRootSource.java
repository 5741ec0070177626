package dev.sigil.admission;

import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the webhook's default trusted root comes from (the root for policy authorities that name none), and which
 * version of it is current. The webhook asks on every review; when the version changes it compiles the policy engine
 * again and, since the version is part of every cached decision's key, no decision made under the old root is reused.
 *
 * <p>Implementations must be thread-safe and cheap to call (no I/O on {@link #current()}): a TUF-refreshed source
 * refreshes in the background and publishes each verified root with a new version.
 */
@FunctionalInterface
public interface TrustRootSource {
  /**
   * A trusted root and its version.
   *
   * @param version changes whenever the root does (e.g. {@code sha256:<hex>} of its JSON, or a TUF metadata version)
   */
  record Current(TrustedRoot root, String version) {
    public Current {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(version, "version");
    }
  }

  /** The root in force now. */
  Current current();

  /** Always the same root: from a file read once, for instance. */
  static TrustRootSource fixed(TrustedRoot root, String version) {
    Current c = new Current(root, version);
    return () -> c;
  }

  /** A root parsed from JSON bytes, versioned by the SHA-256 of those bytes. */
  static TrustRootSource fixed(TrustedRoot root, byte[] json) {
    return fixed(root, "sha256:" + sha256(json));
  }

  /** The public-good snapshot embedded in the jar. */
  static TrustRootSource embedded() {
    return fixed(PublicGood.trustedRoot(), "embedded:" + sha256(PublicGood.json()).substring(0, 16));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

}
