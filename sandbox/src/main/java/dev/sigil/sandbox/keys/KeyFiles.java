package dev.sigil.sandbox.keys;

import dev.sigil.verifier.crypto.Providers;
import java.security.Signature;
import java.security.PublicKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * File handling shared by the sandbox's CT log and certificate authority: PEM encoding, atomic writes (temporary
 * file created with its final permissions, fsync, rename, directory fsync) and strict reading of PKCS#8 EC private
 * keys (which must be mode 0600) and certificates. Stateless.
 */
public final class KeyFiles {
  /** Owner read/write only: the mode every private key file is created with and must keep. */
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  /** {@code -----BEGIN type-----}, base64 in 64-character lines, {@code -----END type-----}, US-ASCII. */
  public static byte[] pem(String type, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(b64.length() + 80);
    sb.append("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(type).append("-----\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@link #pem} as a string. */
  public static String pemString(String type, byte[] der) {
    return new String(pem(type, der), StandardCharsets.US_ASCII);
  }

  public static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes {@code bytes} to {@code target} atomically: a temporary sibling is created (with {@code permissions} from
   * the start when given and the file system is POSIX), written, synced and renamed over the target, and the
   * directory is synced.
   */
  public static void writeAtomically(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    boolean posix = permissions != null && isPosix();
    FileAttribute<?>[] attrs =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    try (FileChannel ch =
        FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    if (posix) {
      Files.setPosixFilePermissions(tmp, permissions); // the umask may have narrowed what CREATE_NEW applied
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (isPosix()) {
      try (FileChannel ch = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
  }

  /**
   * Reads a PKCS#8 {@code PRIVATE KEY} PEM file holding an EC key on a curve of {@code fieldBits} bits (256 for
   * P-256, 384 for P-384). On POSIX file systems the file must be mode 0600 (or narrower).
   */
  public static PrivateKey readEcPrivateKey(Path file, int fieldBits) throws IOException {
    if (isPosix()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new IOException(
            file + ": expected mode 0600 (owner read/write only) for a private key, found "
                + PosixFilePermissions.toString(perms));
      }
    }
    byte[] der = readPem(file, "PRIVATE KEY");
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != fieldBits) {
        throw new IOException(file + ": expected a P-" + fieldBits + " EC private key, found another key");
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": expected a PKCS#8 EC private key (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Signs and verifies a probe with {@code signatureAlgorithm} to check that {@code key} belongs to {@code pub}, the
   * public key of the certificate stored beside {@code file}.
   */
  public static void checkPair(Path file, PrivateKey key, PublicKey pub, String signatureAlgorithm)
      throws IOException, GeneralSecurityException {
    byte[] probe = ("sigil-key-check:" + file.getFileName()).getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance(signatureAlgorithm, Providers.bouncyCastle());
    s.initSign(key);
    s.update(probe);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(signatureAlgorithm, Providers.bouncyCastle());
    v.initVerify(pub);
    v.update(probe);
    if (!v.verify(sig)) {
      throw new IOException(file + ": the private key does not match its certificate");
    }
  }

  /** Reads a PEM file holding exactly one certificate. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    byte[] der = readPem(file, "CERTIFICATE");
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + ": expected a DER X.509 certificate (" + e.getMessage() + ")", e);
    }
  }

  /** The DER bytes of the single {@code type} PEM block that is the whole of {@code file}. */
  public static byte[] readPem(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    if (!text.startsWith(begin) || !text.endsWith(end) || text.length() < begin.length() + end.length()) {
      throw new IOException(file + ": expected exactly one \"" + type + "\" PEM block");
    }
    String body = text.substring(begin.length(), text.length() - end.length()).replaceAll("[ \t\r\n]", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      if (der.length == 0) {
        throw new IOException(file + ": empty \"" + type + "\" PEM block");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the \"" + type + "\" PEM block is not valid base64");
    }
  }
}
