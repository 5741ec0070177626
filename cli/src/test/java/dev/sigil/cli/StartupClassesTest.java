package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot verify-blob on a small artifact, in bin/sigil's fast-start profile, hashes it with {@link FileHasher} yet
 * loads none of what large inputs need: no progress-bar or JLine class, and no JCA provider (the JDK's SHA-2).
 */
class StartupClassesTest {
  @Test
  void aSmallVerifyLoadsNeitherTheProgressDisplayNorTheJdksDigests(@TempDir Path dir) throws Exception {
    Path cases = ConformanceTest.casesDir();
    Path log = dir.resolve("classes.log");
    Path jars = Files.createDirectories(dir.resolve("jars"));
    Peers.Result r = Peers.run(ChildSigil.command(ChildSigil.unsignedClassPath(jars),
        ChildSigil.fastStart("-Xlog:class+load:file=" + log),
        "verify-blob", "--bundle", cases.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
        "--certificate-identity", ConformanceTest.DEFAULT_IDENTITY,
        "--certificate-oidc-issuer", ConformanceTest.DEFAULT_ISSUER,
        cases.resolve("a.txt").toString()), Map.of(), dir, 120);
    assertEquals(0, r.exitCode(), r::describe);
    List<String> loaded = Files.readAllLines(log);
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.sigil.cli.FileHasher ")),
        "the artifact was hashed by FileHasher");
    for (String prefix : List.of(" me.tongfei.", " org.jline.", " sun.security.provider.", " java.security.Provider ",
        " dev.sigil.cli.ProgressBarDisplay")) {
      assertTrue(loaded.stream().noneMatch(l -> l.contains(prefix)), prefix.strip() + " loaded: "
          + loaded.stream().filter(l -> l.contains(prefix)).findFirst().orElse(""));
    }
  }
}
