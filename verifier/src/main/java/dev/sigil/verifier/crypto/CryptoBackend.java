package dev.sigil.verifier.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.internal.crypto.JcaBackend;
import dev.sigil.verifier.internal.faststart.FastStartBackend;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The cryptography verification runs on: X.509 certificate parsing, public keys from DER SubjectPublicKeyInfo,
 * signature verification per key, and SHA-2 digests. A {@link dev.sigil.verifier.Verifier} uses one backend for
 * everything (chosen with {@code VerifierOptions.builder().cryptoBackend(...)}), and so do the trusted-root readers
 * that take one.
 *
 * <p>Two implementations, which pass the same conformance suite (including Wycheproof's ECDSA, Ed25519, RSA
 * PKCS#1 v1.5 and RSA-PSS vectors) and whose certificate parsers are fuzzed against each other, so that the choice
 * changes start-up time and throughput, never an answer:
 *
 * <ul>
 *   <li>{@link #jca()}, the default: the JDK's {@code CertificateFactory} (BouncyCastle's provider for the
 *       certificates the JDK refuses), the JDK's {@code KeyFactory} and {@code MessageDigest}, BouncyCastle's
 *       lightweight signature verifiers. Best for a process that verifies many times (a service, an admission
 *       webhook).
 *   <li>{@link #fastStart()}: Sigil's own DER certificate reader, keys, ECDSA (over BouncyCastle's curve arithmetic),
 *       RSA and SHA-2, which load neither the JCA provider framework nor BouncyCastle's service registry. Best for a
 *       process that verifies once and exits (the {@code sigil} CLI); see {@code docs/fast-start.md}. What its
 *       readers do not handle (certificates that are not plain DER, unusual keys) it hands to {@link #jca()}.
 * </ul>
 *
 * <p>Implementations are immutable and thread-safe, and their methods do no I/O.
 */
public interface CryptoBackend {
  /** A short name for messages and benchmarks: {@code "jca"} or {@code "fast-start"}. */
  String name();

  /**
   * Parses one DER X.509 certificate.
   *
   * @throws CertificateException if the bytes are not a certificate this backend reads
   */
  X509Certificate parseCertificate(byte[] der) throws CertificateException;

  /**
   * Parses a DER SubjectPublicKeyInfo (ECDSA, Ed25519 or RSA).
   *
   * @throws KeyParseException if it is malformed or of another algorithm; the message says what was found
   */
  PublicKey parsePublicKey(byte[] subjectPublicKeyInfo) throws KeyParseException;

  /**
   * A verifier for {@code key} under its usual scheme: ECDSA with the curve's hash, Ed25519, or RSA PKCS#1 v1.5 with
   * SHA-256. For a key that verifies one or a few signatures (a signing certificate's).
   *
   * @throws UnsupportedKeyException if the key is not ECDSA P-256/384/521, Ed25519 or RSA of at least 2048 bits
   */
  SignatureVerifier newVerifier(PublicKey key) throws UnsupportedKeyException;

  /**
   * As {@link #newVerifier}, for a key that verifies many signatures over the process's life (a key of the trusted
   * material: a log, CT log, CA or TSA key). A backend may spend time and memory up front to verify faster later;
   * whether it does is fixed per backend, never decided by how often the key is used.
   */
  SignatureVerifier newTrustedVerifier(PublicKey key) throws UnsupportedKeyException;

  /**
   * A verifier for RSASSA-PSS signatures (RFC 8017 8.1) by {@code key}, with {@code hash} as the message hash and
   * MGF1 hash, and a salt of exactly {@code saltLength} bytes.
   *
   * @throws UnsupportedKeyException if the key is not RSA of at least 2048 bits, or the salt length is negative
   */
  SignatureVerifier newRsaPssVerifier(PublicKey key, HashAlgorithm hash, int saltLength)
      throws UnsupportedKeyException;

  /** A fresh digest. */
  MessageDigest newDigest(HashAlgorithm algorithm);

  /** {@code algorithm(data)}. */
  default byte[] digest(HashAlgorithm algorithm, byte[] data) {
    return newDigest(algorithm).digest(data);
  }

  /** The JCA and BouncyCastle backend, the default. */
  static CryptoBackend jca() {
    return JcaBackend.INSTANCE;
  }

  /** The backend for one-shot processes; see the class comment. */
  static CryptoBackend fastStart() {
    return FastStartBackend.INSTANCE;
  }
}
