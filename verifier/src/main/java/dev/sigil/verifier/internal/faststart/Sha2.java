package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.MessageDigest;

/**
 * SHA-256, SHA-384 and SHA-512 (FIPS 180-4) as plain Java, behind the {@link MessageDigest} API, written here rather
 * than taken from the JDK or BouncyCastle because their first digest starts the JCA provider framework or
 * BouncyCastle's service registry ({@code docs/fast-start.md}). {@code Sha2Test} holds it to the JDK's digests on every
 * length from 0 to 1,100 bytes, split updates, clones and resets.
 */
final class Sha2 extends MessageDigest implements Cloneable {
  private static final int[] K256 = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  private static final long[] K512 = {
    0x428a2f98d728ae22L, 0x7137449123ef65cdL, 0xb5c0fbcfec4d3b2fL, 0xe9b5dba58189dbbcL, 0x3956c25bf348b538L,
    0x59f111f1b605d019L, 0x923f82a4af194f9bL, 0xab1c5ed5da6d8118L, 0xd807aa98a3030242L, 0x12835b0145706fbeL,
    0x243185be4ee4b28cL, 0x550c7dc3d5ffb4e2L, 0x72be5d74f27b896fL, 0x80deb1fe3b1696b1L, 0x9bdc06a725c71235L,
    0xc19bf174cf692694L, 0xe49b69c19ef14ad2L, 0xefbe4786384f25e3L, 0x0fc19dc68b8cd5b5L, 0x240ca1cc77ac9c65L,
    0x2de92c6f592b0275L, 0x4a7484aa6ea6e483L, 0x5cb0a9dcbd41fbd4L, 0x76f988da831153b5L, 0x983e5152ee66dfabL,
    0xa831c66d2db43210L, 0xb00327c898fb213fL, 0xbf597fc7beef0ee4L, 0xc6e00bf33da88fc2L, 0xd5a79147930aa725L,
    0x06ca6351e003826fL, 0x142929670a0e6e70L, 0x27b70a8546d22ffcL, 0x2e1b21385c26c926L, 0x4d2c6dfc5ac42aedL,
    0x53380d139d95b3dfL, 0x650a73548baf63deL, 0x766a0abb3c77b2a8L, 0x81c2c92e47edaee6L, 0x92722c851482353bL,
    0xa2bfe8a14cf10364L, 0xa81a664bbc423001L, 0xc24b8b70d0f89791L, 0xc76c51a30654be30L, 0xd192e819d6ef5218L,
    0xd69906245565a910L, 0xf40e35855771202aL, 0x106aa07032bbd1b8L, 0x19a4c116b8d2d0c8L, 0x1e376c085141ab53L,
    0x2748774cdf8eeb99L, 0x34b0bcb5e19b48a8L, 0x391c0cb3c5c95a63L, 0x4ed8aa4ae3418acbL, 0x5b9cca4f7763e373L,
    0x682e6ff3d6b2b8a3L, 0x748f82ee5defb2fcL, 0x78a5636f43172f60L, 0x84c87814a1f0ab72L, 0x8cc702081a6439ecL,
    0x90befffa23631e28L, 0xa4506cebde82bde9L, 0xbef9a3f7b2c67915L, 0xc67178f2e372532bL, 0xca273eceea26619cL,
    0xd186b8c721c0c207L, 0xeada7dd6cde0eb1eL, 0xf57d4f7fee6ed178L, 0x06f067aa72176fbaL, 0x0a637dc5a2c898a6L,
    0x113f9804bef90daeL, 0x1b710b35131c471bL, 0x28db77f523047d84L, 0x32caab7b40c72493L, 0x3c9ebe0a15c9bebcL,
    0x431d67c49c100d4cL, 0x4cc5d4becb3e42b6L, 0x597f299cfc657e2aL, 0x5fcb6fab3ad6faecL, 0x6c44198c4a475817L
  };

  private static final int[] IV256 = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };
  private static final long[] IV384 = {
    0xcbbb9d5dc1059ed8L, 0x629a292a367cd507L, 0x9159015a3070dd17L, 0x152fecd8f70e5939L,
    0x67332667ffc00b31L, 0x8eb44a8768581511L, 0xdb0c2e0d64f98fa7L, 0x47b5481dbefa4fa4L
  };
  private static final long[] IV512 = {
    0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
    0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L
  };

  private final HashAlgorithm algorithm;
  private final boolean wide; // SHA-384/512: 64-bit words, 128-byte blocks
  private final int[] h32 = new int[8];
  private final long[] h64 = new long[8];
  private final int[] w32 = new int[64];
  private final long[] w64 = new long[80];
  private final byte[] block;
  private int blockFill;
  private long count; // bytes hashed so far (inputs here are far below 2^61 bytes)

  Sha2(HashAlgorithm algorithm) {
    super(algorithm.jcaName());
    this.algorithm = algorithm;
    this.wide = algorithm != HashAlgorithm.SHA2_256;
    this.block = new byte[wide ? 128 : 64];
    engineReset();
  }

  @Override
  protected void engineReset() {
    switch (algorithm) {
      case SHA2_256 -> System.arraycopy(IV256, 0, h32, 0, 8);
      case SHA2_384 -> System.arraycopy(IV384, 0, h64, 0, 8);
      case SHA2_512 -> System.arraycopy(IV512, 0, h64, 0, 8);
    }
    blockFill = 0;
    count = 0;
  }

  @Override
  protected int engineGetDigestLength() {
    return algorithm.length();
  }

  @Override
  protected void engineUpdate(byte input) {
    block[blockFill++] = input;
    count++;
    if (blockFill == block.length) {
      compress(block, 0);
      blockFill = 0;
    }
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    count += len;
    if (blockFill > 0) {
      int n = Math.min(len, block.length - blockFill);
      System.arraycopy(input, offset, block, blockFill, n);
      blockFill += n;
      offset += n;
      len -= n;
      if (blockFill < block.length) {
        return;
      }
      compress(block, 0);
      blockFill = 0;
    }
    while (len >= block.length) {
      compress(input, offset);
      offset += block.length;
      len -= block.length;
    }
    System.arraycopy(input, offset, block, 0, len);
    blockFill = len;
  }

  @Override
  protected byte[] engineDigest() {
    long bits = count * 8;
    int lengthBytes = wide ? 16 : 8;
    block[blockFill++] = (byte) 0x80;
    if (blockFill > block.length - lengthBytes) {
      java.util.Arrays.fill(block, blockFill, block.length, (byte) 0);
      compress(block, 0);
      blockFill = 0;
    }
    java.util.Arrays.fill(block, blockFill, block.length, (byte) 0);
    for (int i = 0; i < 8; i++) {
      block[block.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    compress(block, 0);
    byte[] out = new byte[algorithm.length()];
    if (wide) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (h64[i >> 3] >>> (56 - 8 * (i & 7)));
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (h32[i >> 2] >>> (24 - 8 * (i & 3)));
      }
    }
    engineReset();
    return out;
  }

  private void compress(byte[] b, int off) {
    if (wide) {
      compress64(b, off);
    } else {
      compress32(b, off);
    }
  }

  private void compress32(byte[] b, int off) {
    int[] w = w32;
    for (int t = 0; t < 16; t++) {
      int i = off + 4 * t;
      w[t] = (b[i] << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
    for (int t = 16; t < 64; t++) {
      int x = w[t - 15];
      int y = w[t - 2];
      int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
      int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    int a = h32[0], bb = h32[1], c = h32[2], d = h32[3], e = h32[4], f = h32[5], g = h32[6], h = h32[7];
    for (int t = 0; t < 64; t++) {
      int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
      int ch = (e & f) ^ (~e & g);
      int t1 = h + s1 + ch + K256[t] + w[t];
      int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
      int maj = (a & bb) ^ (a & c) ^ (bb & c);
      int t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = bb;
      bb = a;
      a = t1 + t2;
    }
    h32[0] += a;
    h32[1] += bb;
    h32[2] += c;
    h32[3] += d;
    h32[4] += e;
    h32[5] += f;
    h32[6] += g;
    h32[7] += h;
  }

  private void compress64(byte[] b, int off) {
    long[] w = w64;
    for (int t = 0; t < 16; t++) {
      long v = 0;
      for (int i = off + 8 * t, end = i + 8; i < end; i++) {
        v = (v << 8) | (b[i] & 0xff);
      }
      w[t] = v;
    }
    for (int t = 16; t < 80; t++) {
      long x = w[t - 15];
      long y = w[t - 2];
      long s0 = Long.rotateRight(x, 1) ^ Long.rotateRight(x, 8) ^ (x >>> 7);
      long s1 = Long.rotateRight(y, 19) ^ Long.rotateRight(y, 61) ^ (y >>> 6);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    long a = h64[0], bb = h64[1], c = h64[2], d = h64[3], e = h64[4], f = h64[5], g = h64[6], h = h64[7];
    for (int t = 0; t < 80; t++) {
      long s1 = Long.rotateRight(e, 14) ^ Long.rotateRight(e, 18) ^ Long.rotateRight(e, 41);
      long ch = (e & f) ^ (~e & g);
      long t1 = h + s1 + ch + K512[t] + w[t];
      long s0 = Long.rotateRight(a, 28) ^ Long.rotateRight(a, 34) ^ Long.rotateRight(a, 39);
      long maj = (a & bb) ^ (a & c) ^ (bb & c);
      long t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = bb;
      bb = a;
      a = t1 + t2;
    }
    h64[0] += a;
    h64[1] += bb;
    h64[2] += c;
    h64[3] += d;
    h64[4] += e;
    h64[5] += f;
    h64[6] += g;
    h64[7] += h;
  }

  @Override
  public Object clone() {
    Sha2 copy = new Sha2(algorithm);
    System.arraycopy(h32, 0, copy.h32, 0, 8);
    System.arraycopy(h64, 0, copy.h64, 0, 8);
    System.arraycopy(block, 0, copy.block, 0, block.length);
    copy.blockFill = blockFill;
    copy.count = count;
    return copy;
  }
}
