package dev.sigil.attestations;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * in-toto Timestamps (field_types.md#timestamp): RFC 3339 date-times in UTC, written with a {@code Z}. Offsets other
 * than {@code Z} are refused, as the spec requires ("MUST be in RFC 3339 format in the UTC timezone").
 */
final class Timestamps {
  private Timestamps() {}

  static Instant parse(String s, String pointer) throws AttestationException {
    if (!shapeOk(s)) {
      throw AttestationException.invalid(
          pointer, "an RFC 3339 UTC timestamp like 2025-01-31T12:00:00Z", StrictJson.quote(s));
    }
    try {
      return Instant.parse(s.replace('t', 'T').replace('z', 'Z'));
    } catch (DateTimeException e) {
      throw AttestationException.invalid(pointer, "a real date and time", StrictJson.quote(s) + " (" + e.getMessage() + ")");
    }
  }

  /** {@code YYYY-MM-DDThh:mm:ss[.fraction]Z}, the shape RFC 3339 section 5.6 allows with a UTC offset. */
  private static boolean shapeOk(String s) {
    int n = s.length();
    if (n < 20 || !(s.charAt(n - 1) == 'Z' || s.charAt(n - 1) == 'z')) {
      return false;
    }
    String fixed = "dddd-dd-ddTdd:dd:dd";
    for (int i = 0; i < fixed.length(); i++) {
      char f = fixed.charAt(i);
      char c = s.charAt(i);
      boolean ok = f == 'd' ? c >= '0' && c <= '9' : f == 'T' ? c == 'T' || c == 't' : c == f;
      if (!ok) {
        return false;
      }
    }
    if (n == 20) {
      return true;
    }
    if (s.charAt(19) != '.' || n == 21 || n > 30) {
      return false;
    }
    for (int i = 20; i < n - 1; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code t} to whole seconds, as {@code 2025-01-31T12:00:00Z} (the form the SLSA schema summary shows). */
  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
