package dev.sigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code sigil version}: Sigil's version and those of the runtime and cryptographic provider. */
@Command(name = "version", description = "Print the versions of Sigil, Java and BouncyCastle.")
final class VersionCommand extends BaseCommand {
  static String sigilVersion() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }

  static String bouncyCastleVersion() {
    return dev.sigil.verifier.internal.crypto.Providers.bouncyCastle().getVersionStr();
  }

  @Override
  int execute() {
    if (global.json()) {
      var n = jsonObject();
      n.put("sigil", sigilVersion());
      n.put("java", System.getProperty("java.version"));
      n.put("bouncycastle", bouncyCastleVersion());
      printJson(n);
    } else {
      terminal.out().println("sigil " + sigilVersion());
      terminal.out().println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
      terminal.out().println("bouncycastle " + bouncyCastleVersion());
    }
    return ExitCode.OK;
  }

  /** For {@code sigil --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sigil " + sigilVersion()};
    }
  }
}
