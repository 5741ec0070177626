package dev.sigil.sandbox.keys;

import dev.sigil.verifier.internal.crypto.Providers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A root key and certificate with one certificate it signed (the Fulcio intermediate, the TSA leaf), kept as four PEM
 * files in a directory. The keys are written first and the child certificate last, so its presence marks a complete
 * set; reading checks that every file is there, each key belongs to its certificate, the root is self-signed and the
 * child was issued and signed by the root.
 *
 * @param rootKeyFile file name of the root's PKCS#8 private key (mode 0600)
 * @param childKeyFile file name of the child's PKCS#8 private key (mode 0600)
 * @param rootCertFile file name of the root certificate
 * @param childCertFile file name of the child certificate, written last
 * @param what what the set is, for messages ("CA", "TSA")
 */
public record KeyChainFiles(
    String rootKeyFile, String childKeyFile, String rootCertFile, String childCertFile, String what) {

  /** A key set as read back and checked. */
  public record Loaded(PrivateKey rootKey, X509Certificate root, PrivateKey childKey, X509Certificate child) {}

  /** Whether the set was completed (its child certificate exists). */
  public boolean existsIn(Path dir) {
    return Files.exists(dir.resolve(childCertFile));
  }

  /** Writes the set, atomically file by file, the child certificate last. */
  public void write(Path dir, KeyPair root, X509CertificateHolder rootCert, KeyPair child, X509CertificateHolder childCert)
      throws IOException {
    KeyFiles.writeAtomically(
        dir.resolve(rootKeyFile), KeyFiles.pem("PRIVATE KEY", root.getPrivate().getEncoded()), KeyFiles.OWNER_ONLY);
    KeyFiles.writeAtomically(
        dir.resolve(childKeyFile), KeyFiles.pem("PRIVATE KEY", child.getPrivate().getEncoded()), KeyFiles.OWNER_ONLY);
    KeyFiles.writeAtomically(dir.resolve(rootCertFile), KeyFiles.pem("CERTIFICATE", rootCert.getEncoded()), null);
    // Last: its presence marks the set as complete.
    KeyFiles.writeAtomically(dir.resolve(childCertFile), KeyFiles.pem("CERTIFICATE", childCert.getEncoded()), null);
  }

  /**
   * Reads and checks the set in {@code dir}.
   *
   * @param fieldBits the EC keys' curve size (256, 384)
   * @param signatureAlgorithm the JCA algorithm of the key-pair probe, e.g. SHA384withECDSA
   */
  public Loaded load(Path dir, int fieldBits, String signatureAlgorithm) throws IOException {
    for (String name : List.of(rootKeyFile, childKeyFile, rootCertFile)) {
      if (!Files.exists(dir.resolve(name))) {
        throw new IOException(
            dir.resolve(name) + ": missing, while " + childCertFile + " exists; the " + what + " key set is incomplete");
      }
    }
    PrivateKey rootKey = KeyFiles.readEcPrivateKey(dir.resolve(rootKeyFile), fieldBits);
    PrivateKey childKey = KeyFiles.readEcPrivateKey(dir.resolve(childKeyFile), fieldBits);
    X509Certificate root = KeyFiles.readCertificate(dir.resolve(rootCertFile));
    X509Certificate child = KeyFiles.readCertificate(dir.resolve(childCertFile));
    try {
      KeyFiles.checkPair(dir.resolve(rootKeyFile), rootKey, root.getPublicKey(), signatureAlgorithm);
      KeyFiles.checkPair(dir.resolve(childKeyFile), childKey, child.getPublicKey(), signatureAlgorithm);
      root.verify(root.getPublicKey(), Providers.bouncyCastle());
      if (!child.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
        throw new IOException(
            dir.resolve(childCertFile) + ": expected a certificate issued by the root in " + rootCertFile);
      }
      child.verify(root.getPublicKey(), Providers.bouncyCastle());
    } catch (GeneralSecurityException e) {
      throw new IOException(dir + ": the " + what + " key set does not check out (" + e.getMessage() + ")", e);
    }
    return new Loaded(rootKey, root, childKey, child);
  }
}
