package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.Digests;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ArtifactDigests reads the first {@link Digests#LARGE} bytes before choosing the verifier's own SHA-2 (small
 * artifacts) or the JDK's (large ones): every size around that boundary must give the JDK's digests, also when the
 * stream hands out its bytes in small pieces.
 */
class ArtifactDigestsTest {
  @Test
  void sizesAroundTheSwitchGiveTheJdksDigests() throws Exception {
    SplittableRandom random = new SplittableRandom(2);
    int large = Digests.LARGE;
    for (int size : new int[] {0, 1, 63, 64, 65, 4096, large - 1, large, large + 1, 3 * large + 7}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      for (boolean trickle : new boolean[] {false, true}) {
        InputStream in = trickle ? trickle(data) : new ByteArrayInputStream(data);
        Map<HashAlgorithm, byte[]> got = ArtifactDigests.digest(in, EnumSet.allOf(HashAlgorithm.class));
        for (HashAlgorithm a : HashAlgorithm.values()) {
          assertArrayEquals(
              MessageDigest.getInstance(a.jcaName()).digest(data), got.get(a), a + ", " + size + " bytes, trickle " + trickle);
        }
        assertEquals(3, got.size());
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
