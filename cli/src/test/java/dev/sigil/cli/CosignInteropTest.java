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

/** Key-based blob signatures interoperate with cosign 2.5 and skopeo 1.18 in both directions. */
class CosignInteropTest {
  static final String PW = "interop-pass";
  static final String EMPTY_ROOT = "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}";

  @TempDir Path dir;

  private Peers.Result cosign(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Peers.cosign().toString());
    cmd.addAll(List.of(args));
    return Peers.run(cmd, Map.of("COSIGN_PASSWORD", PW, "HOME", dir.toString()), dir, 120);
  }

  private Path artifact() throws Exception {
    Path a = dir.resolve("artifact.bin");
    Files.writeString(a, "interop artifact\n");
    return a;
  }

  /** (a) cosign key -> sigil sign-blob -> cosign verify-blob. */
  @Test
  void cosignVerifiesSigilBundleMadeWithCosignKey() throws Exception {
    Peers.Result gen = cosign("generate-key-pair", "--output-key-prefix", dir.resolve("ck").toString());
    assertEquals(0, gen.exitCode(), gen::describe);
    Path a = artifact();
    Path bundle = dir.resolve("sigil.sigstore.json");
    new Cli().env("COSIGN_PASSWORD", PW)
        .run("sign-blob", "--key", dir.resolve("ck.key").toString(), "--bundle", bundle.toString(), a.toString())
        .expect(0);
    Path root = dir.resolve("empty-root.json");
    Files.writeString(root, EMPTY_ROOT);
    Peers.Result v = cosign("verify-blob", "--key", dir.resolve("ck.pub").toString(), "--bundle", bundle.toString(),
        "--new-bundle-format", "--trusted-root", root.toString(), "--insecure-ignore-tlog=true", a.toString());
    assertEquals(0, v.exitCode(), v::describe);
    assertTrue(v.stderr().contains("Verified OK"), v::describe);

    // And cosign rejects it for a different artifact, so the check above can fail.
    Path other = dir.resolve("other.bin");
    Files.writeString(other, "something else\n");
    Peers.Result bad = cosign("verify-blob", "--key", dir.resolve("ck.pub").toString(), "--bundle", bundle.toString(),
        "--new-bundle-format", "--trusted-root", root.toString(), "--insecure-ignore-tlog=true", other.toString());
    assertTrue(bad.exitCode() != 0, bad::describe);
  }

  /** (b) cosign sign-blob (no log) -> sigil verify-blob, only with --insecure-ignore-tlog. */
  @Test
  void sigilVerifiesCosignBundle() throws Exception {
    assertEquals(0, cosign("generate-key-pair", "--output-key-prefix", dir.resolve("ck").toString()).exitCode());
    Path a = artifact();
    Path bundle = dir.resolve("cosign.sigstore.json");
    Peers.Result s = cosign("sign-blob", "--yes", "--key", dir.resolve("ck.key").toString(), "--new-bundle-format",
        "--tlog-upload=false", "--bundle", bundle.toString(), a.toString());
    assertEquals(0, s.exitCode(), s::describe);
    String pub = dir.resolve("ck.pub").toString();
    new Cli().run("verify-blob", "--key", pub, "--bundle", bundle.toString(), "--insecure-ignore-tlog", a.toString()).expect(0);
    Cli.Run strict = new Cli().run("verify-blob", "--key", pub, "--bundle", bundle.toString(), a.toString()).expect(1);
    assertTrue(strict.errorLine().contains("transparency log"), strict.err());
    Path other = dir.resolve("other.bin");
    Files.writeString(other, "tampered\n");
    new Cli().run("verify-blob", "--key", pub, "--bundle", bundle.toString(), "--insecure-ignore-tlog", other.toString()).expect(1);
  }

  /** (c) a Sigil-generated key signs in cosign; the result verifies in Sigil and cosign. */
  @Test
  void cosignSignsWithSigilKey() throws Exception {
    String prefix = dir.resolve("sk").toString();
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", prefix).expect(0);
    Path a = artifact();
    Path bundle = dir.resolve("cosign-with-sigil-key.json");
    Peers.Result s = cosign("sign-blob", "--yes", "--key", prefix + ".key", "--new-bundle-format",
        "--tlog-upload=false", "--bundle", bundle.toString(), a.toString());
    assertEquals(0, s.exitCode(), s::describe);
    new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", bundle.toString(), "--insecure-ignore-tlog", a.toString()).expect(0);
    Peers.Result pk = cosign("public-key", "--key", prefix + ".key");
    assertEquals(0, pk.exitCode(), pk::describe);
    assertEquals(Files.readString(Path.of(prefix + ".pub")).strip(), pk.stdout().strip());
  }

  /** (c) a skopeo-generated key (legacy label) signs in Sigil. */
  @Test
  void sigilSignsWithSkopeoKey() throws Exception {
    Path pass = dir.resolve("pass.txt");
    Files.writeString(pass, PW);
    Peers.Result gen = Peers.run(
        List.of(Peers.skopeo().toString(), "generate-sigstore-key", "--output-prefix", dir.resolve("sk").toString(),
            "--passphrase-file", pass.toString()),
        Map.of(), dir, 60);
    assertEquals(0, gen.exitCode(), gen::describe);
    Path a = artifact();
    Path bundle = dir.resolve("sigil-with-skopeo-key.json");
    new Cli().password(PW)
        .run("sign-blob", "--key", dir.resolve("sk.private").toString(), "--bundle", bundle.toString(), a.toString())
        .expect(0);
    new Cli().run("verify-blob", "--key", dir.resolve("sk.pub").toString(), "--bundle", bundle.toString(),
        "--insecure-ignore-tlog", a.toString()).expect(0);
  }
}
