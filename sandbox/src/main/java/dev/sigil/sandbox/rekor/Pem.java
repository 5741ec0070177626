package dev.sigil.sandbox.rekor;

import dev.sigil.verifier.internal.pem.PemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PEM a Rekor proposal or the log's key file holds, read with the verifier's PEM codec in its strict mode ({@link
 * dev.sigil.verifier.internal.pem.Pem.Mode#STRICT}), with nothing but whitespace around and between the blocks
 * (writing is {@link dev.sigil.sandbox.keys.KeyFiles#pem}).
 */
final class Pem {
  private Pem() {}

  record Block(String type, byte[] der) {}

  /**
   * The blocks of {@code text}, at least one.
   *
   * @throws IllegalArgumentException describing the first problem found
   */
  static List<Block> decode(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    List<dev.sigil.verifier.internal.pem.Pem.Block> blocks;
    try {
      blocks = dev.sigil.verifier.internal.pem.Pem.decode(b, dev.sigil.verifier.internal.pem.Pem.Mode.STRICT);
    } catch (PemException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<Block> out = new ArrayList<>(blocks.size());
    int at = 0;
    for (dev.sigil.verifier.internal.pem.Pem.Block block : blocks) {
      requireWhitespace(b, at, block.start());
      at = block.end();
      out.add(new Block(block.label(), block.bytes()));
    }
    requireWhitespace(b, at, b.length);
    if (out.isEmpty()) {
      throw new IllegalArgumentException("expected a PEM block, found none");
    }
    return out;
  }

  private static void requireWhitespace(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
        throw new IllegalArgumentException("expected a \"-----BEGIN \" line at offset " + i + ", found other text");
      }
    }
  }
}
