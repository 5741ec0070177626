package dev.sigil.signer.keys;

/**
 * The authentication tag of an encrypted key did not verify: either the password is wrong or the ciphertext was
 * altered. The two cases cannot be told apart, by design of the cipher.
 */
public final class WrongPasswordException extends Exception {
  private static final long serialVersionUID = 1L;

  static final String MESSAGE = "wrong password or damaged key file";

  public WrongPasswordException() {
    super(MESSAGE);
  }
}
