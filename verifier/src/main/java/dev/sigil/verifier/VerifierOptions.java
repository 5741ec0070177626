package dev.sigil.verifier;

import dev.sigil.verifier.crypto.CryptoBackend;
import java.time.Clock;
import java.util.Objects;

/**
 * Deployment facts, set once per {@link Verifier}: how many verified transparency-log entries, SCTs, RFC 3161
 * timestamps, log integrated times and signing times of either kind every entity needs; the clock (used only to
 * reject log times in the future, never as a signing time); and how many verified leaf-certificate signatures to
 * remember. Build with {@link #builder()}; {@link Builder#build()} refuses contradictory or impossible settings.
 *
 * @param transparencyLogThreshold verified log entries required (a per-call policy may waive the log, by name)
 * @param sctThreshold verified SCTs from distinct trusted CT logs required of a certificate
 * @param timestampThreshold verified RFC 3161 timestamps required
 * @param integratedTimeThreshold verified log integrated times (Rekor v1 entries with a signed entry timestamp)
 *     required
 * @param observerTimestampThreshold verified signing times of either kind required to check a certificate at (at
 *     least 1); key-based entities need a time only when their trusted key's validity window is bounded
 * @param clock the clock
 * @param verifiedLeafCache how many successful leaf-certificate signature checks the chain verifier remembers, keyed
 *     by the leaf's exact DER bytes and the issuing CA certificate (a pure function of those bytes; validity times
 *     are checked on every call). A service that sees the same signatures again (an admission webhook) skips the
 *     CA signature check on a hit; 0 turns it off.
 * @param cryptoBackend the cryptography verification runs on ({@link CryptoBackend#jca()} unless chosen): certificate
 *     and key parsing, signatures, digests. A choice of speed profile, never of outcome.
 */
public record VerifierOptions(
    int transparencyLogThreshold,
    int sctThreshold,
    int timestampThreshold,
    int integratedTimeThreshold,
    int observerTimestampThreshold,
    Clock clock,
    int verifiedLeafCache,
    CryptoBackend cryptoBackend) {

  /** The default {@link #verifiedLeafCache}. */
  public static final int DEFAULT_VERIFIED_LEAF_CACHE = 1024;

  /** The most RFC 3161 timestamps an entity may carry, as sigstore-go and sigstore-python allow. */
  public static final int MAX_TIMESTAMPS = 32;

  /** The most transparency-log entries an entity may carry. */
  public static final int MAX_TLOG_ENTRIES = 32;

  public VerifierOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(cryptoBackend, "cryptoBackend");
    requireRange("transparencyLogThreshold", transparencyLogThreshold, 0, MAX_TLOG_ENTRIES);
    requireRange("sctThreshold", sctThreshold, 0, 64);
    requireRange("timestampThreshold", timestampThreshold, 0, MAX_TIMESTAMPS);
    requireRange("integratedTimeThreshold", integratedTimeThreshold, 0, MAX_TLOG_ENTRIES);
    requireRange("observerTimestampThreshold", observerTimestampThreshold, 1, MAX_TIMESTAMPS + MAX_TLOG_ENTRIES);
    if (verifiedLeafCache < 0) {
      throw new IllegalArgumentException("verifiedLeafCache: expected 0 or more, found " + verifiedLeafCache);
    }
    if (integratedTimeThreshold > transparencyLogThreshold) {
      throw new IllegalArgumentException(
          "integratedTimeThreshold: expected at most transparencyLogThreshold ("
              + transparencyLogThreshold
              + "): integrated times come from verified log entries, found "
              + integratedTimeThreshold);
    }
    if (observerTimestampThreshold < timestampThreshold || observerTimestampThreshold < integratedTimeThreshold) {
      // Not contradictory in itself, but a sign of a misunderstanding: the observer threshold counts both kinds.
      throw new IllegalArgumentException(
          "observerTimestampThreshold: expected at least timestampThreshold ("
              + timestampThreshold
              + ") and integratedTimeThreshold ("
              + integratedTimeThreshold
              + "), since it counts verified times of both kinds, found "
              + observerTimestampThreshold);
    }
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + ": expected " + min + " to " + max + ", found " + value);
    }
  }

  /**
   * What the Sigstore public-good instance and its clients use: one log entry, one SCT, one verified signing time of
   * either kind, the system clock.
   */
  public static VerifierOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tlog = transparencyLogThreshold;
    b.sct = sctThreshold;
    b.tsa = timestampThreshold;
    b.integrated = integratedTimeThreshold;
    b.observer = observerTimestampThreshold;
    b.clock = clock;
    b.leafCache = verifiedLeafCache;
    b.cryptoBackend = cryptoBackend;
    return b;
  }

  /** Options, checked as a whole by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private int tlog = 1;
    private int sct = 1;
    private int tsa = 0;
    private int integrated = 0;
    private int observer = 1;
    private Clock clock = Clock.systemUTC();
    private int leafCache = DEFAULT_VERIFIED_LEAF_CACHE;
    private CryptoBackend cryptoBackend = CryptoBackend.jca();

    private Builder() {}

    public Builder transparencyLogThreshold(int n) {
      this.tlog = n;
      return this;
    }

    public Builder sctThreshold(int n) {
      this.sct = n;
      return this;
    }

    public Builder timestampThreshold(int n) {
      this.tsa = n;
      return this;
    }

    public Builder integratedTimeThreshold(int n) {
      this.integrated = n;
      return this;
    }

    public Builder observerTimestampThreshold(int n) {
      this.observer = n;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public Builder verifiedLeafCache(int capacity) {
      this.leafCache = capacity;
      return this;
    }

    /**
     * The cryptography to verify with: {@link CryptoBackend#jca()} (the default) for processes that verify many
     * times, {@link CryptoBackend#fastStart()} for one-shot processes.
     */
    public Builder cryptoBackend(CryptoBackend backend) {
      this.cryptoBackend = backend;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if a threshold is out of range or the thresholds contradict each other
     */
    public VerifierOptions build() {
      return new VerifierOptions(tlog, sct, tsa, integrated, observer, clock, leafCache, cryptoBackend);
    }
  }
}
