package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA with BouncyCastle's {@link ECDSASigner} over key parameters built once: BouncyCastle keeps its point
 * precomputation on the key's point, so the second and later verifications by a key are the cheap ones.
 */
final class BcEcdsaVerifier extends PrehashVerifier {
  private final ECPublicKeyParameters parameters;

  BcEcdsaVerifier(PublicKey key, KeyAlgorithm algorithm, ECPublicKeyParameters parameters) {
    super(key, algorithm);
    this.parameters = parameters;
  }

  @Override
  protected MessageDigest newDigest(HashAlgorithm hash) {
    return JcaBackend.INSTANCE.newDigest(hash);
  }

  @Override
  protected void verifyCheckedDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    BigInteger[] rs = EcdsaSignatures.decode(parameters.getParameters().getN(), signature);
    ECDSASigner signer = new ECDSASigner(); // holds the key only; one per call keeps this class thread-safe
    signer.init(false, parameters);
    if (!signer.verifySignature(digest, rs[0], rs[1])) {
      throw new InvalidSignatureException(algorithm().displayName() + " signature does not verify with the given key");
    }
  }
}
