package dev.sigil.attestations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.attestations.dsse.DsseEnvelope;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attestations made by cosign 2.5 ({@code cosign attest-blob --new-bundle-format --tlog-upload=false --type T}, see
 * {@code cosign/make-fixtures.sh}): their DSSE envelopes and statements parse, their signatures cover the PAE Sigil
 * computes (including over non-ASCII predicates), their subjects match the artifact, and {@code --type} short names
 * resolve to the predicate types cosign wrote.
 */
class CosignFixturesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "slsaprovenance1, https://slsa.dev/provenance/v1",
    "slsaprovenance02, https://slsa.dev/provenance/v0.2",
    "spdx, https://spdx.dev/Document",
    "spdxjson, https://spdx.dev/Document",
    "cyclonedx, https://cyclonedx.org/bom",
    "openvex, https://openvex.dev/ns",
    "vuln, https://cosign.sigstore.dev/attestation/vuln/v1",
    "custom, https://cosign.sigstore.dev/attestation/v1",
    "uri, https://example.com/predicate/v1",
  })
  void cosignAttestationsParse(String type, String predicateType) throws Exception {
    DsseEnvelope env = Fixtures.envelope("cosign/" + type + ".sigstore.json");
    assertEquals(Statement.PAYLOAD_TYPE, env.payloadType());
    assertEquals(1, env.signatures().size());
    PublicKey key = TestCrypto.pemPublicKey(Fixtures.bytes("cosign/cosign.pub"));
    assertTrue(TestCrypto.verifiesDer(key, env.pae(), env.signatures().get(0).sig()), "cosign signed Sigil's PAE");

    Statement s = env.statement();
    assertEquals(Statement.TYPE_V01, s.type(), "cosign 2.5 writes in-toto Statement v0.1");
    assertEquals(predicateType, s.predicateType());
    if (!"uri".equals(type)) {
      assertEquals(predicateType, PredicateTypes.resolve(type));
    }
    DigestSet artifact = Digests.of(Fixtures.bytes("cosign/artifact.txt"), EnumSet.allOf(DigestAlgorithm.class));
    assertEquals(List.of(s.subjects().get(0)), s.subjectsMatching(artifact));
    assertEquals("artifact.txt", s.subjects().get(0).name());
    assertTrue(s.subjectsMatching(Digests.of(new byte[] {1}, EnumSet.allOf(DigestAlgorithm.class))).isEmpty());

    Predicate p = s.typedPredicate();
    switch (type) {
      case "slsaprovenance1":
        SlsaProvenanceV1 v1 = assertInstanceOf(SlsaProvenanceV1.class, p);
        assertEquals("Grüße 🚀", v1.buildDefinition().externalParameters().get("note").textValue());
        assertEquals("https://example.com/b", v1.runDetails().builder().id());
        break;
      case "slsaprovenance02":
        assertInstanceOf(SlsaProvenanceV02.class, p);
        break;
      case "spdx":
        assertTrue(assertInstanceOf(GenericPredicate.class, p).body().isTextual(), "cosign --type spdx: a JSON string");
        break;
      case "custom":
        assertTrue(assertInstanceOf(GenericPredicate.class, p).body().get("Data").isTextual());
        break;
      default:
        assertInstanceOf(GenericPredicate.class, p);
    }
  }
}
