package dev.sigil.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil attest IMAGE...}: an in-toto statement about images, signed as DSSE and stored in cosign's formats. The
 * work is in {@link ImageSigning}.
 */
@Command(name = "attest", description = {
    "Attest images: an in-toto Statement v1 whose subject is the image digest (named by its repository), with the "
        + "predicate from --predicate, signed as a DSSE envelope.",
    "Default: a layer appended at sha256-<hex>.att (cosign 2's format); --new-bundle-format: a Sigstore bundle as an "
        + "OCI 1.1 referrer. Keyless or with a key, as sign-blob. Verified before it is stored."})
final class AttestImageCommand extends BaseCommand {
  @Parameters(paramLabel = "IMAGE", arity = "1..*",
      description = "registry/repository[:tag][@sha256:...], or oci-layout:PATH[:tag|@sha256:...]")
  List<String> images;

  @Option(names = "--predicate", paramLabel = "FILE", required = true,
      description = "The predicate: a JSON object (any text for --type custom).")
  Path predicate;

  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "custom",
      description = "Predicate type: slsaprovenance1, slsaprovenance02, slsaprovenance, spdxjson, spdx, cyclonedx, "
          + "vuln, openvex, link, custom, or a URI (default: ${DEFAULT-VALUE}, as cosign).")
  String type;

  @Option(names = "--key", paramLabel = "KEY",
      description = "Private key: cosign/Sigil encrypted PEM, or unencrypted PKCS#8 / SEC1 PEM. Omit for keyless.")
  Path key;

  @Option(names = "--tlog-upload", description = "With --key: also upload the attestation to the transparency log.")
  boolean tlogUpload;

  @Option(names = "--new-bundle-format",
      description = "Store a Sigstore bundle (v0.3) as an OCI 1.1 referrer instead of a .att layer.")
  boolean newBundleFormat;

  @Option(names = "--recursive", description = "For an index: attest it and every manifest it lists.")
  boolean recursive;

  @Option(names = "--sign-container-identity", paramLabel = "NAME",
      description = "The subject name (default: the image's registry/repository).")
  String containerIdentity;

  @Mixin RegistryFlags registry;

  @ArgGroup(exclusive = false, heading = "%nWhere the services are (default: the public-good Sigstore):%n")
  SignBlobCommand.Services services = new SignBlobCommand.Services();

  @ArgGroup(exclusive = false, heading = "%nIdentity token (keyless):%n")
  SignBlobCommand.Tokens tokens = new SignBlobCommand.Tokens();

  @Override
  int execute() throws CliException {
    return new ImageSigning(this, images, key, tlogUpload, newBundleFormat, recursive, containerIdentity, registry,
        services, tokens).attest(predicate, type);
  }
}
