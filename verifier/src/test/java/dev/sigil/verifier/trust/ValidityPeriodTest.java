package dev.sigil.verifier.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidityPeriodTest {
  private static final Instant START = Instant.parse("2021-01-12T11:53:27Z");
  private static final Instant END = Instant.parse("2023-07-12T15:56:36Z");

  @Test
  void closedIntervalIncludesBothEnds() {
    ValidityPeriod p = ValidityPeriod.between(START, END);
    assertTrue(p.contains(START));
    assertTrue(p.contains(END));
    assertTrue(p.contains(START.plusSeconds(1)));
    assertFalse(p.contains(START.minusNanos(1)));
    assertFalse(p.contains(END.plusNanos(1)));
    assertTrue(p.hasStart());
    assertFalse(p.isOpenEnded());
    assertEquals(Optional.of(START), p.startInstant());
    assertEquals(Optional.of(END), p.endInstant());
    assertEquals("[2021-01-12T11:53:27Z, 2023-07-12T15:56:36Z]", p.describe());
  }

  @Test
  void singleInstantWindowIsValid() {
    assertTrue(ValidityPeriod.between(START, START).contains(START));
    assertFalse(ValidityPeriod.between(START, START).contains(START.plusNanos(1)));
  }

  @Test
  void missingBoundsAreUnbounded() {
    ValidityPeriod open = ValidityPeriod.startingAt(START);
    assertTrue(open.contains(Instant.MAX));
    assertFalse(open.contains(START.minusNanos(1)));
    assertTrue(open.isOpenEnded());
    assertEquals(Optional.empty(), open.endInstant());
    assertEquals("[2021-01-12T11:53:27Z, +inf]", open.describe());
    ValidityPeriod all = ValidityPeriod.unbounded();
    assertTrue(all.contains(Instant.MIN));
    assertTrue(all.contains(Instant.MAX));
    assertFalse(all.hasStart());
    assertEquals("[-inf, +inf]", all.describe());
    assertTrue(new ValidityPeriod(null, END).contains(Instant.MIN));
    assertFalse(new ValidityPeriod(null, END).contains(END.plusNanos(1)));
  }

  @Test
  void rejectsEndBeforeStartAndNulls() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ValidityPeriod.between(END, START));
    assertEquals(
        "validity period: expected start <= end, found start 2023-07-12T15:56:36Z after end 2021-01-12T11:53:27Z",
        e.getMessage());
    assertThrows(NullPointerException.class, () -> ValidityPeriod.between(null, END));
    assertThrows(NullPointerException.class, () -> ValidityPeriod.startingAt(null));
    assertThrows(NullPointerException.class, () -> ValidityPeriod.unbounded().contains(null));
  }
}
