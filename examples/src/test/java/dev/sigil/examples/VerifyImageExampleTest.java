package dev.sigil.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image example runs in the build: it makes an image in an OCI layout, signs it, and verifies it. */
class VerifyImageExampleTest {
  @TempDir Path dir;

  @Test
  void signsAndVerifiesAnImageInALayout() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    boolean ok = VerifyImageExample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(ok, out);
    assertTrue(out.contains("accepted, signed by key ecdsa-p256"), out);
    assertTrue(out.contains("verified: oci-layout:"), out);
  }
}
