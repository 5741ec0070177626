package dev.sigil.sandbox.rekor;

import dev.sigil.sandbox.keys.KeyFiles;

import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.internal.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.tlog.Checkpoint;
import dev.sigil.verifier.internal.tlog.NoteVerifier;
import dev.sigil.verifier.internal.tlog.RekorBody;
import dev.sigil.verifier.internal.tlog.SignedNote;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embedded, append-only transparency log persisted in a data directory, in one of two generations ({@link
 * Generation}): Rekor v1 (ECDSA P-256 key, checkpoints with origin {@code <hostname> - <tree ID>} and a timestamp line,
 * signed entry timestamps) or Rekor v2 (Ed25519 key, C2SP signed-note checkpoints whose origin is the hostname, no
 * SETs, entries readable as C2SP tlog-tiles through {@link #tile} and {@link #entryBundle}). Both share everything
 * below: the file format, durability, crash recovery and proofs.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Durability.</b> {@link #append} returns only after the entry's record is on disk ({@code fdatasync});
 *       an acknowledged entry survives a crash or power loss. Concurrent appends share syncs (group commit): while
 *       one thread syncs, others write their records, and the next sync covers them all.
 *   <li><b>Crash safety.</b> Records are framed with their length, index and a CRC-32C. On open, the first record
 *       that is incomplete, fails its CRC or has an unexpected index ends the log: the torn tail is copied aside to
 *       {@code entries.log.torn-<millis>} and cut off (see {@link #recovery()}). A process killed at any point leaves
 *       a log that opens. Truncation never goes below a checkpoint persisted by {@link #close()} or {@link
 *       #persistCheckpoint()}; such damage is refused with {@link CorruptLogException} instead.
 *   <li><b>Order.</b> Appends are serialised: indices are distinct and gapless. Index 0 is a genesis entry written
 *       when the log is created (cosign 2.5 and sigstore-go treat a client entry at index 0 as missing), so client
 *       entries start at 1. Integrated times never decrease.
 *   <li><b>Visibility.</b> Reads (entries, roots, proofs, checkpoints) see the committed tree: entries that are
 *       durable. An entry is never served, proved or covered by a checkpoint before it is durable.
 *   <li><b>Uniqueness.</b> An entry whose canonical body is already logged is refused ({@link
 *       DuplicateEntryException}), as Rekor refuses it (HTTP 409).
 * </ul>
 *
 * <h2>Data directory</h2>
 *
 * <pre>
 * log-key.pem        the log's ECDSA P-256 key, PKCS#8 PEM, mode 0600, created atomically on first start
 * entries.log        header and one framed record per entry (format: see LogFile)
 * checkpoint.note    the last persisted signed checkpoint (on close and persistCheckpoint), a floor for recovery
 * lock               held (advisory lock) while the log is open, so two processes never write one log
 * </pre>
 *
 * <h2>Memory and cost</h2>
 *
 * Leaf hashes (32 bytes), Merkle nodes of 8 leaves and more (8 bytes per leaf), record offsets (8) and the UUID
 * index (8 to 16) stay in memory: about 60 bytes per entry, 60 MB per million entries; bodies stay on disk. Roots
 * cost O(log n) hashes, inclusion and consistency proofs O(log² n) at worst, for the current tree or any earlier
 * size (measured at 100,000 entries: a few microseconds to a few tens of microseconds). Opening re-reads the file
 * and re-hashes every entry (about 0.4 to 2 s per 100,000 entries, mostly SHA-256 and JIT warm-up). Thread-safe.
 */
public final class TransparencyLog implements AutoCloseable {
  static final String LOG_FILE = "entries.log";
  static final String CHECKPOINT_FILE = "checkpoint.note";
  static final String LOCK_FILE = "lock";
  /** The kind of the genesis entry at index 0. */
  public static final String GENESIS_KIND = "sigil-genesis";

  /**
   * Settings.
   *
   * @param hostname the checkpoint key name and origin prefix: the {@code host[:port]} the log is served at, which is
   *     what verifiers derive from the trusted root's {@code baseUrl} (e.g. {@code localhost:3000})
   * @param clock source of integrated times and checkpoint timestamps
   * @param groupCommit share syncs between concurrent appends (when false, each append syncs under the lock)
   * @param maxBodyBytes the largest canonical body {@link #append} accepts
   * @param checkpointTimestamps write Rekor v1's {@code Timestamp: <nanos>} line in checkpoints
   * @param generation Rekor v1 or v2 (keys, checkpoints, log IDs; see the class comment)
   */
  public record Options(
      String hostname, Clock clock, boolean groupCommit, int maxBodyBytes, boolean checkpointTimestamps,
      Generation generation) {
    public Options {
      Objects.requireNonNull(generation, "generation");
      if (generation == Generation.REKOR_V2 && (maxBodyBytes > MAX_TILE_ENTRY_BYTES || checkpointTimestamps)) {
        throw new IllegalArgumentException("a Rekor v2 log has bodies of at most " + MAX_TILE_ENTRY_BYTES
            + " bytes (tlog-tiles entry bundles) and no checkpoint timestamps");
      }
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(clock, "clock");
      if (!SignedNote.isValidKeyName(hostname)) {
        throw new IllegalArgumentException(
            "hostname: expected a signed-note key name (no spaces or '+'), found \"" + hostname + "\"");
      }
      if (maxBodyBytes <= 0 || maxBodyBytes > LogFile.MAX_RECORD_BODY) {
        throw new IllegalArgumentException(
            "maxBodyBytes: expected 1 to " + LogFile.MAX_RECORD_BODY + ", found " + maxBodyBytes);
      }
    }

    /** Rekor v1 settings. */
    public Options(String hostname, Clock clock, boolean groupCommit, int maxBodyBytes, boolean checkpointTimestamps) {
      this(hostname, clock, groupCommit, maxBodyBytes, checkpointTimestamps, Generation.REKOR_V1);
    }

    /** A Rekor v1 log with the system clock, group commit and checkpoint timestamps. */
    public static Options defaults(String hostname) {
      return new Options(
          hostname, Clock.systemUTC(), true, ProposedEntries.Limits.defaults().maxCanonicalBodyBytes(), true);
    }

    /** A Rekor v2 log with the system clock and group commit. */
    public static Options rekorV2(String hostname) {
      return new Options(hostname, Clock.systemUTC(), true, MAX_TILE_ENTRY_BYTES, false, Generation.REKOR_V2);
    }

    public Options withClock(Clock c) {
      return new Options(hostname, c, groupCommit, maxBodyBytes, checkpointTimestamps, generation);
    }

    public Options withGroupCommit(boolean g) {
      return new Options(hostname, clock, g, maxBodyBytes, checkpointTimestamps, generation);
    }

    public Options withMaxBodyBytes(int n) {
      return new Options(hostname, clock, groupCommit, n, checkpointTimestamps, generation);
    }

    public Options withCheckpointTimestamps(boolean t) {
      return new Options(hostname, clock, groupCommit, maxBodyBytes, t, generation);
    }
  }

  /** Which Rekor API generation the log serves; fixed when the log is created (its key type). */
  public enum Generation {
    REKOR_V1,
    REKOR_V2
  }

  /** C2SP tlog-tiles entry bundles frame entries with a 16-bit length. */
  public static final int MAX_TILE_ENTRY_BYTES = 0xFFFF;
  /** Hashes per full tile (C2SP tlog-tiles). */
  public static final int TILE_WIDTH = 256;

  /**
   * What {@link #open} found: how many entries were recovered and whether a torn tail was cut off.
   *
   * @param entries entries in the log after opening (including genesis)
   * @param created whether the log was created by this open
   * @param truncatedBytes bytes cut off the end of {@code entries.log} (0 when the file ended cleanly)
   * @param reason why the tail was cut, e.g. {@code record 7 at offset 1234: CRC-32C mismatch}; empty if not cut
   * @param preservedTail where the cut bytes were copied, if any
   */
  public record Recovery(
      long entries, boolean created, long truncatedBytes, Optional<String> reason, Optional<Path> preservedTail) {}

  private final Path dir;
  private final Options options;
  private final LogKey key;
  private final LogFile file;
  private final long treeId;
  private final String origin;
  private final byte[] logId;
  private final MerkleLog tree = new MerkleLog();
  private final LongStore offsets = new LongStore();
  private final LeafIndex uuids = new LeafIndex(tree.leaves());
  private final ProposedEntries proposals;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Recovery recovery;

  private final ReentrantLock appendLock = new ReentrantLock();
  private long lastIntegratedTime; // guarded by appendLock
  private volatile long written; // records written to the file (guarded by appendLock for writes)
  private final Object syncMonitor = new Object();
  private boolean syncing; // guarded by syncMonitor
  private volatile long committed; // durable and published; what readers see
  private volatile IOException failure; // set once a write or sync failed: the log refuses further appends
  private volatile boolean closed;
  private final AtomicReference<SignedCheckpoint> latestCheckpoint = new AtomicReference<>();

  private TransparencyLog(Path dir, Options options, LogKey key, FileChannel lockChannel, FileLock lock,
      OpenState state) throws IOException {
    this.dir = dir;
    this.options = options;
    this.key = key;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.proposals = new ProposedEntries(
        new ProposedEntries.Limits(ProposedEntries.Limits.defaults().maxProposedEntryBytes(), options.maxBodyBytes()));
    LogFile.Recovery[] report = new LogFile.Recovery[1];
    long floor = state.persistedSize;
    MessageDigest md = MerkleLog.sha256();
    this.file = LogFile.open(dir.resolve(LOG_FILE), (index, time, offset, body) -> {
      md.update((byte) 0x00);
      byte[] leaf = md.digest(body);
      if (index == 0) {
        checkGenesis(body, key);
      }
      tree.append(leaf);
      offsets.add(offset);
      uuids.put(index);
      lastIntegratedTime = Math.max(lastIntegratedTime, time);
    }, count -> count >= floor, report);
    try {
      this.treeId = file.header().treeId();
      if (options.generation() == Generation.REKOR_V2) {
        this.origin = options.hostname();
        try {
          this.logId = NoteVerifier.keyHash(options.hostname(), key.publicKey(), NoteVerifier.KeyIdScheme.C2SP);
        } catch (UnsupportedKeyException e) {
          throw new IllegalStateException("the log's Ed25519 key has a C2SP key ID", e);
        }
      } else {
        this.origin = options.hostname() + " - " + treeId;
        this.logId = key.logId();
      }
      long n = tree.size();
      if (state.persisted != null) {
        if (n < state.persistedSize) {
          throw new CorruptLogException(dir.resolve(LOG_FILE) + ": holds " + n
              + " entries, but the persisted checkpoint covers " + state.persistedSize);
        }
        if (!MessageDigest.isEqual(tree.root(state.persistedSize), state.persisted.rootHash())) {
          throw new CorruptLogException(dir.resolve(LOG_FILE) + ": the root of the first " + state.persistedSize
              + " entries differs from the persisted checkpoint's");
        }
      }
      this.written = n;
      this.committed = n;
      LogFile.Recovery r = report[0];
      this.recovery = new Recovery(n, state.created, r.truncatedBytes(),
          Optional.ofNullable(r.reason()).filter(x -> r.truncated()), Optional.ofNullable(r.preservedTail()));
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private record OpenState(boolean created, Checkpoint persisted, long persistedSize) {}

  /**
   * Opens the log in {@code dir}, creating the directory, the key and the log (with its genesis entry) when they do
   * not exist. Recovers from a crash as described above.
   *
   * @throws CorruptLogException if the log cannot be opened without losing entries a persisted checkpoint covers,
   *     its header is damaged, or its genesis entry names another key than {@code log-key.pem}
   * @throws IOException if the directory is already open (in this or another process) or cannot be used
   */
  public static TransparencyLog open(Path dir, Options options) throws IOException {
    Objects.requireNonNull(options, "options");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      KeyFiles.syncDirectory(dir.toAbsolutePath().getParent());
    }
    FileChannel lockChannel =
        FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(
          dir + ": the transparency log is already open (lock held on " + dir.resolve(LOCK_FILE) + ")");
    }
    try {
      Path logPath = dir.resolve(LOG_FILE);
      boolean created = false;
      LogKey key;
      if (Files.exists(logPath)) {
        if (!Files.exists(dir.resolve(LogKey.FILE_NAME))) {
          throw new CorruptLogException(dir + ": " + LOG_FILE + " exists but " + LogKey.FILE_NAME
              + " does not; refusing to create a new key for an existing log");
        }
        key = LogKey.load(dir.resolve(LogKey.FILE_NAME));
        if (key.algorithm() != keyAlgorithm(options)) {
          throw new CorruptLogException(dir + ": " + LogKey.FILE_NAME + " holds a " + key.algorithm()
              + " key, but a " + options.generation() + " log needs " + keyAlgorithm(options));
        }
      } else {
        if (Files.exists(dir.resolve(CHECKPOINT_FILE))) {
          throw new CorruptLogException(dir + ": " + CHECKPOINT_FILE + " exists but " + LOG_FILE
              + " does not; refusing to start a new log where one was lost");
        }
        key = LogKey.loadOrCreate(dir, keyAlgorithm(options));
        long treeId = new SecureRandom().nextLong() & Long.MAX_VALUE;
        if (treeId == 0) {
          treeId = 1;
        }
        Instant now = options.clock().instant();
        LogFile.create(logPath, new LogFile.Header(treeId, now.toEpochMilli()), genesisBody(key, treeId, now),
            now.getEpochSecond());
        created = true;
      }
      Checkpoint persisted = readPersistedCheckpoint(dir.resolve(CHECKPOINT_FILE));
      OpenState state = new OpenState(created, persisted, persisted == null ? 0 : persisted.size());
      return new TransparencyLog(dir, options, key, lockChannel, lock, state);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  private static LogKey.Algorithm keyAlgorithm(Options options) {
    return options.generation() == Generation.REKOR_V2 ? LogKey.Algorithm.ED25519 : LogKey.Algorithm.ECDSA_P256;
  }

  // ------------------------------------------------------------------------------------------------- appending

  /**
   * Validates and canonicalizes a proposed Rekor v1 entry ({@link ProposedEntries}), or a Rekor v2 {@code
   * CreateEntryRequest} ({@link RekorV2Entries}), as this log's generation takes, then appends it. Nothing is written
   * when the proposal is refused.
   */
  public LogEntry submit(byte[] proposedEntryJson) throws InvalidEntryException, DuplicateEntryException, IOException {
    CanonicalEntry entry = options.generation() == Generation.REKOR_V2
        ? RekorV2Entries.canonicalize(proposedEntryJson)
        : proposals.canonicalize(proposedEntryJson);
    return append(entry.body());
  }

  /**
   * Appends a canonicalized body and returns the entry, with its SET and an inclusion proof in the committed tree,
   * once it is durable. The body is stored as given: callers that take entries from clients go through {@link
   * #submit}.
   *
   * @throws DuplicateEntryException if an entry with this body is already logged
   * @throws IOException if the log is closed or writing failed (the log then refuses further appends; reopen it to
   *     recover)
   */
  public LogEntry append(byte[] canonicalBody) throws DuplicateEntryException, IOException {
    Objects.requireNonNull(canonicalBody, "canonicalBody");
    if (canonicalBody.length == 0 || canonicalBody.length > options.maxBodyBytes()) {
      throw new IllegalArgumentException(
          "body: expected 1 to " + options.maxBodyBytes() + " bytes, found " + canonicalBody.length);
    }
    byte[] leaf = MerkleLog.leafHash(canonicalBody);
    long index;
    appendLock.lock();
    try {
      checkWritable();
      long existing = uuids.find(leaf);
      if (existing >= 0) {
        throw new DuplicateEntryException(existing, HexFormat.of().formatHex(leaf));
      }
      index = tree.size();
      long time = Math.max(lastIntegratedTime, options.clock().instant().getEpochSecond());
      long offset;
      try {
        offset = file.write(index, time, canonicalBody);
      } catch (IOException e) {
        throw fail(e);
      }
      lastIntegratedTime = time;
      tree.append(leaf);
      offsets.add(offset);
      uuids.put(index);
      written = index + 1;
      if (!options.groupCommit()) {
        try {
          file.force();
        } catch (IOException e) {
          throw fail(e);
        }
        publish(index + 1);
      }
    } finally {
      appendLock.unlock();
    }
    awaitDurable(index + 1);
    return entry(index);
  }

  private void checkWritable() throws IOException {
    if (closed) {
      throw new IOException("the transparency log is closed");
    }
    IOException f = failure;
    if (f != null) {
      throw new IOException(
          "the transparency log refuses appends after a failed write or sync; reopen it to recover", f);
    }
  }

  private IOException fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    synchronized (syncMonitor) {
      syncMonitor.notifyAll();
    }
    return e;
  }

  private void publish(long durable) {
    synchronized (syncMonitor) {
      if (durable > committed) {
        committed = durable;
      }
      syncMonitor.notifyAll();
    }
  }

  /**
   * Group commit: returns once the first {@code target} records are durable. The first waiter to find no sync in
   * progress becomes the leader and syncs everything written so far; the others wait for it, and any still not
   * covered (they wrote after the leader looked) elect the next leader.
   */
  private void awaitDurable(long target) throws IOException {
    while (true) {
      synchronized (syncMonitor) {
        while (true) {
          if (committed >= target) {
            return;
          }
          if (failure != null) {
            throw new IOException("the transparency log failed to sync", failure);
          }
          if (!syncing) {
            syncing = true;
            break;
          }
          try {
            syncMonitor.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the log to sync");
          }
        }
      }
      long upTo = written; // every record counted here is completely written
      try {
        file.force();
      } catch (IOException e) {
        synchronized (syncMonitor) {
          syncing = false;
        }
        throw fail(e);
      }
      synchronized (syncMonitor) {
        syncing = false;
        if (upTo > committed) {
          committed = upTo;
        }
        syncMonitor.notifyAll();
      }
    }
  }

  // --------------------------------------------------------------------------------------------------- reading

  /** The committed tree size: entries durable and visible, including the genesis entry. */
  public long size() {
    return committed;
  }

  /**
   * Entry {@code index} with its SET and an inclusion proof in the current committed tree.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code [0, size())}
   */
  public LogEntry entry(long index) throws IOException {
    long size = committed;
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("log index: expected 0 <= index < " + size + ", found " + index);
    }
    LogFile.Record r = file.read(offsets.get(index), index);
    byte[] leaf = tree.leaf(index);
    if (!MessageDigest.isEqual(MerkleLog.leafHash(r.body()), leaf)) {
      throw new CorruptLogException(file.path() + ": entry " + index + " no longer hashes to its leaf hash");
    }
    String kind = "";
    String version = "";
    try {
      JsonNode body = JsonNode.parse(r.body());
      kind = body.path("kind").asText("");
      version = body.path("apiVersion").asText("");
    } catch (IOException e) {
      // Bodies appended through append() need not be JSON; they have no kind.
    }
    byte[] set = options.generation() == Generation.REKOR_V2
        ? new byte[0]
        : key.sign(RekorBody.setPayload(r.body(), r.integratedTime(), key.logId(), index));
    SignedCheckpoint cp = checkpoint(size);
    LogEntry.InclusionProof proof =
        new LogEntry.InclusionProof(index, size, cp.rootHash(), tree.inclusionProof(index, size), cp.note());
    return new LogEntry(index, treeId, logId, r.integratedTime(), r.body(), kind, version, set, proof);
  }

  /** The entry with this Rekor UUID (64 hex digits) or entry ID (16 hex digits of tree ID, then the UUID). */
  public Optional<LogEntry> entryByUuid(String uuidOrEntryId) throws IOException {
    String s = uuidOrEntryId.toLowerCase(java.util.Locale.ROOT);
    if (s.length() == 80) {
      if (!s.startsWith(String.format("%016x", treeId))) {
        return Optional.empty();
      }
      s = s.substring(16);
    }
    if (s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(
          "UUID: expected 64 hex digits, or 80 with the tree ID, found \""
              + ProposedEntries.abbreviate(uuidOrEntryId) + "\"");
    }
    byte[] leaf = HexFormat.of().parseHex(s);
    long index;
    appendLock.lock();
    try {
      index = uuids.find(leaf);
    } finally {
      appendLock.unlock();
    }
    if (index < 0 || index >= committed) {
      return Optional.empty();
    }
    return Optional.of(entry(index));
  }

  // ----------------------------------------------------------------------------------------------- tlog-tiles

  /**
   * A C2SP tlog-tiles hash tile: the {@code width} hashes of level-{@code 8 * level} subtrees numbered {@code
   * TILE_WIDTH * index} onwards (level 0: leaf hashes), concatenated. Every subtree is complete and in the committed
   * tree, so a tile's bytes never change; a partial tile ({@code width < TILE_WIDTH}) is a prefix of the full one.
   *
   * @throws IllegalArgumentException if the width is not 1 to {@value #TILE_WIDTH} or the committed tree does not
   *     yet hold those subtrees (the caller answers 404)
   */
  public byte[] tile(int level, long index, int width) {
    if (level < 0 || level > 7 || index < 0 || width < 1 || width > TILE_WIDTH) {
      throw new IllegalArgumentException(
          "tile: expected level 0..7, a non-negative index and width 1.." + TILE_WIDTH + ", found level " + level
              + ", index " + index + ", width " + width);
    }
    long complete = committed >>> (8 * level);
    if (index > (Long.MAX_VALUE - width) / TILE_WIDTH || index * TILE_WIDTH + width > complete) {
      throw new IllegalArgumentException("tile " + level + "/" + index + " of width " + width
          + ": the committed tree (" + committed + " entries) holds " + complete + " subtrees at that level");
    }
    byte[] out = new byte[width * HashStore.HASH];
    for (int i = 0; i < width; i++) {
      System.arraycopy(tree.subtree(8 * level, index * TILE_WIDTH + i), 0, out, i * HashStore.HASH, HashStore.HASH);
    }
    return out;
  }

  /**
   * A C2SP tlog-tiles entry bundle: entries {@code TILE_WIDTH * index} to {@code TILE_WIDTH * index + width - 1},
   * each as a big-endian 16-bit length and the canonicalized body. Every entry is committed and rechecked against
   * its leaf hash as it is read.
   *
   * @throws IllegalArgumentException as {@link #tile}, for level 0
   */
  public byte[] entryBundle(long index, int width) throws IOException {
    if (index < 0 || width < 1 || width > TILE_WIDTH) {
      throw new IllegalArgumentException(
          "entry bundle: expected a non-negative index and width 1.." + TILE_WIDTH + ", found index " + index
              + ", width " + width);
    }
    long size = committed;
    if (index > (Long.MAX_VALUE - width) / TILE_WIDTH || index * TILE_WIDTH + width > size) {
      throw new IllegalArgumentException("entry bundle " + index + " of width " + width + ": the committed tree holds "
          + size + " entries");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(width * 1024);
    for (int i = 0; i < width; i++) {
      long n = index * TILE_WIDTH + i;
      byte[] body = file.read(offsets.get(n), n).body();
      if (!MessageDigest.isEqual(MerkleLog.leafHash(body), tree.leaf(n))) {
        throw new CorruptLogException(file.path() + ": entry " + n + " no longer hashes to its leaf hash");
      }
      if (body.length > MAX_TILE_ENTRY_BYTES) {
        throw new IllegalStateException("entry " + n + " is " + body.length + " bytes, more than an entry bundle frames");
      }
      out.write(body.length >>> 8);
      out.write(body.length);
      out.write(body, 0, body.length);
    }
    return out.toByteArray();
  }

  /** The RFC 6962 root of the committed tree. */
  public byte[] rootHash() {
    return tree.root(committed);
  }

  /** The root of the tree of the first {@code treeSize} entries, {@code 0 <= treeSize <= size()}. */
  public byte[] rootHash(long treeSize) {
    checkTreeSize(treeSize);
    return tree.root(treeSize);
  }

  /** The inclusion proof of entry {@code index} in the tree of {@code treeSize} entries. */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    checkTreeSize(treeSize);
    return tree.inclusionProof(index, treeSize);
  }

  /** The consistency proof between two tree sizes, {@code 0 <= firstSize <= lastSize <= size()}. */
  public List<byte[]> consistencyProof(long firstSize, long lastSize) {
    checkTreeSize(lastSize);
    return tree.consistencyProof(firstSize, lastSize);
  }

  private void checkTreeSize(long treeSize) {
    long size = committed;
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException("tree size: expected 0 <= size <= " + size + ", found " + treeSize);
    }
  }

  /** A signed checkpoint for the committed tree. Checkpoints are cached per tree size. */
  public SignedCheckpoint checkpoint() {
    return checkpoint(committed);
  }

  /** A signed checkpoint for the tree of the first {@code treeSize} entries. */
  public SignedCheckpoint checkpoint(long treeSize) {
    checkTreeSize(treeSize);
    SignedCheckpoint cached = latestCheckpoint.get();
    if (cached != null && cached.size() == treeSize) {
      return cached;
    }
    SignedCheckpoint fresh = signCheckpoint(treeSize, tree.root(treeSize));
    latestCheckpoint.accumulateAndGet(fresh, (old, neu) -> old == null || neu.size() > old.size() ? neu : old);
    return fresh;
  }

  private SignedCheckpoint signCheckpoint(long size, byte[] root) {
    long nanos = 0;
    StringBuilder text = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(Base64.getEncoder().encodeToString(root)).append('\n');
    if (options.checkpointTimestamps()) {
      Instant now = options.clock().instant();
      nanos = Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L) + now.getNano();
      text.append("Timestamp: ").append(nanos).append('\n');
    }
    byte[] sig = key.sign(text.toString().getBytes(StandardCharsets.UTF_8));
    byte[] blob = new byte[4 + sig.length];
    System.arraycopy(logId, 0, blob, 0, 4);
    System.arraycopy(sig, 0, blob, 4, sig.length);
    String note = text + "\n" + SignedNote.SIGNATURE_PREFIX + options.hostname() + " "
        + Base64.getEncoder().encodeToString(blob) + "\n";
    return new SignedCheckpoint(origin, size, root, nanos, note);
  }

  /**
   * Writes a signed checkpoint of the committed tree to {@code checkpoint.note} (atomically). On later opens, crash
   * recovery refuses to cut the log below it. {@link #close()} calls this.
   */
  public SignedCheckpoint persistCheckpoint() throws IOException {
    SignedCheckpoint cp = checkpoint();
    KeyFiles.writeAtomically(dir.resolve(CHECKPOINT_FILE), cp.note().getBytes(StandardCharsets.UTF_8), null);
    return cp;
  }

  private static Checkpoint readPersistedCheckpoint(Path path) throws IOException {
    if (!Files.exists(path)) {
      return null;
    }
    String text = Files.readString(path, StandardCharsets.UTF_8);
    var note = SignedNote.parse(text);
    if (!note.isOk()) {
      throw new CorruptLogException(path + ": " + note.detail());
    }
    var cp = Checkpoint.parse(note.value().text());
    if (!cp.isOk()) {
      throw new CorruptLogException(path + ": " + cp.detail());
    }
    return cp.value();
  }

  // --------------------------------------------------------------------------------------------------- genesis

  private static byte[] genesisBody(LogKey key, long treeId, Instant created) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("createdAt", created.toString());
    spec.put("logID", key.logIdHex());
    spec.put("treeID", Long.toString(treeId));
    spec.put("note", "Index 0 is reserved: clients treat an entry at log index 0 as missing.");
    return Jcs.encode(Map.of("apiVersion", "0.0.1", "kind", GENESIS_KIND, "spec", spec));
  }

  private static void checkGenesis(byte[] body, LogKey key) throws CorruptLogException {
    String logId;
    try {
      JsonNode g = JsonNode.parse(body);
      if (!GENESIS_KIND.equals(g.path("kind").asText(""))) {
        throw new CorruptLogException("entry 0: expected the " + GENESIS_KIND + " entry");
      }
      logId = g.path("spec").path("logID").asText("");
    } catch (CorruptLogException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptLogException("entry 0: expected the JSON genesis entry, found malformed content");
    }
    if (!logId.equals(key.logIdHex())) {
      throw new CorruptLogException(
          "entry 0: the log was created with the key whose log ID is " + logId + ", but " + LogKey.FILE_NAME
              + " holds the key " + key.logIdHex());
    }
  }

  // ------------------------------------------------------------------------------------------------ properties

  public long treeId() {
    return treeId;
  }

  /** When the log was created (from the file header): the start of the key's validity in a trusted root. */
  public Instant createdAt() {
    return Instant.ofEpochMilli(file.header().createdAtMillis());
  }

  /** {@code <hostname> - <tree ID>}, the checkpoint origin. */
  public String origin() {
    return origin;
  }

  public String hostname() {
    return options.hostname();
  }

  public Options options() {
    return options;
  }

  public PublicKey publicKey() {
    return key.publicKey();
  }

  /** The log key (public part, log ID, PEM); signing stays inside the log. */
  public LogKey key() {
    return key;
  }

  /**
   * The log ID bundles and trusted roots name this log by: SHA-256 of the PKIX key (Rekor v1), or the C2SP signed-note
   * key hash of the hostname and key (Rekor v2; for Ed25519 it is bound to the name, as Sigstore's v2 logs' IDs are).
   */
  public byte[] logId() {
    return logId.clone();
  }

  public Generation generation() {
    return options.generation();
  }

  public Path directory() {
    return dir;
  }

  public Recovery recovery() {
    return recovery;
  }

  /** The validator {@link #submit} uses (limits included). */
  public ProposedEntries proposals() {
    return proposals;
  }

  /** For tests: the data file, to make its writes fail. */
  LogFile file() {
    return file;
  }

  /**
   * For tests: lets go of the files as a killed process would, without syncing, persisting a checkpoint or waiting
   * for appends in flight.
   */
  void abandon() throws IOException {
    closed = true;
    try {
      file.close();
    } finally {
      lock.release();
      lockChannel.close();
    }
  }

  /**
   * Syncs anything pending, persists a checkpoint and releases the directory. Appends after close fail; appends
   * racing with close either complete durably or fail.
   */
  @Override
  public void close() throws IOException {
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      appendLock.unlock();
    }
    try {
      if (failure == null) {
        awaitDurable(written);
        persistCheckpoint();
      }
    } finally {
      try {
        file.close();
      } finally {
        lock.release();
        lockChannel.close();
      }
    }
  }
}
