package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.BlobSigner;
import dev.sigil.signer.SigningKey;
import dev.sigil.testkit.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ed25519 signs and verifies the artifact itself, so its artifacts are held in memory (cosign 2.5 signs blobs with
 * pure Ed25519 too, so Ed25519ph is no way around it): up to 256 MiB, and only when the heap can hold the copies the
 * command needs (three while signing, two while verifying). Beyond either, a clear refusal before anything is read.
 */
class Ed25519InMemoryTest {
  @TempDir static Path dir;
  static String prefix;

  @BeforeAll
  static void key() throws Exception {
    prefix = dir.resolve("ed").toString();
    ChildSigil.plainKeyPair(prefix, SigningKey.Type.ED25519);
  }

  @Test
  void overTheLimitIsRefusedWithoutReadingIt() throws Exception {
    Path small = Files.writeString(dir.resolve("small.txt"), "small");
    Path b = dir.resolve("small.json");
    new Cli().run("sign-blob", "--key", prefix + ".key", "--bundle", b.toString(), small.toString()).expect(0);
    Path huge = ChildSigil.sparse(dir.resolve("huge.bin"), BlobSigner.MAX_ED25519_MESSAGE + 1L);
    String limit = "expected at most 268435456 bytes (256 MiB), found 268435457";
    Cli.Run sign = new Cli().run("sign-blob", "--key", prefix + ".key", "--bundle", dir.resolve("h.json").toString(),
        huge.toString()).expect(2);
    assertTrue(sign.errorLine().contains(limit) && sign.errorLine().contains("use an ECDSA or RSA key"), sign.err());
    assertFalse(Files.exists(dir.resolve("h.json")));
    Cli.Run verify = new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(),
        "--insecure-ignore-tlog", huge.toString()).expect(2);
    assertTrue(verify.errorLine().contains(limit), verify.err());
  }

  @Test
  void inASixtyFourMegabyteHeapSmallArtifactsWorkAndLargerOnesNameTheHeapToAskFor() throws Exception {
    Path fits = ChildSigil.sparse(dir.resolve("fits.bin"), 4L << 20);
    Path b = dir.resolve("fits.json");
    Peers.Result sign = sigil64("sign-blob", "--key", prefix + ".key", "--bundle", b.toString(), fits.toString());
    assertEquals(0, sign.exitCode(), sign::describe);
    Peers.Result ok = sigil64("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(),
        "--insecure-ignore-tlog", fits.toString());
    assertEquals(0, ok.exitCode(), ok::describe);

    Path tooBig = ChildSigil.sparse(dir.resolve("big.bin"), 40L << 20);
    Peers.Result refused = sigil64("sign-blob", "--key", prefix + ".key", "--bundle", dir.resolve("x.json").toString(),
        tooBig.toString());
    assertEquals(ExitCode.ENVIRONMENT, refused.exitCode(), refused::describe);
    assertTrue(refused.stderr().contains("3 copies of 41943040 bytes") && refused.stderr().contains("SIGIL_JAVA_OPTS=-Xmx"),
        refused::describe);
    assertFalse(refused.stderr().contains("\tat "), refused::describe);
    assertFalse(Files.exists(dir.resolve("x.json")));
    Peers.Result verify = sigil64("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(),
        "--insecure-ignore-tlog", tooBig.toString());
    assertEquals(ExitCode.ENVIRONMENT, verify.exitCode(), verify::describe);
    assertTrue(verify.stderr().contains("2 copies of 41943040 bytes"), verify::describe);
  }

  private static Peers.Result sigil64(String... args) throws Exception {
    return Peers.run(ChildSigil.command(java.util.List.of("-Xmx64m", "-XX:+UseSerialGC"), args), Map.of(), dir, 120);
  }
}
