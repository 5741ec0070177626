package dev.sigil.signer;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.Pkcs1;
import dev.sigil.verifier.internal.crypto.Providers;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/**
 * Produces signatures in the forms Sigstore verifiers expect: ECDSA as DER (with deterministic nonces, RFC 6979, so
 * signing never depends on the quality of a random source), RSA PKCS#1 v1.5, Ed25519 over the whole message.
 */
public final class DigestSigner {
  private DigestSigner() {}

  /** Signs a precomputed digest (ECDSA and RSA). */
  public static byte[] signDigest(SigningKey key, HashAlgorithm hash, byte[] digest) throws GeneralSecurityException {
    KeyAlgorithm alg = key.algorithm();
    switch (alg) {
      case ECDSA_P256, ECDSA_P384, ECDSA_P521 -> {
        ECPrivateKeyParameters p = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(key.privateKey());
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(bcDigest(hash)));
        s.init(true, p);
        BigInteger[] rs = s.generateSignature(digest);
        try {
          return StandardDSAEncoding.INSTANCE.encode(p.getParameters().getN(), rs[0], rs[1]);
        } catch (IOException e) {
          throw new GeneralSecurityException("DER encoding of an ECDSA signature failed", e);
        }
      }
      case RSA_PKCS1V15 -> {
        Signature s = Signature.getInstance("NONEwithRSA", Providers.bouncyCastle());
        s.initSign(key.privateKey());
        s.update(Pkcs1.digestInfo(hash, digest));
        return s.sign();
      }
      case ED25519 -> throw new GeneralSecurityException("Ed25519 signs messages, not digests");
      default -> throw new IllegalStateException("unreachable: " + alg);
    }
  }

  /** Signs a whole message (Ed25519; for the others the message is hashed with the key's hash first). */
  public static byte[] signMessage(SigningKey key, byte[] message) throws GeneralSecurityException {
    if (key.algorithm() == KeyAlgorithm.ED25519) {
      Signature s = Signature.getInstance("Ed25519", Providers.bouncyCastle());
      s.initSign(key.privateKey());
      s.update(message);
      return s.sign();
    }
    HashAlgorithm h = key.algorithm().hash().orElseThrow();
    return signDigest(key, h, java.security.MessageDigest.getInstance(h.jcaName()).digest(message));
  }

  private static Digest bcDigest(HashAlgorithm h) {
    return switch (h) {
      case SHA2_256 -> new SHA256Digest();
      case SHA2_384 -> new SHA384Digest();
      case SHA2_512 -> new SHA512Digest();
    };
  }
}
