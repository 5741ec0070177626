package dev.sigil.sandbox.rekor;

import dev.sigil.sandbox.keys.KeyFiles;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The log's signing key: signs checkpoints and (Rekor v1) signed entry timestamps. Rekor v1 logs use ECDSA P-256
 * (ASN.1 DER over SHA-256, deterministic per RFC 6979); Rekor v2 logs use Ed25519, as Sigstore's public-good Rekor v2
 * instances do (deterministic by definition), so signatures never depend on the quality of a random source. Stored in
 * the data directory as a PEM {@code PRIVATE KEY} (PKCS#8) file with mode 0600, written atomically; created on first
 * start. Thread-safe.
 */
public final class LogKey {
  static final String FILE_NAME = "log-key.pem";

  /** The key's algorithm. */
  public enum Algorithm {
    ECDSA_P256,
    ED25519
  }

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private final ECPrivateKeyParameters privateKey; // ECDSA_P256 only
  private final Ed25519PrivateKeyParameters edKey; // ED25519 only
  private final PublicKey publicKey;
  private final byte[] logId;

  private LogKey(BigInteger d, PublicKey publicKey) {
    this.privateKey = new ECPrivateKeyParameters(d, DOMAIN);
    this.edKey = null;
    this.publicKey = publicKey;
    this.logId = sha256(publicKey.getEncoded());
  }

  private LogKey(Ed25519PrivateKeyParameters edKey, PublicKey publicKey) {
    this.privateKey = null;
    this.edKey = edKey;
    this.publicKey = publicKey;
    this.logId = sha256(publicKey.getEncoded());
  }

  /** Loads {@code dir/log-key.pem}, or creates an ECDSA P-256 key there (atomically, mode 0600) when absent. */
  static LogKey loadOrCreate(Path dir) throws IOException {
    return loadOrCreate(dir, Algorithm.ECDSA_P256);
  }

  /**
   * Loads {@code dir/log-key.pem}, or creates a key of {@code algorithm} there (atomically, mode 0600) when absent.
   *
   * @throws IOException if the file holds a key of another algorithm
   */
  static LogKey loadOrCreate(Path dir, Algorithm algorithm) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      byte[] pkcs8;
      try {
        if (algorithm == Algorithm.ED25519) {
          pkcs8 = PrivateKeyInfoFactory.createPrivateKeyInfo(new Ed25519PrivateKeyParameters(new SecureRandom()))
              .getEncoded();
        } else {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
          pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("P-256 key generation is in every JDK", e);
      }
      KeyFiles.writeAtomically(file, KeyFiles.pem("PRIVATE KEY", pkcs8), KeyFiles.OWNER_ONLY);
    }
    LogKey key = load(file);
    if (key.algorithm() != algorithm) {
      throw new IOException(file + ": expected a " + algorithm + " key, found a " + key.algorithm() + " key");
    }
    return key;
  }

  /** The key's algorithm. */
  public Algorithm algorithm() {
    return edKey != null ? Algorithm.ED25519 : Algorithm.ECDSA_P256;
  }

  private static LogKey loadEd25519(Path file, byte[] pkcs8) throws IOException {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
      byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
      Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(seed, 0);
      byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
          k.generatePublicKey().getEncoded()).getEncoded();
      PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      return new LogKey(k, pub);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException(file + ": expected a PKCS#8 Ed25519 private key (" + e.getMessage() + ")");
    }
  }

  static LogKey load(Path file) throws IOException {
    KeyFiles.requireOwnerOnly(file, "the log's private key");
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    List<Pem.Block> blocks;
    try {
      blocks = Pem.decode(pem);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    if (blocks.size() != 1 || !blocks.get(0).type().equals("PRIVATE KEY")) {
      throw new IOException(file + ": expected one \"PRIVATE KEY\" (PKCS#8) PEM block");
    }
    byte[] der = blocks.get(0).der();
    try {
      if (PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
        return loadEd25519(file, der);
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": expected a PKCS#8 private key (" + e.getMessage() + ")");
    }
    ECPrivateKey key;
    try {
      key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).der()));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + ": expected a PKCS#8 EC private key (" + e.getMessage() + ")");
    }
    if (!key.getParams().getOrder().equals(P256.getN())
        || !key.getParams().getCurve().getB().equals(P256.getCurve().getB().toBigInteger())) {
      throw new IOException(file + ": expected a key on NIST P-256");
    }
    BigInteger d = key.getS();
    if (d.signum() <= 0 || d.compareTo(P256.getN()) >= 0) {
      throw new IOException(file + ": private scalar out of range");
    }
    org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(P256.getG(), d).normalize();
    try {
      PublicKey pub =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new ECPublicKeySpec(
                      new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                      key.getParams()));
      return new LogKey(d, pub);
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": cannot derive the public key (" + e.getMessage() + ")");
    }
  }

  /** The public key (PKIX). */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as a {@code PUBLIC KEY} PEM block, as Rekor's {@code /api/v1/log/publicKey} serves it. */
  public String publicKeyPem() {
    return KeyFiles.pemString("PUBLIC KEY", publicKey.getEncoded());
  }

  /** SHA-256 of the PKIX public key: the Rekor v1 log ID (Rekor v2 logs' IDs are bound to their name, see the log). */
  public byte[] logId() {
    return logId.clone();
  }

  public String logIdHex() {
    return HexFormat.of().formatHex(logId);
  }

  /** The signed-note key hint: the first four bytes of the log ID. */
  byte[] keyHint() {
    return java.util.Arrays.copyOf(logId, 4);
  }

  /**
   * ECDSA P-256 over SHA-256 of {@code message} (ASN.1 DER), or Ed25519 over {@code message}. Package-private: only
   * the log signs.
   */
  byte[] sign(byte[] message) {
    if (edKey != null) {
      Ed25519Signer ed = new Ed25519Signer();
      ed.init(true, edKey);
      ed.update(message, 0, message.length);
      return ed.generateSignature();
    }
    byte[] digest = sha256(message);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(digest);
    try {
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature cannot fail", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
