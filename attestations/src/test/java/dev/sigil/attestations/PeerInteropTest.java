package dev.sigil.attestations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.attestations.schema.SchemaValidator;
import dev.sigil.testkit.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live interop with the cosign 2.5 and sigstore-js peers: cosign's attestations parse here and their signatures cover
 * Sigil's PAE, with a non-ASCII predicate; an envelope Sigil assembles (statement, PAE, JSON) verifies in cosign and in
 * sigstore-js, and a tampered one does not. Skips loudly without a peer, fails under {@code SIGIL_REQUIRE_PEERS=1}.
 */
class PeerInteropTest {
  private static final String PREDICATE =
      "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{\"note\":\"Grüße 🚀\"}},"
          + "\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}";

  @Test
  void cosignAttestationWithNonAsciiPredicateParses(@TempDir Path dir) throws Exception {
    Path cosign = Peers.cosign();
    Map<String, String> env = Map.of("COSIGN_PASSWORD", "pw1");
    run(List.of(cosign.toString(), "generate-key-pair", "--output-key-prefix", "ck"), env, dir);
    Files.writeString(dir.resolve("f.txt"), "artifact\n");
    Files.writeString(dir.resolve("prov.json"), PREDICATE, StandardCharsets.UTF_8);
    run(
        List.of(cosign.toString(), "attest-blob", "--yes", "--key", "ck.key", "--new-bundle-format",
            "--tlog-upload=false", "--type", "slsaprovenance1", "--predicate", "prov.json", "--bundle", "b.json", "f.txt"),
        env,
        dir);
    com.fasterxml.jackson.databind.JsonNode bundle =
        StrictJson.parseObject(Files.readAllBytes(dir.resolve("b.json")), 1 << 24);
    DsseEnvelope envelope = DsseEnvelope.fromJson(bundle.get("dsseEnvelope"), "/dsseEnvelope");
    assertTrue(
        TestCrypto.verifiesDer(
            TestCrypto.pemPublicKey(Files.readAllBytes(dir.resolve("ck.pub"))),
            envelope.pae(),
            envelope.signatures().get(0).sig()),
        "cosign's signature covers the PAE Sigil computes");
    Statement s = envelope.statement();
    assertEquals(PredicateTypes.SLSA_PROVENANCE_V1, s.predicateType());
    DigestSet artifact = Digests.of(Files.readAllBytes(dir.resolve("f.txt")), EnumSet.allOf(DigestAlgorithm.class));
    assertEquals(1, s.subjectsMatching(artifact).size());
    SlsaProvenanceV1 p = assertInstanceOf(SlsaProvenanceV1.class, s.typedPredicate());
    assertEquals("Grüße 🚀", p.buildDefinition().externalParameters().get("note").textValue());
    assertTrue(SchemaValidator.validate(s).isValid(), SchemaValidator.validate(s).violations().toString());
  }

  /** Writes k.pub, f.txt, etr.json and b.json (a key-signed bundle v0.3 around a Sigil envelope) into {@code dir}. */
  private static DsseEnvelope sigilBundle(Path dir, boolean tamper) throws Exception {
    KeyPair key = TestCrypto.newP256();
    Files.writeString(
        dir.resolve("k.pub"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    byte[] artifact = "artifact\n".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("f.txt"), artifact);
    Statement statement =
        Statement.builder()
            .subject("f.txt", Digests.of(artifact, EnumSet.of(DigestAlgorithm.SHA256)))
            .predicateType(PredicateTypes.resolve("slsaprovenance1"))
            .predicate(PREDICATE.getBytes(StandardCharsets.UTF_8))
            .build();
    DsseEnvelope envelope =
        DsseEnvelope.sign(Statement.PAYLOAD_TYPE, statement.payload(), List.of(TestCrypto.signer(key, "")));
    if (tamper) {
      byte[] changed = new String(statement.payload(), StandardCharsets.UTF_8).replace("🚀", "🛸").getBytes(StandardCharsets.UTF_8);
      envelope = new DsseEnvelope(envelope.payloadType(), changed, envelope.signatures());
    }
    String bundle =
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
            + "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"\"}},\"dsseEnvelope\":"
            + new String(envelope.toJson(), StandardCharsets.UTF_8)
            + "}";
    Files.writeString(dir.resolve("b.json"), bundle);
    Files.writeString(dir.resolve("etr.json"), "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}");
    return envelope;
  }

  @Test
  void cosignVerifiesAnEnvelopeSigilAssembles(@TempDir Path dir) throws Exception {
    Path cosign = Peers.cosign();
    sigilBundle(dir, false);
    List<String> verify =
        List.of(cosign.toString(), "verify-blob-attestation", "--key", "k.pub", "--new-bundle-format",
            "--trusted-root", "etr.json", "--insecure-ignore-tlog=true", "--type", "slsaprovenance1", "--bundle",
            "b.json", "f.txt");
    Peers.Result ok = Peers.run(verify, Map.of(), dir, 120);
    assertEquals(0, ok.exitCode(), ok.describe());

    Files.writeString(dir.resolve("f.txt"), "other\n");
    Peers.Result wrongSubject = Peers.run(verify, Map.of(), dir, 120);
    assertNotEquals(0, wrongSubject.exitCode(), wrongSubject.describe());

    sigilBundle(dir, true);
    Peers.Result tampered = Peers.run(verify, Map.of(), dir, 120);
    assertNotEquals(0, tampered.exitCode(), tampered.describe());
  }

  @Test
  void sigstoreJsVerifiesAnEnvelopeSigilAssembles(@TempDir Path dir) throws Exception {
    Path js = Peers.sigstoreJs();
    sigilBundle(dir, false);
    List<String> verify =
        List.of("node", js.resolve("verify.mjs").toString(), "--bundle", "b.json", "--artifact", "f.txt", "--key",
            "k.pub", "--tlog-threshold", "0", "--timestamp-threshold", "0");
    Peers.Result ok = Peers.run(verify, Map.of(), dir, 120);
    assertEquals(0, ok.exitCode(), ok.describe());

    sigilBundle(dir, true);
    Peers.Result tampered = Peers.run(verify, Map.of(), dir, 120);
    assertEquals(1, tampered.exitCode(), tampered.describe());
  }

  private static void run(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
    Peers.Result r = Peers.run(cmd, env, dir, 120);
    assertEquals(0, r.exitCode(), r.describe());
  }
}
