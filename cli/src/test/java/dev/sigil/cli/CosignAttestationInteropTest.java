package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.testkit.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fresh cosign 2.5 attestations ({@code cosign attest-blob --yes --key K --new-bundle-format --tlog-upload=false}) verify
 * in {@code sigil verify-blob-attestation} with their type and SLSA facts, a non-ASCII predicate included, and are
 * refused once their predicate is changed or for another file; {@code sigil inspect} reads them.
 */
class CosignAttestationInteropTest {
  static final String PW = "interop-pass";

  @TempDir Path dir;

  private Peers.Result cosign(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.cosign().toString());
    cmd.addAll(List.of(args));
    return Peers.run(cmd, Map.of("COSIGN_PASSWORD", PW, "HOME", dir.toString()), dir, 120);
  }

  @Test
  void cosignAttestationsVerifyInSigil() throws Exception {
    Peers.Result gen = cosign("generate-key-pair", "--output-key-prefix", dir.resolve("ck").toString());
    assertEquals(0, gen.exitCode(), gen::describe);
    Path file = Files.writeString(dir.resolve("f.txt"), "artifact\n");
    Path predicate =
        Files.writeString(
            dir.resolve("prov.json"),
            AttestationFixtures.githubProvenance(
                "acme/app", "refs/tags/v1.2.3", "0123456789abcdef0123456789abcdef01234567",
                ".github/workflows/release.yml", "https://github.com/actions/runner/github-hosted")
                .replace("\"push\"", "\"push \u00fc\u00df \ud83d\ude80\""),
            StandardCharsets.UTF_8);
    Path bundle = dir.resolve("a.sigstore.json");
    Peers.Result att =
        cosign("attest-blob", "--yes", "--key", dir.resolve("ck.key").toString(), "--new-bundle-format", "--tlog-upload=false",
            "--type", "slsaprovenance1", "--predicate", predicate.toString(), "--bundle", bundle.toString(), file.toString());
    assertEquals(0, att.exitCode(), att::describe);
    String pub = dir.resolve("ck.pub").toString();

    Cli.Run ok = new Cli().run("verify-blob-attestation", "--key", pub, "--insecure-ignore-tlog", "--type", "slsaprovenance1",
        "--source-uri", "github.com/acme/app", "--source-tag", "v1.2.3", "--builder-id", "https://github.com/actions/runner/github-hosted",
        "--bundle", bundle.toString(), file.toString()).expect(0);
    assertTrue(ok.out().contains("slsa source-uri: ok (git+https://github.com/acme/app)"), ok.out());

    new Cli().run("verify-blob-attestation", "--key", pub, "--insecure-ignore-tlog", "--type", "slsaprovenance1",
        "--source-uri", "github.com/acme/other", "--bundle", bundle.toString(), file.toString()).expect(1);
    Path other = Files.writeString(dir.resolve("g.txt"), "other\n");
    new Cli().run("verify-blob-attestation", "--key", pub, "--insecure-ignore-tlog", "--bundle", bundle.toString(), other.toString()).expect(1);

    // The predicate changed after cosign signed it: the signature no longer covers it.
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readAllBytes(bundle));
    ObjectNode env = (ObjectNode) json.get("dsseEnvelope");
    String payload = new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
    env.put("payload", Base64.getEncoder().encodeToString(payload.replace("acme/app", "acme/apq").getBytes(StandardCharsets.UTF_8)));
    Path tampered = dir.resolve("tampered.json");
    Files.write(tampered, new ObjectMapper().writeValueAsBytes(json));
    Cli.Run bad = new Cli().run("verify-blob-attestation", "--key", pub, "--insecure-ignore-tlog", "--bundle", tampered.toString(), file.toString()).expect(1);
    assertTrue(bad.errorLine().startsWith("Verification failed: signature:"), bad.err());

    // inspect reads what cosign made, and verifies it with the key.
    Cli.Run shown = new Cli().run("inspect", bundle.toString(), "--key", pub, "--insecure-ignore-tlog", "--output", "json").expect(0);
    JsonNode j = new ObjectMapper().readTree(shown.out());
    assertEquals("verified", j.at("/verification/status").asText());
    assertEquals("git+https://github.com/acme/app@refs/tags/v1.2.3", j.at("/provenance/source").asText());
    assertEquals("push \u00fc\u00df \ud83d\ude80", j.at("/provenance/ci/event_name").asText());
  }
}
