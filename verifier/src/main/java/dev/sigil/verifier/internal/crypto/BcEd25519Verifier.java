package dev.sigil.verifier.internal.crypto;

import dev.sigil.verifier.crypto.InvalidSignatureException;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 (RFC 8032) with BouncyCastle's {@link Ed25519Signer}. */
final class BcEd25519Verifier extends WholeMessageVerifier {
  private final Ed25519PublicKeyParameters parameters;

  BcEd25519Verifier(PublicKey key, byte[] raw) {
    super(key);
    this.parameters = new Ed25519PublicKeyParameters(raw, 0);
  }

  @Override
  public void verifyMessage(byte[] message, byte[] signature) throws InvalidSignatureException {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(false, parameters);
    signer.update(message, 0, message.length);
    if (!signer.verifySignature(signature)) {
      throw doesNotVerify();
    }
  }
}
