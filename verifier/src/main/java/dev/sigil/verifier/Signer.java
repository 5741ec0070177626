package dev.sigil.verifier;

/**
 * Who signed, as established by a verification: a trusted public key ({@link KeySigner}) or a certificate from a
 * trusted certificate authority ({@link CertificateSigner}). The one exception is {@link
 * CertificateSigner#readUnverified}, which reads what a certificate claims for display and establishes nothing.
 */
public sealed interface Signer permits KeySigner, CertificateSigner {
  /** One line naming the signer, e.g. {@code https://github.com/org/repo/...@refs/heads/main (issuer ...)}. */
  String describe();
}
