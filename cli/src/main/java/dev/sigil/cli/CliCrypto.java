package dev.sigil.cli;

import dev.sigil.verifier.crypto.CryptoBackend;

/**
 * The crypto backend the CLI reads trusted roots and keys, hashes artifacts and verifies with: the fast-start one,
 * since every {@code sigil} process verifies once and exits (see {@code docs/fast-start.md}). Library users and the
 * admission webhook keep the default, {@link CryptoBackend#jca()}.
 */
final class CliCrypto {
  static final CryptoBackend BACKEND = CryptoBackend.fastStart();

  private CliCrypto() {}
}
