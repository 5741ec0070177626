/*
 * Fuzz targets for the parsers of untrusted attestation input, with Jazzer (com.code-intelligence:jazzer-junit).
 *
 * Regression mode (the default): each @FuzzTest runs on the empty input and on every file of its seed directory,
 * src/test/resources/dev/sigil/attestations/fuzz/AttestationFuzzTestInputs/<method>/ (the statements and envelopes of
 * the npm and cosign fixtures). Fuzzing: `mvn test` also runs the surefire execution "fuzz-statement-parse"
 * (attestations/pom.xml, 15 s, skip with -Dsigil.fuzz.skip=true). Longer campaigns, from the repository root:
 *
 *   mvn -B -q -pl attestations -am test-compile
 *   mvn -B -q -pl attestations dependency:build-classpath -Dmdep.outputFile=target/test.cp
 *   cd attestations && mkdir -p target/jazzer/corpus-statementParse
 *   java -cp "target/test-classes:target/classes:$(cat target/test.cp)" com.code_intelligence.jazzer.Jazzer \
 *     --target_class=dev.sigil.attestations.fuzz.AttestationFuzzTest --target_method=statementParse \
 *     target/jazzer/corpus-statementParse src/test/resources/dev/sigil/attestations/fuzz/AttestationFuzzTestInputs/statementParse \
 *     -artifact_prefix=target/jazzer/ -max_total_time=600
 */
package dev.sigil.attestations.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sigil.attestations.AttestationException;
import dev.sigil.attestations.DigestAlgorithm;
import dev.sigil.attestations.DigestSet;
import dev.sigil.attestations.Predicate;
import dev.sigil.attestations.Statement;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.attestations.schema.SchemaValidator;
import dev.sigil.attestations.schema.ValidationResult;
import dev.sigil.attestations.slsa.ProvenanceSummary;
import dev.sigil.attestations.slsa.SlsaChecks;
import dev.sigil.attestations.slsa.SlsaExpectations;
import java.util.Map;

/**
 * Every input must become a value or an {@link AttestationException}; anything else escaping (a Jackson or Base64
 * exception, a NullPointerException, a StackOverflowError) is a finding. What parses is then pushed through everything
 * downstream that a CLI would run on it: the typed predicate, the schemas, the SLSA summary and checks.
 */
class AttestationFuzzTest {
  private static final SlsaExpectations EXPECT =
      SlsaExpectations.builder()
          .sourceUri("github.com/sigstore/sigstore-js")
          .sourceTag("v1")
          .builderId("https://github.com/actions/runner@v1")
          .build();
  private static final Map<String, String> CLAIMS =
      Map.of(
          "sourceRepositoryURI", "https://github.com/sigstore/sigstore-js",
          "sourceRepositoryRef", "refs/heads/main",
          "buildConfigURI", "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
          "runInvocationURI", "https://github.com/sigstore/sigstore-js/actions/runs/1/attempts/1");
  private static final DigestSet ARTIFACT = DigestSet.of(DigestAlgorithm.SHA512, "00".repeat(64));

  @FuzzTest(maxDuration = "15s")
  @DictionaryEntries({
    "\"_type\"", "\"https://in-toto.io/Statement/v1\"", "\"https://in-toto.io/Statement/v0.1\"", "\"subject\"",
    "\"name\"", "\"digest\"", "\"sha256\"", "\"sha512\"", "\"gitCommit\"", "\"predicateType\"", "\"predicate\"",
    "\"https://slsa.dev/provenance/v1\"", "\"https://slsa.dev/provenance/v0.2\"", "\"buildDefinition\"",
    "\"buildType\"", "\"externalParameters\"", "\"internalParameters\"", "\"resolvedDependencies\"", "\"uri\"",
    "\"content\"", "\"runDetails\"", "\"builder\"", "\"id\"", "\"version\"", "\"metadata\"", "\"startedOn\"",
    "\"finishedOn\"", "\"invocationId\"", "\"byproducts\"", "\"invocation\"", "\"configSource\"", "\"entryPoint\"",
    "\"materials\"", "\"buildInvocationID\"", "\"workflow\"", "\"ref\"", "\"repository\"", "\"path\"",
    "\"2026-01-02T03:04:05Z\"", "\"git+https://github.com/o/r@refs/tags/v1\"", "null", "\\ud800"
  })
  void statementParse(byte[] input) {
    Statement s;
    try {
      s = Statement.parse(input);
    } catch (AttestationException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertArrayEquals(input, s.payload());
    s.subjectsMatching(ARTIFACT);
    s.subjectAlgorithms();
    ValidationResult v = SchemaValidator.validate(s);
    assertNotNull(v.violations());
    Predicate p;
    try {
      p = s.typedPredicate();
    } catch (AttestationException e) {
      assertNotNull(e.getMessage());
      return;
    }
    ProvenanceSummary.of(p);
    SlsaChecks.check(p, EXPECT);
    SlsaChecks.compareWithCertificate(p, CLAIMS);
  }

  @FuzzTest(maxDuration = "15s")
  @DictionaryEntries({
    "\"payload\"", "\"payloadType\"", "\"signatures\"", "\"sig\"", "\"keyid\"", "\"application/vnd.in-toto+json\"",
    "\"AA==\"", "\"-_\"", "null"
  })
  void envelopeParse(byte[] input) {
    DsseEnvelope env;
    try {
      env = DsseEnvelope.parse(input);
    } catch (AttestationException e) {
      assertNotNull(e.getMessage());
      return;
    }
    byte[] written = env.toJson();
    DsseEnvelope again;
    try {
      again = DsseEnvelope.parse(written);
    } catch (AttestationException e) {
      throw new AssertionError("toJson output does not parse: " + e.getMessage(), e);
    }
    assertEquals(env, again);
    assertArrayEquals(written, again.toJson());
    env.pae();
    try {
      env.statement();
    } catch (AttestationException e) {
      assertNotNull(e.getMessage());
    }
  }
}
