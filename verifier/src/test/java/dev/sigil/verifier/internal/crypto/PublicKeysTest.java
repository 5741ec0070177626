package dev.sigil.verifier.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.crypto.KeyParseException;
import java.io.StringReader;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;

/** {@link PublicKeys#fromPem} against BouncyCastle's PEMParser, which it replaced. */
class PublicKeysTest {
  /** What PEMParser made of {@code pem}: the key's DER, or null when it (or the key) was refused. */
  private static byte[] viaPemParser(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (o instanceof SubjectPublicKeyInfo spki) {
        return PublicKeys.fromDer(spki.getEncoded()).getEncoded();
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private static byte[] viaFromPem(String pem) {
    try {
      return PublicKeys.fromPem(pem).getEncoded();
    } catch (KeyParseException e) {
      return null;
    }
  }

  private static String pem(String type, byte[] der, String eol, int width) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder("-----BEGIN " + type + "-----" + eol);
    for (int i = 0; i < b64.length(); i += width) {
      sb.append(b64, i, Math.min(b64.length(), i + width)).append(eol);
    }
    return sb.append("-----END ").append(type).append("-----").append(eol).toString();
  }

  static List<PublicKey> keys() throws Exception {
    List<PublicKey> keys = new ArrayList<>();
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      keys.add(g.generateKeyPair().getPublic());
    }
    keys.add(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    keys.add(rsa.generateKeyPair().getPublic());
    return keys;
  }

  @Test
  void readsWhatPemParserReads() throws Exception {
    for (PublicKey k : keys()) {
      byte[] der = k.getEncoded();
      List<String> inputs =
          List.of(
              pem("PUBLIC KEY", der, "\n", 64),
              pem("PUBLIC KEY", der, "\r\n", 64),
              pem("PUBLIC KEY", der, "\n", 76),
              "some text first\n\n" + pem("PUBLIC KEY", der, "\n", 64) + "trailing text",
              pem("PUBLIC KEY", der, "\n", 64).replace("-----\n", "-----\nComment: a header\n\n"),
              pem("PUBLIC KEY", der, "\n", 64).replace("\n-----END", "  \n-----END"),
              pem("PUBLIC KEY", der, "\r", 64));
      for (String in : inputs) {
        byte[] expected = viaPemParser(in);
        assertTrue(expected != null, "PEMParser refused a well-formed input:\n" + in);
        assertArrayEquals(expected, viaFromPem(in), in);
        assertArrayEquals(der, viaFromPem(in), in);
      }
    }
  }

  @Test
  void refusesWhatPemParserRefuses() throws Exception {
    byte[] der = keys().get(0).getEncoded();
    String good = pem("PUBLIC KEY", der, "\n", 64);
    List<String> bad =
        List.of(
            "",
            "no pem here",
            good.replace("-----END PUBLIC KEY-----\n", ""),
            good.replace("BEGIN PUBLIC KEY", "BEGIN CERTIFICATE").replace("END PUBLIC KEY", "END CERTIFICATE"),
            good.replace("BEGIN PUBLIC KEY", "BEGIN EC PRIVATE KEY").replace("END PUBLIC KEY", "END EC PRIVATE KEY"),
            good.replace("M", "!"),
            good.substring(0, 40) + "*" + good.substring(41),
            pem("PUBLIC KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "\n", 64),
            pem("PUBLIC KEY", java.util.Arrays.copyOf(der, der.length - 1), "\n", 64),
            good.replace("=", ""));
    for (String in : bad) {
      assertEquals(null, viaPemParser(in), "PEMParser accepted:\n" + in);
      assertEquals(null, viaFromPem(in), in);
    }
    KeyParseException none = assertThrows(KeyParseException.class, () -> PublicKeys.fromPem("nothing"));
    assertEquals("public key: expected a PEM block \"PUBLIC KEY\", found no PEM block", none.getMessage());
    KeyParseException cert =
        assertThrows(KeyParseException.class, () -> PublicKeys.fromPem(bad.get(3)));
    assertEquals(
        "public key: expected a PEM block \"PUBLIC KEY\", found a \"CERTIFICATE\" block", cert.getMessage());
    KeyParseException unterminated = assertThrows(KeyParseException.class, () -> PublicKeys.fromPem(bad.get(2)));
    assertTrue(unterminated.getMessage().contains("-----END PUBLIC KEY----- not found"), unterminated.getMessage());
  }

  @Test
  void readsPkcs1RsaPublicKeysAsPemParserDoes() throws Exception {
    PublicKey rsa = keys().get(4);
    byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(rsa.getEncoded()).parsePublicKey().getEncoded();
    String in = pem("RSA PUBLIC KEY", pkcs1, "\n", 64);
    assertArrayEquals(viaPemParser(in), viaFromPem(in));
    assertArrayEquals(rsa.getEncoded(), viaFromPem(in));
  }

  /** Random single-character damage: fromPem accepts exactly when PEMParser did, with the same key. */
  @Test
  void damagedInputsAgreeWithPemParser() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    String good = pem("PUBLIC KEY", keys().get(0).getEncoded(), "\n", 64);
    char[] alphabet = {'A', 'z', '0', '+', '/', '=', '-', ' ', '\n', ':', '!', 'E'};
    int disagreements = 0;
    StringBuilder report = new StringBuilder();
    for (int n = 0; n < 3000; n++) {
      char[] c = good.toCharArray();
      int pos = random.nextInt(c.length);
      c[pos] = alphabet[random.nextInt(alphabet.length)];
      String in = new String(c);
      byte[] a = viaPemParser(in);
      byte[] b = viaFromPem(in);
      if (!java.util.Arrays.equals(a, b)) {
        disagreements++;
        if (report.length() < 2000) {
          report.append("\n--- pos ").append(pos).append(" PEMParser ").append(a != null).append(" fromPem ").append(b != null);
        }
      }
    }
    assertEquals(0, disagreements, report.toString());
  }
}
