package dev.sigil.verifier;

import java.time.Clock;
import java.util.Objects;

/**
 * Deployment facts, set once per {@link Verifier}: how many verified transparency-log entries and SCTs a bundle
 * needs, the clock (used only to reject log times in the future, never as a signing time), and how many verified
 * leaf-certificate signatures to remember.
 *
 * @param verifiedLeafCache how many successful leaf-certificate signature checks the chain verifier remembers, keyed
 *     by the leaf's exact DER bytes and the issuing CA certificate (a pure function of those bytes; validity times
 *     are checked on every call). A service that sees the same signatures again (an admission webhook) skips the
 *     CA signature check on a hit; 0 turns it off.
 */
public record VerifierOptions(int tlogThreshold, int ctlogThreshold, Clock clock, int verifiedLeafCache) {
  /** The default {@link #verifiedLeafCache}. */
  public static final int DEFAULT_VERIFIED_LEAF_CACHE = 1024;

  public VerifierOptions {
    Objects.requireNonNull(clock, "clock");
    if (verifiedLeafCache < 0) {
      throw new IllegalArgumentException("verifiedLeafCache: expected 0 or more, found " + verifiedLeafCache);
    }
    if (tlogThreshold < 1) {
      throw new IllegalArgumentException(
          "tlogThreshold: expected at least 1 (waive the log per call with withoutTransparencyLogUnsafe), found "
              + tlogThreshold);
    }
    if (ctlogThreshold < 1) {
      throw new IllegalArgumentException("ctlogThreshold: expected at least 1, found " + ctlogThreshold);
    }
  }

  /** One log entry, one SCT, the system clock: what the Sigstore public-good instance and its clients use. */
  public static VerifierOptions defaults() {
    return new VerifierOptions(1, 1, Clock.systemUTC(), DEFAULT_VERIFIED_LEAF_CACHE);
  }

  public VerifierOptions withClock(Clock c) {
    return new VerifierOptions(tlogThreshold, ctlogThreshold, c, verifiedLeafCache);
  }

  public VerifierOptions withVerifiedLeafCache(int capacity) {
    return new VerifierOptions(tlogThreshold, ctlogThreshold, clock, capacity);
  }
}
