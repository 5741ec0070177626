package dev.sigil.cli;

import dev.sigil.signer.BlobSigner;
import dev.sigil.signer.SigningException;
import dev.sigil.signer.SigningKey;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.BundleWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sigil sign-blob}: sign a file into a Sigstore bundle. */
@Command(name = "sign-blob", description = "Sign a file with a key, writing a Sigstore bundle (v0.3).")
final class SignBlobCommand extends BaseCommand {
  @Option(names = "--key", paramLabel = "KEY", required = true,
      description = "Private key: cosign/Sigil encrypted PEM, or unencrypted PKCS#8 / SEC1 PEM.")
  Path key;

  @Option(names = "--bundle", paramLabel = "OUT", required = true, description = "Where to write the bundle.")
  Path bundle;

  @Parameters(paramLabel = "FILE", description = "The file to sign.")
  Path file;

  @Override
  int execute() throws CliException {
    InputFiles.requireRegularFile(file, "artifact");
    SigningKey signingKey = KeyFiles.signingKey(key, terminal);
    BlobSigner.Signed signed;
    try (InputStream in = InputFiles.open(file, "artifact")) {
      signed = new BlobSigner(new Verifier()).signWithKey(signingKey, in);
    } catch (IOException e) {
      throw InputFiles.unreadable(file, "artifact", e);
    } catch (SigningException e) {
      throw CliException.badInput(e.getMessage());
    }
    byte[] json = new BundleWriter().write(signed.bundle());
    try {
      AtomicFiles.write(bundle, json, false, true);
    } catch (IOException e) {
      throw CliException.environment("writing bundle " + bundle + " failed: " + e.getMessage(), e);
    }
    String noLog =
        "no transparency-log upload was made (key mode); verifiers will need --insecure-ignore-tlog";
    if (global.json()) {
      var n = jsonObject();
      n.put("ok", true);
      n.put("bundle", bundle.toString());
      n.put("artifact", signed.artifact().toString());
      n.put("tlogUpload", false);
      n.put("warning", noLog);
      printJson(n);
    } else {
      info("Signed " + file + " (" + signed.artifact() + ") with " + signingKey.algorithm().displayName() + " key");
      info("Bundle written to " + bundle);
    }
    warn(noLog);
    return ExitCode.OK;
  }
}
