package dev.sigil.sandbox.rekor;

import java.util.Base64;

/** Standard, padded base64 that must round-trip exactly (no missing padding, no stray bits, no other characters). */
final class Base64Strict {
  private Base64Strict() {}

  /** The decoded bytes, or null if {@code s} is not canonical standard padded base64. */
  static byte[] decode(String s) {
    if (s.length() % 4 != 0) {
      return null;
    }
    byte[] out;
    try {
      out = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return Base64.getEncoder().encodeToString(out).equals(s) ? out : null;
  }
}
