package dev.sigil.verifier.cosign;

/** A cosign signature or attestation layer whose bytes or annotations are not in cosign's format. */
public final class CosignFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public CosignFormatException(String message) {
    super(message);
  }
}
