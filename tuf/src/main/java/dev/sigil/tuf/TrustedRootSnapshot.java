package dev.sigil.tuf;

import dev.sigil.tuf.internal.CacheFiles;
import dev.sigil.verifier.trust.TrustedRoot;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One Sigstore trusted root as read at one moment: the parsed root, the exact bytes it was parsed from, and where it
 * came from. Immutable and thread-safe.
 *
 * <p>{@link #version()} names the content ({@code sha256:<hex>} of the {@code trusted_root.json} bytes): two snapshots
 * with the same version trust exactly the same material, wherever they came from, so caches of verification results
 * key on it. It is computed on first use (verification never needs it, and hashing would load the JCA providers).
 */
public final class TrustedRootSnapshot {
  /** Where a trusted root was read from. */
  public enum Origin {
    /** A file the caller named. */
    FILE,
    /** The verified copy a TUF update wrote into a cache directory. */
    TUF_CACHE,
    /** The public-good snapshot embedded in Sigil's verifier. */
    EMBEDDED
  }

  private final TrustedRoot root;
  private final byte[] json;
  private final Origin origin;
  private final Path path;
  private final TufOrigin tuf;
  private final String fallbackReason;
  private volatile String sha256;

  /**
   * @param json the bytes {@code root} was parsed from (kept, not copied: the caller hands them over)
   * @param path the file it was read from; null for {@link Origin#EMBEDDED}
   * @param tuf its TUF provenance when known; null otherwise
   * @param fallbackReason why a preferred source was passed over for this one; null when none was
   */
  TrustedRootSnapshot(TrustedRoot root, byte[] json, Origin origin, Path path, TufOrigin tuf, String fallbackReason) {
    this.root = Objects.requireNonNull(root, "root");
    this.json = Objects.requireNonNull(json, "json");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.path = path;
    this.tuf = tuf;
    this.fallbackReason = fallbackReason;
  }

  /** The parsed trusted root: the {@code TrustedMaterial} to build a verifier from. */
  public TrustedRoot root() {
    return root;
  }

  public Origin origin() {
    return origin;
  }

  /** The file it was read from; empty for the embedded snapshot. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /**
   * The mirror, update time and TUF metadata versions behind a {@link Origin#TUF_CACHE} root, when the reader checked
   * them (a {@link TufTrustedRoot} always does; {@link TrustedRoots#resolve} leaves that to
   * {@link TrustedRoots#cachedOrigin}).
   */
  public Optional<TufOrigin> tuf() {
    return Optional.ofNullable(tuf);
  }

  /**
   * Why a source that comes first was not used and this one was instead: a cached copy that exists but cannot be used
   * (unreadable, not a trusted root, written for another mirror). Empty when nothing was passed over. Callers should
   * tell their users: the result is still a good root, but not the one they may expect.
   */
  public Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /** The {@code trusted_root.json} bytes, as read. */
  public byte[] json() {
    return json.clone();
  }

  /** The lowercase hex SHA-256 of {@link #json()}. */
  public String sha256() {
    String s = sha256;
    if (s == null) {
      s = CacheFiles.sha256(json);
      sha256 = s;
    }
    return s;
  }

  /** {@code sha256:<hex>}: names this exact content; equal versions trust exactly the same material. */
  public String version() {
    return "sha256:" + sha256();
  }

  /** A copy of this snapshot with its TUF origin. */
  TrustedRootSnapshot withTuf(TufOrigin origin) {
    TrustedRootSnapshot copy = new TrustedRootSnapshot(root, json, this.origin, path, origin, fallbackReason);
    copy.sha256 = sha256;
    return copy;
  }

  /** A copy of this snapshot that records why a preferred source was passed over for it. */
  TrustedRootSnapshot withFallbackReason(String reason) {
    TrustedRootSnapshot copy = new TrustedRootSnapshot(root, json, origin, path, tuf, reason);
    copy.sha256 = sha256;
    return copy;
  }

  @Override
  public String toString() {
    return "TrustedRootSnapshot[" + origin + (path == null ? "" : " " + path) + ", " + version() + "]";
  }
}
