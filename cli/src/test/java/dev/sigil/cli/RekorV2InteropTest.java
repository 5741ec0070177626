package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.oidc.TokenRequest;
import dev.sigil.testkit.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rekor v2 end to end: Sigil signs (keyless and with a key, blobs and attestations) against the sandbox's Rekor v2 log
 * and both Sigil and sigstore-js verify what it wrote; tampered proofs, checkpoints and bodies are rejected by both;
 * sigstore-js signs against the sandbox's Rekor v2 and both verify; a signing config whose selector is ALL over a v1
 * and a v2 log yields one entry in each. sigstore-js is found as testkit's {@link Peers} says (skipped loudly when
 * absent, a failure under {@code SIGIL_REQUIRE_PEERS=1}).
 */
class RekorV2InteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IDENTITY = "dev@example.com";
  private static final String PW = "rekor-v2-interop";

  @TempDir static Path dir;
  private static Sandbox sandbox;
  private static String url;
  private static String issuer;
  private static Path root;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(dir.resolve("sandbox"), 0, Sandbox.RekorVersions.V2);
    url = sandbox.uri().toString();
    issuer = sandbox.oidcIssuerUrl().toString();
    root = sandbox.trustedRootFile();
  }

  @AfterAll
  static void stop() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static String token() {
    return sandbox.oidcIssuer().mint(TokenRequest.of(IDENTITY).withEmail(IDENTITY));
  }

  private static Path write(Path d, String name, String content) throws Exception {
    Path f = d.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static Cli.Run sigilVerify(Path bundle, Path file) {
    return new Cli().run("verify-blob", "--bundle", bundle.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", issuer, file.toString());
  }

  private static Peers.Result jsVerify(KeylessPeers peers, Path work, Path bundle, Path file) throws Exception {
    return peers.node("verify.mjs", work, "--bundle", bundle.toString(), "--artifact", file.toString(),
        "--trusted-root", root.toString(), "--identity", IDENTITY, "--issuer", issuer);
  }

  /** The bundle's one Rekor v2 entry has exactly the shape Rekor v2 returns: proof and checkpoint, no time, no SET. */
  private static JsonNode rekorV2Entry(Path bundle, String kind) throws Exception {
    JsonNode b = JSON.readTree(bundle.toFile());
    JsonNode entries = b.at("/verificationMaterial/tlogEntries");
    assertEquals(1, entries.size(), b::toString);
    JsonNode e = entries.get(0);
    assertEquals(kind, e.at("/kindVersion/kind").asText());
    assertEquals("0.0.2", e.at("/kindVersion/version").asText());
    assertTrue(e.path("inclusionPromise").isMissingNode(), "no SET");
    assertTrue(e.path("integratedTime").isMissingNode() || e.path("integratedTime").asLong() == 0, "no time");
    assertTrue(e.at("/inclusionProof/checkpoint/envelope").asText().startsWith(sandbox.uri().getAuthority() + "\n"));
    assertEquals(1, b.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").size(), "a TSA time");
    return e;
  }

  @Test
  void imagesSignedKeylessAgainstRekorV2VerifyAndOthersDoNot() throws Exception {
    Path work = Files.createDirectories(dir.resolve("images"));
    Path lay = work.resolve("layout");
    LayoutStore store = LayoutStore.create(lay);
    String image = "oci-layout:" + lay + "@" + TestLayouts.push(store, "an image signed against Rekor v2\n", "v1");
    String unsigned = "oci-layout:" + lay + "@" + TestLayouts.push(store, "an image nobody signed\n", "v2");
    // Rekor v2 gives no SET, which cosign's .sig annotations need: the signature is a Sigstore bundle referrer.
    Cli.Run signed = new Cli().run("sign", "--sandbox", url, "--identity-token", token(), "--new-bundle-format", image)
        .expect(0);
    assertTrue(signed.out().contains("Rekor v2") || signed.err().contains("Rekor v2") || signed.out().contains("referrer"),
        signed.out() + signed.err());
    new Cli().run("verify", "--trusted-root", root.toString(), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", issuer, image).expect(0);
    new Cli().run("verify", "--trusted-root", root.toString(), "--certificate-identity", "eve@example.com",
        "--certificate-oidc-issuer", issuer, image).expect(1);
    new Cli().run("verify", "--trusted-root", root.toString(), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", issuer, unsigned).expect(1);
    // cosign's .sig scheme cannot carry a Rekor v2 entry: refused as a usage error before anything is logged or stored.
    Cli.Run legacy = new Cli().run("sign", "--sandbox", url, "--identity-token", token(), unsigned).expect(2);
    assertTrue(legacy.err().contains("Rekor v2") && legacy.err().contains("--new-bundle-format"), legacy.err());
    new Cli().run("tree", unsigned).expect(0);
    new Cli().run("verify", "--trusted-root", root.toString(), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", issuer, unsigned).expect(1);
  }

  @Test
  void sigilSignsBlobsKeylessAndWithAKeyAndBothVerifyAndRejectTampering() throws Exception {
    Path work = Files.createDirectories(dir.resolve("blobs"));
    KeylessPeers peers = new KeylessPeers(work);
    Path a = write(work, "a.txt", "signed against Rekor v2\n");
    Path other = write(work, "other.txt", "not what was signed\n");

    Path keyless = work.resolve("keyless.sigstore.json");
    Cli.Run signed = new Cli().run("sign-blob", "--sandbox", url, "--identity-token", token(), "--bundle",
        keyless.toString(), a.toString()).expect(0);
    assertTrue(signed.out().contains("hashedrekord 0.0.2 entry") && signed.out().contains("(Rekor v2)"), signed.out());
    rekorV2Entry(keyless, "hashedrekord");
    sigilVerify(keyless, a).expect(0);
    sigilVerify(keyless, other).expect(1);
    Peers.Result js = jsVerify(peers, work, keyless, a);
    assertEquals(0, js.exitCode(), js::describe);
    assertNotEquals(0, jsVerify(peers, work, keyless, other).exitCode());

    // Tampering: a proof hash, the checkpoint's signed text, the entry body.
    List<Consumer<ObjectNode>> tamperings = List.of(
        e -> {
          ArrayNode h = (ArrayNode) e.at("/inclusionProof/hashes");
          h.set(0, JSON.getNodeFactory().textNode(flip(h.get(0).asText())));
        },
        e -> {
          ObjectNode cp = (ObjectNode) e.at("/inclusionProof/checkpoint");
          String note = cp.path("envelope").asText();
          String[] lines = note.split("\n", -1);
          lines[1] = Long.toString(Long.parseLong(lines[1]) + 1);
          cp.put("envelope", String.join("\n", lines));
        },
        e -> {
          String body = new String(Base64.getDecoder().decode(e.path("canonicalizedBody").asText()),
              StandardCharsets.UTF_8);
          int at = body.indexOf("\"digest\":\"") + 10;
          String changed = body.substring(0, at) + (body.charAt(at) == 'A' ? 'B' : 'A') + body.substring(at + 1);
          assertNotEquals(body, changed);
          e.put("canonicalizedBody", Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        });
    String[] what = {"proof hash", "checkpoint", "entry body"};
    for (int i = 0; i < tamperings.size(); i++) {
      ObjectNode b = (ObjectNode) JSON.readTree(keyless.toFile());
      tamperings.get(i).accept((ObjectNode) b.at("/verificationMaterial/tlogEntries/0"));
      Path t = work.resolve("tampered-" + i + ".sigstore.json");
      JSON.writeValue(t.toFile(), b);
      Cli.Run r = sigilVerify(t, a).expect(1);
      assertTrue(r.errorLine().contains("entry"), r.err());
      Peers.Result jt = jsVerify(peers, work, t, a);
      String tampered = what[i];
      assertNotEquals(0, jt.exitCode(), () -> "sigstore-js accepted a tampered " + tampered + ": " + jt.describe());
      System.out.println("rekor v2: tampered " + what[i] + ": Sigil: " + r.errorLine() + " | sigstore-js exit "
          + jt.exitCode());
    }

    // A key, logged in Rekor v2 (with a TSA time).
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", work.resolve("k").toString()).expect(0);
    Path keyed = work.resolve("key.sigstore.json");
    new Cli().password(PW).run("sign-blob", "--key", work.resolve("k.key").toString(), "--tlog-upload", "--sandbox",
        url, "--bundle", keyed.toString(), a.toString()).expect(0);
    rekorV2Entry(keyed, "hashedrekord");
    String pub = work.resolve("k.pub").toString();
    new Cli().run("verify-blob", "--key", pub, "--trusted-root", root.toString(), "--bundle", keyed.toString(),
        a.toString()).expect(0);
    new Cli().run("verify-blob", "--key", pub, "--trusted-root", root.toString(), "--bundle", keyed.toString(),
        other.toString()).expect(1);
    Peers.Result jk = peers.node("verify.mjs", work, "--bundle", keyed.toString(), "--artifact", a.toString(),
        "--trusted-root", root.toString(), "--key", pub);
    assertEquals(0, jk.exitCode(), jk::describe);
  }

  @Test
  void sigilAttestsAgainstRekorV2() throws Exception {
    Path work = Files.createDirectories(dir.resolve("attest"));
    KeylessPeers peers = new KeylessPeers(work);
    Path a = write(work, "a.txt", "attested against Rekor v2\n");
    Path predicate = write(work, "prov.json", "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\","
        + "\"externalParameters\":{}},\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}");
    Path keyless = work.resolve("att.sigstore.json");
    new Cli().run("attest-blob", "--sandbox", url, "--identity-token", token(), "--predicate",
        predicate.toString(), "--type", "slsaprovenance1", "--bundle", keyless.toString(), a.toString()).expect(0);
    // rekor-v2-spec 6.1.4: a DSSE envelope is logged as a hashedrekord over its PAE.
    JsonNode e = rekorV2Entry(keyless, "hashedrekord");
    assertFalse(JSON.readTree(Base64.getDecoder().decode(e.path("canonicalizedBody").asText()))
        .at("/spec/hashedRekordV002/data/digest").asText().isEmpty());
    sigilVerify(keyless, a).expect(0);
    new Cli().run("verify-blob-attestation", "--bundle", keyless.toString(), "--trusted-root", root.toString(),
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", issuer, "--type", "slsaprovenance1",
        a.toString()).expect(0);
    // @sigstore/verify understands DSSE logged as hashedrekord from 4.0.0 on (sigstore-js PR 1677); 3.x compares the
    // entry's digest with the payload's hash and refuses it. Either way the answer must be the one its version gives.
    Peers.Result js = jsVerify(peers, work, keyless, a);
    int verifyMajor = Integer.parseInt(JSON.readTree(Peers.sigstoreJs()
        .resolve("node_modules/@sigstore/verify/package.json").toFile()).path("version").asText().split("\\.")[0]);
    if (verifyMajor >= 4) {
      assertEquals(0, js.exitCode(), js::describe);
    } else {
      assertNotEquals(0, js.exitCode(), js::describe);
      assertTrue(js.describe().contains("digest mismatch"), js::describe);
    }
    System.out.println("rekor v2: @sigstore/verify " + verifyMajor + ".x on a DSSE bundle logged as hashedrekord 0.0.2:"
        + " exit " + js.exitCode() + " " + js.stderr().strip());

    // The dsse 0.0.2 encoding (the library's DsseEntry.DSSE), which @sigstore/verify 3.x verifies.
    Path legacy = work.resolve("att-dsse.sigstore.json");
    var session = dev.sigil.signer.SigningSession.startKeyless(
        new dev.sigil.signer.keyless.FulcioClient(sandbox.uri()), dev.sigil.signer.keyless.IdToken.parse(token()),
        List.of(new dev.sigil.signer.keyless.RekorV2Client(sandbox.uri(), dev.sigil.signer.keyless.Timeouts.defaults(),
            dev.sigil.signer.keyless.RekorV2Client.DsseEntry.DSSE)),
        List.of(new dev.sigil.signer.keyless.TimestampClient(sandbox.tsaUrl())),
        dev.sigil.verifier.trust.TrustedRoot.parse(Files.readAllBytes(root)), new java.security.SecureRandom());
    String sha = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(a)));
    var statement = dev.sigil.attestations.Statement.builder().predicateType("https://example.com/p")
        .predicate(JSON.readTree("{}"))
        .subject("a.txt", dev.sigil.attestations.DigestSet.of(dev.sigil.attestations.DigestAlgorithm.SHA256, sha))
        .build();
    var bundle = session.signStatement(statement, true).toBundle();
    session.requireVerified(bundle, dev.sigil.verifier.Artifact.ofDigest(
        dev.sigil.verifier.bundle.HashAlgorithm.SHA2_256, java.util.HexFormat.of().parseHex(sha)), "attestation");
    Files.write(legacy, new dev.sigil.verifier.bundle.BundleWriter().write(bundle));
    rekorV2Entry(legacy, "dsse");
    sigilVerify(legacy, a).expect(0);
    Peers.Result jsLegacy = jsVerify(peers, work, legacy, a);
    assertEquals(0, jsLegacy.exitCode(), jsLegacy::describe);

    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", work.resolve("k").toString()).expect(0);
    Path keyed = work.resolve("key-att.sigstore.json");
    new Cli().password(PW).run("attest-blob", "--key", work.resolve("k.key").toString(), "--tlog-upload", "--sandbox",
        url, "--predicate", predicate.toString(), "--type", "slsaprovenance1", "--bundle", keyed.toString(),
        a.toString()).expect(0);
    rekorV2Entry(keyed, "hashedrekord");
    new Cli().run("verify-blob", "--key", work.resolve("k.pub").toString(), "--trusted-root", root.toString(),
        "--bundle", keyed.toString(), a.toString()).expect(0);
  }

  @Test
  void sigstoreJsSignsAgainstTheSandboxRekorV2() throws Exception {
    Peers.sigstoreJs();
    Path work = Files.createDirectories(dir.resolve("js"));
    KeylessPeers peers = new KeylessPeers(work);
    Path a = write(work, "a.txt", "signed by sigstore-js against the sandbox's Rekor v2\n");
    Path bundle = work.resolve("js.sigstore.json");
    Peers.Result sign = peers.node("sign.mjs", work, a.toString(), "--rekor-v2", "--url", url, "--identity-token",
        token(), "--bundle", bundle.toString(), "--trusted-root", work.resolve("ignored.json").toString());
    assertEquals(0, sign.exitCode(), sign::describe);
    rekorV2Entry(bundle, "hashedrekord");
    Peers.Result js = jsVerify(peers, work, bundle, a);
    assertEquals(0, js.exitCode(), js::describe);
    sigilVerify(bundle, a).expect(0);
    sigilVerify(bundle, write(work, "other.txt", "other\n")).expect(1);

    // A DSSE envelope: sigstore-js 4.x still sends a dsseRequestV002, which the sandbox logs as dsse 0.0.2.
    Path subject = write(work, "subject.bin", "the attested artifact\n");
    String sha = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(subject)));
    Path statement = write(work, "statement.json", "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{"
        + "\"name\":\"subject.bin\",\"digest\":{\"sha256\":\"" + sha + "\"}}],\"predicateType\":"
        + "\"https://example.com/p\",\"predicate\":{}}");
    Path dsse = work.resolve("js-dsse.sigstore.json");
    Peers.Result signDsse = peers.node("sign.mjs", work, statement.toString(), "--rekor-v2", "--dsse", "--url", url,
        "--identity-token", token(), "--bundle", dsse.toString(), "--trusted-root",
        work.resolve("ignored.json").toString());
    assertEquals(0, signDsse.exitCode(), signDsse::describe);
    rekorV2Entry(dsse, "dsse");
    Peers.Result jsDsse = jsVerify(peers, work, dsse, statement);
    assertEquals(0, jsDsse.exitCode(), jsDsse::describe);
    sigilVerify(dsse, subject).expect(0);
  }

  @Test
  void selectorAllOverARekorV1AndARekorV2LogWritesBothEntries() throws Exception {
    Path work = Files.createDirectories(dir.resolve("all"));
    KeylessPeers peers = new KeylessPeers(work);
    try (Sandbox both = Sandbox.start(work.resolve("sandbox"), 0, Sandbox.RekorVersions.BOTH)) {
      ObjectNode cfg = (ObjectNode) JSON.readTree(both.signingConfigFile().toFile());
      ArrayNode logs = (ArrayNode) cfg.path("rekorTlogUrls");
      assertEquals(2, logs.size(), cfg::toString);
      ((ObjectNode) logs.get(0)).put("operator", "operator-b (Rekor v2)");
      ((ObjectNode) logs.get(1)).put("operator", "operator-a (Rekor v1)");
      cfg.putObject("rekorTlogConfig").put("selector", "ALL");
      Path config = work.resolve("signing_config.json");
      JSON.writeValue(config.toFile(), cfg);
      Path a = write(work, "a.txt", "in two logs\n");
      Path bundle = work.resolve("all.sigstore.json");
      String tok = both.oidcIssuer().mint(TokenRequest.of(IDENTITY).withEmail(IDENTITY));
      new Cli().run("sign-blob", "--signing-config", config.toString(), "--trusted-root",
          both.trustedRootFile().toString(), "--identity-token", tok, "--bundle", bundle.toString(), a.toString())
          .expect(0);
      JsonNode entries = JSON.readTree(bundle.toFile()).at("/verificationMaterial/tlogEntries");
      assertEquals(2, entries.size(), entries::toString);
      assertEquals("0.0.2", entries.get(0).at("/kindVersion/version").asText());
      assertEquals("0.0.1", entries.get(1).at("/kindVersion/version").asText());
      assertFalse(entries.get(1).path("inclusionPromise").isMissingNode(), "the v1 entry has its SET");
      String iss = both.oidcIssuerUrl().toString();
      Cli.Run v = new Cli().run("verify-blob", "--verbose", "--bundle", bundle.toString(), "--trusted-root",
          both.trustedRootFile().toString(), "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", iss,
          a.toString()).expect(0);
      String report = v.out() + v.err();
      assertTrue(report.contains("Rekor v2 entry") && report.contains("Rekor v1 entry"), report);
      Peers.Result js = peers.node("verify.mjs", work, "--bundle", bundle.toString(), "--artifact", a.toString(),
          "--trusted-root", both.trustedRootFile().toString(), "--identity", IDENTITY, "--issuer", iss,
          "--tlog-threshold", "2");
      assertEquals(0, js.exitCode(), js::describe);
    }
  }

  @Test
  void rekorV2WithoutATimestampIsRefusedBeforeAnythingIsSigned() throws Exception {
    Path work = Files.createDirectories(dir.resolve("no-tsa"));
    Path a = write(work, "a.txt", "x\n");
    Cli.Run r = new Cli().run("sign-blob", "--sandbox", url, "--identity-token", token(), "--no-timestamp",
        "--bundle", work.resolve("b.json").toString(), a.toString()).expect(2);
    assertTrue(r.errorLine().contains("Rekor v2") && r.errorLine().contains("RFC 3161 timestamp")
        && r.errorLine().contains("--no-timestamp"), r.err());
    assertFalse(Files.exists(work.resolve("b.json")));
  }

  private static String flip(String b64) {
    byte[] b = Base64.getDecoder().decode(b64);
    b[0] ^= 1;
    return Base64.getEncoder().encodeToString(b);
  }
}
