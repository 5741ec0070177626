package dev.sigil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigil attest-blob}: an in-toto statement about files, signed as a DSSE envelope into a Sigstore bundle (v0.3),
 * keyless or with a key, exactly as {@code sign-blob} chooses its services. The work is in {@link AttestBlob}.
 */
@Command(name = "attest-blob", description = {
    "Attest files: an in-toto Statement v1 whose subjects are the files (name and sha256), with the predicate from "
        + "--predicate, signed as a DSSE envelope into a Sigstore bundle (v0.3). With --statement, sign a statement "
        + "that already exists (e.g. from 'sigil provenance') byte for byte; FILEs are then optional and must each be "
        + "one of its subjects.",
    "Keyless (no --key) or with a key, as sign-blob; keyless and --tlog-upload log a dsse entry in Rekor. The bundle "
        + "is verified before it is written."})
final class AttestBlobCommand extends BaseCommand {
  @Option(names = "--key", paramLabel = "KEY",
      description = "Private key: cosign/Sigil encrypted PEM, or unencrypted PKCS#8 / SEC1 PEM. Omit for keyless.")
  Path key;

  @Option(names = "--tlog-upload", description = "With --key: also upload the attestation to the transparency log.")
  boolean tlogUpload;

  @Option(names = "--predicate", paramLabel = "FILE",
      description = "The predicate: a JSON object (any text for --type custom).")
  Path predicate;

  @Option(names = "--statement", paramLabel = "FILE",
      description = "Instead of --predicate: an in-toto statement (v1 or v0.1) to sign exactly as it is, such as "
          + "'sigil provenance' writes (as cosign's --statement).")
  Path statement;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Predicate type: slsaprovenance1, slsaprovenance02, slsaprovenance, spdxjson, spdx, cyclonedx, "
          + "vuln, openvex, link, custom, or a URI (default: custom, as cosign). With --statement: the type the "
          + "statement must have.")
  String type;

  @Option(names = "--bundle", paramLabel = "OUT", required = true, description = "Where to write the bundle.")
  Path bundle;

  @ArgGroup(exclusive = false, heading = "%nWhere the services are (default: the public-good Sigstore):%n")
  SignBlobCommand.Services services = new SignBlobCommand.Services();

  @ArgGroup(exclusive = false, heading = "%nIdentity token (keyless):%n")
  SignBlobCommand.Tokens tokens = new SignBlobCommand.Tokens();

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "The files the statement is about (at least one with --predicate; with --statement, each must be "
          + "one of its subjects).")
  List<Path> files = new ArrayList<>();

  @Override
  int execute() throws CliException {
    return new AttestBlob(this).run();
  }
}
