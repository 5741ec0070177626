package dev.sigil.verifier.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** SignatureVerifier's Ed25519 path against signatures made by the JDK (an independent implementation). */
class Ed25519VerifyTest {
  @Test
  void acceptsJdkSignaturesAndRefusesEveryAlteration() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    SignatureVerifier v = SignatureVerifier.of(PublicKeys.fromDer(kp.getPublic().getEncoded()));
    SignatureVerifier other =
        SignatureVerifier.of(
            PublicKeys.fromDer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded()));
    for (int len : new int[] {0, 1, 63, 64, 65, 1000}) {
      byte[] message = new byte[len];
      Arrays.fill(message, (byte) len);
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(kp.getPrivate());
      s.update(message);
      byte[] sig = s.sign();
      v.verifyMessage(message, sig);
      assertThrows(InvalidSignatureException.class, () -> other.verifyMessage(message, sig), "other key");
      for (int i = 0; i < sig.length; i += 7) {
        byte[] bad = sig.clone();
        bad[i] ^= 1;
        assertThrows(InvalidSignatureException.class, () -> v.verifyMessage(message, bad), "bit flip at " + i);
      }
      assertThrows(InvalidSignatureException.class, () -> v.verifyMessage(message, Arrays.copyOf(sig, 63)));
      assertThrows(InvalidSignatureException.class, () -> v.verifyMessage(message, Arrays.copyOf(sig, 65)));
      assertThrows(InvalidSignatureException.class, () -> v.verifyMessage(message, new byte[0]));
      if (len > 0) {
        byte[] changed = message.clone();
        changed[len - 1] ^= 0x40;
        assertThrows(InvalidSignatureException.class, () -> v.verifyMessage(changed, sig), "changed message");
      }
    }
  }
}
