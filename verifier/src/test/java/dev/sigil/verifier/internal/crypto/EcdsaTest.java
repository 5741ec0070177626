package dev.sigil.verifier.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.crypto.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ecdsa}, with and without comb tables, against BouncyCastle's {@link ECDSASigner} on valid signatures and on
 * every kind of wrong one, for the three curves.
 */
class EcdsaTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  record Case(String what, byte[] digest, BigInteger r, BigInteger s) {}

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void agreesWithBouncyCastleOnValidAndWrongSignatures(String curve) throws Exception {
    for (int k = 0; k < 3; k++) {
      KeyPair kp = keyPair(curve);
      ECPublicKeyParameters params =
          EcCurves.publicKeyParameters((ECPublicKey) kp.getPublic(), KeyAlgorithm.of(kp.getPublic()));
      BigInteger n = params.getParameters().getN();
      Ecdsa ecdsa = new Ecdsa(params);
      Ecdsa comb = Ecdsa.withCombTables(params);
      assertTrue(comb.hasCombTables());
      assertFalse(ecdsa.hasCombTables());
      List<Case> cases = new ArrayList<>();
      for (String hash : new String[] {"SHA-256", "SHA-384", "SHA-512"}) {
        for (int i = 0; i < 6; i++) {
          byte[] message = new byte[1 + RANDOM.nextInt(100)];
          RANDOM.nextBytes(message);
          byte[] der = sign(kp, hash, message);
          BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, der);
          byte[] digest = MessageDigest.getInstance(hash).digest(message);
          BigInteger r = rs[0];
          BigInteger s = rs[1];
          cases.add(new Case("valid " + hash, digest, r, s));
          cases.add(new Case("high s (ECDSA allows both)", digest, r, n.subtract(s)));
          byte[] flipped = digest.clone();
          // Inside the leftmost bitlen(n) bits: ECDSA ignores the rest of a longer digest (a flip there still
          // verifies, with BouncyCastle too).
          flipped[RANDOM.nextInt(Math.min(flipped.length, n.bitLength() / 8))] ^= (byte) (1 << RANDOM.nextInt(8));
          cases.add(new Case("digest bit flipped", flipped, r, s));
          cases.add(new Case("r + 1", digest, r.add(BigInteger.ONE), s));
          cases.add(new Case("s + 1", digest, r, s.add(BigInteger.ONE)));
          cases.add(new Case("r and s swapped", digest, s, r));
          cases.add(new Case("r + n", digest, r.add(n), s));
          cases.add(new Case("s + n", digest, r, s.add(n)));
          cases.add(new Case("r = 0", digest, BigInteger.ZERO, s));
          cases.add(new Case("s = 0", digest, r, BigInteger.ZERO));
          cases.add(new Case("r = n", digest, n, s));
          cases.add(new Case("s = n", digest, r, n));
          cases.add(new Case("r negative", digest, r.negate(), s));
          cases.add(new Case("empty digest", new byte[0], r, s));
          if (digest.length * 8 > n.bitLength()) {
            byte[] tail = digest.clone();
            tail[tail.length - 1] ^= 1;
            cases.add(new Case("valid: a flip beyond the order's bit length is ignored", tail, r, s));
          }
        }
      }
      int valid = 0;
      for (Case c : cases) {
        ECDSASigner bc = new ECDSASigner();
        bc.init(false, params);
        boolean expected = bc.verifySignature(c.digest(), c.r(), c.s());
        assertEquals(expected, ecdsa.verify(c.digest(), c.r(), c.s()), curve + ": " + c.what());
        assertEquals(expected, comb.verify(c.digest(), c.r(), c.s()), curve + " comb: " + c.what());
        if (c.what().startsWith("valid") || c.what().startsWith("high s")) {
          assertTrue(expected, c.what());
          valid += c.what().startsWith("valid:") ? 0 : 1;
        } else if (!c.what().equals("empty digest")) {
          assertFalse(expected, c.what());
        }
      }
      assertEquals(36, valid);
    }
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve), RANDOM);
    return g.generateKeyPair();
  }

  /** A DER ECDSA signature over {@code message} hashed with {@code hash}, made by the JDK (an independent signer). */
  private static byte[] sign(KeyPair kp, String hash, byte[] message) throws Exception {
    Signature s = Signature.getInstance(hash.replace("-", "") + "withECDSA");
    s.initSign(kp.getPrivate(), RANDOM);
    s.update(message);
    return s.sign();
  }
}
