package dev.sigil.signer.keys;

import java.util.Base64;

/**
 * A small, strict PEM (RFC 7468) framer: finds the first block, checks that its END line matches its BEGIN line, and
 * decodes the body with a strict base64 decoder. Text before the first block is ignored, as Go's {@code pem.Decode}
 * does. RFC 1421 headers ({@code Proc-Type:} and the like) are rejected: no format read here uses them.
 */
final class Pem {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  /** A generous cap on the base64 body, far above any key, so hostile input cannot make us buffer a lot. */
  static final int MAX_BODY_CHARS = 1 << 20;

  /** A decoded PEM block. */
  record Block(String label, byte[] der) {}

  private Pem() {}

  /** The label of the first {@code -----BEGIN label-----} line, or null if there is none; never throws. */
  static String firstLabel(String text) {
    if (text == null) {
      return null;
    }
    int begin = findBegin(text);
    if (begin < 0) {
      return null;
    }
    return beginLabel(lineAt(text, begin));
  }

  /**
   * Decodes the first PEM block of {@code text}.
   *
   * @param what what the caller expects, for messages (e.g. "encrypted private key")
   */
  static Block decodeFirst(String text, String what) throws KeyFormatException {
    if (text == null) {
      throw new KeyFormatException(what + ": expected PEM text, found null");
    }
    int begin = findBegin(text);
    if (begin < 0) {
      throw new KeyFormatException(what + ": expected a \"-----BEGIN ...-----\" PEM line, found none");
    }
    String beginLine = lineAt(text, begin);
    String label = beginLabel(beginLine);
    if (label == null) {
      throw new KeyFormatException(
          what + ": expected a PEM line \"-----BEGIN <label>-----\", found a malformed BEGIN line");
    }
    int pos = begin + beginLine.length();
    StringBuilder body = new StringBuilder();
    while (pos < text.length()) {
      pos = skipNewline(text, pos);
      if (pos >= text.length()) {
        break;
      }
      String line = lineAt(text, pos);
      pos += line.length();
      String trimmed = line.strip();
      if (trimmed.startsWith(END)) {
        String expected = END + label + DASHES;
        if (!trimmed.equals(expected)) {
          throw new KeyFormatException(
              what + ": expected PEM END line \"" + expected + "\", found \"" + printable(trimmed) + "\"");
        }
        return new Block(label, decodeBase64(body, label, what));
      }
      if (trimmed.startsWith(BEGIN)) {
        throw new KeyFormatException(
            what + ": expected PEM END line for \"" + label + "\", found another BEGIN line first");
      }
      if (line.indexOf(':') >= 0) {
        throw new KeyFormatException(
            what + ": PEM block \"" + label + "\" has a header line; expected only base64 lines");
      }
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c != ' ' && c != '\t') {
          body.append(c);
        }
      }
      if (body.length() > MAX_BODY_CHARS) {
        throw new KeyFormatException(
            what + ": PEM block \"" + label + "\" is larger than the " + MAX_BODY_CHARS + "-character limit");
      }
    }
    throw new KeyFormatException(what + ": expected PEM END line \"" + END + label + DASHES + "\", found end of text");
  }

  /** Encodes one PEM block with 64-character lines and a trailing newline, as Go's {@code pem.Encode} does. */
  static String encode(String label, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 2 * label.length() + 40);
    sb.append(BEGIN).append(label).append(DASHES).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append(END).append(label).append(DASHES).append('\n');
    return sb.toString();
  }

  private static byte[] decodeBase64(CharSequence body, String label, String what) throws KeyFormatException {
    if (body.length() == 0) {
      throw new KeyFormatException(what + ": PEM block \"" + label + "\" is empty; expected base64 content");
    }
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException(
          what + ": PEM block \"" + label + "\" body: expected standard base64, found invalid base64 ("
              + e.getMessage() + ")");
    }
  }

  /** Index of the first "-----BEGIN " that starts a line, or -1. */
  private static int findBegin(String text) {
    int from = 0;
    while (true) {
      int i = text.indexOf(BEGIN, from);
      if (i < 0) {
        return -1;
      }
      if (i == 0 || text.charAt(i - 1) == '\n' || text.charAt(i - 1) == '\r') {
        return i;
      }
      from = i + 1;
    }
  }

  /** The line starting at {@code pos}, without its line terminator. */
  private static String lineAt(String text, int pos) {
    int end = pos;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return text.substring(pos, end);
  }

  private static int skipNewline(String text, int pos) {
    if (pos < text.length() && text.charAt(pos) == '\r') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '\n') {
      pos++;
    }
    return pos;
  }

  private static String beginLabel(String line) {
    String s = line.strip();
    if (!s.startsWith(BEGIN) || !s.endsWith(DASHES) || s.length() < BEGIN.length() + DASHES.length() + 1) {
      return null;
    }
    String label = s.substring(BEGIN.length(), s.length() - DASHES.length());
    if (label.isEmpty() || label.contains("-----")) {
      return null;
    }
    return label;
  }

  /** Keeps messages to one line of printable ASCII, and short. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > 80) {
      sb.append("...");
    }
    return sb.toString();
  }
}
