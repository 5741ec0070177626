package dev.sigil.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil sign IMAGE...}: signs images in a registry or an OCI layout in cosign's formats, keyless or with a key,
 * with the same service choices as {@code sign-blob}. The work is in {@link ImageSigning}.
 */
@Command(name = "sign", description = {
    "Sign images in a registry or an OCI layout (cosign's formats).",
    "Default: a simple-signing payload appended as a layer at sha256-<hex>.sig (cosign 2 and containers/image read "
        + "it); --new-bundle-format: a Sigstore bundle attached as an OCI 1.1 referrer (cosign 3's format).",
    "Keyless (no --key) or with a key, as sign-blob; keyless and --tlog-upload log a Rekor entry. Tags are resolved to "
        + "digests first. Every signature is verified before it is stored; existing signatures are kept."})
final class SignImageCommand extends BaseCommand {
  @Parameters(paramLabel = "IMAGE", arity = "1..*",
      description = "registry/repository[:tag][@sha256:...], or oci-layout:PATH[:tag|@sha256:...]")
  List<String> images;

  @Option(names = "--key", paramLabel = "KEY",
      description = "Private key: cosign/Sigil encrypted PEM, or unencrypted PKCS#8 / SEC1 PEM. Omit for keyless.")
  Path key;

  @Option(names = "--tlog-upload", description = "With --key: also upload the signature to the transparency log.")
  boolean tlogUpload;

  @Option(names = {"-a", "--annotations"}, paramLabel = "KEY=VALUE",
      description = "An annotation signed with the image (the payload's 'optional' map; repeatable).")
  Map<String, String> annotations = new LinkedHashMap<>();

  @Option(names = "--new-bundle-format",
      description = "Store a Sigstore bundle (v0.3) as an OCI 1.1 referrer instead of a .sig layer.")
  boolean newBundleFormat;

  @Option(names = "--recursive", description = "For an index: sign it and every manifest it lists.")
  boolean recursive;

  @Option(names = "--sign-container-identity", paramLabel = "NAME",
      description = "The docker-reference to sign (default: the image's registry/repository; for an OCI layout, "
          + "name the repository it will be pushed to).")
  String containerIdentity;

  @Mixin RegistryFlags registry;

  @ArgGroup(exclusive = false, heading = "%nWhere the services are (default: the public-good Sigstore):%n")
  SignBlobCommand.Services services = new SignBlobCommand.Services();

  @ArgGroup(exclusive = false, heading = "%nIdentity token (keyless):%n")
  SignBlobCommand.Tokens tokens = new SignBlobCommand.Tokens();

  @Override
  int execute() throws CliException {
    return new ImageSigning(this, images, key, tlogUpload, newBundleFormat, recursive, containerIdentity, registry,
        services, tokens).sign(annotations);
  }
}
