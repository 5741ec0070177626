package dev.sigil.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.policy.Decision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy example runs in the build: the signed image is allowed, the unsigned one denied, with the reason. */
class PolicyDecisionExampleTest {
  @TempDir Path dir;

  @Test
  void allowsTheSignedImageAndDeniesTheOther() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<Decision> d = PolicyDecisionExample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(d.get(0).allowed(), out);
    assertFalse(d.get(1).allowed(), out);
    assertTrue(out.contains("allowed: ") && out.contains("example-release"), out);
    assertTrue(out.contains("denied: ") && out.contains("release-key"), out);
  }
}
