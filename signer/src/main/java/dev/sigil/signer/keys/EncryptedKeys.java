package dev.sigil.signer.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Cosign-compatible password-encrypted private keys (the format of cosign's {@code cosign.key}, built on the
 * go-tuf / go-securesystemslib {@code encrypted} package).
 *
 * <p>The file is one PEM block labelled {@code ENCRYPTED SIGSTORE PRIVATE KEY} (older cosign and
 * {@code skopeo generate-sigstore-key} write {@code ENCRYPTED COSIGN PRIVATE KEY}; both are read) whose body is the
 * JSON document
 *
 * <pre>{@code
 * {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"<base64, 32 bytes>"},
 *  "cipher":{"name":"nacl/secretbox","nonce":"<base64, 24 bytes>"},
 *  "ciphertext":"<base64 of secretbox(scrypt(password, salt), nonce, PKCS#8 DER)>"}
 * }</pre>
 *
 * <p>Note that cosign itself only reads files whose scrypt parameters are exactly (N, r, p) = (2^15, 8, 1), (2^16, 8,
 * 1) or (2^17, 8, 1). This reader is more lenient (any sane parameters within a 256 MiB memory bound), so that
 * {@link #encrypt(PrivateKey, char[], SecureRandom, int)} with a small N is usable in tests; files meant for cosign
 * must use the default.
 */
public final class EncryptedKeys {
  /** The label written. */
  static final String LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";
  /** The label written by cosign before 2.0 and by skopeo; read, never written. */
  static final String LEGACY_LABEL = "ENCRYPTED COSIGN PRIVATE KEY";

  /** log2 of the default scrypt N (65536), as cosign writes. */
  static final int DEFAULT_LOG_N = 16;
  /** Largest log2 N that {@link #encrypt(PrivateKey, char[], SecureRandom, int)} accepts (cosign's largest). */
  static final int MAX_LOG_N = 17;
  static final int SCRYPT_R = 8;
  static final int SCRYPT_P = 1;

  static final String KDF_NAME = "scrypt";
  static final String CIPHER_NAME = "nacl/secretbox";
  static final int SALT_LENGTH = 32;
  static final int MIN_SALT_LENGTH = 16;
  static final int MAX_SALT_LENGTH = 1024;

  /** Bound on scrypt's memory, about 128*r*(N+p) bytes: cosign's largest parameters need 128 MiB. */
  static final long MAX_SCRYPT_MEMORY = 256L * 1024 * 1024;
  /** Bound on scrypt's work, N*r*p: 4x cosign's largest parameters (2^17 * 8 * 1). */
  static final long MAX_SCRYPT_WORK = 1L << 22;

  private static final String WHAT = "encrypted private key";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private EncryptedKeys() {}

  /**
   * Encrypts {@code key} under {@code password} with cosign's default scrypt parameters (N=65536, r=8, p=1) and
   * returns the PEM text ({@code ENCRYPTED SIGSTORE PRIVATE KEY}, 64-character lines, trailing newline).
   *
   * @param key an EC, RSA or Ed25519 private key whose {@code getEncoded()} is PKCS#8
   * @param password the password; may be empty
   * @throws IllegalArgumentException if the key is of another type or not exportable, or the password contains an
   *     unpaired surrogate (it then has no UTF-8 form)
   */
  public static String encrypt(PrivateKey key, char[] password, SecureRandom random) {
    return encrypt(key, password, random, DEFAULT_LOG_N);
  }

  /**
   * As {@link #encrypt(PrivateKey, char[], SecureRandom)} with scrypt N = 2^logN (r=8, p=1). cosign reads only logN
   * 15, 16 and 17; smaller values exist so that tests run fast.
   *
   * @throws IllegalArgumentException if logN is outside [1, 17], or as for the three-argument form
   */
  public static String encrypt(PrivateKey key, char[] password, SecureRandom random, int logN) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(random, "random");
    if (logN < 1 || logN > MAX_LOG_N) {
      throw new IllegalArgumentException("scrypt logN: expected 1.." + MAX_LOG_N + ", found " + logN);
    }
    int n = 1 << logN;
    byte[] pkcs8 = canonicalPkcs8(key);
    byte[] pw = null;
    byte[] boxKey = null;
    try {
      pw = utf8(password);
      byte[] salt = new byte[SALT_LENGTH];
      random.nextBytes(salt);
      byte[] nonce = new byte[SecretBox.NONCE_LENGTH];
      random.nextBytes(nonce);
      boxKey = SCrypt.generate(pw, salt, n, SCRYPT_R, SCRYPT_P, SecretBox.KEY_LENGTH);
      byte[] boxed = SecretBox.seal(boxKey, nonce, pkcs8);

      // Same member order as Go's encoding/json output of the go-tuf structs.
      Base64.Encoder b64 = Base64.getEncoder();
      ObjectNode root = JSON.createObjectNode();
      ObjectNode kdf = root.putObject("kdf");
      kdf.put("name", KDF_NAME);
      ObjectNode params = kdf.putObject("params");
      params.put("N", n);
      params.put("r", SCRYPT_R);
      params.put("p", SCRYPT_P);
      kdf.put("salt", b64.encodeToString(salt));
      ObjectNode cipher = root.putObject("cipher");
      cipher.put("name", CIPHER_NAME);
      cipher.put("nonce", b64.encodeToString(nonce));
      root.put("ciphertext", b64.encodeToString(boxed));
      byte[] json;
      try {
        json = JSON.writeValueAsBytes(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("serializing the encrypted-key JSON failed", e);
      }
      return Pem.encode(LABEL, json);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
      if (pw != null) {
        Arrays.fill(pw, (byte) 0);
      }
      if (boxKey != null) {
        Arrays.fill(boxKey, (byte) 0);
      }
    }
  }

  /**
   * Decrypts an encrypted private key PEM (either label).
   *
   * <p>The password bytes, the derived secretbox key and the decrypted PKCS#8 are zeroed before returning. This is
   * best effort: the JCA key object (and the copies {@code PKCS8EncodedKeySpec} and {@code KeyParameter} make
   * internally) cannot be wiped from here.
   *
   * @return the key, built with the BouncyCastle provider
   * @throws KeyFormatException if the PEM, the JSON envelope, its parameters or the decrypted PKCS#8 are malformed
   *     or unsupported
   * @throws WrongPasswordException if the authentication tag does not verify (wrong password or altered file)
   * @throws IllegalArgumentException if the password contains an unpaired surrogate (it then has no UTF-8 form)
   */
  public static PrivateKey decrypt(String pem, char[] password) throws KeyFormatException, WrongPasswordException {
    Objects.requireNonNull(password, "password");
    Pem.Block block = Pem.decodeFirst(pem, WHAT);
    if (!LABEL.equals(block.label()) && !LEGACY_LABEL.equals(block.label())) {
      throw new KeyFormatException(
          WHAT + ": expected PEM label \"" + LABEL + "\" or \"" + LEGACY_LABEL + "\", found \""
              + Pem.printable(block.label()) + "\"");
    }
    Envelope env = parseEnvelope(block.der());

    byte[] pw = null;
    byte[] boxKey = null;
    byte[] plaintext = null;
    try {
      pw = utf8(password);
      try {
        boxKey = SCrypt.generate(pw, env.salt, env.n, env.r, env.p, SecretBox.KEY_LENGTH);
      } catch (IllegalArgumentException e) {
        throw new KeyFormatException(
            WHAT + ": kdf.params: expected scrypt parameters BouncyCastle accepts, found N=" + env.n + " r="
                + env.r + " p=" + env.p + " (" + KeyMaterial.oneLine(e) + ")");
      }
      plaintext = SecretBox.open(boxKey, env.nonce, env.ciphertext);
      return KeyMaterial.privateKeyFromPkcs8(plaintext, WHAT + " (decrypted)");
    } finally {
      if (pw != null) {
        Arrays.fill(pw, (byte) 0);
      }
      if (boxKey != null) {
        Arrays.fill(boxKey, (byte) 0);
      }
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * Whether the first PEM block of {@code pem} is labelled as an encrypted sigstore/cosign private key. Only the label
   * is looked at; never throws.
   */
  public static boolean isEncrypted(String pem) {
    String label = Pem.firstLabel(pem);
    return LABEL.equals(label) || LEGACY_LABEL.equals(label);
  }

  /** The validated JSON envelope. */
  private record Envelope(int n, int r, int p, byte[] salt, byte[] nonce, byte[] ciphertext) {}

  private static Envelope parseEnvelope(byte[] json) throws KeyFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new KeyFormatException(
          WHAT + ": PEM body: expected a JSON document, found malformed JSON (" + jsonProblem(e) + ")");
    } catch (RuntimeException e) {
      throw new KeyFormatException(WHAT + ": PEM body: expected a JSON document, found malformed JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new KeyFormatException(WHAT + ": PEM body: expected a JSON object, found an empty document");
    }
    if (!root.isObject()) {
      throw new KeyFormatException(WHAT + ": PEM body: expected a JSON object, found " + nodeType(root));
    }
    JsonNode kdf = object(root, "kdf", "kdf");
    String kdfName = string(kdf, "name", "kdf.name");
    if (!KDF_NAME.equals(kdfName)) {
      throw new KeyFormatException(
          WHAT + ": kdf.name: expected \"" + KDF_NAME + "\", found \"" + Pem.printable(kdfName) + "\"");
    }
    JsonNode params = object(kdf, "params", "kdf.params");
    long n = integer(params, "N", "kdf.params.N");
    long r = integer(params, "r", "kdf.params.r");
    long p = integer(params, "p", "kdf.params.p");
    checkScryptParams(n, r, p);
    byte[] salt = bytes(kdf, "salt", "kdf.salt");
    if (salt.length < MIN_SALT_LENGTH || salt.length > MAX_SALT_LENGTH) {
      throw new KeyFormatException(
          WHAT + ": kdf.salt: expected " + SALT_LENGTH + " bytes (at least " + MIN_SALT_LENGTH + ", at most "
              + MAX_SALT_LENGTH + "), found " + salt.length + " bytes");
    }

    JsonNode cipher = object(root, "cipher", "cipher");
    String cipherName = string(cipher, "name", "cipher.name");
    if (!CIPHER_NAME.equals(cipherName)) {
      throw new KeyFormatException(
          WHAT + ": cipher.name: expected \"" + CIPHER_NAME + "\", found \"" + Pem.printable(cipherName) + "\"");
    }
    byte[] nonce = bytes(cipher, "nonce", "cipher.nonce");
    if (nonce.length != SecretBox.NONCE_LENGTH) {
      throw new KeyFormatException(
          WHAT + ": cipher.nonce: expected " + SecretBox.NONCE_LENGTH + " bytes, found " + nonce.length + " bytes");
    }
    byte[] ciphertext = bytes(root, "ciphertext", "ciphertext");
    if (ciphertext.length < SecretBox.TAG_LENGTH) {
      throw new KeyFormatException(
          WHAT + ": ciphertext: expected at least the " + SecretBox.TAG_LENGTH + "-byte authentication tag, found "
              + ciphertext.length + " bytes");
    }
    return new Envelope((int) n, (int) r, (int) p, salt, nonce, ciphertext);
  }

  /**
   * Rejects parameters that are invalid for scrypt or that would let a hostile file make us spend more than
   * {@link #MAX_SCRYPT_MEMORY} bytes or {@link #MAX_SCRYPT_WORK} units of work.
   */
  static void checkScryptParams(long n, long r, long p) throws KeyFormatException {
    if (n <= 1 || (n & (n - 1)) != 0) {
      throw new KeyFormatException(WHAT + ": kdf.params.N: expected a power of two greater than 1, found " + n);
    }
    if (r < 1) {
      throw new KeyFormatException(WHAT + ": kdf.params.r: expected at least 1, found " + r);
    }
    if (p < 1) {
      throw new KeyFormatException(WHAT + ": kdf.params.p: expected at least 1, found " + p);
    }
    // Each factor is now >= 1; bound them one by one first so that the products below cannot overflow.
    long maxFactor = MAX_SCRYPT_WORK;
    if (n > maxFactor || r > maxFactor || p > maxFactor || n * r > MAX_SCRYPT_WORK || n * r * p > MAX_SCRYPT_WORK) {
      throw new KeyFormatException(
          WHAT + ": kdf.params: expected N*r*p at most " + MAX_SCRYPT_WORK + " (cosign writes N=65536 r=8 p=1), found N="
              + n + " r=" + r + " p=" + p);
    }
    long memory = 128L * r * (n + p);
    if (memory > MAX_SCRYPT_MEMORY) {
      throw new KeyFormatException(
          WHAT + ": kdf.params: expected scrypt memory 128*r*(N+p) at most " + MAX_SCRYPT_MEMORY + " bytes, found "
              + memory + " bytes (N=" + n + " r=" + r + " p=" + p + ")");
    }
    // scrypt requires N < 2^(128*r/8); with N bounded above this only matters for r = 1.
    if (16 * r < 63 && n >= (1L << (16 * r))) {
      throw new KeyFormatException(
          WHAT + ": kdf.params.N: expected less than 2^" + (16 * r) + " for r=" + r + ", found " + n);
    }
  }

  /**
   * The key's PKCS#8 encoding in the form Go's {@code x509.MarshalPKCS8PrivateKey} writes. For Ed25519 this drops
   * the optional public key (version 2, RFC 8410) that BouncyCastle adds, since cosign only needs the seed.
   */
  private static byte[] canonicalPkcs8(PrivateKey key) {
    byte[] encoded = "PKCS#8".equalsIgnoreCase(key.getFormat()) ? key.getEncoded() : null;
    if (encoded == null) {
      throw new IllegalArgumentException(
          "private key: expected a key exportable as PKCS#8, found format " + key.getFormat() + " ("
              + key.getAlgorithm() + ")");
    }
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(encoded);
    } catch (RuntimeException e) {
      Arrays.fill(encoded, (byte) 0);
      throw new IllegalArgumentException("private key: getEncoded() is not valid PKCS#8 DER", e);
    }
    String alg = KeyMaterial.algorithmName(info.getPrivateKeyAlgorithm());
    if (alg == null) {
      Arrays.fill(encoded, (byte) 0);
      throw new IllegalArgumentException(
          "private key: expected EC, RSA or Ed25519, found " + key.getAlgorithm() + " (OID "
              + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + ")");
    }
    if (!"Ed25519".equals(alg) || info.getPublicKeyData() == null) {
      return encoded;
    }
    try {
      byte[] v1 = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded("DER");
      Arrays.fill(encoded, (byte) 0);
      return v1;
    } catch (IOException e) {
      Arrays.fill(encoded, (byte) 0);
      throw new IllegalArgumentException("private key: Ed25519 PKCS#8 could not be re-encoded", e);
    }
  }

  /** UTF-8 bytes of the password without going through an immutable String. */
  private static byte[] utf8(char[] password) {
    CharsetEncoder enc =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer buf;
    try {
      buf = enc.encode(CharBuffer.wrap(password));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("password: expected valid UTF-16 text, found an unpaired surrogate");
    }
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  private static JsonNode object(JsonNode parent, String field, String path) throws KeyFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw new KeyFormatException(WHAT + ": " + path + ": expected a JSON object, found " + nodeType(node));
    }
    return node;
  }

  private static String string(JsonNode parent, String field, String path) throws KeyFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual()) {
      throw new KeyFormatException(WHAT + ": " + path + ": expected a JSON string, found " + nodeType(node));
    }
    return node.textValue();
  }

  private static long integer(JsonNode parent, String field, String path) throws KeyFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isIntegralNumber()) {
      throw new KeyFormatException(WHAT + ": " + path + ": expected a JSON integer, found " + nodeType(node));
    }
    if (!node.canConvertToLong()) {
      throw new KeyFormatException(WHAT + ": " + path + ": expected a 64-bit integer, found an out-of-range number");
    }
    return node.longValue();
  }

  private static byte[] bytes(JsonNode parent, String field, String path) throws KeyFormatException {
    String s = string(parent, field, path);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException(WHAT + ": " + path + ": expected standard base64, found invalid base64");
    }
  }

  private static String nodeType(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "no such member";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a non-integer number";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String jsonProblem(IOException e) {
    if (e instanceof JsonProcessingException jpe) {
      String msg = jpe.getOriginalMessage();
      if (msg != null) {
        return Pem.printable(msg.replace('\n', ' ').replace('\r', ' '));
      }
    }
    return KeyMaterial.oneLine(e);
  }
}
