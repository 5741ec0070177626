package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.testkit.FakeRegistry;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil verify}, {@code verify-attestation} and {@code tree} on cosign-signed images in a real registry, and
 * the registry failures the commands must name with the right exit code (401 without credentials, a registry that
 * never answers, a 500 that a retry gets past).
 */
class ImageVerifyCommandsTest {
  @TempDir static Path dir;
  static TestRegistry registry;
  static String signed;
  static String unsigned;

  @BeforeAll
  static void setUp() throws Exception {
    Path cosign = Peers.cosign();
    registry = TestRegistry.start(dir.resolve("reg"));
    String d1 = registry.pushImage("test/app:v1", "one");
    String d2 = registry.pushImage("test/app:v2", "two");
    signed = registry.address() + "/test/app@" + d1;
    unsigned = registry.address() + "/test/app@" + d2;
    Map<String, String> env = Map.of("COSIGN_PASSWORD", "pw", "COSIGN_YES", "true");
    cosign(cosign, env, "generate-key-pair", "--output-key-prefix", "ck");
    cosign(cosign, env, "generate-key-pair", "--output-key-prefix", "other");
    cosign(cosign, env, "sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", signed);
    Files.writeString(
        dir.resolve("prov.json"),
        "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{}},"
            + "\"runDetails\":{\"builder\":{\"id\":\"https://ci.example.com/b\"}}}");
    cosign(cosign, env, "attest", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry",
        "--type", "slsaprovenance1", "--predicate", "prov.json", signed);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  static void cosign(Path cosign, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(cosign.toString());
    cmd.addAll(List.of(args));
    Peers.Result r = Peers.run(cmd, env, dir, 120);
    assertEquals(0, r.exitCode(), r::describe);
  }

  static String key(String name) {
    return dir.resolve(name + ".pub").toString();
  }

  @Test
  void verifyAcceptsCosignsSignatureAndNamesTheSigner() {
    Cli.Run r = new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("ck"), signed).expect(0);
    assertTrue(r.out().contains("1 of 1 signatures accepted"), r.out());
    assertTrue(r.out().contains("signed by key"), r.out());
  }

  @Test
  void verifyRefusesUnsignedWrongKeyAndMissingLogWithOneLine() {
    String none = new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("ck"), unsigned).expect(1).errorLine();
    assertTrue(none.contains(unsigned) && none.contains("none attached"), none);
    String wrong = new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("other"), signed).expect(1).errorLine();
    assertTrue(wrong.contains("SIGNATURE_INVALID"), wrong);
    String noLog = new Cli().run("verify", "--key", key("ck"), signed).expect(1).errorLine();
    assertTrue(noLog.contains("TLOG_THRESHOLD") && noLog.contains("--insecure-ignore-tlog"), noLog);
  }

  @Test
  void verifyJsonListsEveryCandidate() throws Exception {
    Cli.Run r = new Cli().run("verify", "--output", "json", "--insecure-ignore-tlog", "--key", key("other"), signed).expect(1);
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(false, n.get("ok").asBoolean());
    assertEquals("SIGNATURE_INVALID", n.at("/signatures/0/reason").asText());
    assertEquals("COSIGN_SIGNATURE_TAG", n.at("/signatures/0/scheme").asText());
  }

  @Test
  void verifyAttestationChecksTheType() {
    new Cli().run("verify-attestation", "--insecure-ignore-tlog", "--key", key("ck"), "--type", "slsaprovenance1", signed)
        .expect(0);
    String wrongType =
        new Cli().run("verify-attestation", "--insecure-ignore-tlog", "--key", key("ck"), "--type", "spdxjson", signed)
            .expect(1)
            .errorLine();
    assertTrue(wrongType.contains("PREDICATE_TYPE_MISMATCH"), wrongType);
    new Cli().run("verify-attestation", "--insecure-ignore-tlog", "--key", key("ck"), "--type", "no such type", signed)
        .expect(2);
    new Cli().run("verify-attestation", "--insecure-ignore-tlog", "--key", key("ck"), unsigned).expect(1);
  }

  @Test
  void treeListsSignaturesAndAttestations() throws Exception {
    Cli.Run r = new Cli().run("tree", "--output", "json", signed).expect(0);
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("SIGNATURE_TAG", n.at("/attached/0/scheme").asText());
    assertEquals("ATTESTATION_TAG", n.at("/attached/1/scheme").asText());
    assertEquals("https://slsa.dev/provenance/v1", n.at("/attached/1/layers/0/predicateType").asText());
    assertTrue(new Cli().run("tree", unsigned).expect(0).out().contains("nothing attached"));
  }

  @Test
  void badReferencesAndMissingImagesAreBadInput() {
    new Cli().run("verify", "--key", key("ck"), "Not A Reference!").expect(2);
    new Cli().run("verify", "--key", key("ck"), registry.address() + "/test/app@sha256:" + "0".repeat(64)).expect(2);
    new Cli().run("verify", signed).expect(2);
  }

  @Test
  void registryFailuresExitThreeNamingTheRegistry() throws Exception {
    try (FakeRegistry fake = FakeRegistry.start()) {
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      String configDigest = fake.putBlob(config);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
              + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":2},\"layers\":[]}";
      String digest =
          fake.putManifest("test/app", manifest.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json", "v1");
      String image = fake.address() + "/test/app@" + digest;

      // 500 twice, then the answers: retried, and the image is found (unsigned: exit 1, not 3).
      fake.failNext(2, 500, null);
      new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("ck"), image).expect(1);

      fake.requireBasic("user", "secret");
      String denied = new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("ck"), image).expect(3).errorLine();
      assertTrue(denied.contains(fake.address()), denied);

      fake.hang(true);
      String timeout =
          new Cli().run("verify", "--insecure-ignore-tlog", "--key", key("ck"), "--registry-timeout", "1", image)
              .expect(3)
              .errorLine();
      assertTrue(timeout.contains(fake.address()), timeout);
    }
  }
}
