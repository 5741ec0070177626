package dev.sigil.verifier.internal.faststart;

import dev.sigil.verifier.crypto.InvalidSignatureException;
import dev.sigil.verifier.internal.crypto.WholeMessageVerifier;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) with BouncyCastle's key parameters, which verify with the same RFC 8032 code as its
 * {@code Ed25519Signer} without that class's {@code init}, which starts BouncyCastle's service registry.
 */
final class Ed25519Verifier extends WholeMessageVerifier {
  private final Ed25519PublicKeyParameters parameters;

  Ed25519Verifier(PublicKey key, byte[] raw) {
    super(key);
    this.parameters = new Ed25519PublicKeyParameters(raw, 0);
  }

  @Override
  public void verifyMessage(byte[] message, byte[] signature) throws InvalidSignatureException {
    if (signature.length != ED25519_SIGNATURE_LENGTH
        || !parameters.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0)) {
      throw doesNotVerify();
    }
  }
}
