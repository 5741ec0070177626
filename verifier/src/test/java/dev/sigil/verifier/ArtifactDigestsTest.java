package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.CryptoBackend;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ArtifactDigests gives the JDK's digests for every size, with either backend's digests, also when the stream hands
 * out its bytes in small pieces.
 */
class ArtifactDigestsTest {
  @Test
  void everySizeGivesTheJdksDigests() throws Exception {
    SplittableRandom random = new SplittableRandom(2);
    for (int size : new int[] {0, 1, 63, 64, 65, 4096, 65535, 65536, 65537, (1 << 20) + 7}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      for (CryptoBackend crypto : new CryptoBackend[] {CryptoBackend.jca(), CryptoBackend.fastStart()}) {
        for (boolean trickle : new boolean[] {false, true}) {
          InputStream in = trickle ? trickle(data) : new ByteArrayInputStream(data);
          Map<HashAlgorithm, byte[]> got = ArtifactDigests.digest(in, EnumSet.allOf(HashAlgorithm.class), crypto);
          for (HashAlgorithm a : HashAlgorithm.values()) {
            assertArrayEquals(
                MessageDigest.getInstance(a.jcaName()).digest(data),
                got.get(a),
                a + ", " + size + " bytes, " + crypto + ", trickle " + trickle);
          }
          assertEquals(3, got.size());
        }
      }
    }
  }

  @Test
  void asksForAtLeastOneAlgorithm() {
    assertThrows(
        IllegalArgumentException.class, () -> ArtifactDigests.digest(new ByteArrayInputStream(new byte[1]), Set.of()));
  }

  /** A stream that returns at most 1,000 bytes per read. */
  private static InputStream trickle(byte[] data) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
  }
}
