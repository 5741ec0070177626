package dev.sigil.verifier.internal.tlog;

import dev.sigil.verifier.Reason;
import dev.sigil.verifier.internal.Outcome;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, then one or more signature
 * lines {@code — <key name> <base64(4-byte key ID || signature)>}. Parsing checks only the format; nothing here says
 * the signatures are valid (see {@link NoteVerifier}).
 *
 * <p>Format rules enforced, as in the spec and Go's {@code golang.org/x/mod/sumdb/note}: valid UTF-8 with no ASCII
 * control characters other than newline; the text is everything up to and including the newline before the
 * <em>last</em> blank line; every line after it is a signature line ending in a newline; key names are non-empty
 * without Unicode spaces or {@code +}; signatures are standard padded base64 of at least five bytes; at most {@value
 * #MAX_SIGNATURES} signature lines and {@value #MAX_NOTE_LENGTH} characters.
 *
 * @param text the signed text, including its final newline but not the blank line
 * @param signatures the signature lines in order, at least one
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** Every signature line starts with an em dash (U+2014) and a space. */
  public static final String SIGNATURE_PREFIX = "\u2014 ";

  /** Notes with more signature lines are refused (the spec requires accepting at least 16; Go's limit is 100). */
  public static final int MAX_SIGNATURES = 100;

  /** Notes longer than this many characters are refused before parsing. */
  public static final int MAX_NOTE_LENGTH = 1 << 20;

  public SignedNote {
    Objects.requireNonNull(text, "text");
    signatures = List.copyOf(signatures);
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new IllegalArgumentException("note text: expected text ending in a newline");
    }
    String bad = characterProblem(text);
    if (bad != null) {
      throw new IllegalArgumentException("note text: " + bad);
    }
    if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          "signatures: expected 1 to " + MAX_SIGNATURES + ", found " + signatures.size());
    }
  }

  /** Parses a signed note from its text. */
  public static Outcome<SignedNote> parse(String note) {
    if (note == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: missing (null)");
    }
    if (note.length() > MAX_NOTE_LENGTH) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "signed note: expected at most " + MAX_NOTE_LENGTH + " characters, found " + note.length());
    }
    String bad = characterProblem(note);
    if (bad != null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: " + bad);
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "signed note: expected text, a blank line, then signature lines; found no blank line");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (block.isEmpty()) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: expected at least one signature line after the blank line, found none");
    }
    if (block.charAt(block.length() - 1) != '\n') {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: expected the last signature line to end with a newline, found none");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    int start = 0;
    while (start < block.length()) {
      int end = block.indexOf('\n', start);
      String line = block.substring(start, end);
      start = end + 1;
      int number = signatures.size() + 1;
      if (number > MAX_SIGNATURES) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
            "signed note: expected at most " + MAX_SIGNATURES + " signature lines, found more");
      }
      Outcome<NoteSignature> sig = parseSignatureLine(number, line);
      if (!sig.isOk()) {
        return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, sig.detail());
      }
      signatures.add(sig.value());
    }
    return Outcome.ok(new SignedNote(text, signatures));
  }

  /** Parses a signed note from UTF-8 bytes, refusing malformed UTF-8. */
  public static Outcome<SignedNote> parse(byte[] utf8) {
    if (utf8 == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: missing (null)");
    }
    if (utf8.length > MAX_NOTE_LENGTH * 3L) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          "signed note: expected at most " + (MAX_NOTE_LENGTH * 3L) + " bytes, found " + utf8.length);
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID, "signed note: expected valid UTF-8, found malformed bytes");
    }
    return parse(s);
  }

  /** The exact bytes the signatures cover: the text, UTF-8 encoded. */
  public byte[] signedBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The note in its wire form: text, blank line, signature lines. */
  public String toText() {
    StringBuilder b = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      b.append(s.line()).append('\n');
    }
    return b.toString();
  }

  /** A copy of this note with one more signature line appended. */
  public SignedNote withSignature(NoteSignature signature) {
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(signature);
    return new SignedNote(text, all);
  }

  /**
   * Whether {@code name} is a valid key name: non-empty, with no Unicode space characters and no {@code +} (the
   * separator in verifier keys).
   */
  public static boolean isValidKeyName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || isUnicodeSpace(cp) || cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  private static Outcome<NoteSignature> parseSignatureLine(int number, String line) {
    String where = "signature line " + number;
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          where + ": expected an em dash (U+2014) and a space, found \"" + abbreviate(line) + "\"");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          where + ": expected a key name, a space and a base64 signature, found \"" + abbreviate(line) + "\"");
    }
    String name = rest.substring(0, space);
    String b64 = rest.substring(space + 1);
    if (!isValidKeyName(name)) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          where + ": expected a key name without spaces or '+', found \"" + abbreviate(name) + "\"");
    }
    byte[] blob = decodeStrictBase64(b64);
    if (blob == null) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          where + ": expected standard padded base64 after the key name, found \"" + abbreviate(b64) + "\"");
    }
    if (blob.length < 5) {
      return Outcome.failure(Reason.TLOG_CHECKPOINT_INVALID,
          where + ": expected a 4-byte key ID and a signature (at least 5 bytes), found " + blob.length + " bytes");
    }
    int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
    byte[] sig = new byte[blob.length - 4];
    System.arraycopy(blob, 4, sig, 0, sig.length);
    return Outcome.ok(new NoteSignature(name, keyId, sig));
  }

  /** Standard-alphabet, padded base64, as Go's {@code base64.StdEncoding} reads it; null if not. */
  static byte[] decodeStrictBase64(String s) {
    if (s.isEmpty() || s.length() % 4 != 0) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alphabet =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      boolean padding = c == '=' && i >= s.length() - 2;
      if (!alphabet && !padding) {
        return null;
      }
    }
    if (s.charAt(s.length() - 2) == '=' && s.charAt(s.length() - 1) != '=') {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Null when every character is allowed in a note, else what is wrong and where. */
  private static String characterProblem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        return String.format(
            "expected no ASCII control characters other than newline, found U+%04X at offset %d", (int) c, i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "expected valid UTF-8 text, found an unpaired surrogate at offset " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return "expected valid UTF-8 text, found an unpaired surrogate at offset " + i;
      }
    }
    return null;
  }

  /** Unicode White_Space, as Go's {@code unicode.IsSpace} tests it. */
  private static boolean isUnicodeSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
