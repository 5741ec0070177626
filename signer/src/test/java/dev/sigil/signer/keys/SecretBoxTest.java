package dev.sigil.signer.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final HexFormat HEX = HexFormat.of();

  // The crypto_secretbox vector of NaCl's tests/secretbox.c (also in libsodium's test suite). The expected box was
  // re-derived independently with tweetnacl-js 1.0.3 (nacl.secretbox) and is hardcoded here.
  private static final byte[] KEY =
      HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
  private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
  private static final byte[] MESSAGE =
      HEX.parseHex(
          "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c0123"
              + "3561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd"
              + "4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
  private static final byte[] BOX =
      HEX.parseHex(
          "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98"
              + "dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfea"
              + "bd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");
  /** tweetnacl-js: nacl.secretbox(empty, NONCE, KEY). */
  private static final byte[] EMPTY_BOX = HEX.parseHex("2539121d8e234e652d651fa4c8cff880");

  @Test
  void sealMatchesNaclVector() {
    assertEquals(131, MESSAGE.length);
    assertArrayEquals(BOX, SecretBox.seal(KEY, NONCE, MESSAGE));
  }

  @Test
  void openMatchesNaclVector() throws Exception {
    assertArrayEquals(MESSAGE, SecretBox.open(KEY, NONCE, BOX));
  }

  @Test
  void emptyMessage() throws Exception {
    assertArrayEquals(EMPTY_BOX, SecretBox.seal(KEY, NONCE, new byte[0]));
    assertArrayEquals(new byte[0], SecretBox.open(KEY, NONCE, EMPTY_BOX));
  }

  @Test
  void anyFlippedBitIsRejected() {
    for (int i = 0; i < BOX.length; i++) {
      byte[] tampered = BOX.clone();
      tampered[i] ^= (byte) (1 << (i % 8));
      WrongPasswordException e =
          assertThrows(WrongPasswordException.class, () -> SecretBox.open(KEY, NONCE, tampered), "byte " + i);
      assertEquals("wrong password or damaged key file", e.getMessage());
    }
  }

  @Test
  void wrongKeyOrNonceIsRejected() {
    byte[] otherKey = KEY.clone();
    otherKey[31] ^= 1;
    assertThrows(WrongPasswordException.class, () -> SecretBox.open(otherKey, NONCE, BOX));
    byte[] otherNonce = NONCE.clone();
    otherNonce[23] ^= 1;
    assertThrows(WrongPasswordException.class, () -> SecretBox.open(KEY, otherNonce, BOX));
  }

  @Test
  void truncatedBoxIsRejected() {
    assertThrows(WrongPasswordException.class, () -> SecretBox.open(KEY, NONCE, new byte[15]));
    assertThrows(WrongPasswordException.class, () -> SecretBox.open(KEY, NONCE, new byte[0]));
    byte[] shortened = java.util.Arrays.copyOf(BOX, BOX.length - 1);
    assertThrows(WrongPasswordException.class, () -> SecretBox.open(KEY, NONCE, shortened));
  }

  @Test
  void badKeyAndNonceLengthsAreProgrammingErrors() {
    assertThrows(IllegalArgumentException.class, () -> SecretBox.seal(new byte[31], NONCE, MESSAGE));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.seal(KEY, new byte[8], MESSAGE));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.open(new byte[33], NONCE, BOX));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.open(KEY, new byte[12], BOX));
  }

  @Test
  void longMessageRoundTrips() throws Exception {
    // Spans many 64-byte Salsa20 blocks, with the 32-byte Poly1305 key offset in the first one.
    byte[] m = new byte[1000];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) (i * 7);
    }
    byte[] box = SecretBox.seal(KEY, NONCE, m);
    assertEquals(m.length + SecretBox.TAG_LENGTH, box.length);
    assertArrayEquals(m, SecretBox.open(KEY, NONCE, box));
    // The prefix of the keystream does not depend on the message length: the NaCl vector's box is a prefix of ours
    // in the ciphertext part when the message prefix is the same.
    byte[] m2 = java.util.Arrays.copyOf(MESSAGE, 200);
    byte[] box2 = SecretBox.seal(KEY, NONCE, m2);
    assertArrayEquals(
        java.util.Arrays.copyOfRange(BOX, 16, BOX.length), java.util.Arrays.copyOfRange(box2, 16, BOX.length));
  }
}
