package dev.sigil.sandbox.rekor;

import java.util.ArrayList;
import java.util.List;

/** A strict PEM reader (writing is {@link dev.sigil.sandbox.keys.KeyFiles#pem}). */
final class Pem {
  private Pem() {}

  record Block(String type, byte[] der) {}

  /**
   * Reads PEM blocks. Only whitespace may surround and separate blocks; a block has no headers, a matching END
   * line and a body of standard base64 (line breaks allowed).
   *
   * @throws IllegalArgumentException describing the first problem found
   */
  static List<Block> decode(String text) {
    List<Block> out = new ArrayList<>();
    int i = skipSpace(text, 0);
    while (i < text.length()) {
      if (!text.startsWith("-----BEGIN ", i)) {
        throw new IllegalArgumentException(
            "expected a \"-----BEGIN \" line at offset " + i + ", found other text");
      }
      int typeStart = i + 11;
      int typeEnd = text.indexOf("-----", typeStart);
      int eol = text.indexOf('\n', typeStart);
      if (typeEnd < 0 || (eol >= 0 && eol < typeEnd)) {
        throw new IllegalArgumentException("malformed BEGIN line at offset " + i);
      }
      String type = text.substring(typeStart, typeEnd);
      String endLine = "-----END " + type + "-----";
      int bodyStart = typeEnd + 5;
      int end = text.indexOf(endLine, bodyStart);
      if (end < 0) {
        throw new IllegalArgumentException("no \"" + endLine + "\" line for the block at offset " + i);
      }
      String body = text.substring(bodyStart, end);
      if (body.indexOf(':') >= 0) {
        throw new IllegalArgumentException("PEM headers are not accepted (block \"" + type + "\")");
      }
      String b64 = body.replaceAll("[ \t\r\n]", "");
      byte[] der = Base64Strict.decode(b64);
      if (der == null || der.length == 0) {
        throw new IllegalArgumentException("block \"" + type + "\": expected standard base64, found invalid text");
      }
      out.add(new Block(type, der));
      i = skipSpace(text, end + endLine.length());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("expected a PEM block, found none");
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
