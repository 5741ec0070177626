package dev.sigil.cli;

import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the digests of files for the CLI's commands (sign-blob, verify-blob and the attestation and provenance
 * commands): given each file and the algorithms it needs, its digests.
 *
 * <p>Each file is read once, whatever the number of algorithms; files are hashed in parallel, on at most
 * {@code threads} threads (one per available processor by default; a single file is hashed on the calling thread).
 * Memory is one {@value #BUFFER}-byte buffer per thread whatever the file sizes: nothing is read whole. Digests come
 * from the process's {@link DigestSource}. Instances are immutable and may be shared.
 */
final class FileHasher {
  /** Read size: large enough that per-read costs vanish next to hashing (measured: 64 KiB is within 2%). */
  static final int BUFFER = 256 * 1024;

  /** One file and the algorithms it is needed in. */
  record Input(Path file, Set<HashAlgorithm> algorithms) {
    Input {
      if (algorithms.isEmpty()) {
        throw new IllegalArgumentException("file " + file + ": at least one digest algorithm is needed");
      }
      algorithms = Collections.unmodifiableSet(EnumSet.copyOf(algorithms));
    }
  }

  /** A file's digests, and the number of bytes hashed. */
  record Digested(Path file, long size, Map<HashAlgorithm, byte[]> digests) {
    Digested {
      digests = Collections.unmodifiableMap(new EnumMap<>(digests));
    }

    byte[] digest(HashAlgorithm algorithm) {
      byte[] d = digests.get(algorithm);
      if (d == null) {
        throw new IllegalArgumentException(algorithm + " was not asked for " + file);
      }
      return d.clone();
    }

    /** The file as the verifier sees it. */
    Artifact artifact() {
      return Artifact.ofDigests(digests);
    }
  }

  private final DigestSource source;
  private final int threads;

  FileHasher(DigestSource source, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
    }
    this.source = source;
    this.threads = threads;
  }

  /** The process's digest source, one thread per available processor. */
  static FileHasher forThisProcess() {
    return new FileHasher(DigestSource.forThisProcess(), Runtime.getRuntime().availableProcessors());
  }

  /** Hashes one file. */
  Digested hash(Path file, Set<HashAlgorithm> algorithms, HashProgress progress) throws CliException {
    List<Input> one = new ArrayList<>(1);
    one.add(new Input(file, algorithms));
    return hash(one, progress).get(0);
  }

  /**
   * Hashes the files, returning their digests in the order given. {@code progress} hears the total size first, then
   * every buffer hashed, and always the end.
   *
   * @throws CliException (bad input) naming the first file that is missing, not a regular file, or unreadable
   */
  List<Digested> hash(List<Input> inputs, HashProgress progress) throws CliException {
    long total = 0;
    for (Input in : inputs) {
      InputFiles.requireRegularFile(in.file(), "artifact");
      try {
        total += Files.size(in.file());
      } catch (IOException e) {
        throw InputFiles.unreadable(in.file(), "artifact", e);
      }
    }
    progress.start(inputs.size(), total);
    try {
      int n = Math.min(threads, inputs.size());
      if (n <= 1) {
        List<Digested> out = new ArrayList<>(inputs.size());
        byte[] buffer = new byte[BUFFER];
        for (Input in : inputs) {
          out.add(hashOne(in, buffer, progress));
        }
        return out;
      }
      return inParallel(inputs, n, progress);
    } finally {
      progress.finish();
    }
  }

  private List<Digested> inParallel(List<Input> inputs, int n, HashProgress progress) throws CliException {
    Job job = new Job(inputs, progress);
    Worker[] workers = new Worker[n];
    for (int i = 0; i < n; i++) {
      workers[i] = new Worker(job, i);
      workers[i].start();
    }
    boolean interrupted = false;
    for (Worker w : workers) {
      while (true) {
        try {
          w.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          job.failed.set(true);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.ENVIRONMENT, "hashing was interrupted");
    }
    job.rethrow();
    List<Digested> out = new ArrayList<>(inputs.size());
    for (Digested d : job.results) {
      out.add(d);
    }
    return out;
  }

  private Digested hashOne(Input in, byte[] buffer, HashProgress progress) throws CliException {
    MessageDigest[] mds = new MessageDigest[in.algorithms().size()];
    HashAlgorithm[] algs = in.algorithms().toArray(new HashAlgorithm[0]);
    for (int i = 0; i < algs.length; i++) {
      mds[i] = source.newDigest(algs[i]);
    }
    long size = 0;
    try (InputStream s = InputFiles.open(in.file(), "artifact")) {
      int r;
      while ((r = s.read(buffer)) > 0) {
        for (MessageDigest md : mds) {
          md.update(buffer, 0, r);
        }
        size += r;
        progress.advance(r);
      }
    } catch (IOException e) {
      throw InputFiles.unreadable(in.file(), "artifact", e);
    }
    Map<HashAlgorithm, byte[]> digests = new EnumMap<>(HashAlgorithm.class);
    for (int i = 0; i < algs.length; i++) {
      digests.put(algs[i], mds[i].digest());
    }
    return new Digested(in.file(), size, digests);
  }

  /** The shared state of a parallel run: the next file to take, the results, the first failure. */
  private static final class Job {
    final List<Input> inputs;
    final HashProgress progress;
    final Digested[] results;
    final AtomicInteger next = new AtomicInteger();
    final AtomicBoolean failed = new AtomicBoolean();
    final CliException[] errors;

    Job(List<Input> inputs, HashProgress progress) {
      this.inputs = inputs;
      this.progress = progress;
      this.results = new Digested[inputs.size()];
      this.errors = new CliException[inputs.size()];
    }

    /** The failure of the first file (in the order given) that failed, if any; read after every worker has ended. */
    void rethrow() throws CliException {
      for (CliException e : errors) {
        if (e != null) {
          throw e;
        }
      }
    }
  }

  /** Takes files from the job until none are left or one has failed. */
  private final class Worker extends Thread {
    private final Job job;

    Worker(Job job, int index) {
      super("sigil-hash-" + index);
      setDaemon(true);
      this.job = job;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[BUFFER];
      int i;
      while (!job.failed.get() && (i = job.next.getAndIncrement()) < job.inputs.size()) {
        try {
          job.results[i] = hashOne(job.inputs.get(i), buffer, job.progress);
        } catch (CliException e) {
          job.errors[i] = e;
          job.failed.set(true);
        } catch (RuntimeException | Error e) {
          job.errors[i] = new CliException(ExitCode.ENVIRONMENT,
              "hashing " + job.inputs.get(i).file() + " failed: " + e, e);
          job.failed.set(true);
        }
      }
    }
  }
}
