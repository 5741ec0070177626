package dev.sigil.cli;

import static dev.sigil.cli.AttestationFixtures.IN_TOTO;
import static dev.sigil.cli.AttestationFixtures.SLSA_V1;
import static dev.sigil.cli.AttestationFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sigil verify-blob-attestation}, in-process, on attestation bundles made here with a key (every field
 * chosen), on cosign 2.5's attestation bundles, and on the real npm provenance of sigstore@2.0.0: the signature, the
 * subject by digest of the same algorithm, the predicate type, the SLSA checks; every refusal with its exit code and
 * one line saying what was checked, expected and found. Also {@code verify-blob} on DSSE bundles, which hashes a file
 * with the algorithms the subjects use.
 */
class VerifyBlobAttestationTest {
  static final String REPO = "acme/app";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String BUILDER = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3";
  static final String NPM_DIGEST =
      "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c";
  static final String NPM_SAN = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
  static final String GHA = "https://token.actions.githubusercontent.com";

  @TempDir static Path dir;
  static KeyPair key;
  static Path pub;
  static Path artifact;
  static byte[] content;
  static String provenance;
  static Path npmBundle;
  static Path cosignDir;

  @BeforeAll
  static void setUp() throws Exception {
    key = AttestationFixtures.ecKey();
    pub = AttestationFixtures.writePublicKey(key.getPublic(), dir.resolve("k.pub"));
    content = "artifact\n".getBytes(StandardCharsets.UTF_8);
    artifact = AttestationFixtures.write(dir.resolve("f.txt"), content);
    provenance = AttestationFixtures.githubProvenance(REPO, "refs/tags/v1.2.3", COMMIT, ".github/workflows/release.yml", BUILDER);
    npmBundle = copy("attestations/corpus/sigstore.js-2.0.0-provenance.sigstore.json", "npm.sigstore.json");
    cosignDir = Files.createDirectories(dir.resolve("cosign"));
    for (String f :
        new String[] {
          "artifact.txt", "cosign.pub", "slsaprovenance1", "slsaprovenance02", "spdx", "spdxjson", "cyclonedx",
          "openvex", "vuln", "custom", "uri"
        }) {
      String name = f.contains(".") ? f : f + ".sigstore.json";
      copy("attestations/cosign/" + name, "cosign/" + name);
    }
  }

  static Path copy(String resource, String to) throws Exception {
    try (InputStream in = VerifyBlobAttestationTest.class.getResourceAsStream("/" + resource)) {
      return AttestationFixtures.write(dir.resolve(to), in.readAllBytes());
    }
  }

  /** Writes a key-signed attestation bundle over {@code statement} and returns its path. */
  static Path bundle(String name, String statement) {
    return AttestationFixtures.write(
        dir.resolve(name), AttestationFixtures.keyBundle(key, IN_TOTO, statement.getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256Subject() {
    return "{\"sha256\":\"" + hex("SHA-256", content) + "\"}";
  }

  static Cli.Run verify(Path bundle, String artifact, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("verify-blob-attestation", "--key", pub.toString(), "--insecure-ignore-tlog", "--bundle", bundle.toString()));
    args.addAll(Arrays.asList(extra));
    args.add(artifact);
    return new Cli().run(args.toArray(String[]::new));
  }

  static JsonNode json(Cli.Run r) throws Exception {
    return new ObjectMapper().readTree(r.out());
  }

  static JsonNode check(JsonNode result, String name) {
    for (JsonNode c : result.get("checks")) {
      if (c.get("check").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + result);
  }

  // ------------------------------------------------------------------------------------------------ subjects

  @ParameterizedTest
  @CsvSource({"sha256,SHA-256", "sha384,SHA-384", "sha512,SHA-512"})
  void aFileIsHashedWithTheSubjectsAlgorithm(String alg, String jca) {
    Path b = bundle("subject-" + alg + ".json", AttestationFixtures.statement(
        "f.txt", "{\"" + alg + "\":\"" + hex(jca, content) + "\"}", SLSA_V1, provenance));
    Cli.Run ok = verify(b, artifact.toString(), "--type", "slsaprovenance1").expect(0);
    assertTrue(ok.out().contains("Verified OK: " + artifact), ok.out());
    assertTrue(ok.out().contains(alg + ":" + hex(jca, content)), ok.out());
    // The same for the artifact given as a digest of that algorithm, and for verify-blob.
    verify(b, alg + ":" + hex(jca, content)).expect(0);
    new Cli().run("verify-blob", "--key", pub.toString(), "--insecure-ignore-tlog", "--bundle", b.toString(), artifact.toString()).expect(0);
    new Cli().run("verify-blob", "--key", pub.toString(), "--insecure-ignore-tlog", "--bundle", b.toString(), alg + ":" + hex(jca, content)).expect(0);
  }

  @Test
  void everySharedAlgorithmMustAgree() {
    String both = "{\"sha256\":\"" + hex("SHA-256", content) + "\",\"sha512\":\"" + hex("SHA-512", content) + "\"}";
    verify(bundle("both.json", AttestationFixtures.statement("f.txt", both, SLSA_V1, provenance)), artifact.toString()).expect(0);
    // A subject whose sha256 is right but whose sha512 is another file's does not name this file.
    String mixed =
        "{\"sha256\":\"" + hex("SHA-256", content) + "\",\"sha512\":\"" + hex("SHA-512", "other".getBytes(StandardCharsets.UTF_8)) + "\"}";
    Cli.Run r = verify(bundle("mixed.json", AttestationFixtures.statement("f.txt", mixed, SLSA_V1, provenance)), artifact.toString()).expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: in-toto subject: expected a subject with digest"), r.err());
  }

  @Test
  void aDigestOfAnotherAlgorithmThanTheSubjectsIsRefusedAndSaysWhich() {
    Path b = bundle("sha512-only.json", AttestationFixtures.statement(
        "f.txt", "{\"sha512\":\"" + hex("SHA-512", content) + "\"}", SLSA_V1, provenance));
    Cli.Run r = verify(b, "sha256:" + hex("SHA-256", content)).expect(1);
    String line = r.errorLine();
    assertTrue(line.contains("in-toto subject: expected a subject with digest sha256:" + hex("SHA-256", content)), line);
    assertTrue(line.contains("named by sha512 only"), line);
    assertTrue(line.contains("pass the file, or its digest in an algorithm the subjects use"), line);
    Cli.Run blob = new Cli().run("verify-blob", "--key", pub.toString(), "--insecure-ignore-tlog", "--bundle", b.toString(), "sha256:" + hex("SHA-256", content)).expect(1);
    assertTrue(blob.errorLine().contains("named by sha512 only"), blob.err());
  }

  @Test
  void wrongSubjectDigestIsRefused() {
    Path other = AttestationFixtures.write(dir.resolve("other.txt"), "other\n".getBytes(StandardCharsets.UTF_8));
    Path b = bundle("subject.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, other.toString()).expect(1);
    assertEquals(
        "Verification failed: in-toto subject: expected a subject with digest sha256:"
            + hex("SHA-256", "other\n".getBytes(StandardCharsets.UTF_8)) + ", found 1 subject(s), none with that digest",
        r.errorLine());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha512:abcd", "md5:" + "00000000000000000000000000000000", "sha256:" + "zz"})
  void aMalformedDigestIsBadInput(String arg) {
    Path b = bundle("subject.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, arg).expect(2);
    assertTrue(r.errorLine().startsWith("Error: artifact " + arg + ": expected an existing file or a digest"), r.err());
  }

  // ------------------------------------------------------------------------------------ signature and statement

  @Test
  void aTamperedPredicateIsRefused() throws Exception {
    String statement = AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance);
    byte[] signed = statement.getBytes(StandardCharsets.UTF_8);
    byte[] sig = AttestationFixtures.sign(key.getPrivate(), IN_TOTO, signed);
    byte[] tampered = statement.replace("acme/app", "acme/apq").getBytes(StandardCharsets.UTF_8);
    Path b = AttestationFixtures.write(dir.resolve("tampered.json"), AttestationFixtures.keyBundle(IN_TOTO, tampered, sig));
    Cli.Run r = verify(b, artifact.toString()).expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: signature: expected a valid signature over the envelope's PAE"), r.err());
    Cli.Run j = verify(b, artifact.toString(), "--output", "json").expect(1);
    assertEquals("SIGNATURE_INVALID", json(j).get("reason").asText());
  }

  @Test
  void aPayloadTypeOtherThanInTotoIsRefused() throws Exception {
    byte[] payload = AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance).getBytes(StandardCharsets.UTF_8);
    Path b = AttestationFixtures.write(dir.resolve("ptype.json"), AttestationFixtures.keyBundle(key, "application/json", payload));
    Cli.Run r = verify(b, artifact.toString()).expect(1);
    assertEquals(
        "Verification failed: DSSE payload type: expected application/vnd.in-toto+json, found \"application/json\"",
        r.errorLine());
    assertEquals("PAYLOAD_TYPE_UNSUPPORTED", json(verify(b, artifact.toString(), "--output", "json").expect(1)).get("reason").asText());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"_type\":\"https://in-toto.io/Statement/v2\",\"subject\":[{\"digest\":{\"sha256\":\"SUBJECT\"}}],\"predicateType\":\"x:y\"}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"x:y\"}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"SUBJECT\"}}]}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"SUBJECT\"}}],\"predicateType\":\"x:y\",\"predicate\":[1]}",
        "[\"not an object\"]",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"https://in-toto.io/Statement/v1\"}"
      })
  void aMalformedStatementIsRefused(String statement) throws Exception {
    Path b = bundle("malformed.json", statement.replace("SUBJECT", hex("SHA-256", content)));
    Cli.Run r = verify(b, artifact.toString()).expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: in-toto statement: expected an in-toto Statement (v1 or v0.1), found "), r.err());
    assertEquals("STATEMENT_MALFORMED", json(verify(b, artifact.toString(), "--output", "json").expect(1)).get("reason").asText());
  }

  @Test
  void aMessageSignatureBundleIsNotAnAttestation() throws Exception {
    new Cli().password("pw").run("generate-key-pair", "--output-key-prefix", dir.resolve("sk").toString()).expect(0);
    Path b = dir.resolve("message.json");
    new Cli().password("pw").run("sign-blob", "--key", dir.resolve("sk.key").toString(), "--bundle", b.toString(), artifact.toString()).expect(0);
    Cli.Run r = new Cli().run("verify-blob-attestation", "--key", dir.resolve("sk.pub").toString(), "--insecure-ignore-tlog", "--bundle", b.toString(), artifact.toString()).expect(2);
    assertTrue(r.errorLine().contains("expected an attestation (a DSSE envelope), found a message signature"), r.err());
  }

  // ----------------------------------------------------------------------------------------- predicate type

  @Test
  void predicateTypeIsCheckedByShortNameOrUri() throws Exception {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run any = verify(b, artifact.toString()).expect(0);
    assertTrue(any.out().contains("predicate type: ok (expected any (no --type given), found https://slsa.dev/provenance/v1 (SLSA provenance v1))"), any.out());
    verify(b, artifact.toString(), "--type", SLSA_V1).expect(0);
    Cli.Run wrong = verify(b, artifact.toString(), "--type", "spdxjson").expect(1);
    assertEquals(
        "Verification failed: predicate type: expected https://spdx.dev/Document (spdxjson), found https://slsa.dev/provenance/v1 (SLSA provenance v1)",
        wrong.errorLine());
    assertFalse(wrong.out().contains("Verified OK"), wrong.out());
    JsonNode j = json(verify(b, artifact.toString(), "--type", "slsaprovenance02", "--output", "json").expect(1));
    assertFalse(j.get("ok").asBoolean());
    assertEquals("PREDICATE_TYPE_MISMATCH", j.get("reason").asText());
    assertEquals("https://slsa.dev/provenance/v0.2 (slsaprovenance02)", check(j, "predicate type").get("expected").asText());
    assertEquals("failed", check(j, "predicate type").get("outcome").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"slsa", "not a uri", "relative/path"})
  void anUnknownTypeIsBadUsage(String type) {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, artifact.toString(), "--type", type).expect(2);
    assertTrue(r.errorLine().startsWith("Error: --type: expected a predicate type (custom|slsaprovenance|"), r.err());
  }

  // ------------------------------------------------------------------------------------------------ SLSA

  @Test
  void slsaChecksPassAndAreEachReported() throws Exception {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, artifact.toString(), "--type", "slsaprovenance1", "--source-uri", "github.com/acme/app",
        "--source-tag", "v1.2.3", "--builder-id", BUILDER).expect(0);
    for (String line :
        new String[] {
          "slsa source-uri: ok (git+https://github.com/acme/app)",
          "slsa trigger-uri: ok (git+https://github.com/acme/app)",
          "slsa source-ref: ok (refs/tags/v1.2.3)",
          "slsa builder-id: ok (" + BUILDER + ")"
        }) {
      assertTrue(r.out().contains("  " + line + "\n"), line + " in\n" + r.out());
    }
    JsonNode j = json(verify(b, artifact.toString(), "--source-ref", "refs/tags/v1.2.3", "--output", "json").expect(0));
    assertTrue(j.get("ok").asBoolean());
    assertEquals("passed", check(j, "slsa source-ref").get("outcome").asText());
    assertEquals("refs/tags/v1.2.3", check(j, "slsa source-ref").get("found").asText());
    assertEquals(SLSA_V1, j.get("predicateType").asText());
    assertEquals("f.txt", j.at("/subjects/0/name").asText());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--source-uri|github.com/evil/app|slsa source-uri|git+https://github.com/evil/app|git+https://github.com/acme/app",
        "--source-uri|github.com/acme/app2|slsa source-uri|git+https://github.com/acme/app2|git+https://github.com/acme/app",
        "--source-tag|v1.2.4|slsa source-ref|refs/tags/v1.2.4|refs/tags/v1.2.3",
        "--source-branch|main|slsa source-ref|refs/heads/main|refs/tags/v1.2.3",
        "--source-ref|refs/tags/v1|slsa source-ref|refs/tags/v1|refs/tags/v1.2.3",
        "--builder-id|https://github.com/evil/app/.github/workflows/release.yml|slsa builder-id|https://github.com/evil/app/.github/workflows/release.yml|" + BUILDER,
        "--builder-id|https://github.com/acme/app/.github/workflows/release.yml@v9|slsa builder-id|https://github.com/acme/app/.github/workflows/release.yml@v9|" + BUILDER,
      })
  void eachSlsaMismatchFailsWithExpectedAndFound(String flag, String value, String check, String expected, String found)
      throws Exception {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, artifact.toString(), flag, value).expect(1);
    assertTrue(r.err().contains("Verification failed: " + check + ": expected " + expected + ", found " + found + "\n"), r.err());
    assertFalse(r.out().contains("Verified OK"), r.out());
    JsonNode j = json(verify(b, artifact.toString(), flag, value, "--output", "json").expect(1));
    assertEquals("SLSA_MISMATCH", j.get("reason").asText());
    JsonNode c = check(j, check);
    assertEquals("failed", c.get("outcome").asText());
    assertEquals(expected, c.get("expected").asText());
    assertEquals(found, c.get("found").asText());
  }

  @Test
  void slsaFlagsOnOtherPredicatesFail() {
    Path b = bundle("custom.json", AttestationFixtures.statement("f.txt", sha256Subject(), "https://example.com/p/v1", "{\"a\":1}"));
    Cli.Run r = verify(b, artifact.toString(), "--source-uri", "github.com/acme/app").expect(1);
    assertEquals(
        "Verification failed: slsa predicate-type: expected SLSA provenance v1 or v0.2, found https://example.com/p/v1",
        r.errorLine());
  }

  @Test
  void aProvenanceOfTheWrongShapeFails() throws Exception {
    Path b = bundle("shape.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, "{\"buildDefinition\":{}}"));
    Cli.Run r = verify(b, artifact.toString(), "--source-uri", "github.com/acme/app").expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: slsa predicate: expected a predicate of the shape https://slsa.dev/provenance/v1 (SLSA provenance v1) requires, found /predicate/"), r.err());
    assertEquals("PREDICATE_MALFORMED", json(verify(b, artifact.toString(), "--source-uri", "github.com/acme/app", "--output", "json").expect(1)).get("reason").asText());
    // Without SLSA flags (and no certificate to compare with) the predicate is not read: cosign accepts it too.
    verify(b, artifact.toString(), "--type", "slsaprovenance1").expect(0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--source-tag|v1|--source-branch|main|contradictory expectations",
        "--source-ref|v1.2.3|--source-uri|github.com/acme/app|a source ref starts with refs/",
        "--builder-id|a@b@c|--source-uri|github.com/acme/app|a builder id is NAME or NAME@VERSION",
      })
  void contradictoryOrMalformedSlsaFlagsAreBadUsage(String f1, String v1, String f2, String v2, String message) {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = verify(b, artifact.toString(), f1, v1, f2, v2).expect(2);
    assertTrue(r.errorLine().contains(message), r.err());
  }

  // ------------------------------------------------------------------------------------ real-world bundles

  @Test
  void npmProvenanceVerifiesForItsSha512Digest() throws Exception {
    Cli.Run r = new Cli().run("verify-blob-attestation", "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA,
        "--type", "slsaprovenance1", "--source-uri", "github.com/sigstore/sigstore-js", "--bundle", npmBundle.toString(), NPM_DIGEST).expect(0);
    assertTrue(r.out().contains("Verified OK: " + NPM_DIGEST + " as subject \"pkg:npm/sigstore@2.0.0\""), r.out());
    // The certificate's GitHub claims agree with the provenance, and each comparison is listed.
    for (String c : new String[] {"certificate-source-uri", "certificate-source-ref", "certificate-source-digest", "certificate-builder-id", "certificate-run-invocation"}) {
      assertTrue(r.out().contains("  slsa " + c + ": ok ("), c + " in\n" + r.out());
    }
    JsonNode j = json(new Cli().run("verify-blob-attestation", "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA,
        "--source-branch", "main", "--builder-id", "https://github.com/actions/runner/github-hosted", "--output", "json",
        "--bundle", npmBundle.toString(), NPM_DIGEST).expect(0));
    assertEquals("f0b49a04e5a62250e0f60fb128004a73110fe311", check(j, "slsa certificate-source-digest").get("found").asText());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--source-uri|github.com/sigstore/sigstore-go|slsa source-uri",
        "--source-tag|v2.0.0|slsa source-ref",
        "--builder-id|https://github.com/actions/runner/self-hosted|slsa builder-id",
        "--type|slsaprovenance02|predicate type",
      })
  void npmProvenanceRefusesWhatItDoesNotSay(String flag, String value, String check) {
    Cli.Run r = new Cli().run("verify-blob-attestation", "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA,
        flag, value, "--bundle", npmBundle.toString(), NPM_DIGEST).expect(1);
    assertTrue(r.err().startsWith("Verification failed: " + check + ": expected "), r.err());
  }

  @Test
  void npmProvenanceForAnotherDigestIsRefused() {
    String other = "sha512:" + "00".repeat(64);
    Cli.Run r = new Cli().run("verify-blob-attestation", "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA,
        "--bundle", npmBundle.toString(), other).expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: in-toto subject: expected a subject with digest " + other), r.err());
  }

  @ParameterizedTest
  @CsvSource({
    "slsaprovenance1,slsaprovenance1",
    "slsaprovenance02,slsaprovenance02",
    "slsaprovenance02,slsaprovenance",
    "spdxjson,spdxjson",
    "cyclonedx,cyclonedx",
    "openvex,openvex",
    "vuln,vuln",
    "custom,custom",
    "uri,https://example.com/predicate/v1",
  })
  void cosignAttestationsVerifyByType(String bundle, String type) {
    Path b = cosignDir.resolve(bundle + ".sigstore.json");
    String pubKey = cosignDir.resolve("cosign.pub").toString();
    String file = cosignDir.resolve("artifact.txt").toString();
    Cli.Run ok = new Cli().run("verify-blob-attestation", "--key", pubKey, "--insecure-ignore-tlog", "--type", type, "--bundle", b.toString(), file).expect(0);
    assertTrue(ok.out().contains("Verified OK: " + file), ok.out());
    String wrong = type.equals("vuln") ? "openvex" : "vuln";
    new Cli().run("verify-blob-attestation", "--key", pubKey, "--insecure-ignore-tlog", "--type", wrong, "--bundle", b.toString(), file).expect(1);
    // And by another key: refused.
    new Cli().run("verify-blob-attestation", "--key", pub.toString(), "--insecure-ignore-tlog", "--type", type, "--bundle", b.toString(), file).expect(1);
  }

  @Test
  void cosignSlsaV02ProvenancePassesSlsaChecks() {
    String pubKey = cosignDir.resolve("cosign.pub").toString();
    String file = cosignDir.resolve("artifact.txt").toString();
    String b = cosignDir.resolve("slsaprovenance02.sigstore.json").toString();
    new Cli().run("verify-blob-attestation", "--key", pubKey, "--insecure-ignore-tlog", "--type", "slsaprovenance02",
        "--source-uri", "github.com/acme/app", "--source-tag", "v1.2.3",
        "--builder-id", "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v1.9.0",
        "--bundle", b, file).expect(0);
    Cli.Run r = new Cli().run("verify-blob-attestation", "--key", pubKey, "--insecure-ignore-tlog",
        "--source-uri", "github.com/acme/other", "--bundle", b, file).expect(1);
    assertTrue(r.err().contains("Verification failed: slsa source-uri: expected git+https://github.com/acme/other, found git+https://github.com/acme/app"), r.err());
  }

  @Test
  void tlogIsRequiredUnlessWaived() {
    Path b = bundle("prov.json", AttestationFixtures.statement("f.txt", sha256Subject(), SLSA_V1, provenance));
    Cli.Run r = new Cli().run("verify-blob-attestation", "--key", pub.toString(), "--bundle", b.toString(), artifact.toString()).expect(1);
    assertTrue(r.errorLine().contains("pass --insecure-ignore-tlog"), r.err());
  }

  @Test
  void hostileTextIsNotPassedToTheTerminal() {
    String evil = "{\"buildDefinition\":{\"buildType\":\"https://e.com/t\",\"externalParameters\":{},"
        + "\"resolvedDependencies\":[{\"uri\":\"git+https://github.com/acme/app\\u001b]0;pwned\\u0007\\u202e@refs/tags/v1\"}]},"
        + "\"runDetails\":{\"builder\":{\"id\":\"https://e.com/b\"}}}";
    Path b = bundle("evil.json", AttestationFixtures.statement("f\u001b[31m.txt", sha256Subject(), SLSA_V1, evil));
    Cli.Run r = verify(b, artifact.toString(), "--source-uri", "github.com/acme/app").expect(1);
    assertFalse(r.err().contains("\u001b") || r.out().contains("\u001b") || r.err().contains("\u202e"), r.err());
    assertTrue(r.err().contains("\\u001b]0;pwned\\u0007\\u202e"), r.err());
  }
}
