package dev.sigil.attestations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigestsTest {
  // FIPS 180-2 appendix test vectors for "abc".
  private static final String ABC_256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String ABC_384 =
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";
  private static final String ABC_512 =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
          + "454d4423643ce80e2a9ac94fa54ca49f";

  @Test
  void hashesWithEveryAlgorithmInOnePass() throws IOException {
    int[] reads = {0};
    InputStream in =
        new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            reads[0]++;
            return super.read(b, off, Math.min(len, 1));
          }
        };
    DigestSet d = Digests.of(in, EnumSet.allOf(DigestAlgorithm.class));
    assertEquals(ABC_256, d.get(DigestAlgorithm.SHA256).orElseThrow());
    assertEquals(ABC_384, d.get(DigestAlgorithm.SHA384).orElseThrow());
    assertEquals(ABC_512, d.get(DigestAlgorithm.SHA512).orElseThrow());
    assertEquals(4, reads[0], "three one-byte reads and the end of stream: the stream is read once");
  }

  @Test
  void hashesLargeStreamsLikeByteArrays() throws IOException {
    byte[] data = new byte[200_003];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Set<DigestAlgorithm> algs = EnumSet.of(DigestAlgorithm.SHA512, DigestAlgorithm.SHA256);
    assertEquals(Digests.of(data, algs), Digests.of(new ByteArrayInputStream(data), algs));
    assertEquals(Set.of("sha256", "sha512"), Digests.of(data, algs).entries().keySet());
  }

  @Test
  void needsAnAlgorithm() {
    assertThrows(IllegalArgumentException.class, () -> Digests.of(new byte[0], Set.of()));
  }
}
