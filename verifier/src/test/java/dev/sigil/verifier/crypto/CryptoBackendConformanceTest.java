package dev.sigil.verifier.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.verifier.bundle.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one conformance suite every {@link CryptoBackend} passes: Wycheproof's ECDSA, Ed25519, RSA PKCS#1 v1.5 and
 * RSA-PSS vectors (src/test/resources/wycheproof, see the README there for the source and the decision on each
 * "acceptable" flag), signatures made by the JDK (an independent signer) and every single-bit alteration of them,
 * keys read as the JDK reads them, digests equal to the JDK's, unsupported keys and misuse refused by throwing.
 */
class CryptoBackendConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  static final List<String> WYCHEPROOF_FILES =
      List.of(
          "ecdsa_secp256r1_sha256_test",
          "ecdsa_secp256r1_sha512_test",
          "ecdsa_secp384r1_sha256_test",
          "ecdsa_secp384r1_sha384_test",
          "ecdsa_secp384r1_sha512_test",
          "ecdsa_secp521r1_sha512_test",
          "ed25519_test",
          "rsa_signature_2048_sha256_test",
          "rsa_signature_2048_sha512_test",
          "rsa_signature_3072_sha256_test",
          "rsa_signature_3072_sha384_test",
          "rsa_signature_4096_sha256_test",
          "rsa_signature_4096_sha512_test",
          "rsa_pss_2048_sha256_mgf1_0_test",
          "rsa_pss_2048_sha256_mgf1_32_test",
          "rsa_pss_2048_sha384_mgf1_48_test",
          "rsa_pss_3072_sha256_mgf1_32_test",
          "rsa_pss_4096_sha256_mgf1_32_test",
          "rsa_pss_4096_sha512_mgf1_32_test",
          "rsa_pss_4096_sha512_mgf1_64_test");

  /** "acceptable" vectors both backends accept, by flag (see the README). Any other acceptable flag fails the test. */
  static final Set<String> ACCEPTED_FLAGS = Set.of("MissingNull");

  private static final Map<String, String> SUMMARY = new ConcurrentHashMap<>();

  static Stream<CryptoBackend> backends() {
    return Stream.of(CryptoBackend.jca(), CryptoBackend.fastStart());
  }

  /** Each backend's verifiers for keys that verify once ({@code newVerifier}) and for trusted keys. */
  @TestFactory
  Stream<DynamicTest> wycheproof() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CryptoBackend backend : backends().toList()) {
      for (boolean trusted : new boolean[] {false, true}) {
        for (String file : WYCHEPROOF_FILES) {
          String name = backend.name() + (trusted ? " trusted key" : "") + " " + file;
          tests.add(DynamicTest.dynamicTest(name, () -> runFile(backend, trusted, file)));
        }
      }
    }
    return tests.stream();
  }

  @AfterAll
  static void printSummary() {
    StringBuilder sb = new StringBuilder("Wycheproof vectors per backend:\n");
    new TreeMap<>(SUMMARY).forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    System.out.print(sb);
  }

  private static void runFile(CryptoBackend backend, boolean trusted, String file) throws IOException {
    JsonNode doc;
    try (InputStream in = CryptoBackendConformanceTest.class.getResourceAsStream("/wycheproof/" + file + ".json")) {
      doc = JSON.readTree(in);
    }
    String schema = doc.get("schema").asText();
    int valid = 0;
    int invalid = 0;
    int acceptable = 0;
    List<String> failures = new ArrayList<>();
    for (JsonNode group : doc.get("testGroups")) {
      SignatureVerifier verifier;
      String keyProblem = null;
      try {
        verifier = verifierFor(backend, trusted, schema, group);
      } catch (KeyParseException | UnsupportedKeyException e) {
        verifier = null;
        keyProblem = e.getMessage();
      }
      for (JsonNode t : group.get("tests")) {
        String result = t.get("result").asText();
        List<String> flags = new ArrayList<>();
        t.get("flags").forEach(f -> flags.add(f.asText()));
        String id = "tcId " + t.get("tcId").asInt() + " " + flags + " " + t.get("comment").asText();
        boolean accepted;
        if (verifier == null) {
          accepted = false;
        } else {
          try {
            verify(schema, group, verifier, HEX.parseHex(t.get("msg").asText()), HEX.parseHex(t.get("sig").asText()));
            accepted = true;
          } catch (InvalidSignatureException e) {
            accepted = false;
          } catch (RuntimeException e) {
            failures.add(id + ": threw " + e + " instead of InvalidSignatureException");
            continue;
          }
        }
        switch (result) {
          case "valid" -> {
            valid++;
            if (!accepted) {
              failures.add(id + ": valid, refused" + (keyProblem == null ? "" : " (key: " + keyProblem + ")"));
            }
          }
          case "invalid" -> {
            invalid++;
            if (accepted) {
              failures.add(id + ": invalid, accepted");
            }
          }
          case "acceptable" -> {
            acceptable++;
            if (flags.isEmpty() || !ACCEPTED_FLAGS.containsAll(flags)) {
              failures.add(id + ": acceptable with flags " + flags + " that the README decides nothing about");
            } else if (!accepted) {
              failures.add(id + ": acceptable " + flags + ", which both backends accept, refused");
            }
          }
          default -> failures.add(id + ": unknown result " + result);
        }
      }
    }
    assertEquals(doc.get("numberOfTests").asInt(), valid + invalid + acceptable, file + ": vectors counted");
    SUMMARY.put(
        backend.name() + (trusted ? " trusted key" : "") + " " + file,
        (valid + invalid + acceptable) + " vectors: " + valid + " valid verified, " + invalid + " invalid refused, "
            + acceptable + " acceptable accepted" + (failures.isEmpty() ? "" : ", " + failures.size() + " FAILED"));
    if (!failures.isEmpty()) {
      fail(backend.name() + (trusted ? " trusted key" : "") + " " + file + ": " + failures.size() + " vectors wrong:\n  "
          + String.join("\n  ", failures.subList(0, Math.min(40, failures.size()))));
    }
  }

  private static SignatureVerifier verifierFor(CryptoBackend backend, boolean trusted, String schema, JsonNode group)
      throws KeyParseException, UnsupportedKeyException {
    PublicKey key = backend.parsePublicKey(HEX.parseHex(group.get("publicKeyDer").asText()));
    if (schema.startsWith("rsassa_pss")) {
      HashAlgorithm hash = hash(group.get("sha").asText());
      assertEquals("MGF1", group.get("mgf").asText());
      assertEquals(hash, hash(group.get("mgfSha").asText()), "these files use MGF1 with the message hash");
      return backend.newRsaPssVerifier(key, hash, group.get("sLen").asInt());
    }
    return trusted ? backend.newTrustedVerifier(key) : backend.newVerifier(key);
  }

  private static void verify(String schema, JsonNode group, SignatureVerifier v, byte[] msg, byte[] sig)
      throws InvalidSignatureException {
    if (schema.startsWith("eddsa")) {
      v.verifyMessage(msg, sig);
    } else if (schema.startsWith("rsassa_pss")) {
      v.verifyMessage(msg, sig);
    } else {
      v.verifyMessage(hash(group.get("sha").asText()), msg, sig);
    }
  }

  private static HashAlgorithm hash(String wycheproofName) {
    return switch (wycheproofName) {
      case "SHA-256" -> HashAlgorithm.SHA2_256;
      case "SHA-384" -> HashAlgorithm.SHA2_384;
      case "SHA-512" -> HashAlgorithm.SHA2_512;
      default -> throw new IllegalArgumentException("hash " + wycheproofName);
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signatures made by the JDK

  record Signed(String what, KeyPair keys, SignatureVerifier verifier, byte[] message, byte[] signature) {}

  @ParameterizedTest
  @MethodSource("backends")
  void trustedKeyVerifiersAgreeWithTheOthers(CryptoBackend backend) throws Exception {
    for (Signed s : jdkSigned(backend)) {
      if (s.what().equals("RSA-PSS")) {
        continue;
      }
      SignatureVerifier trusted = backend.newTrustedVerifier(s.verifier().publicKey());
      assertEquals(s.verifier().algorithm(), trusted.algorithm(), s.what());
      trusted.verifyMessage(s.message(), s.signature());
      for (int bit = 0; bit < s.signature().length * 8; bit += 3) {
        byte[] bad = s.signature().clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThrows(InvalidSignatureException.class, () -> trusted.verifyMessage(s.message(), bad), s.what());
      }
    }
  }

  private static List<Signed> jdkSigned(CryptoBackend backend) throws Exception {
    List<Signed> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (String[] ec : new String[][] {{"secp256r1", "SHA256withECDSA"}, {"secp384r1", "SHA384withECDSA"},
        {"secp521r1", "SHA512withECDSA"}}) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(ec[0]));
      KeyPair kp = g.generateKeyPair();
      out.add(signed(backend, ec[0], kp, ec[1], null, random));
    }
    out.add(signed(backend, "Ed25519", KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519", null,
        random));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rk = rsa.generateKeyPair();
    out.add(signed(backend, "RSA PKCS#1 v1.5", rk, "SHA256withRSA", null, random));
    out.add(signed(backend, "RSA-PSS", rk, "RSASSA-PSS",
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), random));
    return out;
  }

  private static Signed signed(
      CryptoBackend backend, String what, KeyPair kp, String jca, PSSParameterSpec pss, SplittableRandom random)
      throws Exception {
    byte[] message = new byte[1 + random.nextInt(300)];
    random.nextBytes(message);
    Signature s = Signature.getInstance(jca);
    if (pss != null) {
      s.setParameter(pss);
    }
    s.initSign(kp.getPrivate());
    s.update(message);
    PublicKey key = backend.parsePublicKey(kp.getPublic().getEncoded());
    SignatureVerifier v =
        pss != null ? backend.newRsaPssVerifier(key, HashAlgorithm.SHA2_256, 32) : backend.newVerifier(key);
    return new Signed(what, kp, v, message, s.sign());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void jdkSignaturesVerifyAndEveryAlterationIsRefused(CryptoBackend backend) throws Exception {
    for (Signed s : jdkSigned(backend)) {
      s.verifier().verifyMessage(s.message(), s.signature());
      for (int bit = 0; bit < s.signature().length * 8; bit += 3) {
        byte[] bad = s.signature().clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        assertRefused(s, s.message(), bad, "signature bit " + bit);
      }
      for (int bit = 0; bit < s.message().length * 8; bit += 5) {
        byte[] other = s.message().clone();
        other[bit / 8] ^= (byte) (1 << (bit % 8));
        assertRefused(s, other, s.signature(), "message bit " + bit);
      }
      assertRefused(s, s.message(), Arrays.copyOf(s.signature(), s.signature().length - 1), "truncated");
      assertRefused(s, s.message(), Arrays.copyOf(s.signature(), s.signature().length + 1), "extended");
      assertRefused(s, s.message(), new byte[0], "empty");
    }
  }

  private static void assertRefused(Signed s, byte[] message, byte[] signature, String what) {
    assertThrows(
        InvalidSignatureException.class,
        () -> s.verifier().verifyMessage(message, signature),
        s.what() + ": " + what + " accepted");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void prehashedFormsAgreeWithTheMessageForm(CryptoBackend backend) throws Exception {
    for (Signed s : jdkSigned(backend)) {
      SignatureVerifier v = s.verifier();
      if (!v.supportsPrehashed()) {
        InvalidSignatureException e =
            assertThrows(
                InvalidSignatureException.class,
                () -> v.verifyDigest(HashAlgorithm.SHA2_256, new byte[32], s.signature()));
        assertTrue(e.getMessage().contains("whole artifact"), e.getMessage());
        assertThrows(
            InvalidSignatureException.class,
            () -> v.verifyMessage(HashAlgorithm.SHA2_256, s.message(), s.signature()));
        continue;
      }
      HashAlgorithm h = v.algorithm().hash().orElseThrow();
      byte[] digest = MessageDigest.getInstance(h.jcaName()).digest(s.message());
      v.verifyDigest(h, digest, s.signature());
      v.verifyMessage(h, s.message(), s.signature());
      assertThrows(
          InvalidSignatureException.class,
          () -> v.verifyDigest(h, Arrays.copyOf(digest, digest.length - 1), s.signature()),
          s.what() + ": short digest");
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void pssVerifiersTakeOnlyTheirHash(CryptoBackend backend) throws Exception {
    Signed pss = jdkSigned(backend).get(5);
    assertEquals(KeyAlgorithm.RSA_PSS, pss.verifier().algorithm());
    byte[] sha384 = MessageDigest.getInstance("SHA-384").digest(pss.message());
    InvalidSignatureException e =
        assertThrows(
            InvalidSignatureException.class,
            () -> pss.verifier().verifyDigest(HashAlgorithm.SHA2_384, sha384, pss.signature()));
    assertTrue(e.getMessage().contains("PSS parameters"), e.getMessage());
    SignatureVerifier salt20 =
        backend.newRsaPssVerifier(pss.verifier().publicKey(), HashAlgorithm.SHA2_256, 20);
    assertThrows(InvalidSignatureException.class, () -> salt20.verifyMessage(pss.message(), pss.signature()));
    assertThrows(
        UnsupportedKeyException.class,
        () -> backend.newRsaPssVerifier(pss.verifier().publicKey(), HashAlgorithm.SHA2_256, -1));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Keys and digests

  @ParameterizedTest
  @MethodSource("backends")
  void keysAreReadAsTheJdkReadsThem(CryptoBackend backend) throws Exception {
    for (Signed s : jdkSigned(backend)) {
      PublicKey jdk = s.keys().getPublic();
      PublicKey ours = backend.parsePublicKey(jdk.getEncoded());
      assertEquals(jdk, ours, s.what());
      assertEquals(ours, jdk, s.what());
      assertEquals(jdk.hashCode(), ours.hashCode(), s.what());
      assertArrayEquals(jdk.getEncoded(), ours.getEncoded(), s.what());
      assertEquals(KeyAlgorithm.of(jdk), KeyAlgorithm.of(ours), s.what());
      assertEquals(s.what().equals("RSA-PSS") ? KeyAlgorithm.RSA_PSS : KeyAlgorithm.of(jdk), s.verifier().algorithm());
    }
    KeyParseException e =
        assertThrows(KeyParseException.class, () -> backend.parsePublicKey(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
    assertTrue(e.getMessage().startsWith("public key: "), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void unsupportedKeysAreRefused(CryptoBackend backend) throws Exception {
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    PublicKey rsa1024 = backend.parsePublicKey(small.generateKeyPair().getPublic().getEncoded());
    UnsupportedKeyException e = assertThrows(UnsupportedKeyException.class, () -> backend.newVerifier(rsa1024));
    assertTrue(e.getMessage().contains("at least 2048 bits"), e.getMessage());
    assertThrows(UnsupportedKeyException.class, () -> backend.newTrustedVerifier(rsa1024));
    assertThrows(UnsupportedKeyException.class, () -> backend.newRsaPssVerifier(rsa1024, HashAlgorithm.SHA2_256, 32));
    PublicKey ed = backend.parsePublicKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()
        .getEncoded());
    assertThrows(UnsupportedKeyException.class, () -> backend.newRsaPssVerifier(ed, HashAlgorithm.SHA2_256, 32));
    KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
    byte[] x25519 = x.generateKeyPair().getPublic().getEncoded();
    assertThrows(KeyParseException.class, () -> backend.parsePublicKey(x25519));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void digestsAreTheJdks(CryptoBackend backend) throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    for (HashAlgorithm h : HashAlgorithm.values()) {
      for (int len : new int[] {0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 129, 1000, 70_000}) {
        byte[] data = new byte[len];
        random.nextBytes(data);
        byte[] expected = MessageDigest.getInstance(h.jcaName()).digest(data);
        assertArrayEquals(expected, backend.digest(h, data), h + " of " + len + " bytes");
        MessageDigest md = backend.newDigest(h);
        md.update(data, 0, len / 2);
        md.update(data, len / 2, len - len / 2);
        assertArrayEquals(expected, md.digest(), h + " of " + len + " bytes in two parts");
        assertEquals(h.length(), md.getDigestLength());
      }
    }
  }
}
