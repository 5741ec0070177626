package dev.sigil.verifier.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.crypto.Providers;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class KeyAlgorithmTest {
  private static java.security.PublicKey ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair().getPublic();
  }

  @Test
  void nistCurvesAreRecognised() throws Exception {
    assertEquals(KeyAlgorithm.ECDSA_P256, KeyAlgorithm.of(ec("secp256r1")));
    assertEquals(KeyAlgorithm.ECDSA_P384, KeyAlgorithm.of(ec("secp384r1")));
    assertEquals(KeyAlgorithm.ECDSA_P521, KeyAlgorithm.of(ec("secp521r1")));
  }

  @Test
  void otherCurvesOfTheSameSizeAreRejected() throws Exception {
    UnsupportedKeyException e = assertThrows(UnsupportedKeyException.class, () -> KeyAlgorithm.of(ec("secp256k1")));
    assertTrue(e.getMessage().contains("256-bit curve that is none of them"), e.getMessage());
    assertThrows(UnsupportedKeyException.class, () -> KeyAlgorithm.of(ec("brainpoolP256r1")));
  }
}
