package dev.sigil.cli;

/**
 * Untrusted text (what a bundle, statement or certificate says) made safe to print on a terminal: control characters
 * (C0, DEL, C1, which could move the cursor, recolour or retitle the terminal) and bidirectional overrides (which could
 * make text read differently from what it is) are shown as {@code \\uXXXX} escapes. Everything else is kept. Plain
 * code (no regex or formatter): it is on the verify path.
 */
final class TerminalText {
  private static final String HEX = "0123456789abcdef";

  private TerminalText() {}

  static String safe(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (unsafe(c)) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
          b.append(HEX.charAt((c >> shift) & 0xf));
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }
}
