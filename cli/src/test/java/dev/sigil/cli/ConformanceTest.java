package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sigstore-conformance bundle-verify cases, driven exactly as that suite drives a client (see
 * {@code conformance/UPSTREAM-README.md}): each case twice, with the artifact as a file and as a sha256 digest. A
 * case ending in {@code _fail} must exit non-zero (and never with an internal error); every other case must exit 0.
 */
class ConformanceTest {
  static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  static Path casesDir() throws URISyntaxException {
    return Path.of(ConformanceTest.class.getResource("/conformance/bundle-verify").toURI());
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(casesDir())) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        out.add(Arguments.of(d.getFileName().toString(), "file"));
        out.add(Arguments.of(d.getFileName().toString(), "digest"));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("cases")
  void conformanceCase(String name, String mode) throws Exception {
    Path dir = casesDir().resolve(name);
    Path artifact = Files.exists(dir.resolve("artifact")) ? dir.resolve("artifact") : casesDir().resolve("a.txt");
    List<String> args = new ArrayList<>(List.of("verify-bundle", "--bundle", dir.resolve("bundle.sigstore.json").toString()));
    if (Files.exists(dir.resolve("key.pub"))) {
      args.addAll(List.of("--key", dir.resolve("key.pub").toString()));
    } else {
      args.addAll(List.of("--certificate-identity", read(dir.resolve("identity"), DEFAULT_IDENTITY)));
      args.addAll(List.of("--certificate-oidc-issuer", read(dir.resolve("issuer"), DEFAULT_ISSUER)));
    }
    if (Files.exists(dir.resolve("trusted_root.json"))) {
      args.addAll(List.of("--trusted-root", dir.resolve("trusted_root.json").toString()));
    }
    args.add(mode.equals("file") ? artifact.toString() : "sha256:" + sha256(artifact));
    Cli.Run r = new Cli().run(args.toArray(String[]::new));
    if (name.endsWith("_fail")) {
      assertNotEquals(0, r.code(), () -> name + " must be rejected\n--- out\n" + r.out() + "--- err\n" + r.err());
      assertNotEquals(ExitCode.ENVIRONMENT, r.code(), () -> name + " rejected by an internal error\n" + r.err());
      r.errorLine();
    } else {
      assertEquals(0, r.code(), () -> name + " must verify\n--- out\n" + r.out() + "--- err\n" + r.err());
    }
  }

  private static String read(Path p, String dflt) throws IOException {
    return Files.exists(p) ? Files.readString(p).strip() : dflt;
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
