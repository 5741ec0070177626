package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.signer.SigningKey;
import dev.sigil.testkit.Peers;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts are hashed as streams: a 1 GiB file signs and verifies in a JVM limited to a 64 MiB heap.
 *
 * <p>The key is an unencrypted PKCS#8 file: decrypting a cosign-format key runs scrypt with N=65536, r=8, which by
 * itself needs 64 MiB (128 * r * N bytes), so an encrypted key needs a larger heap whatever the artifact size.
 * {@link #encryptedKeyInTooSmallHeapFailsCleanly} checks that case ends in a clear message, not a stack trace.
 */
class LargeArtifactTest {
  @Test
  void oneGibibyteWithSixtyFourMegabyteHeap(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 30);
      f.seek((1L << 30) - 5);
      f.write("tail!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    String prefix = dir.resolve("k").toString();
    SigningKey key = SigningKey.generate(SigningKey.Type.ECDSA_P256, new java.security.SecureRandom());
    java.io.StringWriter pem = new java.io.StringWriter();
    try (PemWriter w = new PemWriter(pem)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.privateKey().getEncoded()));
    }
    java.nio.file.Files.writeString(Path.of(prefix + ".key"), pem.toString());
    java.nio.file.Files.writeString(Path.of(prefix + ".pub"), PublicKeys.toPem(key.publicKey()));
    Path bundle = dir.resolve("big.sigstore.json");
    Peers.Result sign = sigil(dir, "sign-blob", "--key", prefix + ".key", "--bundle", bundle.toString(), big.toString());
    assertEquals(0, sign.exitCode(), sign::describe);
    Peers.Result verify = sigil(dir, "verify-blob", "--key", prefix + ".pub", "--bundle", bundle.toString(),
        "--insecure-ignore-tlog", big.toString());
    assertEquals(0, verify.exitCode(), verify::describe);
  }

  @Test
  void encryptedKeyInTooSmallHeapFailsCleanly(@TempDir Path dir) throws Exception {
    String prefix = dir.resolve("k").toString();
    new Cli().password("pw").run("generate-key-pair", "--output-key-prefix", prefix).expect(0);
    Path a = dir.resolve("a.txt");
    java.nio.file.Files.writeString(a, "a");
    Peers.Result r = sigil(dir, "sign-blob", "--key", prefix + ".key", "--bundle", dir.resolve("b.json").toString(), a.toString());
    assertEquals(3, r.exitCode(), r::describe);
    org.junit.jupiter.api.Assertions.assertTrue(r.stderr().contains("scrypt"), r::describe);
    org.junit.jupiter.api.Assertions.assertFalse(r.stderr().contains("\tat "), r::describe);
  }

  private static Peers.Result sigil(Path dir, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        "dev.sigil.cli.Sigil"));
    cmd.addAll(List.of(args));
    return Peers.run(cmd, Map.of("SIGIL_PASSWORD", "pw"), dir, 300);
  }
}
