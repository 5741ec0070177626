package dev.sigil.signer.keys;

import static dev.sigil.signer.keys.KeyTestSupport.assertPair;
import static dev.sigil.signer.keys.KeyTestSupport.assertSamePrivateKey;
import static dev.sigil.signer.keys.KeyTestSupport.keyPair;
import static dev.sigil.signer.keys.KeyTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemKeysTest {

  /** PEM as BouncyCastle's own writer produces it (SEC1 for EC, PKCS#1 for RSA, PKCS#8 otherwise). */
  private static String bcPem(Object o) throws Exception {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  private static String pkcs8Pem(PrivateKey k) {
    return Pem.encode("PRIVATE KEY", k.getEncoded());
  }

  @ParameterizedTest
  @ValueSource(strings = {"P-256", "P-384", "Ed25519", "RSA-3072"})
  void readsPkcs8(String kind) throws Exception {
    KeyPair kp = keyPair(kind);
    PrivateKey k = PemKeys.readUnencryptedPrivateKey(pkcs8Pem(kp.getPrivate()));
    assertSamePrivateKey(kp.getPrivate(), k);
    assertPair(k, kp.getPublic());
  }

  @ParameterizedTest
  @ValueSource(strings = {"P-256", "P-384", "Ed25519", "RSA-3072"})
  void readsTraditionalOpenSslForms(String kind) throws Exception {
    KeyPair kp = keyPair(kind);
    String pem = bcPem(kp.getPrivate());
    String expectedLabel =
        switch (kind) {
          case "P-256", "P-384" -> "EC PRIVATE KEY";
          case "RSA-3072" -> "RSA PRIVATE KEY";
          default -> "PRIVATE KEY";
        };
    assertEquals(expectedLabel, Pem.firstLabel(pem), pem);
    PrivateKey k = PemKeys.readUnencryptedPrivateKey(pem);
    assertSamePrivateKey(kp.getPrivate(), k);
    assertPair(k, kp.getPublic());
  }

  @ParameterizedTest
  @ValueSource(strings = {"P-256", "P-384", "Ed25519", "RSA-3072"})
  void publicKeyPemRoundTrip(String kind) throws Exception {
    KeyPair kp = keyPair(kind);
    String pem = PemKeys.publicKeyPem(kp.getPublic());
    assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertTrue(pem.endsWith("\n-----END PUBLIC KEY-----\n"));
    assertEquals(bcPem(kp.getPublic()).replace("\r\n", "\n"), pem);
    PublicKey back = PemKeys.readPublicKey(pem);
    assertArrayEquals(kp.getPublic().getEncoded(), back.getEncoded());
    assertPair(kp.getPrivate(), back);
  }

  @Test
  void cosignAndSkopeoPublicKeysRoundTripByteForByte() throws Exception {
    for (String name : new String[] {"cosign-generated.pub", "skopeo-generated.pub"}) {
      String text = resource(name);
      PublicKey k = PemKeys.readPublicKey(text);
      assertEquals("EC", k.getAlgorithm().equals("ECDSA") ? "EC" : k.getAlgorithm());
      assertEquals(text, PemKeys.publicKeyPem(k), name);
    }
  }

  @Test
  void sec1WithoutCurveIsRejected() throws Exception {
    var ec = (java.security.interfaces.ECPrivateKey) keyPair("P-256").getPrivate();
    byte[] der = new ECPrivateKey(256, ec.getS()).getEncoded();
    assertPrivateError(Pem.encode("EC PRIVATE KEY", der), "curve");
  }

  @Test
  void encryptedKeysAreNotReadAsUnencrypted() throws Exception {
    String sigstore = resource("cosign-generated.key");
    assertPrivateError(sigstore, "EncryptedKeys.decrypt");
    assertPrivateError(resource("skopeo-generated.key"), "EncryptedKeys.decrypt");
    assertPrivateError("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n",
        "ENCRYPTED PRIVATE KEY");
    String openssl =
        "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
            + "MAA=\n-----END EC PRIVATE KEY-----\n";
    assertPrivateError(openssl, "Proc-Type");
  }

  @Test
  void malformedPrivateKeys() throws Exception {
    assertPrivateError(null, "null");
    assertPrivateError("", "PEM");
    assertPrivateError("not a pem", "PEM");
    assertPrivateError(resource("cosign-generated.pub"), "label");
    assertPrivateError("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "CERTIFICATE");
    assertPrivateError("-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n", "base64");
    assertPrivateError("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "DER");
    assertPrivateError("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n", "PKCS#8");
    assertPrivateError("-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n", "SEC1");
    assertPrivateError("-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n", "PKCS#1");
    assertPrivateError("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "empty");
    String good = pkcs8Pem(keyPair("P-256").getPrivate());
    assertPrivateError(good.replace("-----END PRIVATE KEY-----\n", ""), "END");
    assertPrivateError(good.replace("-----END PRIVATE KEY", "-----END EC PRIVATE KEY"), "END");
    String[] lines = good.split("\n");
    assertPrivateError(lines[0] + "\n" + lines[1] + "\n" + lines[lines.length - 1] + "\n", "");
  }

  @Test
  void unsupportedAlgorithmsAreRejected() throws Exception {
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(2048);
    KeyPair d = dsa.generateKeyPair();
    assertPrivateError(pkcs8Pem(d.getPrivate()), "1.2.840.10040.4.1");
    assertPublicError(PemKeys.publicKeyPem(d.getPublic()), "1.2.840.10040.4.1");
    KeyPair x = KeyPairGenerator.getInstance("X25519", KeyMaterial.provider()).generateKeyPair();
    assertPrivateError(pkcs8Pem(x.getPrivate()), "1.3.101.110");
    assertPublicError(PemKeys.publicKeyPem(x.getPublic()), "1.3.101.110");
  }

  @Test
  void malformedPublicKeys() throws Exception {
    assertPublicError(null, "null");
    assertPublicError("", "PEM");
    assertPublicError(pkcs8Pem(keyPair("P-256").getPrivate()), "PUBLIC KEY");
    assertPublicError("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "base64");
    assertPublicError("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n", "SubjectPublicKeyInfo");
    assertPublicError("-----BEGIN PUBLIC KEY-----\nBAAA\n-----END PUBLIC KEY-----\n", "SubjectPublicKeyInfo");
    // An EC public key whose point is not on the curve.
    String pub = resource("cosign-generated.pub");
    byte[] der = Pem.decodeFirst(pub, "test").der();
    der[der.length - 1] ^= 1;
    assertPublicError(Pem.encode("PUBLIC KEY", der), "EC");
  }

  /** Random damage to valid inputs must only ever produce a key or a KeyFormatException. */
  @Test
  void fuzzedInputsNeverThrowRuntimeExceptions() throws Exception {
    Random rnd = new Random(20240501L);
    List<String> privatePems = new ArrayList<>();
    for (String kind : new String[] {"P-256", "Ed25519", "RSA-3072"}) {
      privatePems.add(pkcs8Pem(keyPair(kind).getPrivate()));
      privatePems.add(bcPem(keyPair(kind).getPrivate()));
    }
    List<String> publicPems = new ArrayList<>();
    for (String kind : new String[] {"P-256", "P-384", "Ed25519", "RSA-3072"}) {
      publicPems.add(PemKeys.publicKeyPem(keyPair(kind).getPublic()));
    }
    for (int i = 0; i < 1500; i++) {
      String priv = damage(privatePems.get(rnd.nextInt(privatePems.size())), rnd);
      try {
        PemKeys.readUnencryptedPrivateKey(priv);
      } catch (KeyFormatException expected) {
        assertFalse(expected.getMessage().contains("\n"));
      }
      String pub = damage(publicPems.get(rnd.nextInt(publicPems.size())), rnd);
      try {
        PemKeys.readPublicKey(pub);
      } catch (KeyFormatException expected) {
        assertFalse(expected.getMessage().contains("\n"));
      }
    }
  }

  /** Damages either the DER (then re-encodes it properly) or the PEM text itself. */
  private static String damage(String pem, Random rnd) throws KeyFormatException {
    Pem.Block b = Pem.decodeFirst(pem, "test");
    byte[] der = b.der().clone();
    switch (rnd.nextInt(5)) {
      case 0 -> der[rnd.nextInt(der.length)] ^= (byte) (1 << rnd.nextInt(8));
      case 1 -> der[rnd.nextInt(Math.min(der.length, 12))] = (byte) rnd.nextInt(256);
      case 2 -> der = java.util.Arrays.copyOf(der, rnd.nextInt(der.length));
      case 3 -> {
        byte[] longer = java.util.Arrays.copyOf(der, der.length + 1 + rnd.nextInt(4));
        longer[der.length] = (byte) rnd.nextInt(256);
        der = longer;
      }
      default -> {
        char[] c = pem.toCharArray();
        c[rnd.nextInt(c.length)] = (char) (32 + rnd.nextInt(95));
        return new String(c);
      }
    }
    return Pem.encode(b.label(), der);
  }

  private static void assertPrivateError(String pem, String expectedInMessage) {
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> PemKeys.readUnencryptedPrivateKey(pem), expectedInMessage);
    assertTrue(
        e.getMessage().contains(expectedInMessage),
        () -> "message \"" + e.getMessage() + "\" should mention " + expectedInMessage);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static void assertPublicError(String pem, String expectedInMessage) {
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> PemKeys.readPublicKey(pem), expectedInMessage);
    assertTrue(
        e.getMessage().contains(expectedInMessage),
        () -> "message \"" + e.getMessage() + "\" should mention " + expectedInMessage);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
