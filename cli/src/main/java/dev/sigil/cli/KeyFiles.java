package dev.sigil.cli;

import dev.sigil.signer.SigningKey;
import dev.sigil.signer.keys.EncryptedKeys;
import dev.sigil.signer.keys.KeyFormatException;
import dev.sigil.signer.keys.PemKeys;
import dev.sigil.signer.keys.WrongPasswordException;
import dev.sigil.verifier.crypto.KeyParseException;
import dev.sigil.verifier.crypto.UnsupportedKeyException;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

/** Loading keys named on the command line. */
final class KeyFiles {
  private static final int MAX_KEY_FILE = 64 * 1024;

  private KeyFiles() {}

  /**
   * Reads a private key: cosign's encrypted format (asking for the password), or an unencrypted PKCS#8 / SEC1 PEM
   * key, which is accepted because the user named the file explicitly.
   */
  static SigningKey signingKey(Path path, Terminal terminal) throws CliException {
    byte[] raw = InputFiles.readSmall(path, "private key", MAX_KEY_FILE);
    String pem = new String(raw, StandardCharsets.US_ASCII);
    Arrays.fill(raw, (byte) 0);
    PrivateKey key;
    try {
      if (EncryptedKeys.isEncrypted(pem)) {
        char[] password = Passwords.forReading(terminal, path.toString());
        try {
          key = EncryptedKeys.decrypt(pem, password);
        } catch (OutOfMemoryError e) {
          throw new CliException(
              ExitCode.ENVIRONMENT,
              "private key " + path + ": decrypting needs about 64 MiB of heap for scrypt (N=65536, r=8), the JVM"
                  + " has too little; raise it, e.g. SIGIL_JAVA_OPTS=-Xmx256m");
        } finally {
          Arrays.fill(password, '\0');
        }
      } else {
        key = PemKeys.readUnencryptedPrivateKey(pem);
      }
      return SigningKey.fromPrivateKey(key);
    } catch (WrongPasswordException e) {
      throw CliException.badInput("private key " + path + ": wrong password or damaged key file");
    } catch (KeyFormatException | UnsupportedKeyException e) {
      throw CliException.badInput("private key " + path + ": " + e.getMessage());
    }
  }

  /** Reads a PEM public key. */
  static PublicKey publicKey(Path path) throws CliException {
    byte[] raw = InputFiles.readSmall(path, "public key", MAX_KEY_FILE);
    try {
      return PublicKeys.fromPem(new String(raw, StandardCharsets.US_ASCII), CliCrypto.BACKEND);
    } catch (KeyParseException e) {
      throw CliException.badInput("public key " + path + ": " + e.getMessage());
    }
  }
}
