package dev.sigil.verifier.internal.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

/**
 * Strict UTF-8 (RFC 3629) for JSON documents: jackson-core accepts overlong forms and encoded surrogates, and turns
 * an unpaired surrogate escape (backslash, u, d800) into a lone surrogate; Sigil's formats refuse all three, as Go's encoding/json
 * behind sigstore-go does not (it replaces them with U+FFFD, which would make two different byte strings read as
 * the same text).
 */
final class Utf8 {
  private Utf8() {}

  /** Checks the whole input in one pass before parsing: O(n), no allocation. */
  static void check(byte[] b) throws JsonParseException {
    int n = b.length;
    if (n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      throw new JsonParseException(null, "a byte-order mark at the start (JSON text is UTF-8 without one)");
    }
    int i = 0;
    while (i < n) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int min;
      int max = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
      } else if (c == 0xE0) {
        len = 3;
        min = 0xA0; // E0 80..9F would be overlong
      } else if (c == 0xED) {
        len = 3;
        min = 0x80;
        max = 0x9F; // ED A0..BF encodes a surrogate
      } else if (c >= 0xE1 && c <= 0xEF) {
        len = 3;
        min = 0x80;
      } else if (c == 0xF0) {
        len = 4;
        min = 0x90; // F0 80..8F would be overlong
      } else if (c >= 0xF1 && c <= 0xF3) {
        len = 4;
        min = 0x80;
      } else if (c == 0xF4) {
        len = 4;
        min = 0x80;
        max = 0x8F; // above U+10FFFF otherwise
      } else {
        throw invalid(i, c == 0xC0 || c == 0xC1 ? "an overlong encoding" : "a byte that starts no UTF-8 sequence");
      }
      if (i + len > n) {
        throw invalid(i, "a truncated sequence");
      }
      int second = b[i + 1] & 0xff;
      if (second < min || second > max) {
        throw invalid(
            i,
            (c == 0xE0 || c == 0xF0) && second < min
                ? "an overlong encoding"
                : c == 0xED && second > max ? "an encoded surrogate" : "an invalid continuation byte");
      }
      for (int k = 2; k < len; k++) {
        int cont = b[i + k] & 0xff;
        if (cont < 0x80 || cont > 0xBF) {
          throw invalid(i, "an invalid continuation byte");
        }
      }
      i += len;
    }
  }

  private static JsonParseException invalid(int offset, String what) {
    return new JsonParseException(null, "invalid UTF-8 at byte offset " + offset + ": " + what);
  }

  /** Returns {@code s} if every surrogate in it is part of a pair; throws otherwise. */
  static String checkSurrogates(JsonParser p, String s) throws JsonParseException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new JsonParseException(
            p,
            "an unpaired surrogate escape (\\u"
                + Integer.toHexString(c)
                + ") in a string: strings must be valid Unicode");
      }
    }
    return s;
  }
}
