package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FileHasherTest {
  /** Sizes around the buffer and block boundaries, including empty. */
  private static final int[] SIZES = {0, 1, 55, 64, 111, 128, 65_535, FileHasher.BUFFER - 1, FileHasher.BUFFER,
      FileHasher.BUFFER + 1, 3 * FileHasher.BUFFER + 17};

  @ParameterizedTest
  @EnumSource(DigestSource.class)
  void everyFileInEveryAlgorithmMatchesTheJdk(DigestSource source, @TempDir Path dir) throws Exception {
    List<FileHasher.Input> inputs = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < SIZES.length; i++) {
      byte[] data = new byte[SIZES[i]];
      random.nextBytes(data);
      Path f = dir.resolve("f" + i);
      Files.write(f, data);
      contents.add(data);
      // Each file asks for a different set, so a mix-up between files or algorithms shows.
      Set<HashAlgorithm> algs = switch (i % 3) {
        case 0 -> EnumSet.allOf(HashAlgorithm.class);
        case 1 -> EnumSet.of(HashAlgorithm.SHA2_256);
        default -> EnumSet.of(HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512);
      };
      inputs.add(new FileHasher.Input(f, algs));
    }
    for (int threads : new int[] {1, 4}) {
      Counting progress = new Counting();
      List<FileHasher.Digested> out = new FileHasher(source, threads).hash(inputs, progress);
      assertEquals(inputs.size(), out.size());
      long total = 0;
      for (int i = 0; i < inputs.size(); i++) {
        FileHasher.Digested d = out.get(i);
        assertEquals(inputs.get(i).file(), d.file(), "results keep the order of the inputs");
        assertEquals(SIZES[i], d.size());
        assertEquals(inputs.get(i).algorithms(), d.digests().keySet());
        for (HashAlgorithm a : inputs.get(i).algorithms()) {
          byte[] expected = MessageDigest.getInstance(a.jcaName()).digest(contents.get(i));
          assertArrayEquals(expected, d.digest(a), a + " of " + d.file() + " with " + threads + " threads");
        }
        total += SIZES[i];
      }
      assertEquals(1, progress.starts.get());
      assertEquals(inputs.size(), progress.files.get());
      assertEquals(total, progress.announced.get());
      assertEquals(total, progress.advanced.get());
      assertEquals(1, progress.finishes.get());
    }
  }

  @Test
  void aMissingFileIsBadInputNamingItAndProgressIsNeverStarted(@TempDir Path dir) throws Exception {
    Path ok = Files.writeString(dir.resolve("ok"), "x");
    Path missing = dir.resolve("missing");
    Counting progress = new Counting();
    CliException e = assertThrows(CliException.class, () -> new FileHasher(DigestSource.JDK, 4).hash(
        List.of(input(ok), input(missing)), progress));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("expected an existing file"),
        e.getMessage());
    assertEquals(0, progress.starts.get());
  }

  @Test
  void aDirectoryIsBadInput(@TempDir Path dir) {
    CliException e = assertThrows(CliException.class,
        () -> new FileHasher(DigestSource.JDK, 1).hash(dir, EnumSet.of(HashAlgorithm.SHA2_256), HashProgress.NONE));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("found a directory"), e.getMessage());
  }

  @Test
  void aFileThatCannotBeReadFailsTheJobAndProgressStillFinishes(@TempDir Path dir) throws Exception {
    List<FileHasher.Input> inputs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inputs.add(input(Files.writeString(dir.resolve("f" + i), "content " + i)));
    }
    // /proc/self/mem passes the up-front checks (it exists, it is no directory) but fails on the first read (EIO).
    Path unreadable = Path.of("/proc/self/mem");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(unreadable), "needs Linux's /proc");
    inputs.add(3, input(unreadable));
    Counting progress = new Counting();
    CliException e = assertThrows(CliException.class,
        () -> new FileHasher(DigestSource.JDK, 4).hash(inputs, progress));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(unreadable + ": could not be read"), e.getMessage());
    assertEquals(1, progress.finishes.get());
  }

  @Test
  void inTheBackgroundTheSameDigestsAndFailuresComeFromAwait(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "background");
    FileHasher hasher = new FileHasher(DigestSource.JDK, 2);
    Counting progress = new Counting();
    FileHasher.Pending p = hasher.start(List.of(input(a)), progress);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(a)),
        p.await().get(0).digest(HashAlgorithm.SHA2_256));
    assertEquals(1, progress.finishes.get());
    CliException e = assertThrows(CliException.class,
        () -> hasher.start(List.of(input(dir.resolve("missing"))), HashProgress.NONE).await());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void cancellingStopsAtTheNextBufferAndFinishesProgressFirst(@TempDir Path dir) throws Exception {
    Path big = ChildSigil.sparse(dir.resolve("big"), 8L << 30); // 8 GiB, sparse: seconds to hash even with SHA-NI
    Counting progress = new Counting();
    FileHasher.Pending p = new FileHasher(DigestSource.JDK, 1).start(List.of(input(big)), progress);
    while (progress.advanced.get() == 0) {
      Thread.sleep(1);
    }
    long t0 = System.nanoTime();
    p.cancel();
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "cancel returns at the next buffer");
    assertEquals(1, progress.finishes.get(), "progress finished before cancel returned");
    assertTrue(progress.advanced.get() < (8L << 30));
    assertThrows(IllegalStateException.class, p::await);
  }

  @Test
  void anInputNeedsAnAlgorithm(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> new FileHasher.Input(dir, EnumSet.noneOf(HashAlgorithm.class)));
    assertThrows(IllegalArgumentException.class, () -> new FileHasher(DigestSource.JDK, 0));
  }

  @Test
  void theProcessSourceFollowsTheLaunchersProfile() {
    String before = System.getProperty("sigil.profile");
    try {
      System.setProperty("sigil.profile", "fast-start");
      assertEquals(DigestSource.FAST_START, DigestSource.forThisProcess());
      System.setProperty("sigil.profile", "throughput");
      assertEquals(DigestSource.JDK, DigestSource.forThisProcess());
      System.clearProperty("sigil.profile");
      assertEquals(DigestSource.JDK, DigestSource.forThisProcess());
    } finally {
      if (before != null) {
        System.setProperty("sigil.profile", before);
      }
    }
  }

  private static FileHasher.Input input(Path p) {
    return new FileHasher.Input(p, EnumSet.of(HashAlgorithm.SHA2_256));
  }

  /** Counts what a job reports; advance comes from several threads. */
  static final class Counting implements HashProgress {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger files = new AtomicInteger();
    final AtomicLong announced = new AtomicLong();
    final AtomicLong advanced = new AtomicLong();
    final AtomicInteger finishes = new AtomicInteger();

    @Override
    public void start(int n, long totalBytes) {
      starts.incrementAndGet();
      files.set(n);
      announced.set(totalBytes);
    }

    @Override
    public void advance(long bytes) {
      advanced.addAndGet(bytes);
    }

    @Override
    public void finish() {
      finishes.incrementAndGet();
    }
  }
}
