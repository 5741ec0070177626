package dev.sigil.verifier.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PublicGoodTest {
  @Test
  void theEmbeddedSnapshotIsTheCorpusFileByteForByte() throws Exception {
    byte[] expected;
    try (InputStream in = PublicGoodTest.class.getResourceAsStream(TrustFixtures.PUBLIC_GOOD)) {
      expected = in.readAllBytes();
    }
    assertArrayEquals(
        expected,
        PublicGood.json(),
        "PublicGoodSnapshot differs from " + TrustFixtures.PUBLIC_GOOD
            + "; regenerate it with verifier/src/build/embed-trusted-root.sh");
  }

  @Test
  void theSnapshotParsesToThePublicGoodInstances() throws Exception {
    TrustedRoot root = PublicGood.trustedRoot();
    assertEquals(TrustedRoot.parse(PublicGood.json()), root);
    assertEquals(2, root.tlogs().size());
    assertEquals(2, root.certificateAuthorities().size());
    assertEquals(2, root.ctlogs().size());
    assertEquals(1, root.timestampAuthorities().size());
  }

  @Test
  void callersGetTheirOwnCopyOfTheBytes() {
    byte[] a = PublicGood.json();
    byte[] b = PublicGood.json();
    assertNotSame(a, b);
    a[0] = 'x';
    assertEquals('{', PublicGood.json()[0]);
  }
}
