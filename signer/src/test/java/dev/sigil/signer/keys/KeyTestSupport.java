package dev.sigil.signer.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.HashMap;
import java.util.Map;

/** Key generation (BouncyCastle) and key comparison shared by the tests of this package. */
final class KeyTestSupport {
  private static final Map<String, KeyPair> CACHE = new HashMap<>();

  private KeyTestSupport() {}

  /** One key pair per kind for the whole test run: "P-256", "P-384", "Ed25519" or "RSA-3072". */
  static synchronized KeyPair keyPair(String kind) {
    return CACHE.computeIfAbsent(kind, KeyTestSupport::generate);
  }

  private static KeyPair generate(String kind) {
    try {
      KeyPairGenerator g;
      switch (kind) {
        case "P-256", "P-384" -> {
          g = KeyPairGenerator.getInstance("EC", KeyMaterial.provider());
          g.initialize(new ECGenParameterSpec(kind.equals("P-256") ? "secp256r1" : "secp384r1"));
        }
        case "Ed25519" -> g = KeyPairGenerator.getInstance("Ed25519", KeyMaterial.provider());
        case "RSA-3072" -> {
          g = KeyPairGenerator.getInstance("RSA", KeyMaterial.provider());
          g.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4));
        }
        default -> throw new IllegalArgumentException(kind);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "ED25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException(keyAlgorithm);
    };
  }

  /** Asserts that {@code priv} and {@code pub} are the two halves of one key pair: a signature by one verifies. */
  static void assertPair(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
    byte[] msg = "sigil key pair check".getBytes(StandardCharsets.UTF_8);
    String alg = signatureAlgorithm(priv.getAlgorithm());
    Signature s = Signature.getInstance(alg, KeyMaterial.provider());
    s.initSign(priv);
    s.update(msg);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg, KeyMaterial.provider());
    v.initVerify(pub);
    v.update(msg);
    assertTrue(v.verify(sig), "signature by the private key must verify under the public key");
    v.initVerify(pub);
    v.update("another message".getBytes(StandardCharsets.UTF_8));
    assertTrue(!v.verify(sig), "signature must not verify for another message");
  }

  /** Asserts that two private keys hold the same secret (compared through their parsed PKCS#8 contents). */
  static void assertSamePrivateKey(PrivateKey expected, PrivateKey actual) {
    assertEquals(normalizedAlgorithm(expected), normalizedAlgorithm(actual));
    if (expected instanceof java.security.interfaces.ECPrivateKey e
        && actual instanceof java.security.interfaces.ECPrivateKey a) {
      assertEquals(e.getS(), a.getS());
      assertEquals(e.getParams().getCurve(), a.getParams().getCurve());
    } else if (expected instanceof java.security.interfaces.RSAPrivateKey e
        && actual instanceof java.security.interfaces.RSAPrivateKey a) {
      assertEquals(e.getModulus(), a.getModulus());
      assertEquals(e.getPrivateExponent(), a.getPrivateExponent());
    } else {
      assertEquals(
          org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(expected.getEncoded()).getPrivateKey(),
          org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(actual.getEncoded()).getPrivateKey());
    }
  }

  static String normalizedAlgorithm(PrivateKey k) {
    String a = k.getAlgorithm();
    return switch (a) {
      case "ECDSA", "EC" -> "EC";
      case "ED25519", "Ed25519", "EdDSA" -> "Ed25519";
      default -> a;
    };
  }

  static String resource(String name) throws IOException {
    try (InputStream in = KeyTestSupport.class.getResourceAsStream("/keys/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource keys/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
