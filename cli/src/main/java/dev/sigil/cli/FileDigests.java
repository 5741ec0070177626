package dev.sigil.cli;

import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes the files a command names: each in one pass with every algorithm asked for, files in parallel (one thread
 * per file, at most one per processor). A seam: the CLI's multi-file hasher for large artifacts replaces the body.
 */
final class FileDigests {
  private FileDigests() {}

  /** The digests of each file, in the order given; an unreadable file is exit 2 naming it. */
  static List<DigestSet> of(List<Path> files, Set<DigestAlgorithm> algorithms, String what) throws CliException {
    for (Path f : files) {
      InputFiles.requireRegularFile(f, what);
    }
    if (files.size() == 1) {
      return List.of(one(files.get(0), algorithms, what));
    }
    int threads = Math.min(files.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sigil-hash");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<DigestSet>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> one(f, algorithms, what)));
      }
      List<DigestSet> out = new ArrayList<>();
      for (Future<DigestSet> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof CliException c) {
            throw c;
          }
          throw CliException.environment("hashing failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CliException.environment("interrupted while hashing", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static DigestSet one(Path f, Set<DigestAlgorithm> algorithms, String what) throws CliException {
    try (InputStream in = InputFiles.open(f, what)) {
      return Digests.of(in, algorithms);
    } catch (IOException e) {
      throw InputFiles.unreadable(f, what, e);
    }
  }
}
