package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.NullDigest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.DigestFactory;

/**
 * RSA PKCS#1 v1.5 ({@link RSADigestSigner}) and RSASSA-PSS ({@link PSSSigner} in its raw form, which takes the
 * message hash) with BouncyCastle, over a precomputed digest.
 */
final class BcRsaVerifier extends PrehashVerifier {
  private final RSAKeyParameters parameters;
  private final HashAlgorithm pssHash; // null for PKCS#1 v1.5
  private final int saltLength;

  private BcRsaVerifier(RSAPublicKey key, KeyAlgorithm algorithm, HashAlgorithm pssHash, int saltLength) {
    super(key, algorithm);
    this.parameters = new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent());
    this.pssHash = pssHash;
    this.saltLength = saltLength;
  }

  static BcRsaVerifier pkcs1(RSAPublicKey key) {
    return new BcRsaVerifier(key, KeyAlgorithm.RSA_PKCS1V15, null, 0);
  }

  static BcRsaVerifier pss(RSAPublicKey key, HashAlgorithm hash, int saltLength) {
    return new BcRsaVerifier(key, KeyAlgorithm.RSA_PSS, hash, saltLength);
  }

  @Override
  protected HashAlgorithm messageHash() {
    return pssHash == null ? super.messageHash() : pssHash;
  }

  @Override
  protected MessageDigest newDigest(HashAlgorithm hash) {
    return JcaBackend.INSTANCE.newDigest(hash);
  }

  @Override
  protected void verifyCheckedDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    Signer signer;
    String scheme;
    if (pssHash == null) {
      signer = new RSADigestSigner(new NullDigest(), oid(hash));
      scheme = "RSA PKCS#1 v1.5";
    } else {
      if (hash != pssHash) {
        throw new InvalidSignatureException(
            "RSA-PSS: expected a " + pssHash + " digest (the key's PSS parameters), found " + hash);
      }
      signer = PSSSigner.createRawSigner(new RSAEngine(), bc(hash), bc(hash), saltLength, PSSSigner.TRAILER_IMPLICIT);
      scheme = "RSA-PSS";
    }
    try {
      signer.init(false, parameters);
      signer.update(digest, 0, digest.length);
      if (signer.verifySignature(signature)) {
        return;
      }
    } catch (RuntimeException e) {
      throw new InvalidSignatureException(scheme + " signature: malformed (" + e.getMessage() + ")");
    }
    throw new InvalidSignatureException(scheme + " signature does not verify with the given key");
  }

  private static ASN1ObjectIdentifier oid(HashAlgorithm hash) {
    return switch (hash) {
      case SHA2_256 -> NISTObjectIdentifiers.id_sha256;
      case SHA2_384 -> NISTObjectIdentifiers.id_sha384;
      case SHA2_512 -> NISTObjectIdentifiers.id_sha512;
    };
  }

  private static Digest bc(HashAlgorithm hash) {
    return switch (hash) {
      case SHA2_256 -> DigestFactory.createSHA256();
      case SHA2_384 -> DigestFactory.createSHA384();
      case SHA2_512 -> DigestFactory.createSHA512();
    };
  }
}
