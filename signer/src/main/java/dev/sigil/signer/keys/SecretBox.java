package dev.sigil.signer.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305), byte-compatible with NaCl, libsodium and Go's
 * {@code golang.org/x/crypto/nacl/secretbox}.
 *
 * <p>The XSalsa20 keystream for (key, nonce) is generated from byte 0; its first 32 bytes are the one-time Poly1305
 * key, and the message is XORed with the keystream from byte 32 on. The boxed form is {@code tag(16) || ciphertext},
 * the tag being Poly1305 over the ciphertext.
 */
public final class SecretBox {
  /** Key length in bytes. */
  public static final int KEY_LENGTH = 32;
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 24;
  /** Authentication tag length in bytes; a box is always this much longer than its plaintext. */
  public static final int TAG_LENGTH = 16;

  private static final int POLY_KEY_LENGTH = 32;

  private SecretBox() {}

  /**
   * Encrypts and authenticates {@code plaintext}.
   *
   * @return {@code tag || ciphertext}, {@link #TAG_LENGTH} bytes longer than the plaintext
   * @throws IllegalArgumentException if the key is not 32 bytes or the nonce not 24 bytes
   */
  public static byte[] seal(byte[] key32, byte[] nonce24, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    XSalsa20Engine engine = keystream(key32, nonce24);
    byte[] polyKey = new byte[POLY_KEY_LENGTH];
    try {
      engine.processBytes(polyKey, 0, POLY_KEY_LENGTH, polyKey, 0); // zeros XOR keystream = keystream
      byte[] out = new byte[TAG_LENGTH + plaintext.length];
      engine.processBytes(plaintext, 0, plaintext.length, out, TAG_LENGTH);
      poly1305(polyKey, out, TAG_LENGTH, plaintext.length, out, 0);
      return out;
    } finally {
      Arrays.fill(polyKey, (byte) 0);
    }
  }

  /**
   * Verifies (in constant time) and decrypts a box made by {@link #seal}. Nothing is decrypted unless the tag
   * verifies.
   *
   * @throws WrongPasswordException if the box is shorter than a tag or its tag does not verify under this key
   * @throws IllegalArgumentException if the key is not 32 bytes or the nonce not 24 bytes
   */
  public static byte[] open(byte[] key32, byte[] nonce24, byte[] boxed) throws WrongPasswordException {
    Objects.requireNonNull(boxed, "boxed");
    XSalsa20Engine engine = keystream(key32, nonce24);
    if (boxed.length < TAG_LENGTH) {
      throw new WrongPasswordException();
    }
    int ctLen = boxed.length - TAG_LENGTH;
    byte[] polyKey = new byte[POLY_KEY_LENGTH];
    byte[] tag = new byte[TAG_LENGTH];
    try {
      engine.processBytes(polyKey, 0, POLY_KEY_LENGTH, polyKey, 0);
      poly1305(polyKey, boxed, TAG_LENGTH, ctLen, tag, 0);
      // MessageDigest.isEqual is constant-time in the length of its arguments (both are 16 bytes here).
      if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(boxed, 0, TAG_LENGTH))) {
        throw new WrongPasswordException();
      }
      byte[] out = new byte[ctLen];
      engine.processBytes(boxed, TAG_LENGTH, ctLen, out, 0);
      return out;
    } finally {
      Arrays.fill(polyKey, (byte) 0);
    }
  }

  private static XSalsa20Engine keystream(byte[] key32, byte[] nonce24) {
    Objects.requireNonNull(key32, "key");
    Objects.requireNonNull(nonce24, "nonce");
    if (key32.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "secretbox key: expected " + KEY_LENGTH + " bytes, found " + key32.length + " bytes");
    }
    if (nonce24.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "secretbox nonce: expected " + NONCE_LENGTH + " bytes, found " + nonce24.length + " bytes");
    }
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key32), nonce24));
    return engine;
  }

  private static void poly1305(byte[] polyKey, byte[] in, int off, int len, byte[] tagOut, int tagOff) {
    Poly1305 mac = new Poly1305(); // no underlying cipher: the 32-byte key is (r, s) used directly, as in NaCl
    mac.init(new KeyParameter(polyKey));
    mac.update(in, off, len);
    mac.doFinal(tagOut, tagOff);
  }
}
