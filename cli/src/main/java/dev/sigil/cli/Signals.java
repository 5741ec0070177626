package dev.sigil.cli;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT as a request to stop, so a server can finish its work and return exit code 0 from {@code main}
 * (a JVM shutdown hook would end the process with 143 instead). Through {@code sun.misc.Signal} (module
 * jdk.unsupported), the JDK's only API for it.
 */
final class Signals {
  private Signals() {}

  /** Counts {@code stop} down on the first SIGTERM or SIGINT. */
  static void onTermination(CountDownLatch stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
      } catch (IllegalArgumentException e) {
        // the signal is not available on this platform (or reserved by the JVM): Ctrl-C still ends the process
      }
    }
  }
}
