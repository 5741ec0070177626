package dev.sigil.verifier.internal.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The PEM codec: both modes on well-formed text, each rule of each mode, and the lenient mode held to PemReader. */
class PemTest {
  private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static PemException.Problem problem(String text, Pem.Mode mode) {
    return assertThrows(PemException.class, () -> Pem.decode(b(text), mode), text).problem();
  }

  @ParameterizedTest
  @EnumSource(Pem.Mode.class)
  void readsWhatItWritesWithAnyLineEnding(Pem.Mode mode) throws Exception {
    byte[] big = new byte[1000];
    new SplittableRandom(1).nextBytes(big);
    String one = Pem.encode("CERTIFICATE", big);
    String two = Pem.encode("PUBLIC KEY", DER);
    for (String eol : new String[] {"\n", "\r\n", "\r"}) {
      String text = "explanatory text\n" + (one + two).replace("\n", eol) + "trailing";
      List<Pem.Block> blocks = Pem.decode(b(text), mode);
      assertEquals(2, blocks.size());
      assertEquals("CERTIFICATE", blocks.get(0).label());
      assertArrayEquals(big, blocks.get(0).bytes());
      assertEquals("PUBLIC KEY", blocks.get(1).label());
      assertArrayEquals(DER, blocks.get(1).bytes());
      assertEquals(text.indexOf("-----BEGIN CERTIFICATE"), blocks.get(0).start());
      assertEquals(text.indexOf("-----END PUBLIC KEY-----") + "-----END PUBLIC KEY-----".length(), blocks.get(1).end());
      assertEquals("CERTIFICATE", Pem.decodeFirst(b(text), mode).label());
    }
    assertTrue(Pem.decode(b("no block here"), mode).isEmpty());
    assertNull(Pem.decodeFirst(b(""), mode));
  }

  @Test
  void encodesAsGoAndOpenSslDo() {
    assertEquals("-----BEGIN PUBLIC KEY-----\nMAMCAQU=\n-----END PUBLIC KEY-----\n", Pem.encode("PUBLIC KEY", DER));
    String long64 = Pem.encode("X", new byte[48]);
    assertEquals("-----BEGIN X-----\n" + "A".repeat(64) + "\n-----END X-----\n", long64);
    assertEquals("-----BEGIN X-----\n" + "A".repeat(64) + "\nAAAA\n-----END X-----\n", Pem.encode("X", new byte[51]));
  }

  @Test
  void strictModeRefusesWhatRfc7468StrictRefuses() {
    String good = Pem.encode("PUBLIC KEY", DER);
    assertEquals(PemException.Problem.HEADER,
        problem(good.replace("-----\nMA", "-----\nProc-Type: 4,ENCRYPTED\n\nMA"), Pem.Mode.STRICT));
    assertEquals(PemException.Problem.END_MISMATCH, problem(good.replace("END PUBLIC KEY", "END PRIVATE KEY"),
        Pem.Mode.STRICT));
    assertEquals(PemException.Problem.END_MISMATCH,
        problem(good.replace("-----END PUBLIC KEY-----", "-----END PUBLIC KEY----- x"), Pem.Mode.STRICT));
    assertEquals(PemException.Problem.NESTED_BEGIN, problem(good.replace("MAMCAQU=\n", "MAMCAQU=\n" + good),
        Pem.Mode.STRICT));
    assertEquals(PemException.Problem.NO_END, problem(good.replace("-----END PUBLIC KEY-----\n", ""),
        Pem.Mode.STRICT));
    assertEquals(PemException.Problem.BAD_BASE64, problem(good.replace("MAMCAQU=", "MAMCAQU"), Pem.Mode.STRICT));
    assertEquals(PemException.Problem.BAD_BASE64, problem(good.replace("MAMCAQU=", "MAMCAQV="), Pem.Mode.STRICT));
    assertEquals(PemException.Problem.BAD_BASE64, problem(good.replace("MAMCAQU=", "MAMC!QU="), Pem.Mode.STRICT));
    assertEquals(PemException.Problem.EMPTY, problem(good.replace("MAMCAQU=\n", ""), Pem.Mode.STRICT));
    for (String label : new String[] {"", " X", "X ", "X--Y", "X  Y", "-X", "X-", "ÄX"}) {
      assertEquals(PemException.Problem.MALFORMED_BEGIN,
          problem(good.replace("PUBLIC KEY", label), Pem.Mode.STRICT), "label \"" + label + "\"");
    }
    for (String label : new String[] {"X", "X-Y", "X Y", "NEW CERTIFICATE REQUEST", "X509 CRL"}) {
      assertDoesNotThrow(good.replace("PUBLIC KEY", label), Pem.Mode.STRICT);
    }
    // spaces and tabs inside and after lines are allowed, as RFC 7468 allows whitespace
    assertDoesNotThrow(good.replace("MAMCAQU=", " MAMC \tAQU= ").replace("KEY-----\n", "KEY-----  \n"),
        Pem.Mode.STRICT);
  }

  @Test
  void lenientModeReadsWhatPemParserReads() throws Exception {
    String good = Pem.encode("PUBLIC KEY", DER);
    String[] accepted = {
      good.replace("-----\nMA", "-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n\nMA"),
      good.replace("-----END PUBLIC KEY-----", "-----END PUBLIC KEY----- trailing"),
      good.replace("MAMCAQU=", "  MAMC\nAQU=  "),
      good.replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----   "),
    };
    for (String in : accepted) {
      assertArrayEquals(DER, Pem.decodeFirst(b(in), Pem.Mode.LENIENT).bytes(), in);
      assertArrayEquals(viaPemReader(in), Pem.decodeFirst(b(in), Pem.Mode.LENIENT).bytes(), in);
    }
    assertEquals(PemException.Problem.MALFORMED_BEGIN, problem(good.replace("PUBLIC KEY", "X-Y"), Pem.Mode.LENIENT));
    assertEquals(PemException.Problem.NO_END,
        problem(good.replace("END PUBLIC KEY", "END PRIVATE KEY"), Pem.Mode.LENIENT));
    assertEquals(PemException.Problem.BAD_BASE64, problem(good.replace("MAMCAQU=", "MAMCAQU"), Pem.Mode.LENIENT));
    assertEquals(PemException.Problem.EMPTY, problem(good.replace("MAMCAQU=\n", ""), Pem.Mode.LENIENT));
  }

  /** Random damage to a well-formed block: the lenient mode accepts exactly what PemReader accepts, with its bytes. */
  @Test
  void lenientModeAgreesWithPemReaderOnDamagedInput() throws Exception {
    String good = "text\n" + Pem.encode("PUBLIC KEY", new byte[70]) + "more\n";
    char[] alphabet = {'A', 'z', '0', '+', '/', '=', '-', ' ', '\n', '\r', ':', '!', 'E', 'K'};
    SplittableRandom random = new SplittableRandom(5);
    for (int n = 0; n < 4000; n++) {
      char[] c = good.toCharArray();
      for (int k = 1 + random.nextInt(2); k > 0; k--) {
        c[random.nextInt(c.length)] = alphabet[random.nextInt(alphabet.length)];
      }
      String in = new String(c);
      byte[] expected = viaPemReader(in);
      byte[] ours;
      try {
        Pem.Block block = Pem.decodeFirst(b(in), Pem.Mode.LENIENT);
        ours = block == null ? null : block.bytes();
      } catch (PemException e) {
        ours = null;
      }
      assertArrayEquals(expected, ours, in);
    }
  }

  /** BouncyCastle's PemReader (what PEMParser reads with): the bytes, or null when it refuses or finds nothing. */
  private static byte[] viaPemReader(String pem) {
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject o = r.readPemObject();
      return o == null || o.getContent().length == 0 ? null : o.getContent();
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void firstLabelNeverThrows() {
    assertEquals("ENCRYPTED SIGSTORE PRIVATE KEY",
        Pem.firstLabel(b("x\n-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n!!!")));
    assertNull(Pem.firstLabel(b("-----BEGIN -----\n")));
    assertNull(Pem.firstLabel(b("nothing")));
    assertNull(Pem.firstLabel(b(" -----BEGIN X-----")));
  }

  @Test
  void nonAsciiBytesAreNeitherMarkersNorBase64() {
    byte[] text = b(Pem.encode("X", DER).replace("MAMC", "MA\u00ffC"));
    for (Pem.Mode mode : Pem.Mode.values()) {
      assertEquals(PemException.Problem.BAD_BASE64,
          assertThrows(PemException.class, () -> Pem.decode(text, mode)).problem());
    }
    assertFalse(Pem.isRfc7468Label("\u00ff"));
  }

  private static void assertDoesNotThrow(String text, Pem.Mode mode) {
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Pem.decode(b(text), mode), text);
  }
}
