package dev.sigil.verifier.internal.util;

import java.time.Instant;

/** Instant formatting for messages on the verify path. */
public final class Instants {
  private Instants() {}

  /**
   * Exactly {@link Instant#toString()} (ISO-8601, UTC, seconds always, fraction in groups of three digits as needed),
   * written out for years 0 to 9999 so that the one-shot path need not initialise {@code DateTimeFormatter}
   * (docs/fast-start.md); other years go to {@link Instant#toString()}. {@code InstantsTest} compares the two on random
   * instants.
   */
  public static String iso(Instant t) {
    long seconds = t.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Howard Hinnant's civil_from_days
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return t.toString();
    }
    StringBuilder sb = new StringBuilder(30);
    pad(sb, year, 4).append('-');
    pad(sb, month, 2).append('-');
    pad(sb, day, 2).append('T');
    pad(sb, secondOfDay / 3600, 2).append(':');
    pad(sb, secondOfDay / 60 % 60, 2).append(':');
    pad(sb, secondOfDay % 60, 2);
    int nano = t.getNano();
    if (nano != 0) {
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        pad(sb, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(sb, nano / 1000, 6);
      } else {
        pad(sb, nano, 9);
      }
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
