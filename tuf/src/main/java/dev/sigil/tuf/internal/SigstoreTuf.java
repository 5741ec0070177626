package dev.sigil.tuf.internal;

import dev.sigil.tuf.TrustException;
import dev.sigil.tuf.TrustException.Reason;
import dev.sigstore.json.JsonParseException;
import dev.sigstore.tuf.FileExceedsMaxLengthException;
import dev.sigstore.tuf.FileNotFoundException;
import dev.sigstore.tuf.FileSystemTufStore;
import dev.sigstore.tuf.InvalidHashesException;
import dev.sigstore.tuf.MetaFetcher;
import dev.sigstore.tuf.PassthroughCacheMetaStore;
import dev.sigstore.tuf.RoleExpiredException;
import dev.sigstore.tuf.RollbackVersionException;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SignatureVerificationException;
import dev.sigstore.tuf.SigstoreTufClient;
import dev.sigstore.tuf.TargetMetadataMissingException;
import dev.sigstore.tuf.TrustedMetaStore;
import dev.sigstore.tuf.TufException;
import dev.sigstore.tuf.Updater;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The one place Sigil uses sigstore-java: its TUF {@link Updater} refreshes one mirror's metadata in a
 * {@link FileSystemTufStore} (root rotation, timestamp, snapshot, targets: signatures and thresholds, expiry by the
 * given clock, rollback, hashes and lengths) and fetches the {@value #TARGET} target, over {@link JdkFetcher}. Every
 * failure becomes one {@link TrustException}.
 *
 * <p>Not thread-safe for one metadata directory: callers hold the cache lock.
 */
public final class SigstoreTuf {
  /** The TUF target holding the Sigstore trusted root. */
  public static final String TARGET = "trusted_root.json";

  private SigstoreTuf() {}

  /**
   * The verified target and the versions of the metadata that vouched for it.
   *
   * @param startedFromInitialRoot whether the store held no TUF root yet, so the initial one was trusted
   */
  public record Fetched(byte[] trustedRoot, int rootVersion, int targetsVersion, boolean startedFromInitialRoot) {}

  /** Whether the store for this mirror already trusts a TUF root (so no initial root is needed). */
  public static boolean bootstrapped(Path metaDir) {
    return Files.isRegularFile(metaDir.resolve("root.json"));
  }

  /**
   * Runs a TUF client update against {@code mirror} with its store in {@code metaDir}, then fetches (or re-checks the
   * cached copy of) {@value #TARGET}.
   *
   * @param initialRoot the TUF root to trust when {@code metaDir} holds none yet; null for the public-good root that
   *     ships inside sigstore-java
   * @param stop completed to abandon the update at its next network wait (it then fails as unreachable)
   */
  public static Fetched update(Path metaDir, URI mirror, byte[] initialRoot, Clock clock, Duration connectTimeout,
      Duration requestTimeout, CompletableFuture<Void> stop) throws TrustException {
    boolean fresh = !bootstrapped(metaDir);
    RootProvider rootProvider =
        initialRoot != null
            ? () -> new String(initialRoot, StandardCharsets.UTF_8)
            : RootProvider.fromResource(SigstoreTufClient.PUBLIC_GOOD_ROOT_RESOURCE);
    String kept = "; the cached trusted root is unchanged";
    FileSystemTufStore store;
    try {
      Files.createDirectories(metaDir);
      store = FileSystemTufStore.newFileSystemStore(metaDir);
    } catch (IOException e) {
      throw new TrustException(Reason.CACHE_IO,
          "TUF cache " + metaDir + ": preparing the TUF store failed: " + Text.message(e) + kept, e);
    }
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    TrustedMetaStore trusted =
        TrustedMetaStore.newTrustedMetaStore(PassthroughCacheMetaStore.newPassthroughMetaCache(store));
    Updater updater =
        Updater.builder()
            .setClock(clock)
            .setTrustedRootPath(rootProvider)
            .setTrustedMetaStore(trusted)
            .setTargetStore(store)
            .setMetaFetcher(MetaFetcher.newFetcher(new JdkFetcher(http, mirror, connectTimeout, requestTimeout, stop)))
            .setTargetFetcher(new JdkFetcher(http, mirror.resolve("targets/"), connectTimeout, requestTimeout, stop))
            .build();
    String failed = "TUF verification failed for mirror " + mirror + ": ";
    try {
      updater.updateMeta();
      updater.downloadTarget(TARGET);
      byte[] bytes = store.readTarget(TARGET);
      return new Fetched(bytes, trusted.getRoot().getSignedMeta().getVersion(),
          trusted.getTargets().getSignedMeta().getVersion(), fresh);
    } catch (JdkFetcher.Unreachable e) {
      throw new TrustException(Reason.MIRROR_UNREACHABLE,
          "TUF mirror " + mirror + ": expected a reachable TUF repository, found " + Text.message(e.getCause())
              + " (fetching " + e.uri + ")" + kept, e);
    } catch (JdkFetcher.HttpStatus e) {
      throw new TrustException(Reason.MIRROR_HTTP_STATUS,
          "TUF mirror " + mirror + ": expected HTTP 200 for " + e.uri + ", found HTTP " + e.status + kept, e);
    } catch (RoleExpiredException e) {
      throw new TrustException(Reason.METADATA_EXPIRED,
          failed + "metadata expired: expected an expiry after " + e.getUpdateTime().toInstant() + ", found "
              + e.getRoleExpirationTime().toInstant() + " and no newer version on the mirror" + kept, e);
    } catch (TargetMetadataMissingException e) {
      throw new TrustException(Reason.TARGET_NOT_LISTED,
          "TUF mirror " + mirror + ": expected its targets metadata to list " + TARGET + ", found no such target"
              + kept, e);
    } catch (FileNotFoundException e) {
      throw new TrustException(Reason.MIRROR_FILE_MISSING,
          "TUF mirror " + mirror + ": expected " + missingFile(e) + ", found none (HTTP 404)" + kept, e);
    } catch (TufException e) {
      throw new TrustException(reason(e),
          failed + Text.oneLine(String.valueOf(e.getMessage())) + " (" + e.getClass().getSimpleName() + ")" + kept, e);
    } catch (JsonParseException e) {
      throw new TrustException(Reason.METADATA_MALFORMED, failed + malformed(e, metaDir) + kept, e);
    } catch (IOException e) {
      throw new TrustException(Reason.CACHE_IO,
          "TUF cache " + metaDir + ": reading or writing TUF metadata failed: " + Text.message(e) + kept, e);
    } catch (RuntimeException e) {
      // Metadata that is JSON but not TUF (missing fields, wrong types) surfaces as runtime exceptions from
      // sigstore-java's generated model classes.
      throw new TrustException(Reason.METADATA_MALFORMED, failed + malformed(e, metaDir) + kept, e);
    }
  }

  private static Reason reason(TufException e) {
    if (e instanceof RollbackVersionException) {
      return Reason.METADATA_ROLLBACK;
    }
    if (e instanceof SignatureVerificationException) {
      return Reason.METADATA_SIGNATURES;
    }
    if (e instanceof InvalidHashesException) {
      return Reason.METADATA_HASH_MISMATCH;
    }
    if (e instanceof FileExceedsMaxLengthException) {
      return Reason.METADATA_TOO_LARGE;
    }
    return Reason.METADATA_INVALID;
  }

  /** The file name in sigstore-java's "file (NAME) was not found at source (URL)." */
  private static String missingFile(FileNotFoundException e) {
    String m = String.valueOf(e.getMessage());
    int open = m.indexOf("file (");
    int close = open < 0 ? -1 : m.indexOf(") was not found", open);
    return close < 0 ? "a file it lacks (" + Text.oneLine(m) + ")" : m.substring(open + "file (".length(), close);
  }

  private static String malformed(Exception e, Path metaDir) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "malformed metadata from the mirror or in " + metaDir + " (" + Text.message(root) + ")";
  }
}
