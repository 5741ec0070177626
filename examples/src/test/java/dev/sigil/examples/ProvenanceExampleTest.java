package dev.sigil.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance example runs in the build: it makes, signs and verifies provenance for a file. */
class ProvenanceExampleTest {
  @TempDir Path dir;

  @Test
  void makesSignsAndVerifiesProvenance() throws Exception {
    Path f = Files.writeString(dir.resolve("app.tar"), "app\n", StandardCharsets.UTF_8);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] bundle = ProvenanceExample.run(f, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("verified: signed by key ecdsa-p256"), out);
    assertTrue(out.contains("subject app.tar") && out.contains("built by https://ci.example.com/builder"), out);
    assertTrue(out.contains("0123456789abcdef0123456789abcdef01234567"), out);
    assertTrue(new String(bundle, StandardCharsets.UTF_8).contains("\"dsseEnvelope\""));
    ProvenanceExample.main(new String[] {f.toString()});
  }
}
