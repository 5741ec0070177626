package dev.sigil.verifier.internal.tlog;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note, {@code — <name> <base64(keyId || signature)>}: the signer's key name, the
 * 4-byte key ID (a hint to which key signed, not a cryptographic binding) and the signature bytes. Not verified.
 *
 * @param name the key name, non-empty, without spaces or {@code +}
 * @param keyId the first four bytes of the decoded signature, big-endian
 * @param signature the remaining bytes (at least one); a defensive copy
 */
public record NoteSignature(String name, int keyId, byte[] signature) {
  public NoteSignature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signature, "signature");
    if (!SignedNote.isValidKeyName(name)) {
      throw new IllegalArgumentException(
          "key name: expected a non-empty name without spaces or '+', found \"" + name + "\"");
    }
    if (signature.length == 0) {
      throw new IllegalArgumentException("signature: expected at least one byte, found none");
    }
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The key ID as 8 lowercase hex digits, as signed-note verifier keys write it. */
  public String keyIdHex() {
    return java.util.HexFormat.of().toHexDigits(keyId);
  }

  /** The line as it appears in a note, without the trailing newline. */
  public String line() {
    byte[] blob = new byte[4 + signature.length];
    blob[0] = (byte) (keyId >>> 24);
    blob[1] = (byte) (keyId >>> 16);
    blob[2] = (byte) (keyId >>> 8);
    blob[3] = (byte) keyId;
    System.arraycopy(signature, 0, blob, 4, signature.length);
    return SignedNote.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(blob);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature other
        && name.equals(other.name)
        && keyId == other.keyId
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "NoteSignature[" + name + "+" + keyIdHex() + ", " + signature.length + " signature bytes]";
  }
}
