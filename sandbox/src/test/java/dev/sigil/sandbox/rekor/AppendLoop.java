package dev.sigil.sandbox.rekor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for {@link KillTest}: opens the log in {@code args[0]} and appends from {@code args[1]} threads until
 * killed, printing {@code ACK <index> <body id>} for every append that returned (was acknowledged).
 */
public final class AppendLoop {
  private AppendLoop() {}

  public static void main(String[] args) throws Exception {
    TransparencyLog log = TransparencyLog.open(Path.of(args[0]), TransparencyLog.Options.defaults(Fixtures.HOST));
    int threads = Integer.parseInt(args[1]);
    System.out.println("READY");
    System.out.flush();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          for (long n = 0; ; n++) {
            String bodyId = id + "-" + n;
            LogEntry e = log.append(body(bodyId));
            synchronized (System.out) {
              System.out.println("ACK " + e.logIndex() + " " + bodyId);
              System.out.flush();
            }
          }
        } catch (Exception e) {
          e.printStackTrace();
          System.exit(3);
        }
      });
      th.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  static byte[] body(String bodyId) {
    return ("{\"kill\":\"" + bodyId + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
