package dev.sigil.cli;

import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.nio.file.Path;

/** Where the trusted root comes from: a file the user names, or the embedded public-good snapshot. */
final class TrustedRoots {
  private TrustedRoots() {}

  static TrustedRoot load(Path file) throws CliException {
    if (file == null) {
      return PublicGood.trustedRoot();
    }
    byte[] json = InputFiles.readSmall(file, "trusted root", TrustedRoot.MAX_TRUSTED_ROOT_BYTES);
    try {
      return TrustedRoot.parse(json);
    } catch (TrustedRootException e) {
      throw CliException.badInput("trusted root " + file + ": " + e.getMessage());
    }
  }
}
