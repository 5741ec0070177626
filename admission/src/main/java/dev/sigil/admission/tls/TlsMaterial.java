package dev.sigil.admission.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * The serving certificate and key, read from PEM files as cert-manager and openssl write them: a certificate chain
 * (leaf first), and an EC or RSA private key in PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}) form, read with BouncyCastle's PEM parser. Encrypted keys are refused (a webhook cannot be
 * asked for a password). The key must match the leaf certificate: checked by signing and verifying a test message.
 *
 * <p>This is transport security for the HTTPS server, not artifact verification: the one package of the webhook
 * that handles key material (ModuleGraphTest and ArchitectureTest allow it here and nowhere else). Key bytes never leave this class
 * except inside the in-memory {@link KeyStore}; messages name files, never contents.
 */
public final class TlsMaterial {
  private static final int MAX_PEM_BYTES = 1 << 20;

  private final KeyStore keyStore;
  private final char[] password;
  private final String fingerprint;
  private final X509Certificate leaf;

  private TlsMaterial(KeyStore keyStore, char[] password, String fingerprint, X509Certificate leaf) {
    this.keyStore = keyStore;
    this.password = password;
    this.fingerprint = fingerprint;
    this.leaf = leaf;
  }

  /** A TLS file that cannot be used; the message names the file and what is wrong. */
  public static final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsException(String message) {
      super(message);
    }
  }

  /** Reads both files and checks they belong together. */
  public static TlsMaterial load(Path certFile, Path keyFile) throws TlsException {
    byte[] certPem = read(certFile, "TLS certificate");
    byte[] keyPem = read(keyFile, "TLS key");
    List<X509Certificate> chain = certificates(certFile, certPem);
    PrivateKey key = privateKey(keyFile, keyPem);
    X509Certificate leaf = chain.get(0);
    checkPair(certFile, keyFile, leaf, key);
    char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("sigil-admission", key, password, chain.toArray(new Certificate[0]));
      String fp;
      try {
        fp = fingerprint(certFile, keyFile);
      } catch (IOException e) {
        throw new TlsException("TLS files changed while being read: " + e.getMessage());
      }
      return new TlsMaterial(ks, password, fp, leaf);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("cannot build a key store from " + certFile + " and " + keyFile + ": " + e.getMessage());
    }
  }

  private static byte[] read(Path file, String what) throws TlsException {
    try {
      if (Files.size(file) > MAX_PEM_BYTES) {
        throw new TlsException(what + " " + file + ": expected a PEM file of at most " + MAX_PEM_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsException(what + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<X509Certificate> certificates(Path file, byte[] pem) throws TlsException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new TlsException("TLS certificate " + file + ": expected PEM certificates, found unreadable content ("
          + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw new TlsException("TLS certificate " + file + ": expected at least one PEM certificate, found none");
    }
    return out;
  }

  private static PrivateKey privateKey(Path file, byte[] pem) throws TlsException {
    Object obj;
    try (Reader r = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      obj = parser.readObject();
      while (obj != null && !(obj instanceof PrivateKeyInfo) && !(obj instanceof PEMKeyPair)
          && !(obj instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair)
          && !(obj instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo)) {
        obj = parser.readObject(); // skip EC PARAMETERS and the like
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsException("TLS key " + file + ": expected a PEM private key, found unreadable content");
    }
    if (obj == null) {
      throw new TlsException(
          "TLS key " + file + ": expected a PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY), found none");
    }
    if (obj instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair
        || obj instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) {
      throw new TlsException("TLS key " + file + ": expected an unencrypted private key, found an encrypted one");
    }
    // The JDK's own key factories, whatever providers are registered: JSSE signs with the key, and BouncyCastle's
    // provider (when registered) would otherwise answer for "ECDSA" with a key of its own.
    PrivateKeyInfo info = obj instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo() : (PrivateKeyInfo) obj;
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    String factory = switch (oid) {
      case "1.2.840.10045.2.1" -> "EC";
      case "1.2.840.113549.1.1.1" -> "RSA";
      case "1.3.101.112" -> "Ed25519";
      default -> throw new TlsException("TLS key " + file + ": expected an EC or RSA private key, found algorithm " + oid);
    };
    try {
      return KeyFactory.getInstance(factory).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("TLS key " + file + ": expected an EC or RSA private key, found one this JDK cannot use");
    }
  }

  private static void checkPair(Path certFile, Path keyFile, X509Certificate leaf, PrivateKey key) throws TlsException {
    String alg = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new TlsException("TLS key " + keyFile + ": expected an EC or RSA key, found " + key.getAlgorithm());
    };
    byte[] probe = "sigil-admission key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(leaf.getPublicKey());
      v.update(probe);
      if (!v.verify(sig)) {
        throw new TlsException("TLS key " + keyFile + " does not match the certificate " + certFile + " ("
            + leaf.getSubjectX500Principal().getName() + ")");
      }
    } catch (GeneralSecurityException e) {
      throw new TlsException("TLS key " + keyFile + " does not match the certificate " + certFile + " ("
          + leaf.getSubjectX500Principal().getName() + ")");
    }
  }

  public KeyStore keyStore() {
    return keyStore;
  }

  /** The in-memory key store's password (random per load; it protects nothing on disk). */
  public char[] password() {
    return password.clone();
  }

  /** SHA-256 over both files: a change means reload. */
  public String fingerprint() {
    return fingerprint;
  }

  /** SHA-256 over both files' contents (a change means reload). */
  public static String fingerprint(Path certFile, Path keyFile) throws IOException {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    for (Path f : List.of(certFile, keyFile)) {
      md.update(Files.readAllBytes(f));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * A TLS context that trusts exactly this certificate: for the server's own warm-up requests to itself, never for
   * anything else.
   */
  public javax.net.ssl.SSLContext contextTrustingItself() throws GeneralSecurityException {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try {
      ts.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("empty key store", e);
    }
    ts.setCertificateEntry("self", leaf);
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** For log lines: subject and expiry. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant();
  }
}
