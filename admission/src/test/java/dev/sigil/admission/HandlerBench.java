package dev.sigil.admission;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: the handler's own cost per cached review, without HTTP or TLS (what every server candidate pays on
 * top of its transport). {@code HandlerBench POLICY_DIR REVIEW_JSON SECONDS}: prints microseconds of one thread's
 * time per review after a warm-up.
 */
public final class HandlerBench {
  private HandlerBench() {}

  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[1]));
    int seconds = Integer.parseInt(args[2]);
    try (AdmissionHandler h = AdmissionServer.builder().policies(Path.of(args[0]))
        .audit(new java.io.FileOutputStream("/dev/null"), true).buildHandler()) {
      for (int round = 0; round < 6; round++) {
        long n = 0;
        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
          AdmissionHandler.Reply r = h.handle("POST", "/validate", body).join();
          if (r.status() != 200) {
            throw new IllegalStateException(new String(r.body()));
          }
          n++;
        }
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        System.out.printf("round %d: %d reviews, %.1f us thread CPU per review%n", round, n, cpu / 1e3 / n);
      }
    }
  }
}
