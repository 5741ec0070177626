package dev.sigil.verifier.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sigil.verifier.bundle.HashAlgorithm;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** Which SHA-2 a verifier hashes with: its own while new, the JDK's once a long-lived key is warm; same digests. */
class SignatureVerifierDigestTest {
  @Test
  void longLivedKeysSwitchToTheJdksDigestsOnceWarm() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    java.security.PublicKey key = PublicKeys.fromDer(kp.getPublic().getEncoded());
    SignatureVerifier oneShot = SignatureVerifier.of(key);
    SignatureVerifier trusted = SignatureVerifier.longLived(key);
    byte[] message = "the same bytes either way".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(message);
    byte[] sig = s.sign();

    assertNull(trusted.newDigest(HashAlgorithm.SHA2_256).getProvider(), "a new key hashes without the JCA");
    for (int i = 0; i < SignatureVerifier.COMB_AFTER + 2; i++) {
      trusted.verifyMessage(message, sig);
      oneShot.verifyMessage(message, sig);
    }
    assertNotNull(trusted.newDigest(HashAlgorithm.SHA2_256).getProvider(), "a warm trusted key uses the JDK's SHA-2");
    assertNull(oneShot.newDigest(HashAlgorithm.SHA2_256).getProvider(), "a one-shot key never switches");
    for (HashAlgorithm h : HashAlgorithm.values()) {
      byte[] expected = MessageDigest.getInstance(h.jcaName()).digest(message);
      assertArrayEquals(expected, trusted.digest(h, message), h.toString());
      assertArrayEquals(expected, oneShot.digest(h, message), h.toString());
    }
  }
}
