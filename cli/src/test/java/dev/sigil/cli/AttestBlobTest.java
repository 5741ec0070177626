package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.testkit.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigil attest-blob}: Sigstore bundles with a DSSE envelope over an in-toto statement about files, with a key,
 * a logged key and keyless (in-process sandbox), verified by cosign 2.5 ({@code verify-blob-attestation}),
 * sigstore-js and Sigil; non-ASCII predicates signed over their bytes; every refusal exit 2 with nothing written.
 */
class AttestBlobTest {
  static final String PW = "attest-pass";
  static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path shared;
  static Sandbox sandbox;
  static String issuer;
  static KeylessPeers peers;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(shared.resolve("sandbox"), 0);
    issuer = sandbox.oidcIssuerUrl().toString();
    peers = new KeylessPeers(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  Path file(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  Path predicate() throws Exception {
    return file("prov.json", "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":"
        + "{\"note\":\"Grüße 🚀, Zoë 日本\"}},\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}");
  }

  Path keyPair() {
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", dir.resolve("k").toString()).expect(0);
    return dir.resolve("k.key");
  }

  Path emptyRoot() throws Exception {
    return file("empty-root.json", CosignInteropTest.EMPTY_ROOT);
  }

  @Test
  void aKeyAttestationVerifiesInCosignSigstoreJsAndSigilOverNonAsciiBytes() throws Exception {
    Path key = keyPair();
    Path f = file("f.txt", "artifact\n");
    Path b = dir.resolve("a.json");
    Cli.Run r = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate",
        predicate().toString(), "--type", "slsaprovenance1", "--bundle", b.toString(), f.toString()).expect(0);
    assertTrue(r.out().contains("Bundle verified and written"), r.out());
    JsonNode bundle = MAPPER.readTree(b.toFile());
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", bundle.path("mediaType").asText());
    byte[] payload = Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText());
    String text = new String(payload, StandardCharsets.UTF_8);
    assertTrue(text.contains("Grüße 🚀, Zoë 日本"), text);
    JsonNode st = MAPPER.readTree(payload);
    assertEquals("https://in-toto.io/Statement/v1", st.path("_type").asText());
    assertEquals("f.txt", st.at("/subject/0/name").asText());
    assertEquals("5b3513f580c8397212ff2c8f459c199efc0c90e4354a5f3533adf0a3fff3a530",
        st.at("/subject/0/digest/sha256").asText());

    String pub = dir.resolve("k.pub").toString();
    Peers.Result c = peers.cosign(Map.of(), dir, "verify-blob-attestation", "--key", pub, "--new-bundle-format",
        "--trusted-root", emptyRoot().toString(), "--insecure-ignore-tlog=true", "--type", "slsaprovenance1",
        "--bundle", b.toString(), f.toString());
    assertEquals(0, c.exitCode(), c::describe);
    Path other = file("g.txt", "other\n");
    Peers.Result wrongFile = peers.cosign(Map.of(), dir, "verify-blob-attestation", "--key", pub,
        "--new-bundle-format", "--trusted-root", emptyRoot().toString(), "--insecure-ignore-tlog=true", "--type",
        "slsaprovenance1", "--bundle", b.toString(), other.toString());
    assertNotEquals(0, wrongFile.exitCode(), wrongFile::describe);
    Peers.Result js = peers.node("verify.mjs", dir, "--bundle", b.toString(), "--artifact", f.toString(), "--key", pub,
        "--tlog-threshold", "0", "--timestamp-threshold", "0");
    assertEquals(0, js.exitCode(), js::describe);
    new Cli().run("verify-blob", "--insecure-ignore-tlog", "--key", pub, "--bundle", b.toString(), f.toString())
        .expect(0);
    new Cli().run("verify-blob", "--insecure-ignore-tlog", "--key", pub, "--bundle", b.toString(), other.toString())
        .expect(1);
  }

  @Test
  void keylessAttestationsOnTheSandboxVerifyInCosignAndSigstoreJs() throws Exception {
    Path f = file("f.txt", "keyless artifact\n");
    Path b = dir.resolve("kl.json");
    new Cli().run("attest-blob", "--sandbox", sandbox.uri().toString(), "--oidc-provider", "sandbox",
        "--sandbox-subject", "ci@example.com", "--predicate", predicate().toString(), "--type", "slsaprovenance1",
        "--bundle", b.toString(), f.toString()).expect(0);
    JsonNode bundle = MAPPER.readTree(b.toFile());
    assertEquals("dsse", bundle.at("/verificationMaterial/tlogEntries/0/kindVersion/kind").asText());
    assertEquals(1, bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").size());
    String root = sandbox.trustedRootFile().toString();
    Peers.Result c = peers.cosign(Map.of(), dir, "verify-blob-attestation", "--new-bundle-format", "--trusted-root",
        root, "--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", issuer, "--type",
        "slsaprovenance1", "--bundle", b.toString(), f.toString());
    assertEquals(0, c.exitCode(), c::describe);
    Peers.Result eve = peers.cosign(Map.of(), dir, "verify-blob-attestation", "--new-bundle-format", "--trusted-root",
        root, "--certificate-identity", "eve@example.com", "--certificate-oidc-issuer", issuer, "--type",
        "slsaprovenance1", "--bundle", b.toString(), f.toString());
    assertNotEquals(0, eve.exitCode(), eve::describe);
    Peers.Result js = peers.node("verify.mjs", dir, "--bundle", b.toString(), "--artifact", f.toString(),
        "--trusted-root", root, "--identity", "ci@example.com", "--issuer", issuer);
    assertEquals(0, js.exitCode(), js::describe);
    new Cli().run("verify-blob", "--bundle", b.toString(), "--trusted-root", root, "--certificate-identity",
        "ci@example.com", "--certificate-oidc-issuer", issuer, f.toString()).expect(0);
  }

  @Test
  void aLoggedKeyAttestationNeedsNoLogWaiverAndCoversEveryFile() throws Exception {
    Path key = keyPair();
    Path f1 = file("one.txt", "one\n");
    Path f2 = file("two.txt", "two\n");
    Path b = dir.resolve("multi.json");
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--tlog-upload", "--sandbox",
        sandbox.uri().toString(), "--predicate", predicate().toString(), "--type", "slsaprovenance1", "--bundle",
        b.toString(), f1.toString(), f2.toString()).expect(0);
    JsonNode st = MAPPER.readTree(Base64.getDecoder().decode(MAPPER.readTree(b.toFile()).at("/dsseEnvelope/payload")
        .asText()));
    assertEquals(2, st.path("subject").size());
    for (Path f : new Path[] {f1, f2}) {
      new Cli().run("verify-blob", "--key", dir.resolve("k.pub").toString(), "--trusted-root",
          sandbox.trustedRootFile().toString(), "--bundle", b.toString(), f.toString()).expect(0);
    }
  }

  @Test
  void customPredicatesAreWrappedAsCosignWrapsThem() throws Exception {
    Path key = keyPair();
    Path f = file("f.txt", "x");
    Path p = file("notes.txt", "free text, not JSON: ünïcode");
    Path b = dir.resolve("c.json");
    Cli.Run r = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate", p.toString(),
        "--bundle", b.toString(), "--output", "json", f.toString()).expect(0);
    JsonNode report = MAPPER.readTree(r.out());
    assertTrue(report.path("ok").asBoolean());
    assertFalse(report.path("tlogUpload").asBoolean());
    assertEquals("f.txt", report.at("/subjects/0/name").asText());
    assertEquals("https://cosign.sigstore.dev/attestation/v1", report.path("predicateType").asText());
    JsonNode st = MAPPER.readTree(Base64.getDecoder().decode(MAPPER.readTree(b.toFile()).at("/dsseEnvelope/payload")
        .asText()));
    assertEquals("https://cosign.sigstore.dev/attestation/v1", st.path("predicateType").asText());
    assertEquals("free text, not JSON: ünïcode", st.at("/predicate/Data").asText());
    assertTrue(st.at("/predicate/Timestamp").asText().endsWith("Z"));
  }

  @Test
  void refusalsAreExitTwoAndWriteNoBundle() throws Exception {
    Path key = keyPair();
    Path f = file("f.txt", "x");
    Path b = dir.resolve("never.json");
    Path bad = file("bad.json", "{\"a\":1,\"a\":2}");
    String dup = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate", bad.toString(),
        "--type", "slsaprovenance1", "--bundle", b.toString(), f.toString()).expect(2).errorLine();
    assertTrue(dup.contains("predicate " + bad) && dup.contains("duplicate"), dup);
    String type = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate",
        predicate().toString(), "--type", "provenance", "--bundle", b.toString(), f.toString()).expect(2).errorLine();
    assertTrue(type.contains("--type") && type.contains("\"provenance\""), type);
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate", dir.resolve("none.json").toString(),
        "--bundle", b.toString(), f.toString()).expect(2);
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate", predicate().toString(),
        "--bundle", b.toString(), dir.resolve("missing.txt").toString()).expect(2);
    new Cli().password(PW).run("attest-blob", "--tlog-upload", "--predicate", predicate().toString(),
        "--bundle", b.toString(), f.toString()).expect(2);
    new Cli().password("wrong").run("attest-blob", "--key", key.toString(), "--predicate", predicate().toString(),
        "--bundle", b.toString(), f.toString()).expect(2);
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate", predicate().toString(),
        f.toString()).expect(2);
    assertFalse(Files.exists(b));
  }

  @Test
  void aStatementFromProvenanceIsSignedByteForByteAndVerifiesForItsSubjects() throws Exception {
    Path key = keyPair();
    Path f = file("app.tar", "the build output\n");
    Path other = file("other.tar", "not built\n");
    Path prov = dir.resolve("provenance.json");
    new Cli().run("provenance", "--builder-id", "https://ci.example.com/builder", "--build-type",
        "https://example.com/build/v1", "--source-uri", "git+https://github.com/acme/app@refs/heads/main",
        "--source-digest", "gitCommit:0123456789abcdef0123456789abcdef01234567", "--subject", f.toString(),
        "--output", prov.toString()).expect(0);
    Path b = dir.resolve("prov.sigstore.json");
    Cli.Run r = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement", prov.toString(),
        "--type", "slsaprovenance1", "--bundle", b.toString(), "--output", "json").expect(0);
    JsonNode report = MAPPER.readTree(r.out());
    assertEquals("app.tar", report.at("/subjects/0/name").asText());
    assertEquals("https://slsa.dev/provenance/v1", report.path("predicateType").asText());
    byte[] payload = Base64.getDecoder().decode(MAPPER.readTree(b.toFile()).at("/dsseEnvelope/payload").asText());
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(prov), payload), "the statement is signed as written");
    String pub = dir.resolve("k.pub").toString();
    new Cli().run("verify-blob-attestation", "--insecure-ignore-tlog", "--key", pub, "--type", "slsaprovenance1",
        "--source-uri", "github.com/acme/app", "--bundle", b.toString(), f.toString()).expect(0);
    new Cli().run("verify-blob-attestation", "--insecure-ignore-tlog", "--key", pub, "--bundle", b.toString(),
        other.toString()).expect(1);
    Peers.Result c = peers.cosign(Map.of(), dir, "verify-blob-attestation", "--key", pub, "--new-bundle-format",
        "--trusted-root", emptyRoot().toString(), "--insecure-ignore-tlog=true", "--type", "slsaprovenance1",
        "--bundle", b.toString(), f.toString());
    assertEquals(0, c.exitCode(), c::describe);

    // With FILEs: each must be a subject.
    Path b2 = dir.resolve("prov2.sigstore.json");
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement", prov.toString(), "--bundle",
        b2.toString(), f.toString()).expect(0);
    String notSubject = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement",
        prov.toString(), "--bundle", dir.resolve("never.json").toString(), other.toString()).expect(2).errorLine();
    assertTrue(notSubject.contains("artifact " + other) && notSubject.contains("[app.tar]"), notSubject);
    assertFalse(Files.exists(dir.resolve("never.json")));
  }

  @Test
  void statementRefusalsAreExitTwoAndWriteNoBundle() throws Exception {
    Path key = keyPair();
    Path f = file("f.txt", "x");
    Path b = dir.resolve("never.json");
    String sha = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    Path st = file("st.json", "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"f.txt\","
        + "\"digest\":{\"sha256\":\"" + sha + "\"}}],\"predicateType\":\"https://example.com/p\",\"predicate\":{}}");
    String both = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement", st.toString(),
        "--predicate", predicate().toString(), "--bundle", b.toString()).expect(2).errorLine();
    assertTrue(both.contains("--predicate and --statement"), both);
    String neither = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--bundle", b.toString(),
        f.toString()).expect(2).errorLine();
    assertTrue(neither.contains("--predicate") && neither.contains("--statement"), neither);
    String noFiles = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--predicate",
        predicate().toString(), "--bundle", b.toString()).expect(2).errorLine();
    assertTrue(noFiles.contains("at least one FILE"), noFiles);
    String type = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement", st.toString(),
        "--type", "slsaprovenance1", "--bundle", b.toString()).expect(2).errorLine();
    assertTrue(type.contains("https://slsa.dev/provenance/v1") && type.contains("https://example.com/p"), type);
    Path notStatement = file("ns.json", "{\"_type\":\"https://example.com/not-in-toto\"}");
    String bad = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement",
        notStatement.toString(), "--bundle", b.toString()).expect(2).errorLine();
    assertTrue(bad.contains("statement " + notStatement) && bad.contains("/_type"), bad);
    Path gitOnly = file("git.json", "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"src\","
        + "\"digest\":{\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\"}}],\"predicateType\":"
        + "\"https://example.com/p\",\"predicate\":{}}");
    String noSha2 = new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement",
        gitOnly.toString(), "--bundle", b.toString()).expect(2).errorLine();
    assertTrue(noSha2.contains("sha256, sha384 or sha512"), noSha2);
    assertFalse(Files.exists(b));
    // And the good statement signs.
    new Cli().password(PW).run("attest-blob", "--key", key.toString(), "--statement", st.toString(), "--bundle",
        b.toString(), f.toString()).expect(0);
  }
}
