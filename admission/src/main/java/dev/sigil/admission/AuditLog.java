package dev.sigil.admission;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The audit log: one JSON line per answered review, written in order by one thread so that answering never waits for
 * the disk. The queue is bounded ({@value #CAPACITY} lines); when it is full, answering waits (a review is never
 * answered without its line). {@link #close()} writes what is queued, then flushes.
 *
 * <p>Lines carry no secrets: user names, objects, images, decisions, reasons and latencies only.
 */
final class AuditLog implements AutoCloseable {
  private static final int CAPACITY = 65_536;
  private static final byte[] STOP = new byte[0];

  private final OutputStream out;
  private final boolean closeOut;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread writer;
  private volatile IOException failure;

  /**
   * @param out where lines go
   * @param closeOut close {@code out} on {@link #close()} (a file), or only flush it (standard output)
   */
  AuditLog(OutputStream out, boolean closeOut) {
    this.out = new BufferedOutputStream(out, 64 * 1024);
    this.closeOut = closeOut;
    this.writer = new Thread(this::drain, "sigil-audit");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** A log that discards every line. */
  static AuditLog discard() {
    return new AuditLog(OutputStream.nullOutputStream(), true);
  }

  /** Queues one line (a JSON object without its newline). */
  void write(byte[] json) {
    try {
      queue.put(json);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    List<byte[]> batch = new ArrayList<>(256);
    try {
      while (true) {
        byte[] first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4095);
        for (byte[] line : batch) {
          if (line == STOP) {
            out.flush();
            return;
          }
          out.write(line);
          out.write('\n');
        }
        batch.clear();
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why writing failed, if it did (the server logs it). */
  IOException failure() {
    return failure;
  }

  @Override
  public void close() {
    write(STOP);
    try {
      writer.join(10_000);
      if (closeOut) {
        out.close();
      } else {
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      failure = e;
    }
  }
}
