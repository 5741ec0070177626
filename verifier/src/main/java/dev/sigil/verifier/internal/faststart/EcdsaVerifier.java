package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import dev.sigil.verifier.internal.crypto.Ecdsa;
import dev.sigil.verifier.internal.crypto.EcdsaSignatures;
import dev.sigil.verifier.internal.crypto.PrehashVerifier;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/** ECDSA with {@link Ecdsa} and {@link Sha2}. */
final class EcdsaVerifier extends PrehashVerifier {
  private final ECPublicKeyParameters parameters;
  private final Ecdsa ecdsa;

  EcdsaVerifier(PublicKey key, KeyAlgorithm algorithm, ECPublicKeyParameters parameters) {
    super(key, algorithm);
    this.parameters = parameters;
    this.ecdsa = new Ecdsa(parameters);
  }

  @Override
  protected MessageDigest newDigest(HashAlgorithm hash) {
    return new Sha2(hash);
  }

  @Override
  protected void verifyCheckedDigest(HashAlgorithm hash, byte[] digest, byte[] signature)
      throws InvalidSignatureException {
    BigInteger[] rs = EcdsaSignatures.decode(parameters.getParameters().getN(), signature);
    if (!ecdsa.verify(digest, rs[0], rs[1])) {
      throw new InvalidSignatureException(algorithm().displayName() + " signature does not verify with the given key");
    }
  }
}
