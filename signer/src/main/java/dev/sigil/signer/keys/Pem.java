package dev.sigil.signer.keys;

import java.nio.charset.StandardCharsets;

/**
 * Key files as PEM, through the verifier's one PEM codec in its strict mode ({@link
 * dev.sigil.verifier.internal.pem.Pem.Mode#STRICT}): the first block, text around it ignored as Go's {@code
 * pem.Decode} ignores it, RFC 1421 headers refused (no format read here uses them).
 */
final class Pem {
  /** A decoded PEM block. */
  record Block(String label, byte[] der) {}

  private Pem() {}

  /** The label of the first {@code -----BEGIN label-----} line, or null if there is none; never throws. */
  static String firstLabel(String text) {
    return text == null ? null : dev.sigil.verifier.internal.pem.Pem.firstLabel(bytes(text));
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
    dev.sigil.verifier.internal.pem.Pem.Block block;
    try {
      block = dev.sigil.verifier.internal.pem.Pem.decodeFirst(
          bytes(text), dev.sigil.verifier.internal.pem.Pem.Mode.STRICT);
    } catch (dev.sigil.verifier.internal.pem.PemException e) {
      throw new KeyFormatException(what + ": " + e.getMessage());
    }
    if (block == null) {
      throw new KeyFormatException(what + ": expected a \"-----BEGIN ...-----\" PEM line, found none");
    }
    return new Block(block.label(), block.bytes());
  }

  /** Encodes one PEM block with 64-character lines and a trailing newline, as Go's {@code pem.Encode} does. */
  static String encode(String label, byte[] der) {
    return dev.sigil.verifier.internal.pem.Pem.encode(label, der);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
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
