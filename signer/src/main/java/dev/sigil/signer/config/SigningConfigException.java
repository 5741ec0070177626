package dev.sigil.signer.config;

/**
 * A signing config is malformed, or names no usable service. Messages name the field path (e.g.
 * {@code rekorTlogUrls[1].validFor.start}) and what was expected and found.
 */
public final class SigningConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningConfigException(String message) {
    super(message);
  }
}
