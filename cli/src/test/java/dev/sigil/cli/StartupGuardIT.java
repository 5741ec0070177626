package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up guard of docs/fast-start.md: a one-shot {@code sigil verify-bundle}, run by {@code bin/sigil} from the
 * packaged {@code cli/target/sigil.jar} (with its AppCDS archive) on a sigstore-conformance bundle with {@code
 * -Xlog:class+load}, loads none of the
 * facilities whose first use costs a cold JVM more than the verification: regular expressions, {@code Formatter},
 * {@code DateTimeFormatter}, the lambda metafactory, the JCA provider list, BouncyCastle's service registry and
 * java.util.logging. The fenced package is held to these rules by forbiddenapis and {@code FenceTest}; this test
 * holds the whole one-shot path, whatever package the code is in. It runs under failsafe, after the jar is built: on
 * Maven's test class path the JVM would verify the signed BouncyCastle jars, which loads the JCA provider list
 * whatever Sigil does.
 *
 * <p>Covered: keyless message signatures with a Rekor v1 entry, and DSSE. Bundles with an RFC 3161 timestamp still
 * load several of these (the timestamp verifier's generalized-time pattern, BouncyCastle's TSP classes), as before
 * the fence; see docs/fast-start.md.
 */
class StartupGuardIT {
  /** Each names the facility by the class that its first use loads (found with -Xlog:class+load). */
  static final List<String> FORBIDDEN =
      List.of(
          "java.util.regex.Pattern",
          "java.util.Formatter",
          "java.time.format.DateTimeFormatter",
          "java.lang.invoke.LambdaMetafactory",
          "java.lang.invoke.InnerClassLambdaMetafactory",
          "sun.security.jca.ProviderList",
          "java.security.Provider$Service",
          "org.bouncycastle.crypto.CryptoServicesRegistrar",
          "java.util.logging.LogManager");

  @ParameterizedTest
  @ValueSource(strings = {"happy-path-v0.3", "happy-path-intoto-in-dsse-v3"})
  void aOneShotVerifyLoadsNoneOfTheSlowFacilities(String name, @TempDir Path tmp) throws Exception {
    Path cases = ConformanceTest.casesDir();
    Path dir = cases.resolve(name);
    Path log = tmp.resolve("class-load.log");
    Path launcher = Path.of(System.getProperty("sigil.launcher", "../bin/sigil"));
    assertTrue(Files.isRegularFile(launcher), launcher + " (bin/sigil) is missing");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                launcher.toString(),
                "verify-bundle",
                "--bundle",
                dir.resolve("bundle.sigstore.json").toString(),
                "--certificate-identity",
                ConformanceTest.DEFAULT_IDENTITY,
                "--certificate-oidc-issuer",
                ConformanceTest.DEFAULT_ISSUER,
                cases.resolve("a.txt").toString()));
    String java = ProcessHandle.current().info().command().orElse("java");
    Path javaHome = Path.of(java).getParent().getParent();
    Peers.Result r =
        Peers.run(
            cmd, Map.of("JAVA_HOME", javaHome.toString(), "SIGIL_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), tmp,
            120);
    assertEquals(0, r.exitCode(), r::describe);

    Set<String> loaded = new LinkedHashSet<>();
    for (String line : Files.readAllLines(log)) {
      // [0.123s][info][class,load] java.lang.Object source: jrt:/java.base
      int start = line.indexOf("] ", line.indexOf("class,load"));
      int end = line.indexOf(' ', start + 2);
      if (start > 0 && end > start) {
        loaded.add(line.substring(start + 2, end));
      }
    }
    assertTrue(loaded.contains("dev.sigil.verifier.internal.faststart.FastStartBackend"),
        "the log lists the classes of the run, the fast-start backend among them (" + loaded.size() + " classes)");
    List<String> found = new ArrayList<>();
    for (String c : FORBIDDEN) {
      if (loaded.contains(c)) {
        found.add(c);
      }
    }
    assertEquals(List.of(), found, name + ": a one-shot verify loaded what the fast path must not");
  }
}
