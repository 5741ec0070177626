package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.crypto.KeyAlgorithm;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * ECDSA for the JCA backend's trusted keys: {@link Ecdsa#withCombTables}, built when the key is prepared. Measured on
 * happy-path-v0.3 (three verifications by trusted P-256 keys per bundle): ~650 us of CPU per warm verification with
 * BouncyCastle's {@code ECDSASigner} for every key, ~550 us with these tables (docs/fast-start.md).
 */
final class CombEcdsaVerifier extends PrehashVerifier {
  private final ECPublicKeyParameters parameters;
  private final Ecdsa ecdsa;

  CombEcdsaVerifier(PublicKey key, KeyAlgorithm algorithm, ECPublicKeyParameters parameters) {
    super(key, algorithm);
    this.parameters = parameters;
    this.ecdsa = Ecdsa.withCombTables(parameters);
  }

  @Override
  protected MessageDigest newDigest(HashAlgorithm hash) {
    return JcaBackend.INSTANCE.newDigest(hash);
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
