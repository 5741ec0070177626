package dev.sigil.sandbox.rekor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.tlog.NoteVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn tails, garbage and damage: what a crash (or worse) can leave, and how opening deals with it. */
class CrashRecoveryTest {
  @TempDir Path dir;

  private static byte[] body(int i) {
    return ("{\"entry\":" + i + ",\"pad\":\"" + "x".repeat(i % 17) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private Path logFile() {
    return dir.resolve(TransparencyLog.LOG_FILE);
  }

  @Test
  void aTornLastRecordWithGarbageAfterItIsCutOffAndTheRootIsTheCheckpointsFromBefore() throws Exception {
    SignedCheckpoint before;
    long cleanLength;
    List<byte[]> bodies = new ArrayList<>();
    TransparencyLog log = TransparencyLog.open(dir, Fixtures.options());
    for (int i = 1; i <= 20; i++) {
      bodies.add(body(i));
      log.append(body(i));
    }
    before = log.checkpoint();
    cleanLength = Files.size(logFile());
    log.append(body(21)); // its record is about to be torn: as if the crash hit while it was being written
    log.abandon(); // killed: no sync, no persisted checkpoint

    // Tear the last record in the middle and append garbage.
    long full = Files.size(logFile());
    try (FileChannel ch = FileChannel.open(logFile(), StandardOpenOption.WRITE)) {
      ch.truncate(cleanLength + (full - cleanLength) / 2);
      byte[] garbage = new byte[300];
      new Random(7).nextBytes(garbage);
      ch.write(ByteBuffer.wrap(garbage), ch.size());
    }
    long damaged = Files.size(logFile());

    try (TransparencyLog reopened = TransparencyLog.open(dir, Fixtures.options())) {
      TransparencyLog.Recovery r = reopened.recovery();
      assertEquals(21, reopened.size());
      assertEquals(damaged - cleanLength, r.truncatedBytes());
      assertTrue(r.reason().orElseThrow().startsWith("record 21 at offset " + cleanLength), r.reason().get());
      Path preserved = r.preservedTail().orElseThrow();
      assertEquals(damaged - cleanLength, Files.size(preserved));
      assertEquals(cleanLength, Files.size(logFile()));
      // Every fully written entry is there, and the recomputed root is the checkpoint's from before the crash.
      assertArrayEquals(before.rootHash(), reopened.rootHash());
      var v = NoteVerifier.forRekorV1(Fixtures.HOST, reopened.publicKey()).verifyCheckpoint(before.note());
      assertTrue(v.isOk(), () -> v.detail());
      assertEquals(before.size(), v.value().size());
      for (int i = 1; i <= 20; i++) {
        assertArrayEquals(bodies.get(i - 1), reopened.entry(i).body());
      }
      // The log goes on from the cut: the torn entry can be appended again.
      assertEquals(21, reopened.append(body(21)).logIndex());
    }
  }

  @Test
  void openingSurvivesATruncationAtEveryByteOffset() throws Exception {
    Path src = dir.resolve("src");
    List<Long> recordEnds = new ArrayList<>();
    TransparencyLog log = TransparencyLog.open(src, Fixtures.options());
    recordEnds.add(Files.size(src.resolve(TransparencyLog.LOG_FILE))); // header + genesis
    List<byte[]> roots = new ArrayList<>();
    roots.add(log.rootHash());
    for (int i = 1; i <= 4; i++) {
      log.append(body(i));
      recordEnds.add(Files.size(src.resolve(TransparencyLog.LOG_FILE)));
      roots.add(log.rootHash());
    }
    log.abandon();
    byte[] full = Files.readAllBytes(src.resolve(TransparencyLog.LOG_FILE));
    Files.createDirectories(dir.resolve("copy"));
    Files.copy(src.resolve(LogKey.FILE_NAME), dir.resolve("copy").resolve(LogKey.FILE_NAME));
    int opened = 0;
    // Every offset through the first client record, then around every record boundary and at a stride.
    java.util.TreeSet<Long> cuts = new java.util.TreeSet<>();
    for (long c = recordEnds.get(0); c <= full.length; c++) {
      if (c <= recordEnds.get(1) || c % 5 == 0 || c == full.length) {
        cuts.add(c);
      }
    }
    for (long end : recordEnds) {
      cuts.add(end - 1);
      cuts.add(end);
      cuts.add(Math.min(full.length, end + 1));
    }
    cuts.remove(recordEnds.get(0) - 1);
    for (long cut : cuts) {
      Path copy = dir.resolve("copy");
      try (Stream<Path> s = Files.list(copy)) {
        for (Path p : s.toList()) {
          if (p.getFileName().toString().startsWith(TransparencyLog.LOG_FILE)) {
            Files.delete(p);
          }
        }
      }
      Files.write(copy.resolve(TransparencyLog.LOG_FILE), java.util.Arrays.copyOf(full, (int) cut));
      int complete = 0;
      while (complete + 1 < recordEnds.size() && recordEnds.get(complete + 1) <= cut) {
        complete++;
      }
      try (TransparencyLog reopened = TransparencyLog.open(copy, Fixtures.options())) {
        assertEquals(complete + 1, reopened.size(), "cut at " + cut);
        assertArrayEquals(roots.get(complete), reopened.rootHash(), "cut at " + cut);
        assertEquals(cut - recordEnds.get(complete), reopened.recovery().truncatedBytes());
      }
      Files.deleteIfExists(copy.resolve(TransparencyLog.CHECKPOINT_FILE)); // close() persisted one; start afresh
      opened++;
    }
    assertTrue(opened > 60, "opened " + opened);
  }

  @Test
  void damageBelowAPersistedCheckpointIsRefusedAndLeavesTheFileUntouched() throws Exception {
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      for (int i = 1; i <= 10; i++) {
        log.append(body(i));
      }
    } // close() persisted a checkpoint for size 11
    byte[] bytes = Files.readAllBytes(logFile());
    bytes[bytes.length / 2] ^= 0x40; // bit rot in the middle of the file
    Files.write(logFile(), bytes);
    CorruptLogException e = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(e.getMessage().contains("refusing to truncate"), e.getMessage());
    assertArrayEquals(bytes, Files.readAllBytes(logFile()));
    try (Stream<Path> s = Files.list(dir)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".torn-")));
    }
  }

  @Test
  void aDamagedHeaderOrMissingGenesisIsRefused() throws Exception {
    TransparencyLog.open(dir, Fixtures.options()).close();
    byte[] bytes = Files.readAllBytes(logFile());
    byte[] badHeader = bytes.clone();
    badHeader[12] ^= 1; // inside the tree ID: the header CRC no longer matches
    Files.write(logFile(), badHeader);
    var e = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(e.getMessage().contains("header: CRC-32C mismatch"), e.getMessage());
    Files.write(logFile(), java.util.Arrays.copyOf(bytes, LogFile.HEADER_LENGTH + 10));
    Files.delete(dir.resolve(TransparencyLog.CHECKPOINT_FILE));
    var g = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(g.getMessage().contains("expected the genesis entry"), g.getMessage());
    assertEquals(LogFile.HEADER_LENGTH + 10, Files.size(logFile()));
  }

  @Test
  void aLostLogFileIsNotSilentlyReplacedByANewLog() throws Exception {
    TransparencyLog.open(dir, Fixtures.options()).close();
    Files.delete(logFile());
    var e = assertThrows(CorruptLogException.class, () -> TransparencyLog.open(dir, Fixtures.options()));
    assertTrue(e.getMessage().contains("refusing to start a new log"), e.getMessage());
    assertFalse(Files.exists(logFile()));
  }

  @Test
  void anInterruptedCreationLeavesNoLog() throws Exception {
    // A crash during creation leaves only the temporary file, which the next open replaces.
    Files.createDirectories(dir);
    Files.write(dir.resolve(TransparencyLog.LOG_FILE + ".creating"), new byte[] {1, 2, 3});
    try (TransparencyLog log = TransparencyLog.open(dir, Fixtures.options())) {
      assertTrue(log.recovery().created());
      assertEquals(1, log.size());
    }
    assertFalse(Files.exists(dir.resolve(TransparencyLog.LOG_FILE + ".creating")));
  }

  @Test
  void appendsAfterAFailedWriteAreRefusedUntilReopened() throws Exception {
    TransparencyLog log = TransparencyLog.open(dir, Fixtures.options());
    log.append(body(1));
    log.file().close(); // the next write fails underneath the log
    assertThrows(IOException.class, () -> log.append(body(2)));
    IOException e = assertThrows(IOException.class, () -> log.append(body(3)));
    assertTrue(e.getMessage().contains("refuses appends after a failed write"), e.getMessage());
    assertEquals(2, log.size());
    log.abandon();
    try (TransparencyLog reopened = TransparencyLog.open(dir, Fixtures.options())) {
      assertEquals(2, reopened.size());
      assertEquals(2, reopened.append(body(2)).logIndex());
    }
  }
}
