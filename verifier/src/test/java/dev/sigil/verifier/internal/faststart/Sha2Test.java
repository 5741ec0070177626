package dev.sigil.verifier.internal.faststart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Sha2} against the JDK's digests, and the FIPS 180-4 example vectors. */
class Sha2Test {
  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void matchesTheJdkOnEveryLengthUpTo1100Bytes(HashAlgorithm a) throws Exception {
    SplittableRandom random = new SplittableRandom(a.ordinal());
    MessageDigest ours = new Sha2(a);
    for (int len = 0; len <= 1100; len++) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      byte[] expected = MessageDigest.getInstance(a.jcaName()).digest(data);
      assertArrayEquals(expected, ours.digest(data), a + " length " + len); // reused: digest() resets
      // the same input in random pieces, single bytes among them
      int off = 0;
      while (off < len) {
        int n = random.nextInt(0, Math.min(len - off, 200) + 1);
        if (n == 1) {
          ours.update(data[off]);
        } else {
          ours.update(data, off, n);
        }
        off += n;
      }
      assertArrayEquals(expected, ours.digest(), a + " split, length " + len);
    }
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void clonesResetsAndBuffersBehaveAsTheJdks(HashAlgorithm a) throws Exception {
    byte[] data = new byte[777];
    new SplittableRandom(5).nextBytes(data);
    MessageDigest ours = new Sha2(a);
    MessageDigest jdk = MessageDigest.getInstance(a.jcaName());
    ours.update(data, 0, 300);
    jdk.update(data, 0, 300);
    MessageDigest ourCopy = (MessageDigest) ours.clone();
    ours.update(data, 300, 477);
    jdk.update(data, 300, 477);
    assertArrayEquals(jdk.digest(), ours.digest());
    ourCopy.update(ByteBuffer.wrap(data, 300, 477));
    assertArrayEquals(MessageDigest.getInstance(a.jcaName()).digest(data), ourCopy.digest());
    ours.update(data);
    ours.reset();
    assertArrayEquals(MessageDigest.getInstance(a.jcaName()).digest(new byte[0]), ours.digest());
    assertEquals(a.length(), ours.getDigestLength());
    assertEquals(a.jcaName(), ours.getAlgorithm());
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void fipsExampleVectors(HashAlgorithm a) {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    String expected =
        switch (a) {
          case SHA2_256 -> "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
          case SHA2_384 ->
              "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";
          case SHA2_512 ->
              "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                  + "454d4423643ce80e2a9ac94fa54ca49f";
        };
    assertEquals(expected, HexFormat.of().formatHex(new Sha2(a).digest(abc)));
  }
}
