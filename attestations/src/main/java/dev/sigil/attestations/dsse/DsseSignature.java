package dev.sigil.attestations.dsse;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One DSSE signature: the raw signature bytes and the optional, unauthenticated key id hint ({@code ""} when unset;
 * DSSE: "An unset field MUST be treated the same as set-but-empty"). The key id must never decide trust; it may only
 * narrow which keys to try. Immutable: the bytes are copied in and out.
 */
public final class DsseSignature {
  private final String keyid;
  private final byte[] sig;

  public DsseSignature(String keyid, byte[] sig) {
    this.keyid = Objects.requireNonNull(keyid, "keyid");
    Objects.requireNonNull(sig, "sig");
    if (sig.length == 0) {
      throw new IllegalArgumentException("a DSSE signature cannot be empty");
    }
    this.sig = sig.clone();
  }

  /** The key id hint, {@code ""} if none. */
  public String keyid() {
    return keyid;
  }

  /** A copy of the signature bytes. */
  public byte[] sig() {
    return sig.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseSignature
        && keyid.equals(((DsseSignature) o).keyid)
        && Arrays.equals(sig, ((DsseSignature) o).sig);
  }

  @Override
  public int hashCode() {
    return 31 * keyid.hashCode() + Arrays.hashCode(sig);
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(sig, 0, Math.min(sig.length, 8));
    return "DsseSignature[keyid=" + (keyid.isEmpty() ? "(none)" : keyid) + ", sig=" + hex + "..., " + sig.length + " bytes]";
  }
}
