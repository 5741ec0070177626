package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyBasedBlobTest {
  static final String PW = "correct horse";
  @TempDir static Path shared;
  static Path key;
  static Path pub;
  static Path artifact;
  static Path bundle;

  @BeforeAll
  static void signOnce() throws IOException {
    artifact = shared.resolve("artifact.txt");
    Files.writeString(artifact, "hello, sigil\n");
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", shared.resolve("k").toString()).expect(0);
    key = shared.resolve("k.key");
    pub = shared.resolve("k.pub");
    bundle = shared.resolve("artifact.sigstore.json");
    new Cli().password(PW).run("sign-blob", "--key", key.toString(), "--bundle", bundle.toString(), artifact.toString()).expect(0);
  }

  static Cli.Run verify(Path bundle, String artifact, String... extra) {
    String[] base = {"verify-blob", "--key", pub.toString(), "--bundle", bundle.toString()};
    String[] all = new String[base.length + extra.length + 1];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    all[all.length - 1] = artifact;
    return new Cli().run(all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"})
  void roundTripEveryAlgorithm(String alg, @TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.bin");
    Files.write(a, "artifact for ".concat(alg).getBytes(StandardCharsets.UTF_8));
    String prefix = dir.resolve("key").toString();
    new Cli().password(PW).run("generate-key-pair", "--algorithm", alg, "--output-key-prefix", prefix).expect(0);
    Path b = dir.resolve("b.json");
    Cli.Run s = new Cli().password(PW).run("sign-blob", "--key", prefix + ".key", "--bundle", b.toString(), a.toString()).expect(0);
    assertTrue(s.err().contains("--insecure-ignore-tlog"), "sign-blob warns that no log upload was made: " + s.err());

    Cli.Run ok = new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(), "--insecure-ignore-tlog", a.toString()).expect(0);
    assertTrue(ok.out().startsWith("Verified OK"), ok.out());
    assertTrue(ok.err().contains("transparency log not checked"), ok.err());

    JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(b));
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", json.get("mediaType").asText());
    String hash = alg.equals("ecdsa-p384") ? "SHA-384" : "SHA-256";
    byte[] expectedDigest = MessageDigest.getInstance(hash).digest(Files.readAllBytes(a));
    assertEquals(
        Base64.getEncoder().encodeToString(expectedDigest),
        json.at("/messageSignature/messageDigest/digest").asText());
    assertTrue(json.at("/verificationMaterial/publicKey/hint").asText().length() > 0);

    // Secure by default: no log entry, no flag -> rejected, and the message says which flag would accept it.
    Cli.Run noTlog = new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(), a.toString()).expect(1);
    assertTrue(noTlog.errorLine().contains("--insecure-ignore-tlog"), noTlog.err());

    // Digest input works for prehash schemes; Ed25519 needs the bytes and says so.
    String digestRef = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(a)));
    Cli.Run byDigest = new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", b.toString(), "--insecure-ignore-tlog", digestRef);
    if (alg.equals("ed25519")) {
      byDigest.expect(1);
      assertTrue(byDigest.errorLine().contains("pass the file"), byDigest.err());
    } else if (alg.equals("ecdsa-p384")) {
      byDigest.expect(1); // the bundle signs SHA-384; a SHA-256 reference cannot be checked against it
      assertTrue(byDigest.errorLine().contains("SHA2_384"), byDigest.err());
    } else {
      byDigest.expect(0);
    }
  }

  @Test
  void privateKeyIsOwnerOnlyAndNotOverwritten() throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    String before = Files.readString(key);
    Cli.Run r = new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", shared.resolve("k").toString()).expect(2);
    assertTrue(r.errorLine().contains("--force"), r.err());
    assertEquals(before, Files.readString(key));
    assertTrue(before.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"), before);
    assertTrue(!before.contains(PW));
  }

  @Test
  void forceOverwrites(@TempDir Path dir) throws IOException {
    String prefix = dir.resolve("f").toString();
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", prefix).expect(0);
    String first = Files.readString(Path.of(prefix + ".pub"));
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", prefix, "--force").expect(0);
    assertTrue(!first.equals(Files.readString(Path.of(prefix + ".pub"))));
  }

  @Test
  void tamperedArtifactIsRejected() throws IOException {
    Path t = shared.resolve("tampered.txt");
    Files.writeString(t, "hello, sigil!\n");
    Cli.Run r = verify(bundle, t.toString(), "--insecure-ignore-tlog").expect(1);
    assertTrue(r.errorLine().contains("artifact digest: expected sha256:"), r.err());
  }

  @Test
  void tamperedSignatureIsRejected() throws IOException {
    Path t = shared.resolve("badsig.json");
    String json = Files.readString(bundle);
    JsonNode n = new ObjectMapper().readTree(json);
    byte[] sig = Base64.getDecoder().decode(n.at("/messageSignature/signature").asText());
    sig[sig.length - 3] ^= 0x01;
    Files.writeString(t, json.replace(n.at("/messageSignature/signature").asText(), Base64.getEncoder().encodeToString(sig)));
    Cli.Run r = verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: signature: expected a valid signature"), r.err());
  }

  @Test
  void wrongKeyIsRejected(@TempDir Path dir) {
    String prefix = dir.resolve("other").toString();
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", prefix).expect(0);
    Cli.Run r = new Cli().run("verify-blob", "--key", prefix + ".pub", "--bundle", bundle.toString(), "--insecure-ignore-tlog", artifact.toString()).expect(1);
    assertTrue(r.errorLine().contains("does not verify with the given key"), r.err());
  }

  @Test
  void truncatedBundleIsBadInput() throws IOException {
    Path t = shared.resolve("truncated.json");
    String json = Files.readString(bundle);
    Files.writeString(t, json.substring(0, json.length() / 2));
    Cli.Run r = verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("bundle JSON: malformed"), r.err());
  }

  @Test
  void garbledBundleIsBadInput() throws IOException {
    Path t = shared.resolve("garbled.json");
    Files.writeString(t, "{\"mediaType\": 42, ");
    verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    Files.writeString(t, "[1,2,3]");
    Cli.Run r = verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("expected an object, found array"), r.err());
    Files.writeString(t, Files.readString(bundle).replace("\"signature\"", "\"sig\""));
    r = verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("$.messageSignature.signature: required field is missing"), r.err());
  }

  @Test
  void unknownMediaTypeIsBadInput() throws IOException {
    Path t = shared.resolve("unknown-media.json");
    Files.writeString(t, Files.readString(bundle).replace("bundle.v0.3+json", "bundle.v0.9+json"));
    Cli.Run r = verify(t, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("$.mediaType: expected a Sigstore bundle media type"), r.err());
    assertTrue(r.errorLine().contains("v0.9"), r.err());
  }

  @Test
  void wrongPasswordIsBadInput() {
    Cli.Run r = new Cli().password("not the password")
        .run("sign-blob", "--key", key.toString(), "--bundle", shared.resolve("x.json").toString(), artifact.toString())
        .expect(2);
    assertTrue(r.errorLine().contains("wrong password or damaged key file"), r.err());
    assertTrue(!Files.exists(shared.resolve("x.json")), "nothing written on failure");
  }

  @Test
  void cosignPasswordVariableIsHonouredAndSigilPasswordWins() {
    new Cli().env("COSIGN_PASSWORD", PW)
        .run("sign-blob", "--key", key.toString(), "--bundle", shared.resolve("y.json").toString(), artifact.toString())
        .expect(0);
    new Cli().env("COSIGN_PASSWORD", PW).env("SIGIL_PASSWORD", "wrong")
        .run("sign-blob", "--key", key.toString(), "--bundle", shared.resolve("z.json").toString(), artifact.toString())
        .expect(2);
  }

  @Test
  void missingPasswordNamesTheVariable() {
    Cli.Run r = new Cli()
        .run("sign-blob", "--key", key.toString(), "--bundle", shared.resolve("x.json").toString(), artifact.toString())
        .expect(2);
    assertTrue(r.errorLine().contains("SIGIL_PASSWORD"), r.err());
  }

  @Test
  void missingFilesAndDirectoriesAreBadInput() {
    Path missing = shared.resolve("nope.txt");
    Cli.Run r = verify(bundle, missing.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("expected an existing file, found none"), r.err());
    r = verify(bundle, shared.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("expected a file, found a directory"), r.err());
    r = verify(missing, artifact.toString(), "--insecure-ignore-tlog").expect(2);
    assertTrue(r.errorLine().contains("bundle"), r.err());
    r = new Cli().password(PW).run("sign-blob", "--key", missing.toString(), "--bundle", shared.resolve("q.json").toString(), artifact.toString()).expect(2);
    assertTrue(r.errorLine().contains("private key"), r.err());
    r = new Cli().password(PW).run("sign-blob", "--key", key.toString(), "--bundle", shared.resolve("q.json").toString(), shared.toString()).expect(2);
    assertTrue(r.errorLine().contains("found a directory"), r.err());
  }

  @Test
  void badUsageIsExitTwo() {
    Cli.Run r = new Cli().run("verify-blob", "--bundle", bundle.toString()).expect(2);
    assertTrue(r.err().contains("Missing required"), r.err());
    new Cli().run("no-such-command").expect(2);
    new Cli().run("generate-key-pair", "--algorithm", "dsa-1024").expect(2);
    new Cli().run().expect(2);
  }

  @Test
  void jsonOutput() throws IOException {
    Cli.Run ok = verify(bundle, artifact.toString(), "--insecure-ignore-tlog", "--output", "json").expect(0);
    JsonNode n = new ObjectMapper().readTree(ok.out());
    assertTrue(n.get("ok").asBoolean());
    assertTrue(n.get("checks").size() >= 3);
    Path t = shared.resolve("tampered2.txt");
    Files.writeString(t, "other");
    Cli.Run bad = verify(bundle, t.toString(), "--insecure-ignore-tlog", "--output", "json").expect(1);
    n = new ObjectMapper().readTree(bad.out());
    assertEquals(false, n.get("ok").asBoolean());
    assertTrue(n.get("error").asText().contains("artifact digest"));
    Cli.Run usage = verify(shared.resolve("none.json"), artifact.toString(), "--output", "json").expect(2);
    assertEquals(2, new ObjectMapper().readTree(usage.out()).get("exitCode").asInt());
  }

  @Test
  void verboseListsEveryCheck() {
    Cli.Run r = verify(bundle, artifact.toString(), "--insecure-ignore-tlog", "--verbose").expect(0);
    assertTrue(r.err().contains("signature: ok"), r.err());
    assertTrue(r.err().contains("artifact digest: ok"), r.err());
  }

  @Test
  void helpAndVersion() {
    Cli.Run help = new Cli().run("--help").expect(0);
    for (String c : new String[] {"generate-key-pair", "sign-blob", "verify-blob", "version"}) {
      assertTrue(help.out().contains(c), help.out());
    }
    for (String c : new String[] {"generate-key-pair", "sign-blob", "verify-blob", "bench", "trusted-root"}) {
      Cli.Run sub = new Cli().run(c, "--help").expect(0);
      assertTrue(sub.out().startsWith("Usage: sigil " + c), sub.out());
    }
    Cli.Run v = new Cli().run("version").expect(0);
    assertTrue(v.out().contains("sigil ") && v.out().contains("bouncycastle 1.87"), v.out());
  }
}
