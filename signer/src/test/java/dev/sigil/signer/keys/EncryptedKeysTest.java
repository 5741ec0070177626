package dev.sigil.signer.keys;

import static dev.sigil.signer.keys.KeyTestSupport.assertPair;
import static dev.sigil.signer.keys.KeyTestSupport.assertSamePrivateKey;
import static dev.sigil.signer.keys.KeyTestSupport.keyPair;
import static dev.sigil.signer.keys.KeyTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncryptedKeysTest {
  /** Small scrypt cost so the tests stay fast; the real default (16) is exercised by the fixture tests. */
  private static final int TEST_LOG_N = 10;

  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static String encrypted(String kind, char[] password) {
    return EncryptedKeys.encrypt(keyPair(kind).getPrivate(), password, RANDOM, TEST_LOG_N);
  }

  @ParameterizedTest
  @ValueSource(strings = {"P-256", "P-384", "Ed25519", "RSA-3072"})
  void roundTrip(String kind) throws Exception {
    KeyPair kp = keyPair(kind);
    String pem = EncryptedKeys.encrypt(kp.getPrivate(), PASSWORD, RANDOM, TEST_LOG_N);
    assertTrue(EncryptedKeys.isEncrypted(pem));
    PrivateKey back = EncryptedKeys.decrypt(pem, PASSWORD);
    assertTrue(back.getClass().getName().startsWith("org.bouncycastle."), back.getClass().getName());
    assertSamePrivateKey(kp.getPrivate(), back);
    assertPair(back, kp.getPublic());
  }

  @Test
  void emptyAndNonAsciiPasswords() throws Exception {
    PrivateKey key = keyPair("P-256").getPrivate();
    char[] empty = new char[0];
    assertSamePrivateKey(key, EncryptedKeys.decrypt(EncryptedKeys.encrypt(key, empty, RANDOM, TEST_LOG_N), empty));

    char[] unicode = "pässwörd \uD83D\uDD11 密码".toCharArray();
    String pem = EncryptedKeys.encrypt(key, unicode, RANDOM, TEST_LOG_N);
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem, unicode));
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(pem, "passwörd".toCharArray()));
  }

  @Test
  void passwordIsUtf8EncodedForScrypt() throws Exception {
    // Build an envelope independently (scrypt over the UTF-8 bytes, then secretbox) and check we decrypt it.
    PrivateKey key = keyPair("P-256").getPrivate();
    String password = "grüße";
    String pem = craft(key.getEncoded(), password.getBytes(StandardCharsets.UTF_8), 1024, 8, 1);
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem, password.toCharArray()));
    // ISO-8859-1 bytes of the same text are a different password.
    String latin1 = craft(key.getEncoded(), password.getBytes(StandardCharsets.ISO_8859_1), 1024, 8, 1);
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(latin1, password.toCharArray()));
  }

  @Test
  void unpairedSurrogatePasswordIsRejected() {
    char[] bad = {'a', '\uD800', 'b'};
    assertThrows(
        IllegalArgumentException.class,
        () -> EncryptedKeys.encrypt(keyPair("P-256").getPrivate(), bad, RANDOM, TEST_LOG_N));
  }

  @Test
  void outputShape() throws Exception {
    String pem = encrypted("P-256", PASSWORD);
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), pem);
    assertTrue(pem.endsWith("\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), pem);
    String[] lines = pem.split("\n");
    for (int i = 1; i < lines.length - 1; i++) {
      assertTrue(lines[i].length() <= 64, "line " + i);
      if (i < lines.length - 2) {
        assertEquals(64, lines[i].length(), "line " + i);
      }
    }
    JsonNode root = envelope(pem);
    // Member order as Go's encoding/json writes it.
    assertEquals(
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"",
        jsonText(pem).substring(0, jsonText(pem).indexOf("\"salt\":\"") + 8));
    assertEquals("nacl/secretbox", root.get("cipher").get("name").textValue());
    assertEquals(32, Base64.getDecoder().decode(root.get("kdf").get("salt").textValue()).length);
    assertEquals(24, Base64.getDecoder().decode(root.get("cipher").get("nonce").textValue()).length);
    byte[] ct = Base64.getDecoder().decode(root.get("ciphertext").textValue());
    assertEquals(keyPair("P-256").getPrivate().getEncoded().length + 16, ct.length);
    assertEquals(3, root.size());

    // Fresh salt and nonce every time.
    JsonNode other = envelope(encrypted("P-256", PASSWORD));
    assertNotEquals(root.get("kdf").get("salt"), other.get("kdf").get("salt"));
    assertNotEquals(root.get("cipher").get("nonce"), other.get("cipher").get("nonce"));
  }

  @Test
  void defaultParametersAreCosigns() throws Exception {
    PrivateKey key = keyPair("P-256").getPrivate();
    String pem = EncryptedKeys.encrypt(key, PASSWORD, RANDOM);
    JsonNode params = envelope(pem).get("kdf").get("params");
    assertEquals(65536, params.get("N").intValue());
    assertEquals(8, params.get("r").intValue());
    assertEquals(1, params.get("p").intValue());
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem, PASSWORD));
  }

  @Test
  void ed25519IsWrittenAsGoWritesIt() throws Exception {
    // Go's x509.MarshalPKCS8PrivateKey writes version 0 and no public key; BouncyCastle adds the public key.
    String pem = encrypted("Ed25519", PASSWORD);
    JsonNode root = envelope(pem);
    byte[] key32 =
        SCrypt.generate(
            new String(PASSWORD).getBytes(StandardCharsets.UTF_8),
            Base64.getDecoder().decode(root.get("kdf").get("salt").textValue()),
            1024, 8, 1, 32);
    byte[] plain =
        SecretBox.open(
            key32,
            Base64.getDecoder().decode(root.get("cipher").get("nonce").textValue()),
            Base64.getDecoder().decode(root.get("ciphertext").textValue()));
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(plain);
    assertEquals(0, info.getVersion().intValueExact());
    assertEquals(null, info.getPublicKeyData());
    assertEquals(48, plain.length);
  }

  @Test
  void wrongPassword() {
    String pem = encrypted("P-256", PASSWORD);
    WrongPasswordException e =
        assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(pem, "wrong".toCharArray()));
    assertEquals("wrong password or damaged key file", e.getMessage());
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(pem, new char[0]));
  }

  @Test
  void tamperedCiphertext() throws Exception {
    String pem = encrypted("P-256", PASSWORD);
    byte[] ct = Base64.getDecoder().decode(envelope(pem).get("ciphertext").textValue());
    for (int i : new int[] {0, 15, 16, 17, ct.length / 2, ct.length - 1}) {
      byte[] t = ct.clone();
      t[i] ^= 0x01;
      String tampered = mutate(pem, root -> root.put("ciphertext", Base64.getEncoder().encodeToString(t)));
      assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(tampered, PASSWORD), "byte " + i);
    }
    byte[] longer = java.util.Arrays.copyOf(ct, ct.length + 1);
    String extended = mutate(pem, root -> root.put("ciphertext", Base64.getEncoder().encodeToString(longer)));
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(extended, PASSWORD));
  }

  @Test
  void tamperedSaltOrNonceIsAWrongPassword() throws Exception {
    String pem = encrypted("P-256", PASSWORD);
    JsonNode root = envelope(pem);
    byte[] salt = Base64.getDecoder().decode(root.get("kdf").get("salt").textValue());
    salt[0] ^= 1;
    String s = mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("salt", Base64.getEncoder().encodeToString(salt)));
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(s, PASSWORD));
    byte[] nonce = Base64.getDecoder().decode(root.get("cipher").get("nonce").textValue());
    nonce[23] ^= 1;
    String n =
        mutate(pem, r -> ((ObjectNode) r.get("cipher")).put("nonce", Base64.getEncoder().encodeToString(nonce)));
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(n, PASSWORD));
  }

  @Test
  void legacyLabelIsAccepted() throws Exception {
    PrivateKey key = keyPair("Ed25519").getPrivate();
    String pem =
        EncryptedKeys.encrypt(key, PASSWORD, RANDOM, TEST_LOG_N)
            .replace("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY");
    assertTrue(EncryptedKeys.isEncrypted(pem));
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem, PASSWORD));
  }

  @Test
  void pemFramingVariantsAreAccepted() throws Exception {
    PrivateKey key = keyPair("P-256").getPrivate();
    String pem = EncryptedKeys.encrypt(key, PASSWORD, RANDOM, TEST_LOG_N);
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem.replace("\n", "\r\n"), PASSWORD));
    assertSamePrivateKey(key, EncryptedKeys.decrypt("some preamble\n" + pem + "trailing text\n", PASSWORD));
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem.strip(), PASSWORD));
  }

  @Test
  void isEncrypted() throws Exception {
    assertFalse(EncryptedKeys.isEncrypted(null));
    assertFalse(EncryptedKeys.isEncrypted(""));
    assertFalse(EncryptedKeys.isEncrypted("hello"));
    assertFalse(EncryptedKeys.isEncrypted("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    assertFalse(EncryptedKeys.isEncrypted(resource("cosign-generated.pub")));
    assertTrue(EncryptedKeys.isEncrypted(resource("cosign-generated.key")));
    assertTrue(EncryptedKeys.isEncrypted(resource("skopeo-generated.key")));
    assertTrue(EncryptedKeys.isEncrypted("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n!!!"));
  }

  // ---- malformed input: always KeyFormatException, with a one-line message that does not leak the password ----

  @Test
  void garbledBase64() {
    String pem = encrypted("P-256", PASSWORD);
    String[] lines = pem.split("\n");
    lines[2] = lines[2].substring(0, 10) + "*$%" + lines[2].substring(13);
    assertFormatError(String.join("\n", lines), "base64");
  }

  @Test
  void garbledJson() {
    String notJson = Pem.encode(EncryptedKeys.LABEL, "{\"kdf\": {\"name\": \"scrypt\",".getBytes(StandardCharsets.UTF_8));
    assertFormatError(notJson, "JSON");
    assertFormatError(Pem.encode(EncryptedKeys.LABEL, new byte[] {1, 2, 3, (byte) 0xff}), "JSON");
    assertFormatError(Pem.encode(EncryptedKeys.LABEL, "[1,2]".getBytes(StandardCharsets.UTF_8)), "JSON object");
    assertFormatError(Pem.encode(EncryptedKeys.LABEL, "\"x\"".getBytes(StandardCharsets.UTF_8)), "JSON object");
    assertFormatError(Pem.encode(EncryptedKeys.LABEL, " ".getBytes(StandardCharsets.UTF_8)), "JSON");
    String pem = encrypted("P-256", PASSWORD);
    String json = jsonText(pem);
    assertFormatError(
        Pem.encode(EncryptedKeys.LABEL, (json + " {}").getBytes(StandardCharsets.UTF_8)), "JSON");
    String duplicated = json.replace("\"ciphertext\":", "\"cipher\":{},\"ciphertext\":");
    assertFormatError(Pem.encode(EncryptedKeys.LABEL, duplicated.getBytes(StandardCharsets.UTF_8)), "JSON");
  }

  @Test
  void wrongKdfName() {
    String pem = encrypted("P-256", PASSWORD);
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("name", "pbkdf2")), "kdf.name");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("name", "SCRYPT")), "kdf.name");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("name", 1)), "kdf.name");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).remove("name")), "kdf.name");
    assertFormatError(mutate(pem, r -> r.remove("kdf")), "kdf");
    assertFormatError(mutate(pem, r -> r.put("kdf", "scrypt")), "kdf");
  }

  @Test
  void wrongCipherName() {
    String pem = encrypted("P-256", PASSWORD);
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("cipher")).put("name", "aes-gcm")), "cipher.name");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("cipher")).putNull("name")), "cipher.name");
    assertFormatError(mutate(pem, r -> r.remove("cipher")), "cipher");
  }

  @Test
  void absurdScryptParameters() {
    String pem = encrypted("P-256", PASSWORD);
    assertFormatError(params(pem, p -> p.put("N", 1L << 30)), "kdf.params");
    assertFormatError(params(pem, p -> p.put("N", 1L << 62)), "kdf.params");
    assertFormatError(params(pem, p -> p.put("N", new java.math.BigInteger("1" + "0".repeat(40)))), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("N", 1000)), "power of two");
    assertFormatError(params(pem, p -> p.put("N", 1)), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("N", 0)), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("N", -65536)), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("N", 1024.0)), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("N", "1024")), "kdf.params.N");
    assertFormatError(params(pem, p -> p.remove("N")), "kdf.params.N");
    assertFormatError(params(pem, p -> p.put("r", 0)), "kdf.params.r");
    assertFormatError(params(pem, p -> p.put("p", 0)), "kdf.params.p");
    assertFormatError(params(pem, p -> p.put("p", Integer.MAX_VALUE)), "kdf.params");
    assertFormatError(params(pem, p -> p.put("r", 1 << 20)), "kdf.params");
    // 2^18 * r=8 needs 256 MiB + change: over the memory bound although the work bound allows it.
    assertFormatError(params(pem, p -> p.put("N", 1 << 18)), "memory");
    // scrypt's own rule N < 2^(16 r): for r = 1, N must be below 65536.
    assertFormatError(params(pem, p -> p.put("N", 65536).put("r", 1)), "kdf.params.N");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).remove("params")), "kdf.params");
  }

  @Test
  void cosignsThreeParameterSetsPassValidation() throws Exception {
    EncryptedKeys.checkScryptParams(1 << 15, 8, 1);
    EncryptedKeys.checkScryptParams(1 << 16, 8, 1);
    EncryptedKeys.checkScryptParams(1 << 17, 8, 1);
  }

  @Test
  void badSaltNonceAndCiphertext() {
    String pem = encrypted("P-256", PASSWORD);
    String b64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assertFormatError(
        mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("salt", Base64.getEncoder().encodeToString(new byte[8]))),
        "kdf.salt");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).put("salt", "not base64!")), "kdf.salt");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("kdf")).remove("salt")), "kdf.salt");
    assertFormatError(
        mutate(pem, r -> ((ObjectNode) r.get("cipher")).put("nonce", Base64.getEncoder().encodeToString(new byte[23]))),
        "cipher.nonce");
    assertFormatError(
        mutate(pem, r -> ((ObjectNode) r.get("cipher")).put("nonce", Base64.getEncoder().encodeToString(new byte[32]))),
        "cipher.nonce");
    assertFormatError(mutate(pem, r -> ((ObjectNode) r.get("cipher")).put("nonce", b64 + "%")), "cipher.nonce");
    assertFormatError(mutate(pem, r -> r.put("ciphertext", Base64.getEncoder().encodeToString(new byte[15]))),
        "ciphertext");
    assertFormatError(mutate(pem, r -> r.remove("ciphertext")), "ciphertext");
    assertFormatError(mutate(pem, r -> r.putArray("ciphertext")), "ciphertext");
  }

  @Test
  void accepts16ByteSalt() throws Exception {
    PrivateKey key = keyPair("P-256").getPrivate();
    String pem = craft(key.getEncoded(), "pw".getBytes(StandardCharsets.UTF_8), 1024, 8, 1, 16);
    assertSamePrivateKey(key, EncryptedKeys.decrypt(pem, "pw".toCharArray()));
  }

  @Test
  void badPemFraming() {
    String pem = encrypted("P-256", PASSWORD);
    assertFormatError("", "PEM");
    assertFormatError("just some text", "PEM");
    assertFormatError(null, "PEM");
    assertFormatError(pem.replace("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", ""), "END");
    assertFormatError(pem.replace("-----END ENCRYPTED SIGSTORE", "-----END ENCRYPTED COSIGN"), "END");
    assertFormatError(pem.replace("ENCRYPTED SIGSTORE PRIVATE KEY", "PRIVATE KEY"), "label");
    assertFormatError(pem.replace("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), "label");
    assertFormatError(
        "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "empty");
    assertFormatError(
        pem.replaceFirst("PRIVATE KEY-----\n", "PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"), "header");
  }

  @Test
  void decryptedPlaintextThatIsNotAKeyIsAFormatError() {
    byte[] pw = new String(PASSWORD).getBytes(StandardCharsets.UTF_8);
    assertFormatError(craft("not DER at all".getBytes(StandardCharsets.UTF_8), pw, 1024, 8, 1), "PKCS#8");
    assertFormatError(craft(new byte[0], pw, 1024, 8, 1), "PKCS#8");
    // A well-formed PKCS#8 of an unsupported algorithm (X25519).
    byte[] x25519;
    try {
      x25519 =
          java.security.KeyPairGenerator.getInstance("X25519", KeyMaterial.provider())
              .generateKeyPair()
              .getPrivate()
              .getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    assertFormatError(craft(x25519, pw, 1024, 8, 1), "1.3.101.110");
    // PKCS#8 followed by garbage.
    byte[] good = keyPair("P-256").getPrivate().getEncoded();
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
    assertFormatError(craft(trailing, pw, 1024, 8, 1), "PKCS#8");
  }

  @Test
  void rejectsUnsupportedKeysOnEncrypt() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("X25519", KeyMaterial.provider());
    PrivateKey x = g.generateKeyPair().getPrivate();
    assertThrows(IllegalArgumentException.class, () -> EncryptedKeys.encrypt(x, PASSWORD, RANDOM, TEST_LOG_N));
    PrivateKey p256 = keyPair("P-256").getPrivate();
    assertThrows(IllegalArgumentException.class, () -> EncryptedKeys.encrypt(p256, PASSWORD, RANDOM, 0));
    assertThrows(IllegalArgumentException.class, () -> EncryptedKeys.encrypt(p256, PASSWORD, RANDOM, 18));
  }

  // ---- keys made by the real tools ----

  @Test
  void decryptsCosignGeneratedKey() throws Exception {
    assertToolKey("cosign-generated", "ENCRYPTED SIGSTORE PRIVATE KEY");
  }

  @Test
  void decryptsSkopeoGeneratedKey() throws Exception {
    assertToolKey("skopeo-generated", "ENCRYPTED COSIGN PRIVATE KEY");
  }

  private static void assertToolKey(String name, String label) throws Exception {
    String keyPem = resource(name + ".key");
    assertTrue(keyPem.startsWith("-----BEGIN " + label + "-----\n"));
    PublicKey pub = PemKeys.readPublicKey(resource(name + ".pub"));
    PrivateKey priv = EncryptedKeys.decrypt(keyPem, "test123".toCharArray());
    assertEquals("EC", KeyTestSupport.normalizedAlgorithm(priv));
    // The public point d*G of the decrypted key is the one in the .pub file.
    var bcPriv = (org.bouncycastle.jce.interfaces.ECPrivateKey) priv;
    var bcPub = (org.bouncycastle.jce.interfaces.ECPublicKey) pub;
    assertEquals(bcPub.getQ().normalize(), bcPriv.getParameters().getG().multiply(bcPriv.getD()).normalize());
    assertPair(priv, pub);
    assertThrows(WrongPasswordException.class, () -> EncryptedKeys.decrypt(keyPem, "test1234".toCharArray()));
  }

  // ---- helpers ----

  private static void assertFormatError(String pem, String expectedInMessage) {
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> EncryptedKeys.decrypt(pem, PASSWORD), expectedInMessage);
    String msg = e.getMessage();
    assertTrue(msg.contains(expectedInMessage), () -> "message \"" + msg + "\" should mention " + expectedInMessage);
    assertFalse(msg.contains("\n"), msg);
    assertFalse(msg.contains(new String(PASSWORD)), msg);
  }

  private static String jsonText(String pem) {
    try {
      return new String(Pem.decodeFirst(pem, "test").der(), StandardCharsets.UTF_8);
    } catch (KeyFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode envelope(String pem) throws Exception {
    return JSON.readTree(jsonText(pem));
  }

  private static String mutate(String pem, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) envelope(pem);
      change.accept(root);
      return Pem.encode(EncryptedKeys.LABEL, JSON.writeValueAsBytes(root));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String params(String pem, Consumer<ObjectNode> change) {
    return mutate(pem, r -> change.accept((ObjectNode) r.get("kdf").get("params")));
  }

  private static String craft(byte[] plaintext, byte[] password, int n, int r, int p) {
    return craft(plaintext, password, n, r, p, 32);
  }

  /** Builds an envelope without EncryptedKeys.encrypt: scrypt over the raw password bytes, then secretbox. */
  private static String craft(byte[] plaintext, byte[] password, int n, int r, int p, int saltLength) {
    byte[] salt = new byte[saltLength];
    byte[] nonce = new byte[24];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    byte[] key = SCrypt.generate(password, salt, n, r, p, 32);
    byte[] boxed = SecretBox.seal(key, nonce, plaintext);
    Base64.Encoder b64 = Base64.getEncoder();
    String json =
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":" + n + ",\"r\":" + r + ",\"p\":" + p + "},\"salt\":\""
            + b64.encodeToString(salt) + "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\""
            + b64.encodeToString(nonce) + "\"},\"ciphertext\":\"" + b64.encodeToString(boxed) + "\"}";
    return Pem.encode(EncryptedKeys.LABEL, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void craftedEnvelopeMatchesOurs() throws Exception {
    // Sanity check of the test helper against the implementation, both ways.
    PrivateKey key = keyPair("P-384").getPrivate();
    String crafted = craft(key.getEncoded(), "pw".getBytes(StandardCharsets.UTF_8), 1024, 8, 1);
    assertSamePrivateKey(key, EncryptedKeys.decrypt(crafted, "pw".toCharArray()));
    assertArrayEquals(
        envelope(crafted).fieldNames().next().getBytes(StandardCharsets.UTF_8),
        envelope(encrypted("P-384", PASSWORD)).fieldNames().next().getBytes(StandardCharsets.UTF_8));
  }
}
