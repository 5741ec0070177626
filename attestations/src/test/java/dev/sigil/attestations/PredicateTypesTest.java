package dev.sigil.attestations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.attestations.AttestationException.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateTypesTest {

  /** cosign 2.5 options.PredicateTypeMap, and what `cosign attest-blob --type X` wrote (see cosign/make-fixtures.sh). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "custom, https://cosign.sigstore.dev/attestation/v1",
    "slsaprovenance, https://slsa.dev/provenance/v0.2",
    "slsaprovenance02, https://slsa.dev/provenance/v0.2",
    "slsaprovenance1, https://slsa.dev/provenance/v1",
    "spdx, https://spdx.dev/Document",
    "spdxjson, https://spdx.dev/Document",
    "cyclonedx, https://cyclonedx.org/bom",
    "link, https://in-toto.io/Link/v1",
    "vuln, https://cosign.sigstore.dev/attestation/vuln/v1",
    "openvex, https://openvex.dev/ns",
    "https://example.com/custom/v1, https://example.com/custom/v1",
    "urn:example:predicate, urn:example:predicate",
  })
  void resolvesCosignShortNamesAndUris(String type, String uri) throws Exception {
    assertEquals(uri, PredicateTypes.resolve(type));
  }

  @Test
  void cosignShortNamesAreExactlyCosigns() {
    assertEquals(
        List.of("custom", "slsaprovenance", "slsaprovenance02", "slsaprovenance1", "spdx", "spdxjson", "cyclonedx",
            "link", "vuln", "openvex"),
        List.copyOf(PredicateTypes.COSIGN_SHORT_NAMES.keySet()));
  }

  @Test
  void refusesWhatIsNeitherAShortNameNorAnAbsoluteUri() {
    for (String bad : new String[] {"SLSAProvenance1", "slsa", "", "/relative/path", "has space:x"}) {
      AttestationException e = assertThrows(AttestationException.class, () -> PredicateTypes.resolve(bad));
      assertEquals(Reason.INVALID_VALUE, e.reason(), bad);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://slsa.dev/provenance/v1, SLSA provenance v1",
    "https://slsa.dev/verification_summary/v1, SLSA verification summary v1",
    "https://spdx.dev/Document, SPDX document",
    "https://spdx.dev/Document/v2.3, SPDX document",
    "https://cyclonedx.org/bom/v1.5, CycloneDX BOM",
    "https://openvex.dev/ns/v0.2.0, OpenVEX document",
    "https://cosign.sigstore.dev/attestation/vuln/v1, cosign vulnerability scan",
  })
  void namesKnownTypes(String uri, String name) {
    assertEquals(Optional.of(name), PredicateTypes.describe(uri));
  }

  @Test
  void cosignCustomPredicateHasCosignsShape() throws Exception {
    // cosign/custom.sigstore.json: {"Data":"<file text>","Timestamp":"2026-12-07T01:30:01Z"}
    com.fasterxml.jackson.databind.JsonNode cosigns =
        Fixtures.statement("cosign/custom.sigstore.json").predicate();
    String file = new String(Fixtures.bytes("cosign/predicate-sbom.json"), java.nio.charset.StandardCharsets.UTF_8);
    java.time.Instant at = java.time.Instant.parse(cosigns.get("Timestamp").textValue()).plusMillis(400);
    assertEquals(cosigns, PredicateTypes.cosignCustomPredicate(file, at));
  }

  @Test
  void unknownTypesHaveNoName() {
    assertEquals(Optional.empty(), PredicateTypes.describe("https://openvex.dev/nsx"));
    assertEquals(Optional.empty(), PredicateTypes.describe("https://example.com/p"));
  }
}
