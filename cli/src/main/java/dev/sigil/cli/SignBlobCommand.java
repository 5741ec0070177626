package dev.sigil.cli;

import dev.sigil.tuf.TrustException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil sign-blob}: sign a file into a Sigstore bundle, keyless (the default) or with a key.
 *
 * <p>Picocli reflects on this class at every start-up, so its fields are JDK types; the work is in {@link Signing}.
 */
@Command(name = "sign-blob", description = {
    "Sign a file, writing a Sigstore bundle (v0.3).",
    "Keyless (no --key): an ephemeral key, an OIDC identity token, a Fulcio certificate, a Rekor entry and (when a "
        + "TSA is configured) an RFC 3161 timestamp. With --key: a key signature, uploaded to Rekor with --tlog-upload.",
    "Every bundle is verified before it is written."})
final class SignBlobCommand extends BaseCommand {
  @Option(names = "--key", paramLabel = "KEY",
      description = "Private key: cosign/Sigil encrypted PEM, or unencrypted PKCS#8 / SEC1 PEM. Omit for keyless.")
  Path key;

  @Option(names = "--tlog-upload", description = "With --key: also upload the signature to the transparency log.")
  boolean tlogUpload;

  @Option(names = "--bundle", paramLabel = "OUT", required = true, description = "Where to write the bundle.")
  Path bundle;

  @ArgGroup(exclusive = false, heading = "%nWhere the services are (default: the public-good Sigstore):%n")
  Services services = new Services();

  @ArgGroup(exclusive = false, heading = "%nIdentity token (keyless):%n")
  Tokens tokens = new Tokens();

  @Parameters(paramLabel = "FILE", description = "The file to sign.")
  Path file;

  static final class Services {
    @Option(names = "--sandbox", paramLabel = "URL",
        description = "A Sigil sandbox: read its signing config and trusted root from URL.")
    URI sandbox;

    @Option(names = "--signing-config", paramLabel = "FILE",
        description = "A signing config (application/vnd.dev.sigstore.signingconfig.v0.2+json).")
    Path signingConfig;

    @Option(names = "--fulcio-url", paramLabel = "URL", description = "Fulcio (overrides the signing config).")
    URI fulcioUrl;

    @Option(names = "--rekor-url", paramLabel = "URL", description = "Rekor v1 (overrides the signing config).")
    URI rekorUrl;

    @Option(names = "--tsa-url", paramLabel = "URL",
        description = "RFC 3161 timestamp authority (overrides the signing config).")
    URI tsaUrl;

    @Option(names = "--no-timestamp", description = "Do not ask a timestamp authority for a timestamp.")
    boolean noTimestamp;

    @Option(names = "--trusted-root", paramLabel = "FILE",
        description = "Trusted root the new bundle is verified against (needed with --fulcio-url/--rekor-url).")
    Path trustedRoot;
  }

  static final class Tokens {
    @Option(names = "--identity-token", paramLabel = "JWT",
        description = "The OIDC ID token (else $SIGSTORE_ID_TOKEN, --identity-token-file, GitHub Actions).")
    String identityToken;

    @Option(names = "--identity-token-file", paramLabel = "FILE", description = "A file holding the ID token.")
    Path identityTokenFile;

    @Option(names = "--oidc-provider", paramLabel = "NAME",
        description = "'sandbox': get a token from the --sandbox's local issuer (local testing only).")
    String oidcProvider;

    @Option(names = "--sandbox-subject", paramLabel = "S", defaultValue = "dev@example.com",
        description = "With --oidc-provider sandbox: the identity to sign as (default: ${DEFAULT-VALUE}).")
    String sandboxSubject;
  }

  @Override
  int execute() throws CliException, TrustException {
    return new Signing(this).run();
  }
}
