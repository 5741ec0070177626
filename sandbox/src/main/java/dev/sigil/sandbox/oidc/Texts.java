package dev.sigil.sandbox.oidc;

/** Quoting of untrusted values for error messages. */
final class Texts {
  /** How much of an untrusted value an error message shows. */
  static final int MAX_SHOWN = 80;

  private Texts() {}

  /** {@code "value"}, cut after {@value #MAX_SHOWN} characters, control characters and quotes escaped. */
  static String quote(String s) {
    if (s == null) {
      return "none";
    }
    String t = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) : s;
    StringBuilder b = new StringBuilder(t.length() + 8).append('"');
    t.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    b.append('"');
    if (s.length() > MAX_SHOWN) {
      b.append("... (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }
}
