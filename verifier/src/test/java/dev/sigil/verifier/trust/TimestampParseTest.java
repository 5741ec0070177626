package dev.sigil.verifier.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TrustedRootReader#simpleUtc}, the formatter-free path for trusted-root timestamps, against java.time's
 * ISO_OFFSET_DATE_TIME: wherever it answers, it must give the formatter's instant; where it cannot be sure it must
 * answer null (the formatter then decides).
 */
class TimestampParseTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-01-12T11:53:27Z",
        "2021-01-12T11:53:27.0Z",
        "2022-04-13T20:06:15.000Z",
        "2023-10-04T23:59:59.123456789Z",
        "2024-02-29T00:00:00.5Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z"
      })
  void takesTheCommonFormAndAgreesWithTheFormatter(String s) {
    Instant fast = TrustedRootReader.simpleUtc(s);
    assertNotNull(fast, s);
    assertEquals(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), fast, s);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-01-12T11:53:27+00:00", // offsets: the formatter's job
        "2021-01-12t11:53:27z", // lower case: the formatter's job
        "2021-01-12T11:53:27.Z",
        "2021-01-12T11:53:27.1234567890Z",
        "2023-02-29T00:00:00Z", // not a leap year
        "2021-13-01T00:00:00Z",
        "2021-01-32T00:00:00Z",
        "2021-01-01T24:00:00Z",
        "2021-01-01T23:60:00Z",
        "2021-01-01T23:59:60Z", // leap second
        "2021-01-01 23:59:59Z",
        "2021-1-01T23:59:59Z",
        "+2021-01-01T23:59:5Z",
        "２021-01-01T23:59:59Z", // a non-ASCII digit
        "",
        "Z"
      })
  void leavesEverythingElseToTheFormatter(String s) {
    assertNull(TrustedRootReader.simpleUtc(s), s);
  }

  @Test
  void randomMutationsNeverDisagree() {
    Random r = new Random(42);
    String base = "2022-04-13T20:06:15.000Z";
    String alphabet = "0123456789-:.TZtz+ ";
    int answered = 0;
    for (int i = 0; i < 200_000; i++) {
      char[] c = base.toCharArray();
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
      }
      String s = r.nextInt(10) == 0 ? new String(c, 0, 20 + r.nextInt(c.length - 20)) : new String(c);
      Instant fast = TrustedRootReader.simpleUtc(s);
      if (fast == null) {
        continue;
      }
      answered++;
      Instant slow;
      try {
        slow = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException ex) {
        throw new AssertionError("fast path accepted \"" + s + "\", the formatter refuses it: " + ex.getMessage());
      }
      assertEquals(slow, fast, s);
    }
    assertEquals(true, answered > 10_000, "answered " + answered);
  }
}
