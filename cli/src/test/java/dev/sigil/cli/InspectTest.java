package dev.sigil.cli;

import static dev.sigil.cli.AttestationFixtures.IN_TOTO;
import static dev.sigil.cli.AttestationFixtures.SLSA_V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sigil inspect}, in-process: what it shows of bundles, DSSE envelopes and bare statements without verifying
 * (and that it says so), what changes when it verifies, its JSON shape, and every refusal.
 */
class InspectTest {
  static final String NPM_SAN = VerifyBlobAttestationTest.NPM_SAN;
  static final String GHA = VerifyBlobAttestationTest.GHA;
  static final String NPM_DIGEST = VerifyBlobAttestationTest.NPM_DIGEST;

  @TempDir static Path dir;
  static Path npm;
  static Path cosignBundle;
  static Path cosignPub;
  static Path cosignArtifact;
  static KeyPair key;
  static Path pub;
  static Sandbox sandbox;

  @BeforeAll
  static void setUp() throws Exception {
    npm = copy("attestations/corpus/sigstore.js-2.0.0-provenance.sigstore.json", "npm.json");
    cosignBundle = copy("attestations/cosign/slsaprovenance02.sigstore.json", "cosign.json");
    cosignPub = copy("attestations/cosign/cosign.pub", "cosign.pub");
    cosignArtifact = copy("attestations/cosign/artifact.txt", "artifact.txt");
    key = AttestationFixtures.ecKey();
    pub = AttestationFixtures.writePublicKey(key.getPublic(), dir.resolve("k.pub"));
    sandbox = Sandbox.start(dir.resolve("sandbox"), 0);
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  static Path copy(String resource, String to) throws Exception {
    try (InputStream in = InspectTest.class.getResourceAsStream("/" + resource)) {
      return AttestationFixtures.write(dir.resolve(to), in.readAllBytes());
    }
  }

  static Cli.Run inspect(String... args) {
    List<String> all = new ArrayList<>(List.of("inspect"));
    all.addAll(Arrays.asList(args));
    return new Cli().run(all.toArray(String[]::new));
  }

  static JsonNode json(Cli.Run r) throws Exception {
    return new ObjectMapper().readTree(r.out());
  }

  // ------------------------------------------------------------------------------------------- not verified

  @Test
  void npmProvenanceUnverifiedShowsWhatItClaimsAndSaysSo() throws Exception {
    Cli.Run r = inspect(npm.toString()).expect(0);
    String out = r.out();
    assertTrue(out.contains("NOT VERIFIED: no --key or --certificate-identity given"), out);
    // In the order people ask: who, when, where logged, what, how built.
    int who = out.indexOf("Who signed (claimed)");
    int when = out.indexOf("\nWhen\n");
    int where = out.indexOf("\nWhere logged\n");
    int what = out.indexOf("What it covers (claimed)");
    int how = out.indexOf("Provenance (claimed)");
    assertTrue(who > 0 && who < when && when < where && where < what && what < how, out);
    for (String s :
        new String[] {
          "identity       " + NPM_SAN, "issuer         " + GHA, "sourceRepositoryURI = https://github.com/sigstore/sigstore-js",
          "2023-08-18T16:05:35Z log integrated time, https://rekor.sigstore.dev (claimed)",
          "https://rekor.sigstore.dev index 31821305, intoto 0.0.2 (claimed)",
          "pkg:npm/sigstore@2.0.0 " + NPM_DIGEST, "builder        https://github.com/actions/runner/github-hosted",
          "commit         f0b49a04e5a62250e0f60fb128004a73110fe311", "entry point    .github/workflows/release.yml",
          "/workflow/ref = refs/heads/main", "source-digest  agrees (f0b49a04e5a62250e0f60fb128004a73110fe311)"
        }) {
      assertTrue(out.contains(s), s + " in\n" + out);
    }
    assertFalse(out.contains("\nChecks\n"), "no checks are claimed when nothing was verified:\n" + out);

    JsonNode j = json(inspect(npm.toString(), "--output", "json").expect(0));
    assertEquals("sigil-inspect/v1", j.get("schema").asText());
    assertEquals("not-verified", j.at("/verification/status").asText());
    assertEquals(0, j.at("/verification/checks").size());
    assertFalse(j.at("/signer/verified").asBoolean());
    assertEquals("certificate", j.at("/signer/kind").asText());
    assertEquals(NPM_SAN, j.at("/signer/identity").asText());
    assertEquals("https://github.com/sigstore/sigstore-js", j.at("/signer/claims/sourceRepositoryURI").asText());
    assertEquals("https://rekor.sigstore.dev", j.at("/logEntries/0/logUrl").asText());
    assertEquals(31821305, j.at("/logEntries/0/logIndex").asLong());
    assertFalse(j.at("/logEntries/0/verified").asBoolean());
    assertEquals("transparency-log", j.at("/signingTimes/0/source").asText());
    assertEquals("2023-08-18T16:05:35Z", j.at("/signingTimes/0/time").asText());
    assertEquals("pkg:npm/sigstore@2.0.0", j.at("/statement/subjects/0/name").asText());
    assertEquals(NPM_DIGEST.substring(7), j.at("/statement/subjects/0/digest/sha512").asText());
    assertEquals("f0b49a04e5a62250e0f60fb128004a73110fe311", j.at("/provenance/sourceCommit").asText());
    assertEquals("refs/heads/main", j.at("/provenance/parameters/~1workflow~1ref").asText());
    assertEquals("git+https://github.com/sigstore/sigstore-js@refs/heads/main", j.at("/provenance/dependencies/0/uri").asText());
    for (JsonNode c : j.get("provenanceChecks")) {
      assertEquals("passed", c.get("outcome").asText(), c.toString());
    }
  }

  @Test
  void theJsonShapeIsTheDocumentedOne() throws Exception {
    JsonNode j = json(inspect(npm.toString(), "--output", "json").expect(0));
    assertEquals(
        new TreeSet<>(
            List.of(
                "schema", "ok", "exitCode", "input", "verification", "signer", "signingTimes", "logEntries", "messageDigest",
                "payloadType", "statement", "statementError", "provenance", "provenanceError", "provenanceChecks")),
        keys(j));
    assertEquals(new TreeSet<>(List.of("path", "kind", "mediaType", "content")), keys(j.get("input")));
    assertEquals(new TreeSet<>(List.of("status", "summary", "artifact", "checks")), keys(j.get("verification")));
    assertEquals(
        new TreeSet<>(
            List.of(
                "kind", "verified", "identity", "subjectAlternativeNames", "issuer", "claims", "certificateIssuer",
                "notBefore", "notAfter", "certificateError", "keyHint", "keyAlgorithm", "keyFingerprint")),
        keys(j.get("signer")));
    assertEquals(new TreeSet<>(List.of("time", "source", "authority", "verified")), keys(j.at("/signingTimes/0")));
    assertEquals(
        new TreeSet<>(List.of("logUrl", "logId", "logIndex", "kind", "version", "integratedTime", "verified")),
        keys(j.at("/logEntries/0")));
    assertEquals(new TreeSet<>(List.of("type", "predicateType", "predicateName", "subjects")), keys(j.get("statement")));
    assertEquals(
        new TreeSet<>(
            List.of(
                "predicateType", "builderId", "buildType", "source", "sourceRepository", "sourceRef", "sourceCommit",
                "trigger", "entryPoint", "invocationId", "startedOn", "finishedOn", "ci", "parameters", "dependencies")),
        keys(j.get("provenance")));
    assertEquals(new TreeSet<>(List.of("check", "outcome", "reason", "expected", "found")), keys(j.at("/provenanceChecks/0")));
    // The documentation names every field.
    String doc = Files.readString(Path.of("..", "docs", "inspect-json.md"));
    for (String k : keys(j)) {
      assertTrue(doc.contains("`" + k + "`"), k + " documented");
    }
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> s = new TreeSet<>();
    Iterator<String> it = n.fieldNames();
    it.forEachRemaining(s::add);
    return s;
  }

  @Test
  void aBareStatementIsShownAsUnsigned() throws Exception {
    Path s = AttestationFixtures.write(dir.resolve("statement.json"), AttestationFixtures.statement(
        "app.tgz", "{\"sha256\":\"" + "ab".repeat(32) + "\"}", SLSA_V1,
        AttestationFixtures.githubProvenance("acme/app", "refs/tags/v1", "01".repeat(20), ".github/workflows/r.yml", "https://github.com/actions/runner/github-hosted"))
        .getBytes(StandardCharsets.UTF_8));
    Cli.Run r = inspect(s.toString()).expect(0);
    assertTrue(r.out().contains("NOT VERIFIED: a bare in-toto statement carries no signature"), r.out());
    assertFalse(r.out().contains("Who signed"), r.out());
    JsonNode j = json(inspect(s.toString(), "--output", "json").expect(0));
    assertEquals("statement", j.at("/input/kind").asText());
    assertTrue(j.get("signer").isNull());
    assertEquals("git+https://github.com/acme/app@refs/tags/v1", j.at("/provenance/source").asText());
    Cli.Run v = inspect(s.toString(), "--key", pub.toString()).expect(2);
    assertTrue(v.errorLine().contains("is a bare in-toto statement: it carries no signature to verify"), v.err());
  }

  // ---------------------------------------------------------------------------------------------- verified

  @Test
  void npmProvenanceVerifiedSaysWhatVerificationEstablished() throws Exception {
    Cli.Run r = inspect(npm.toString(), "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA, "--artifact", NPM_DIGEST).expect(0);
    assertTrue(r.out().contains("\nverified: signed by " + NPM_SAN + " (issuer " + GHA + "), logged, signed at 2023-08-18T16:05:35Z"
        + " (log https://rekor.sigstore.dev); a subject names " + NPM_DIGEST + "\n"), r.out());
    assertTrue(r.out().contains("(verified)") && !r.out().contains("(claimed)"), r.out());
    assertTrue(r.out().contains("\nChecks\n") && r.out().contains("in-toto subject: subject \"pkg:npm/sigstore@2.0.0\""), r.out());
    JsonNode j = json(inspect(npm.toString(), "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA, "--artifact", NPM_DIGEST, "--output", "json").expect(0));
    assertEquals("verified", j.at("/verification/status").asText());
    assertEquals(NPM_DIGEST, j.at("/verification/artifact").asText());
    assertTrue(j.at("/signer/verified").asBoolean());
    assertTrue(j.at("/logEntries/0/verified").asBoolean());
    assertTrue(j.at("/signingTimes/0/verified").asBoolean());
    assertTrue(j.at("/verification/checks").size() >= 5);

    // Without --artifact the signature is verified and the subjects shown, not compared.
    Cli.Run n = inspect(npm.toString(), "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA).expect(0);
    assertTrue(n.out().contains("subjects not compared with an artifact (no --artifact given)"), n.out());
  }

  @Test
  void aFailedVerificationShowsTheContentAndExitsOne() throws Exception {
    Cli.Run r = inspect(npm.toString(), "--certificate-identity", "https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main",
        "--certificate-oidc-issuer", GHA).expect(1);
    assertTrue(r.out().contains("VERIFICATION FAILED: certificate SAN: expected "), r.out());
    assertTrue(r.errorLine().startsWith("Verification failed: certificate SAN: expected "), r.err());
    assertTrue(r.out().contains("Who signed (claimed)"), r.out());
    JsonNode j = json(inspect(npm.toString(), "--certificate-identity", NPM_SAN, "--certificate-oidc-issuer", GHA,
        "--artifact", "sha512:" + "00".repeat(64), "--output", "json").expect(1));
    assertFalse(j.get("ok").asBoolean());
    assertEquals(1, j.get("exitCode").asInt());
    assertEquals("failed", j.at("/verification/status").asText());
    assertEquals("pkg:npm/sigstore@2.0.0", j.at("/statement/subjects/0/name").asText());
    assertFalse(j.at("/signer/verified").asBoolean());
  }

  @Test
  void aDsseEnvelopeVerifiesWithAKey() throws Exception {
    JsonNode bundle = new ObjectMapper().readTree(Files.readAllBytes(cosignBundle));
    Path env = AttestationFixtures.write(dir.resolve("envelope.json"), new ObjectMapper().writeValueAsBytes(bundle.get("dsseEnvelope")));
    Cli.Run r = inspect(env.toString()).expect(0);
    assertTrue(r.out().contains(": DSSE envelope\nNOT VERIFIED"), r.out());
    assertTrue(r.out().contains("https://slsa.dev/provenance/v0.2 (SLSA provenance v0.2)"), r.out());
    JsonNode ok = json(inspect(env.toString(), "--key", cosignPub.toString(), "--insecure-ignore-tlog", "--artifact", cosignArtifact.toString(), "--output", "json").expect(0));
    assertEquals("verified", ok.at("/verification/status").asText());
    assertEquals("key", ok.at("/signer/kind").asText());
    assertTrue(ok.at("/signer/keyFingerprint").asText().startsWith("sha256:"));
    // Another key, no log waiver, identity flags: each refused.
    inspect(env.toString(), "--key", pub.toString(), "--insecure-ignore-tlog").expect(1);
    assertTrue(inspect(env.toString(), "--key", cosignPub.toString()).expect(1).errorLine().contains("--insecure-ignore-tlog"));
    Cli.Run id = inspect(env.toString(), "--certificate-identity", "a@b", "--certificate-oidc-issuer", "https://x").expect(2);
    assertTrue(id.errorLine().contains("is a bare DSSE envelope: it carries no certificate"), id.err());
  }

  @Test
  void aMessageSignatureBundleShowsItsDigest() throws Exception {
    Path a = AttestationFixtures.write(dir.resolve("blob.bin"), "blob\n".getBytes(StandardCharsets.UTF_8));
    new Cli().password("pw").run("generate-key-pair", "--output-key-prefix", dir.resolve("mk").toString()).expect(0);
    Path b = dir.resolve("blob.sigstore.json");
    new Cli().password("pw").run("sign-blob", "--key", dir.resolve("mk.key").toString(), "--bundle", b.toString(), a.toString()).expect(0);
    Cli.Run r = inspect(b.toString()).expect(0);
    assertTrue(r.out().contains("message signature"), r.out());
    assertTrue(r.out().contains("digest         sha256:" + AttestationFixtures.hex("SHA-256", Files.readAllBytes(a))), r.out());
    assertTrue(r.out().contains("which key is known only by verifying with --key"), r.out());
    JsonNode j = json(inspect(b.toString(), "--key", dir.resolve("mk.pub").toString(), "--insecure-ignore-tlog", "--artifact", a.toString(), "--output", "json").expect(0));
    assertEquals("verified", j.at("/verification/status").asText());
    assertEquals("message-signature", j.at("/input/content").asText());
    assertTrue(j.get("statement").isNull());
    Path other = AttestationFixtures.write(dir.resolve("other.bin"), "other\n".getBytes(StandardCharsets.UTF_8));
    inspect(b.toString(), "--key", dir.resolve("mk.pub").toString(), "--insecure-ignore-tlog", "--artifact", other.toString()).expect(1);
  }

  @Test
  void payloadsThatAreNotStatementsAreShownAsSuch() throws Exception {
    Path b = AttestationFixtures.write(dir.resolve("ptype.json"),
        AttestationFixtures.keyBundle(key, "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    Cli.Run r = inspect(b.toString()).expect(0);
    assertTrue(r.out().contains("not an in-toto statement: the payload type is \"application/json\""), r.out());
    JsonNode j = json(inspect(b.toString(), "--key", pub.toString(), "--insecure-ignore-tlog", "--output", "json").expect(1));
    assertEquals("PAYLOAD_TYPE_UNSUPPORTED", j.at("/verification/checks/1/reason").asText());

    Path bad = AttestationFixtures.write(dir.resolve("badstatement.json"),
        AttestationFixtures.keyBundle(key, IN_TOTO, "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    JsonNode k = json(inspect(bad.toString(), "--output", "json").expect(0));
    assertTrue(k.get("statementError").asText().startsWith("/_type: expected https://in-toto.io/Statement/v1"), k.toString());
  }

  @Test
  void aMalformedProvenanceIsShownAndFailsVerification() throws Exception {
    byte[] st = AttestationFixtures.statement("f", "{\"sha256\":\"" + "ab".repeat(32) + "\"}", SLSA_V1, "{\"buildDefinition\":{}}")
        .getBytes(StandardCharsets.UTF_8);
    Path b = AttestationFixtures.write(dir.resolve("badprov.json"), AttestationFixtures.keyBundle(key, IN_TOTO, st));
    assertTrue(inspect(b.toString()).expect(0).out().contains("malformed"));
    Cli.Run r = inspect(b.toString(), "--key", pub.toString(), "--insecure-ignore-tlog").expect(1);
    assertTrue(r.errorLine().startsWith("Verification failed: the provenance is malformed: /predicate/"), r.err());
  }

  @Test
  void keylessProvenanceAgainstItsCertificate() throws Exception {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    byte[] content = "x".getBytes(StandardCharsets.UTF_8);
    String subject = "{\"sha256\":\"" + AttestationFixtures.hex("SHA-256", content) + "\"}";
    String lying = AttestationFixtures.githubProvenance("acme/evil", "refs/tags/v1.2.3", sha, ".github/workflows/release.yml",
        "https://github.com/actions/runner/github-hosted");
    Path b = AttestationFixtures.write(dir.resolve("keyless.json"), AttestationFixtures.keylessBundle(
        sandbox, AttestationFixtures.githubClaims("acme/app", "refs/tags/v1.2.3", sha),
        AttestationFixtures.statement("x", subject, SLSA_V1, lying).getBytes(StandardCharsets.UTF_8)));
    Cli.Run shown = inspect(b.toString(), "--trusted-root", sandbox.trustedRootFile().toString()).expect(0);
    assertTrue(shown.out().contains("source-uri     DIFFERS: the certificate says git+https://github.com/acme/app, the provenance git+https://github.com/acme/evil"), shown.out());
    // The RFC 3161 time is read (unverified) for display.
    assertTrue(shown.out().contains("RFC 3161 timestamp, RFC 3161 timestamp 1 (claimed)"), shown.out());
    Cli.Run v = inspect(b.toString(), "--trusted-root", sandbox.trustedRootFile().toString(), "--insecure-ignore-tlog",
        "--certificate-identity", "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
        "--certificate-oidc-issuer", AttestationFixtures.GITHUB_ISSUER, "--output", "json").expect(1);
    JsonNode j = json(v);
    assertEquals("failed", j.at("/verification/status").asText());
    assertTrue(j.at("/verification/summary").asText().startsWith("VERIFICATION FAILED: the provenance contradicts its certificate: slsa certificate-source-uri"), j.toString());
    assertEquals("timestamp-authority", j.at("/signingTimes/0/source").asText());
    assertTrue(j.at("/signingTimes/0/verified").asBoolean());
  }

  @Test
  void hostileTextNeverReachesTheTerminalRaw() {
    byte[] st = AttestationFixtures.statement("a\u001b[2J\u202eb", "{\"sha256\":\"" + "ab".repeat(32) + "\"}", "https://e.com/\u0007p", "{}")
        .getBytes(StandardCharsets.UTF_8);
    Path b = AttestationFixtures.write(dir.resolve("ansi.json"), AttestationFixtures.keyBundle(key, IN_TOTO, st));
    Cli.Run r = inspect(b.toString()).expect(0);
    assertFalse(r.out().contains("\u001b") || r.out().contains("\u202e") || r.out().contains("\u0007"), r.out());
    assertTrue(r.out().contains("a\\u001b[2J\\u202eb"), r.out());
  }

  // ---------------------------------------------------------------------------------------------- refusals

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "{\"hello\":\"world\"}",
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}",
        "{\"payloadType\":\"x\",\"payload\":\"!!\",\"signatures\":[]}",
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[]}",
        "{\"a\":1,\"a\":2}"
      })
  void malformedInputIsBadInput(String text) {
    Path f = AttestationFixtures.write(dir.resolve("bad.json"), text.getBytes(StandardCharsets.UTF_8));
    Cli.Run r = inspect(f.toString()).expect(2);
    assertTrue(r.errorLine().startsWith("Error: " + f), r.err());
    assertEquals("", r.out());
  }

  @Test
  void usageErrors() {
    assertTrue(inspect(dir.resolve("missing.json").toString()).expect(2).errorLine().contains("expected an existing file"));
    assertTrue(inspect(npm.toString(), "--artifact", NPM_DIGEST).expect(2).errorLine().contains("--artifact applies to verification"));
    assertTrue(inspect(npm.toString(), "--insecure-ignore-tlog").expect(2).errorLine().contains("--insecure-ignore-tlog applies to verification"));
    assertTrue(inspect(npm.toString(), "--key", pub.toString(), "--certificate-identity", "x", "--certificate-oidc-issuer", "y")
        .expect(2).errorLine().contains("expected either --key or certificate identity flags, found both"));
    assertTrue(inspect(npm.toString(), "--certificate-identity", NPM_SAN).expect(2).errorLine().contains("--certificate-oidc-issuer"));
    Cli.Run html = inspect(npm.toString(), "--html", dir.resolve("no/such/dir/r.html").toString()).expect(2);
    assertTrue(html.errorLine().startsWith("Error: --html "), html.err());
  }
}
