package dev.sigil.sandbox.keys;

import dev.sigil.verifier.internal.crypto.Providers;
import dev.sigil.verifier.internal.pem.Pem;
import dev.sigil.verifier.internal.pem.PemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
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
    return Pem.encode(type, der).getBytes(StandardCharsets.US_ASCII);
  }

  /** {@link #pem} as a string. */
  public static String pemString(String type, byte[] der) {
    return new String(pem(type, der), StandardCharsets.US_ASCII);
  }

  public static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes {@code bytes} to {@code target} atomically and durably: a uniquely named temporary sibling is created
   * (with {@code permissions} from the start when given and the file system is POSIX), written, synced and renamed
   * over the target, and the directory is synced. A crash leaves either the old content or the new, never a mix;
   * concurrent writers each rename a whole file of their own (the last one wins).
   */
  public static void writeAtomically(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = temporarySibling(dir, target, bytes, permissions);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /**
   * Creates {@code target} with {@code bytes} unless it exists, atomically and durably, safe against a concurrent
   * creator: a uniquely named temporary file (with {@code permissions} from the start) is written, synced and
   * hard-linked to the target name, which fails if the target exists. Of two processes creating the file at once the
   * first wins and the other keeps the winner's file (where hard links are unsupported, it is renamed instead).
   *
   * @return whether this call created the file
   */
  public static boolean createAtomically(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = temporarySibling(dir, target, bytes, permissions);
    boolean created = true;
    try {
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        created = false; // created meanwhile by another opener: theirs is used (the temporary file is deleted below)
      } catch (UnsupportedOperationException e) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    if (created) {
      syncDirectory(dir);
    }
    return created;
  }

  /** Makes a directory's entries (created, renamed files) durable. A no-op where directories cannot be opened. */
  public static void syncDirectory(Path dir) throws IOException {
    if (!isPosix()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir == null ? Path.of(".") : dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Fails unless {@code file} is owner read/write only (0600 or narrower), on POSIX file systems.
   *
   * @param what the file's role in the message, e.g. "a private key"
   */
  public static void requireOwnerOnly(Path file, String what) throws IOException {
    if (isPosix()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new IOException(
            file + ": expected mode 0600 (owner read/write only) for " + what + ", found "
                + PosixFilePermissions.toString(perms));
      }
    }
  }

  /**
   * A uniquely named file in {@code dir} beside {@code target}, created with {@code permissions} (when given, on POSIX;
   * set again afterwards, since the umask may narrow what creation applied), holding {@code bytes}, synced.
   */
  private static Path temporarySibling(Path dir, Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    boolean posix = permissions != null && isPosix();
    FileAttribute<?>[] attrs =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    // CREATE_NEW under a random name rather than Files.createTempFile, which would make every file 0600: files
    // written without permissions (trusted_root.json, public keys) keep the umask's mode.
    Path tmp;
    FileChannel opened;
    while (true) {
      long r = java.util.concurrent.ThreadLocalRandom.current().nextLong();
      tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(r, 36) + ".tmp");
      try {
        opened = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs);
        break;
      } catch (FileAlreadyExistsException e) {
        // another writer drew the same name: draw again
      }
    }
    try {
      try (FileChannel ch = opened) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      if (posix) {
        Files.setPosixFilePermissions(tmp, permissions);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /**
   * Reads a PKCS#8 {@code PRIVATE KEY} PEM file holding an EC key on a curve of {@code fieldBits} bits (256 for
   * P-256, 384 for P-384). On POSIX file systems the file must be mode 0600 (or narrower).
   */
  public static PrivateKey readEcPrivateKey(Path file, int fieldBits) throws IOException {
    requireOwnerOnly(file, "a private key");
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

  /** The DER bytes of the single {@code type} PEM block that is the whole of {@code file} (whitespace aside). */
  public static byte[] readPem(Path file, String type) throws IOException {
    try {
      return onlyBlock(Files.readAllBytes(file), type);
    } catch (PemException e) {
      throw new IOException(file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /**
   * The bytes of the single {@code type} PEM block ({@link Pem.Mode#STRICT}) that is the whole of {@code text},
   * whitespace aside.
   *
   * @throws PemException if the block is malformed, its body not base64 or empty
   * @throws IllegalArgumentException if the text is not exactly one such block
   */
  public static byte[] onlyBlock(byte[] text, String type) throws PemException {
    List<Pem.Block> blocks = Pem.decode(text, Pem.Mode.STRICT);
    if (blocks.size() != 1
        || !blocks.get(0).label().equals(type)
        || !isWhitespace(text, 0, blocks.get(0).start())
        || !isWhitespace(text, blocks.get(0).end(), text.length)) {
      throw new IllegalArgumentException("expected exactly one \"" + type + "\" PEM block");
    }
    return blocks.get(0).bytes();
  }

  private static boolean isWhitespace(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
        return false;
      }
    }
    return true;
  }
}
