package dev.sigil.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigestTest {
  @Test
  void computesAndMatches() {
    byte[] b = TestFiles.utf8("{}");
    Digest d = Digest.sha256(b);
    assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", d.toString());
    assertTrue(d.matches(b));
    assertFalse(d.matches(TestFiles.utf8("{ }")));
    assertEquals("sha256-44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", d.tagPrefix());
    Digest s512 = Digest.compute(Digest.SHA512, b);
    assertEquals(128, s512.hex().length());
    assertTrue(s512.matches(b));
    assertEquals("sha512-" + s512.hex().substring(0, 64), s512.tagPrefix());
    assertEquals(d, Digest.parse(d.toString()));
  }

  @Test
  void rejectsMalformed() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(":abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "g".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("SHA256:" + "a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> new Digest("sha1", "a".repeat(40)));
  }
}
