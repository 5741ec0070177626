package dev.sigil.verifier.internal.pem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The one PEM codec (RFC 7468 textual encoding): bytes in, labelled blocks out, in one of two modes, and blocks out
 * as text. Lines end in LF, CRLF or CR. Work is linear in the input; nothing is buffered beyond the block's body.
 *
 * <ul>
 *   <li>{@link Mode#STRICT}, RFC 7468's strict form for each block: the BEGIN line is {@code -----BEGIN label-----}
 *       at the start of a line with an RFC 7468 label, the body holds base64 only (spaces and tabs are dropped), the
 *       END line repeats the label exactly, no header lines, no BEGIN line inside a block, and the body is
 *       canonical padded base64 of at least one byte. Text between blocks is allowed, as RFC 7468 section 2 and
 *       Go's {@code pem.Decode} allow it; callers that want nothing but blocks check {@link Block#start()} and
 *       {@link Block#end()}.
 *   <li>{@link Mode#LENIENT}, as BouncyCastle's {@code PEMParser} reads PEM (and OpenSSL, mostly): the first line that
 *       starts with {@code -----BEGIN } opens a block, whose label runs to the first hyphen; lines containing a colon
 *       are RFC 1421 headers and are skipped; the block ends at the first line that starts with its END marker;
 *       body lines are trimmed and their whitespace dropped; the body must be base64 whose length is a multiple of
 *       four.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Pem {
  private static final byte[] BEGIN = {'-', '-', '-', '-', '-', 'B', 'E', 'G', 'I', 'N', ' '};
  private static final byte[] END = {'-', '-', '-', '-', '-', 'E', 'N', 'D', ' '};
  private static final String DASHES = "-----";

  /** How strictly blocks are read; see the class comment. */
  public enum Mode {
    STRICT,
    LENIENT
  }

  /**
   * A decoded block.
   *
   * @param label the text between {@code -----BEGIN } and {@code -----}
   * @param bytes the decoded body
   * @param start the offset of the BEGIN line in the input
   * @param end the offset just after the END line (before its line terminator)
   */
  public record Block(String label, byte[] bytes, int start, int end) {
    public Block {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  private Pem() {}

  /** Every block in {@code text}, in order; empty when there is none. */
  public static List<Block> decode(byte[] text, Mode mode) throws PemException {
    List<Block> out = new ArrayList<>();
    Lines lines = new Lines(text);
    Block b;
    while ((b = next(lines, mode)) != null) {
      out.add(b);
    }
    return out;
  }

  /** The first block in {@code text}, or null when there is none; text after it is not read. */
  public static Block decodeFirst(byte[] text, Mode mode) throws PemException {
    return next(new Lines(text), mode);
  }

  /**
   * The label of the first line that starts with {@code -----BEGIN } and ends with {@code -----} (trailing
   * whitespace aside), or null; reads nothing else and never throws.
   */
  public static String firstLabel(byte[] text) {
    Lines lines = new Lines(text);
    while (lines.next()) {
      if (lines.startsWith(BEGIN)) {
        String line = lines.text().strip();
        if (line.length() > BEGIN.length + DASHES.length() && line.endsWith(DASHES)) {
          String label = line.substring(BEGIN.length, line.length() - DASHES.length());
          return label.isEmpty() || label.contains(DASHES) ? null : label;
        }
        return null;
      }
    }
    return null;
  }

  /**
   * One block as text: {@code -----BEGIN label-----}, standard padded base64 in lines of 64 characters, {@code
   * -----END label-----}, each line ending in LF (as Go's {@code pem.Encode}, cosign and OpenSSL write it).
   */
  public static String encode(String label, byte[] bytes) {
    String b64 = Base64.getEncoder().encodeToString(bytes);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 2 * label.length() + 40);
    sb.append("-----BEGIN ").append(label).append(DASHES).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(label).append(DASHES).append('\n');
    return sb.toString();
  }

  private static Block next(Lines lines, Mode mode) throws PemException {
    while (lines.next()) {
      if (lines.startsWith(BEGIN)) {
        return mode == Mode.STRICT ? strictBlock(lines) : lenientBlock(lines);
      }
    }
    return null;
  }

  private static Block strictBlock(Lines lines) throws PemException {
    int start = lines.start();
    String line = stripTrailing(lines.text());
    String label =
        line.endsWith(DASHES) && line.length() > BEGIN.length + DASHES.length()
            ? line.substring(BEGIN.length, line.length() - DASHES.length())
            : null;
    if (label == null || !isRfc7468Label(label)) {
      throw new PemException(
          PemException.Problem.MALFORMED_BEGIN, "", "malformed BEGIN line at offset " + start + ": \""
              + printable(line) + "\"");
    }
    String endLine = "-----END " + label + DASHES;
    StringBuilder body = new StringBuilder();
    while (lines.next()) {
      String l = lines.text().strip();
      if (l.startsWith("-----END ")) {
        if (!l.equals(endLine)) {
          throw new PemException(
              PemException.Problem.END_MISMATCH, label, "expected PEM END line \"" + endLine + "\", found \""
                  + printable(l) + "\"");
        }
        return new Block(label, strictBase64(body, label), start, lines.end());
      }
      if (l.startsWith("-----BEGIN ")) {
        throw new PemException(
            PemException.Problem.NESTED_BEGIN, label, "expected PEM END line for \"" + label
                + "\", found another BEGIN line first");
      }
      if (l.indexOf(':') >= 0) {
        throw new PemException(
            PemException.Problem.HEADER, label, "PEM block \"" + label
                + "\" has a header line; expected only base64 lines");
      }
      for (int i = 0; i < l.length(); i++) {
        char c = l.charAt(i);
        if (c != ' ' && c != '\t') {
          body.append(c);
        }
      }
    }
    throw new PemException(
        PemException.Problem.NO_END, label, "expected PEM END line \"" + endLine + "\", found end of text");
  }

  private static Block lenientBlock(Lines lines) throws PemException {
    int start = lines.start();
    String rest = lines.text().substring(BEGIN.length).trim();
    int dash = rest.indexOf('-');
    if (dash <= 0 || !rest.endsWith(DASHES) || rest.length() - dash != DASHES.length()) {
      throw new PemException(
          PemException.Problem.MALFORMED_BEGIN, "", "malformed BEGIN line \"" + printable(lines.text()) + "\"");
    }
    String label = rest.substring(0, dash);
    byte[] endMarker = ("-----END " + label + DASHES).getBytes(StandardCharsets.ISO_8859_1);
    StringBuilder body = new StringBuilder();
    while (lines.next()) {
      if (lines.contains((byte) ':')) {
        continue; // an RFC 1421 header
      }
      if (lines.startsWith(endMarker)) {
        return new Block(label, lenientBase64(body, label), start, lines.end());
      }
      body.append(lines.text().trim());
    }
    throw new PemException(PemException.Problem.NO_END, label, "-----END " + label + "----- not found");
  }

  /** Canonical standard base64 with padding, at least one byte. */
  private static byte[] strictBase64(CharSequence body, String label) throws PemException {
    if (body.length() == 0) {
      throw empty(label);
    }
    String s = body.toString();
    byte[] out = null;
    if (s.length() % 4 == 0) {
      try {
        out = Base64.getDecoder().decode(s);
      } catch (IllegalArgumentException e) {
        out = null;
      }
    }
    if (out == null || !Base64.getEncoder().encodeToString(out).equals(s)) {
      throw new PemException(
          PemException.Problem.BAD_BASE64, label, "PEM block \"" + label
              + "\" body: expected standard padded base64, found invalid base64");
    }
    if (out.length == 0) {
      throw empty(label);
    }
    return out;
  }

  /** Base64 without whitespace, of a length that is a multiple of four. */
  private static byte[] lenientBase64(CharSequence body, String label) throws PemException {
    StringBuilder b64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f') {
        b64.append(c);
      }
    }
    if (b64.length() == 0) {
      throw empty(label);
    }
    if (b64.length() % 4 != 0) {
      throw new PemException(
          PemException.Problem.BAD_BASE64, label, "PEM block \"" + label + "\" body: invalid base64 (length "
              + b64.length() + " is not a multiple of 4)");
    }
    try {
      byte[] out = Base64.getDecoder().decode(b64.toString());
      if (out.length == 0) {
        throw empty(label);
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw new PemException(
          PemException.Problem.BAD_BASE64, label, "PEM block \"" + label + "\" body: invalid base64 ("
              + e.getMessage() + ")");
    }
  }

  private static PemException empty(String label) {
    return new PemException(
        PemException.Problem.EMPTY, label, "PEM block \"" + label + "\" is empty; expected base64 content");
  }

  /**
   * RFC 7468 section 3: {@code label = [ labelchar *( ["-" / SP] labelchar ) ]}, {@code labelchar = %x21-2C /
   * %x2E-7E}; here non-empty.
   */
  static boolean isRfc7468Label(String label) {
    if (label.isEmpty()) {
      return false;
    }
    boolean afterSeparator = true;
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c == '-' || c == ' ') {
        if (afterSeparator) {
          return false;
        }
        afterSeparator = true;
      } else if (c >= 0x21 && c <= 0x7e) {
        afterSeparator = false;
      } else {
        return false;
      }
    }
    return !afterSeparator;
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** One line of printable ASCII, at most 80 characters, for messages. */
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

  /** The lines of a byte array, terminated by LF, CRLF or CR (as {@code BufferedReader.readLine}). */
  private static final class Lines {
    private final byte[] b;
    private int start;
    private int end;
    private int next;

    Lines(byte[] b) {
      this.b = b;
    }

    /** Advances to the next line; false at the end of the input. */
    boolean next() {
      if (next >= b.length) {
        return false;
      }
      start = next;
      int i = start;
      while (i < b.length && b[i] != '\n' && b[i] != '\r') {
        i++;
      }
      end = i;
      if (i < b.length && b[i] == '\r') {
        i++;
        if (i < b.length && b[i] == '\n') {
          i++;
        }
      } else if (i < b.length) {
        i++;
      }
      next = i;
      return true;
    }

    int start() {
      return start;
    }

    int end() {
      return end;
    }

    boolean startsWith(byte[] prefix) {
      return end - start >= prefix.length && Arrays.equals(b, start, start + prefix.length, prefix, 0, prefix.length);
    }

    boolean contains(byte c) {
      for (int i = start; i < end; i++) {
        if (b[i] == c) {
          return true;
        }
      }
      return false;
    }

    /** The line as text, one char per byte (bytes above 0x7F become chars that match no marker nor base64). */
    String text() {
      return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }
  }
}
