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
  /**
   * Read size. Measured hashing 1 GiB from the page cache (SHA-256, C2): 32 and 64 KiB cost the same CPU time,
   * 128 and 256 KiB about 0.3 s more of system time per GiB.
   */
  static final int BUFFER = 64 * 1024;

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
    return hash(inputs, progress, new AtomicBoolean());
  }

  /**
   * Starts hashing on a thread of its own, for a caller with other work to do meanwhile (reading a key, say): the
   * up-front checks and every failure are reported by {@link Pending#await}. {@code progress} is used as by
   * {@link #hash} from that thread.
   */
  Pending start(List<Input> inputs, HashProgress progress) {
    Pending p = new Pending(inputs, progress);
    p.start();
    return p;
  }

  /** Hashing under way in the background: wait for it, or cancel it. */
  final class Pending extends Thread {
    private final List<Input> inputs;
    private final HashProgress progress;
    private final AtomicBoolean stop = new AtomicBoolean();
    private List<Digested> result;
    private CliException failure;

    private Pending(List<Input> inputs, HashProgress progress) {
      super("sigil-hash");
      setDaemon(true);
      this.inputs = List.copyOf(inputs);
      this.progress = progress;
    }

    @Override
    public void run() {
      try {
        result = hash(inputs, progress, stop);
      } catch (CliException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        failure = new CliException(ExitCode.ENVIRONMENT, "hashing failed: " + e, e);
      }
    }

    /** The digests, as {@link #hash} returns them, once hashing has ended. */
    List<Digested> await() throws CliException {
      joinUninterruptibly();
      if (stop.get()) {
        throw new IllegalStateException("hashing was cancelled");
      }
      if (failure != null) {
        throw failure;
      }
      return result;
    }

    /** Stops hashing at the next buffer and returns once it has stopped (its progress finished). */
    void cancel() {
      stop.set(true);
      joinUninterruptibly();
    }

    private void joinUninterruptibly() {
      boolean interrupted = false;
      while (true) {
        try {
          join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** As {@link #hash(List, HashProgress)}, giving up (with no result) once {@code stop} is set. */
  private List<Digested> hash(List<Input> inputs, HashProgress progress, AtomicBoolean stop) throws CliException {
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
          out.add(hashOne(in, buffer, progress, stop));
        }
        return out;
      }
      return inParallel(inputs, n, progress, stop);
    } finally {
      progress.finish();
    }
  }

  private List<Digested> inParallel(List<Input> inputs, int n, HashProgress progress, AtomicBoolean stop)
      throws CliException {
    Job job = new Job(inputs, progress, stop);
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

  /** One file's digests; null if {@code stop} was set before the end. */
  private Digested hashOne(Input in, byte[] buffer, HashProgress progress, AtomicBoolean stop) throws CliException {
    MessageDigest[] mds = new MessageDigest[in.algorithms().size()];
    HashAlgorithm[] algs = in.algorithms().toArray(new HashAlgorithm[0]);
    for (int i = 0; i < algs.length; i++) {
      mds[i] = source.newDigest(algs[i]);
    }
    long size = 0;
    try (InputStream s = InputFiles.open(in.file(), "artifact")) {
      int r;
      while ((r = s.read(buffer)) > 0) {
        if (stop.get()) {
          return null;
        }
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
    final AtomicBoolean stop;
    final Digested[] results;
    final AtomicInteger next = new AtomicInteger();
    final AtomicBoolean failed = new AtomicBoolean();
    final CliException[] errors;

    Job(List<Input> inputs, HashProgress progress, AtomicBoolean stop) {
      this.inputs = inputs;
      this.progress = progress;
      this.stop = stop;
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
      while (!job.failed.get() && !job.stop.get() && (i = job.next.getAndIncrement()) < job.inputs.size()) {
        try {
          job.results[i] = hashOne(job.inputs.get(i), buffer, job.progress, job.stop);
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
