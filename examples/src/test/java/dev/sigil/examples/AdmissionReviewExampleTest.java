package dev.sigil.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.admission.AdmissionHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admission example runs in the build: the signed Deployment is admitted with its tag pinned, the other denied. */
class AdmissionReviewExampleTest {
  @TempDir Path dir;

  @Test
  void admitsTheSignedDeploymentAndDeniesTheOther() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<AdmissionHandler.Verdict> v = AdmissionReviewExample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(v.get(0).allowed(), out);
    assertTrue(v.get(0).patch().size() == 1 && v.get(0).patch().get(0).value().contains("@sha256:"), out);
    assertFalse(v.get(1).allowed(), out);
    assertTrue(out.contains("denied Deployment shop/") && out.contains("release-key"), out);
  }
}
