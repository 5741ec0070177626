package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Verifies signatures made by one public key. Build once per key and reuse: key parameters (and BouncyCastle's
 * point-multiplication tables) are prepared at construction. Thread-safe. Failures are thrown, never returned.
 *
 * <p>Keys of the trusted root (logs, CT logs, CAs, TSAs) are built with {@link #longLived}: once such an ECDSA key
 * has verified {@link #COMB_AFTER} signatures it gets comb tables ({@link Ecdsa#promote()}), which make each further
 * verification ~25-30% faster. A one-shot CLI run never pays the ~1.5 ms the tables cost.
 */
public final class SignatureVerifier {
  /** How many ECDSA verifications a long-lived key serves before it gets comb tables. */
  public static final int COMB_AFTER = 8;

  private final PublicKey key;
  private final KeyAlgorithm algorithm;
  private final ECPublicKeyParameters ecParams;
  private final Ecdsa ecdsa;
  private final Ed25519PublicKeyParameters edParams;
  private final String hint;
  private final byte[] encoded;
  private final boolean longLived;
  /** Verifications by a long-lived key, counted up to COMB_AFTER: then it is warm (comb tables, JDK digests). */
  private final java.util.concurrent.atomic.AtomicInteger uses = new java.util.concurrent.atomic.AtomicInteger();

  private SignatureVerifier(PublicKey key, KeyAlgorithm algorithm, boolean longLived) throws UnsupportedKeyException {
    this.key = key;
    this.algorithm = algorithm;
    this.longLived = longLived;
    this.encoded = key.getEncoded();
    this.hint = PublicKeys.hint(key);
    try {
      if (key instanceof ECPublicKey ec) {
        this.ecParams = EcCurves.publicKeyParameters(ec, algorithm);
        this.edParams = null;
      } else if (algorithm == KeyAlgorithm.ED25519) {
        this.ecParams = null;
        byte[] raw =
            key instanceof Ed25519Key ed
                ? ed.raw()
                : SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getOctets();
        this.edParams = new Ed25519PublicKeyParameters(raw, 0);
      } else {
        this.ecParams = null;
        this.edParams = null;
      }
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException("public key: unusable " + algorithm.displayName() + " key (" + e.getMessage() + ")");
    }
    this.ecdsa = ecParams == null ? null : new Ecdsa(ecParams);
  }

  /** A verifier for this key, e.g. a signing certificate's (one or a few signatures per key). */
  public static SignatureVerifier of(PublicKey key) throws UnsupportedKeyException {
    return new SignatureVerifier(key, KeyAlgorithm.of(key), false);
  }

  /**
   * A verifier for a key that verifies many signatures over the process's life (a trusted-root key): after
   * {@link #COMB_AFTER} ECDSA verifications it builds comb tables and verifies faster from then on.
   */
  public static SignatureVerifier longLived(PublicKey key) throws UnsupportedKeyException {
    return new SignatureVerifier(key, KeyAlgorithm.of(key), true);
  }

  /** Whether this verifier has built its comb tables (for tests and benchmarks). */
  public boolean combTablesBuilt() {
    return ecdsa != null && ecdsa.promoted();
  }

  public PublicKey publicKey() {
    return key;
  }

  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  /** The key's DER SubjectPublicKeyInfo, encoded once (some providers re-encode on every getEncoded()). */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The key's hint: base64 SHA-256 of its DER encoding (computed once). */
  public String hint() {
    return hint;
  }

  /** Whether this key's signatures can be checked from a digest alone (all but Ed25519). */
  public boolean supportsPrehashed() {
    return algorithm != KeyAlgorithm.ED25519;
  }

  /**
   * Verifies a signature over a message. ECDSA and RSA hash it with the scheme's hash; Ed25519 signs it directly.
   */
  public void verifyMessage(byte[] message, byte[] signature) throws InvalidSignatureException {
    if (algorithm == KeyAlgorithm.ED25519) {
      used();
      // Ed25519Signer would do the same two steps, but its init() starts BouncyCastle's CryptoServicesRegistrar
      // (java.util.logging and a class-path scan, ~25 ms of a one-shot run, profiled).
      if (signature.length != org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE
          || !edParams.verify(
              org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519,
              null,
              message,
              0,
              message.length,
              signature,
              0)) {
        throw new InvalidSignatureException("Ed25519 signature does not verify with the given key");
      }
      return;
    }
    HashAlgorithm h = algorithm.hash().orElseThrow();
    verifyDigest(h, digest(h, message), signature);
  }

  /**
   * Verifies a signature over a precomputed digest. The digest algorithm is the one the signer used; for ECDSA any
   * SHA-2 digest is accepted (cosign signs P-256 keys' artifacts with SHA-256 and so on), for RSA it is encoded into
   * the PKCS#1 DigestInfo.
   */
  public void verifyDigest(HashAlgorithm hash, byte[] digest, byte[] signature) throws InvalidSignatureException {
    used();
    if (digest.length != hash.length()) {
      throw new InvalidSignatureException(
          "digest length: expected " + hash.length() + " bytes for " + hash + ", found " + digest.length);
    }
    switch (algorithm) {
      case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> verifyEcdsa(digest, signature);
      case RSA_PKCS1V15 -> verifyRsa(hash, digest, signature);
      case ED25519 -> throw new InvalidSignatureException(
          "Ed25519 signs the whole artifact, so it cannot be verified from a digest alone; pass the file");
      default -> throw new IllegalStateException("unreachable: " + algorithm);
    }
  }

  private void verifyEcdsa(byte[] digest, byte[] signature) throws InvalidSignatureException {
    BigInteger[] rs;
    try {
      rs = StandardDSAEncoding.INSTANCE.decode(ecParams.getParameters().getN(), signature);
    } catch (IOException | RuntimeException e) {
      throw new InvalidSignatureException(
          "ECDSA signature: expected a DER SEQUENCE of two INTEGERs, found " + signature.length + " malformed bytes");
    }
    if (!ecdsa.promoted() && warm()) { // verifyDigest, the only caller, has counted this verification
      ecdsa.promote();
    }
    if (!ecdsa.verify(digest, rs[0], rs[1])) {
      throw new InvalidSignatureException(
          algorithm.displayName() + " signature does not verify with the given key");
    }
  }

  private void verifyRsa(HashAlgorithm hash, byte[] digest, byte[] signature) throws InvalidSignatureException {
    try {
      Signature s = Signature.getInstance("NONEwithRSA", Providers.bouncyCastle());
      s.initVerify(key);
      s.update(digestInfo(hash, digest));
      if (!s.verify(signature)) {
        throw new InvalidSignatureException("RSA PKCS#1 v1.5 signature does not verify with the given key");
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidSignatureException("RSA PKCS#1 v1.5 signature: malformed (" + e.getMessage() + ")");
    }
  }

  /** DER DigestInfo for PKCS#1 v1.5 signatures over a precomputed digest. */
  public static byte[] digestInfo(HashAlgorithm hash, byte[] digest) throws IOException {
    ASN1ObjectIdentifier oid =
        switch (hash) {
          case SHA2_256 -> NISTObjectIdentifiers.id_sha256;
          case SHA2_384 -> NISTObjectIdentifiers.id_sha384;
          case SHA2_512 -> NISTObjectIdentifiers.id_sha512;
        };
    return new DigestInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), digest).getEncoded(ASN1Encoding.DER);
  }

  /**
   * {@code h(data)}, for a signature this key checks. While the key is new: {@link Digests}' own SHA-2, which a
   * one-shot run can use without starting the JCA. Once a {@link #longLived} key has served {@link #COMB_AFTER}
   * verifications (a warm process, as for its comb tables): the JDK's SHA-2, whose SHA-NI code is ~8x faster per
   * byte (0.8 against 6 us per KiB, measured here).
   */
  public byte[] digest(HashAlgorithm h, byte[] data) {
    return newDigest(h).digest(data);
  }

  /** A fresh digest chosen as {@link #digest(HashAlgorithm, byte[])} chooses it. */
  public MessageDigest newDigest(HashAlgorithm h) {
    return warm() ? Digests.forLargeInput(h) : Digests.newDigest(h);
  }

  private boolean warm() {
    return longLived && uses.get() >= COMB_AFTER;
  }

  /** Counts a verification by a long-lived key, up to the point where it is warm. */
  private void used() {
    if (longLived && uses.get() < COMB_AFTER) {
      uses.incrementAndGet();
    }
  }
}
