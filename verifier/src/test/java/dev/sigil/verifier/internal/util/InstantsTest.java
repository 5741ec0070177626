package dev.sigil.verifier.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantsTest {
  @Test
  void formatsAsInstantToString() {
    SplittableRandom random = new SplittableRandom(3);
    long min = Instant.parse("-0002-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+10002-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 300_000; i++) {
      long s = random.nextLong(min, max);
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(s, nano);
      assertEquals(t.toString(), Instants.iso(t));
    }
    for (String edge :
        new String[] {
          "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.001Z",
          "1900-03-01T00:00:00.000001Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"
        }) {
      Instant t = Instant.parse(edge);
      assertEquals(t.toString(), Instants.iso(t), edge);
    }
  }
}
