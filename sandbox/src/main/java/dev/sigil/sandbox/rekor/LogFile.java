package dev.sigil.sandbox.rekor;

import dev.sigil.sandbox.keys.KeyFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The log's one data file: a fixed header, then one record per entry, appended in index order.
 *
 * <pre>
 * header (32 bytes):
 *   magic        8 bytes  "SIGILTL\n"
 *   version      u32      1
 *   treeId       u64      positive, random at creation (Rekor v1's Trillian tree ID)
 *   createdAt    u64      Unix milliseconds
 *   crc          u32      CRC-32C of the 28 bytes above
 * record (24 + n bytes):
 *   length       u32      n, the body length (1 .. MAX_RECORD_BODY)
 *   index        u64      the entry's log index: 0, 1, 2, ... with no gaps
 *   time         u64      integrated time, Unix seconds
 *   body         n bytes  the canonicalized entry
 *   crc          u32      CRC-32C of length, index, time and body
 * </pre>
 *
 * All integers are big-endian. A record is valid when its length is in range, the whole record is present, its CRC
 * matches and its index is the next one; the first record that is not valid, and everything after it, is a torn tail
 * left by a crash, and is cut off on open (after copying it aside). The header is written, with the genesis entry,
 * to a temporary file that is synced and renamed into place, so a log file either exists whole or not at all.
 *
 * <p>Thread-safety: {@link #write} is called by one thread at a time (the log's append lock); {@link #readBody} and
 * {@link #force} may be called from any thread.
 */
final class LogFile implements AutoCloseable {
  static final byte[] MAGIC = "SIGILTL\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER_LENGTH = 32;
  static final int RECORD_OVERHEAD = 24;
  /** A record claiming a longer body is garbage, whatever the configured limit. */
  static final int MAX_RECORD_BODY = 16 << 20;

  record Header(long treeId, long createdAtMillis) {}

  /** One record found while scanning. */
  interface RecordSink {
    void accept(long index, long integratedTime, long offset, byte[] body) throws IOException;
  }

  /** What opening found and did. */
  record Recovery(long entries, long validBytes, long truncatedBytes, String reason, Path preservedTail) {
    boolean truncated() {
      return truncatedBytes > 0;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final Header header;
  private long end;
  private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

  private LogFile(Path path, FileChannel channel, Header header, long end) {
    this.path = path;
    this.channel = channel;
    this.header = header;
    this.end = end;
  }

  Header header() {
    return header;
  }

  long end() {
    return end;
  }

  Path path() {
    return path;
  }

  /**
   * Creates a new log file holding the header and the genesis record, atomically: written to a temporary file,
   * synced, renamed to {@code path}, and the directory synced.
   */
  static void create(Path path, Header header, byte[] genesisBody, long genesisTime) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".creating");
    Files.deleteIfExists(tmp);
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, encodeHeader(header), 0);
      writeFully(ch, encodeRecord(0, genesisTime, genesisBody), HEADER_LENGTH);
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    KeyFiles.syncDirectory(path.getParent());
  }

  /**
   * Opens an existing log file, calling {@code sink} for every valid record in order, and cuts off a torn tail. The
   * bytes cut off are first copied to {@code <file>.torn-<millis>} (and synced) so nothing is silently destroyed.
   *
   * @param mayTruncate decides, from the number of valid records, whether truncating is allowed; if not, the file is
   *     left untouched and a {@link CorruptLogException} is thrown
   */
  static LogFile open(Path path, RecordSink sink, java.util.function.LongPredicate mayTruncate, Recovery[] report)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = ch.size();
      if (size < HEADER_LENGTH) {
        throw new CorruptLogException(
            path + ": header: expected " + HEADER_LENGTH + " bytes, found a " + size + "-byte file");
      }
      ByteBuffer hb = ByteBuffer.allocate(HEADER_LENGTH);
      readFully(ch, hb, 0);
      Header header = decodeHeader(path, hb.array());
      long offset = HEADER_LENGTH;
      long count = 0;
      String reason = null;
      CRC32C crc = new CRC32C();
      InputStream raw = Channels.newInputStream(ch.position(HEADER_LENGTH));
      DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
      byte[] head = new byte[20];
      while (offset < size) {
        long remaining = size - offset;
        if (remaining < RECORD_OVERHEAD) {
          reason = "record " + count + " at offset " + offset + ": only " + remaining
              + " bytes left, a record needs at least " + RECORD_OVERHEAD;
          break;
        }
        in.readFully(head);
        ByteBuffer h = ByteBuffer.wrap(head);
        int length = h.getInt();
        long index = h.getLong();
        long time = h.getLong();
        if (length <= 0 || length > MAX_RECORD_BODY) {
          reason = "record " + count + " at offset " + offset + ": body length " + Integer.toUnsignedString(length)
              + " is out of range";
          break;
        }
        if (remaining < RECORD_OVERHEAD + (long) length) {
          reason = "record " + count + " at offset " + offset + ": needs " + (RECORD_OVERHEAD + (long) length)
              + " bytes, only " + remaining + " present";
          break;
        }
        byte[] body = new byte[length];
        in.readFully(body);
        int stored = in.readInt();
        crc.reset();
        crc.update(head);
        crc.update(body);
        if ((int) crc.getValue() != stored) {
          reason = "record " + count + " at offset " + offset + ": CRC-32C mismatch";
          break;
        }
        if (index != count) {
          reason = "record " + count + " at offset " + offset + ": index " + index + " where " + count
              + " was expected";
          break;
        }
        sink.accept(index, time, offset, body);
        offset += RECORD_OVERHEAD + length;
        count++;
      }
      if (count == 0) {
        throw new CorruptLogException(path + ": expected the genesis entry at index 0, found none (" + reason + ")");
      }
      Path preserved = null;
      long cut = size - offset;
      if (cut > 0) {
        if (!mayTruncate.test(count)) {
          throw new CorruptLogException(
              path + ": " + reason + "; recovering would keep only " + count
                  + " entries, fewer than a persisted checkpoint covers; refusing to truncate");
        }
        preserved = path.resolveSibling(path.getFileName() + ".torn-" + System.currentTimeMillis());
        try (FileChannel out =
            FileChannel.open(preserved, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          long copied = 0;
          while (copied < cut) {
            copied += ch.transferTo(offset + copied, cut - copied, out);
          }
          out.force(true);
        }
        ch.truncate(offset);
        ch.force(true);
        KeyFiles.syncDirectory(path.getParent());
      }
      report[0] = new Recovery(count, offset, cut, reason, preserved);
      return new LogFile(path, ch, header, offset);
    } catch (IOException | RuntimeException e) {
      ch.close();
      if (e instanceof EOFException) {
        throw new CorruptLogException(path + ": file shrank while being read");
      }
      throw e;
    }
  }

  /** Appends one record at the end; returns its offset. Not synced: call {@link #force}. */
  long write(long index, long integratedTime, byte[] body) throws IOException {
    long at = end;
    ByteBuffer rec = encodeRecord(index, integratedTime, body);
    writeFully(channel, rec, at);
    end = at + rec.capacity();
    return at;
  }

  /** Makes every write so far durable (fdatasync). */
  void force() throws IOException {
    channel.force(false);
    syncs.incrementAndGet();
  }

  /** How many times {@link #force} synced, for measuring group commit. */
  long syncs() {
    return syncs.get();
  }

  /** Reads the record at {@code offset} back, checking it is the record of {@code index}. */
  Record read(long offset, long index) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(20);
    readFully(channel, h, offset);
    h.flip();
    int length = h.getInt();
    long storedIndex = h.getLong();
    long time = h.getLong();
    if (storedIndex != index || length <= 0 || length > MAX_RECORD_BODY) {
      throw new CorruptLogException(
          path + ": record at offset " + offset + ": expected entry " + index + ", found index " + storedIndex
              + " and length " + length);
    }
    ByteBuffer body = ByteBuffer.allocate(length + 4);
    readFully(channel, body, offset + 20);
    body.flip();
    byte[] b = new byte[length];
    body.get(b);
    int stored = body.getInt();
    CRC32C crc = new CRC32C();
    crc.update(h.array());
    crc.update(b);
    if ((int) crc.getValue() != stored) {
      throw new CorruptLogException(path + ": record " + index + " at offset " + offset + ": CRC-32C mismatch");
    }
    return new Record(index, time, b);
  }

  record Record(long index, long integratedTime, byte[] body) {}

  @Override
  public void close() throws IOException {
    channel.close();
  }

  static ByteBuffer encodeHeader(Header h) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
    b.put(MAGIC).putInt(VERSION).putLong(h.treeId()).putLong(h.createdAtMillis());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, HEADER_LENGTH - 4);
    b.putInt((int) crc.getValue());
    b.flip();
    return b;
  }

  private static Header decodeHeader(Path path, byte[] h) throws CorruptLogException {
    ByteBuffer b = ByteBuffer.wrap(h);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new CorruptLogException(path + ": header: expected the magic \"SIGILTL\\n\", found other bytes");
    }
    int version = b.getInt();
    long treeId = b.getLong();
    long created = b.getLong();
    int stored = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(h, 0, HEADER_LENGTH - 4);
    if ((int) crc.getValue() != stored) {
      throw new CorruptLogException(path + ": header: CRC-32C mismatch");
    }
    if (version != VERSION) {
      throw new CorruptLogException(path + ": header: expected format version " + VERSION + ", found " + version);
    }
    if (treeId <= 0) {
      throw new CorruptLogException(path + ": header: expected a positive tree ID, found " + treeId);
    }
    return new Header(treeId, created);
  }

  static ByteBuffer encodeRecord(long index, long time, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(RECORD_OVERHEAD + body.length);
    b.putInt(body.length).putLong(index).putLong(time).put(body);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 20 + body.length);
    b.putInt((int) crc.getValue());
    b.flip();
    return b;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new CorruptLogException("unexpected end of file at offset " + p);
      }
      p += n;
    }
  }
}
