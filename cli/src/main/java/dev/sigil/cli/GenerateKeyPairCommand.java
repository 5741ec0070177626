package dev.sigil.cli;

import dev.sigil.signer.SigningKey;
import dev.sigil.signer.keys.EncryptedKeys;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sigil generate-key-pair}: a new key pair in cosign's encrypted format. */
@Command(
    name = "generate-key-pair",
    description = {
      "Generate a key pair in cosign's encrypted format.",
      "Writes PREFIX.key (encrypted with the password from SIGIL_PASSWORD or COSIGN_PASSWORD, or asked on the",
      "terminal; mode 0600) and PREFIX.pub (PEM SubjectPublicKeyInfo)."
    })
final class GenerateKeyPairCommand extends BaseCommand {
  @Option(names = "--output-key-prefix", paramLabel = "PREFIX", defaultValue = "sigil",
      description = "Path prefix of the two files (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ecdsa-p256",
      description = "Key type: ecdsa-p256, ecdsa-p384, ed25519 or rsa-3072 (default: ${DEFAULT-VALUE}).",
      converter = KeyTypeConverter.class)
  SigningKey.Type algorithm;

  @Option(names = "--force", description = "Overwrite existing key files.")
  boolean force;

  @Override
  int execute() throws CliException {
    Path keyPath = Path.of(prefix + ".key");
    Path pubPath = Path.of(prefix + ".pub");
    if (!force) {
      for (Path p : new Path[] {keyPath, pubPath}) {
        if (Files.exists(p)) {
          throw CliException.badInput(
              "output " + p + ": expected no existing file (pass --force to overwrite), found one");
        }
      }
    }
    Path dir = keyPath.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw CliException.badInput("output directory " + dir + ": expected an existing directory, found none");
    }
    char[] password = Passwords.forWriting(terminal, keyPath.toString());
    SecureRandom random = new SecureRandom();
    SigningKey key = SigningKey.generate(algorithm, random);
    String encrypted;
    try {
      encrypted = EncryptedKeys.encrypt(key.privateKey(), password, random);
    } finally {
      Arrays.fill(password, '\0');
    }
    try {
      AtomicFiles.write(keyPath, encrypted.getBytes(StandardCharsets.US_ASCII), true, force);
      AtomicFiles.write(pubPath, PublicKeys.toPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII), false, force);
    } catch (FileAlreadyExistsException e) {
      throw CliException.badInput("output " + e.getFile() + ": expected no existing file (pass --force), found one");
    } catch (IOException e) {
      throw CliException.environment("writing key files under " + dir + " failed: " + e.getMessage(), e);
    }
    if (global.json()) {
      var n = jsonObject();
      n.put("ok", true);
      n.put("privateKey", keyPath.toString());
      n.put("publicKey", pubPath.toString());
      n.put("algorithm", algorithm.cliName());
      printJson(n);
    } else {
      info("Private key written to " + keyPath + " (encrypted, mode 0600)");
      info("Public key written to " + pubPath + " (" + algorithm.cliName() + ")");
    }
    return ExitCode.OK;
  }

  static final class KeyTypeConverter implements picocli.CommandLine.ITypeConverter<SigningKey.Type> {
    @Override
    public SigningKey.Type convert(String value) {
      for (SigningKey.Type t : SigningKey.Type.values()) {
        if (t.cliName().equalsIgnoreCase(value)) {
          return t;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected one of ecdsa-p256, ecdsa-p384, ed25519, rsa-3072, found '" + value + "'");
    }
  }
}
