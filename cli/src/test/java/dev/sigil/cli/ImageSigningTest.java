package dev.sigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.Platform;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.oci.registry.RegistryStore;
import dev.sigil.sandbox.Sandbox;
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
 * {@code sigil sign} and {@code sigil attest} on a real registry (CNCF distribution) and on OCI layouts, checked by
 * the peers that read cosign's formats (cosign 2.5 {@code verify} and {@code verify-attestation}, skopeo 1.18 under a
 * {@code sigstoreSigned} policy) and by {@code sigil verify}; keyless against an in-process sandbox; and every refusal
 * with its exit code: unknown image, bad predicate, unknown type, 401, a registry that never answers, plain HTTP to a
 * non-loopback name.
 */
class ImageSigningTest {
  static final String PW = "image-pass";

  @TempDir static Path dir;
  static TestRegistry registry;
  static Sandbox sandbox;
  static String issuer;
  static Path key;
  static Path pub;
  static Path otherPub;
  static Path prov;

  @BeforeAll
  static void setUp() throws Exception {
    Peers.cosign();
    registry = TestRegistry.start(dir.resolve("reg"));
    sandbox = Sandbox.start(dir.resolve("sandbox"), 0);
    issuer = sandbox.oidcIssuerUrl().toString();
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", dir.resolve("k").toString()).expect(0);
    new Cli().password(PW).run("generate-key-pair", "--output-key-prefix", dir.resolve("other").toString()).expect(0);
    key = dir.resolve("k.key");
    pub = dir.resolve("k.pub");
    otherPub = dir.resolve("other.pub");
    prov = dir.resolve("prov.json");
    Files.writeString(prov, "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":"
        + "{\"note\":\"Grüße 🚀\"}},\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}",
        StandardCharsets.UTF_8);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  static String image(String repo, String digest) {
    return registry.address() + "/" + repo + "@" + digest;
  }

  static Peers.Result peer(Path tool, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.toString());
    cmd.addAll(List.of(args));
    Map<String, String> e = new java.util.HashMap<>(env);
    e.put("HOME", dir.toString());
    return Peers.run(cmd, e, dir, 120);
  }

  static Peers.Result cosign(Map<String, String> env, String... args) throws Exception {
    return peer(Peers.cosign(), env, args);
  }

  static Map<String, String> sandboxEnv() {
    Path p = sandbox.publicMaterialDir();
    return Map.of("SIGSTORE_ROOT_FILE", p.resolve(Sandbox.FULCIO_CHAIN_PEM).toString(),
        "SIGSTORE_REKOR_PUBLIC_KEY", p.resolve(Sandbox.REKOR_KEY_PEM).toString(),
        "SIGSTORE_CT_LOG_PUBLIC_KEY_FILE", p.resolve(Sandbox.CTLOG_KEY_PEM).toString());
  }

  static Cli.Run sigil(int expected, String... args) {
    return new Cli().password(PW).run(args).expect(expected);
  }

  @Test
  void keySignaturesVerifyInCosignAndSigilAndEarlierOnesAreKept() throws Exception {
    String d = registry.pushImage("test/key:v1", "key one");
    Cli.Run r = sigil(0, "sign", "--key", key.toString(), "-a", "build=42", image("test/key", d));
    assertTrue(r.out().contains("layer appended to " + Digest.parse(d).tagPrefix() + ".sig"), r.out());
    assertTrue(r.err().contains("--insecure-ignore-tlog"), r.err());
    Peers.Result ok = cosign(Map.of(), "verify", "--key", pub.toString(), "--insecure-ignore-tlog=true",
        "--allow-insecure-registry", "-a", "build=42", image("test/key", d));
    assertEquals(0, ok.exitCode(), ok::describe);
    // cosign can fail this check: another key is refused.
    Peers.Result wrong = cosign(Map.of(), "verify", "--key", otherPub.toString(), "--insecure-ignore-tlog=true",
        "--allow-insecure-registry", image("test/key", d));
    assertNotEquals(0, wrong.exitCode(), wrong::describe);

    // Signing again with the same key adds nothing; another key's signature is appended beside it.
    Cli.Run again = sigil(0, "sign", "--key", key.toString(), "-a", "build=42", image("test/key", d));
    assertTrue(again.out().contains("already present"), again.out());
    sigil(0, "sign", "--key", dir.resolve("other.key").toString(), image("test/key", d));
    for (Path p : List.of(pub, otherPub)) {
      Peers.Result both = cosign(Map.of(), "verify", "--key", p.toString(), "--insecure-ignore-tlog=true",
          "--allow-insecure-registry", image("test/key", d));
      assertEquals(0, both.exitCode(), both::describe);
      sigil(0, "verify", "--insecure-ignore-tlog", "--key", p.toString(), image("test/key", d));
    }
  }

  @Test
  void skopeoAcceptsSigilSignaturesAndRefusesUnsignedAndGraftedImages() throws Exception {
    Path skopeo = Peers.skopeo();
    String signed = registry.pushImage("test/sko:v1", "skopeo one");
    String unsigned = registry.pushImage("test/sko:v2", "skopeo two");
    String grafted = registry.pushImage("test/sko:v3", "skopeo three");
    sigil(0, "sign", "--key", key.toString(), image("test/sko", signed));
    Peers.Result copy = peer(skopeo, Map.of(), "--insecure-policy", "copy", "-q", "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "docker://" + registry.address() + "/test/sko:" + Digest.parse(signed).tagPrefix() + ".sig",
        "docker://" + registry.address() + "/test/sko:" + Digest.parse(grafted).tagPrefix() + ".sig");
    assertEquals(0, copy.exitCode(), copy::describe);
    Path rd = Files.createDirectories(dir.resolve("registries.d"));
    Files.writeString(rd.resolve("default.yaml"),
        "docker:\n  " + registry.address() + ":\n    use-sigstore-attachments: true\n");
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"" + registry.address()
        + "/test\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + pub + "\",\"signedIdentity\":{\"type\":"
        + "\"matchRepository\"}}]},\"dir\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}");
    int i = 0;
    for (Map.Entry<String, Boolean> c : Map.of(signed, true, unsigned, false, grafted, false).entrySet()) {
      Peers.Result r = peer(skopeo, Map.of(), "--policy", policy.toString(), "--registries.d", rd.toString(), "copy",
          "-q", "--src-tls-verify=false", "docker://" + image("test/sko", c.getKey()), "dir:" + dir.resolve("out" + i++));
      assertEquals(c.getValue(), r.exitCode() == 0, r::describe);
    }
    sigil(1, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/sko", grafted));
  }

  @Test
  void keylessSignaturesAndAttestationsVerifyInCosignAndSigil() throws Exception {
    String d = registry.pushImage("test/keyless:v1", "keyless one");
    String sb = sandbox.uri().toString();
    sigil(0, "sign", "--sandbox", sb, "--oidc-provider", "sandbox", "--sandbox-subject", "dev@example.com",
        image("test/keyless", d));
    sigil(0, "attest", "--sandbox", sb, "--oidc-provider", "sandbox", "--sandbox-subject", "dev@example.com",
        "--type", "slsaprovenance1", "--predicate", prov.toString(), image("test/keyless", d));
    Peers.Result v = cosign(sandboxEnv(), "verify", "--certificate-identity", "dev@example.com",
        "--certificate-oidc-issuer", issuer, "--allow-insecure-registry", image("test/keyless", d));
    assertEquals(0, v.exitCode(), v::describe);
    Peers.Result va = cosign(sandboxEnv(), "verify-attestation", "--type", "slsaprovenance1",
        "--certificate-identity", "dev@example.com", "--certificate-oidc-issuer", issuer, "--allow-insecure-registry",
        image("test/keyless", d));
    assertEquals(0, va.exitCode(), va::describe);
    Peers.Result eve = cosign(sandboxEnv(), "verify", "--certificate-identity", "eve@example.com",
        "--certificate-oidc-issuer", issuer, "--allow-insecure-registry", image("test/keyless", d));
    assertNotEquals(0, eve.exitCode(), eve::describe);
    String root = sandbox.trustedRootFile().toString();
    sigil(0, "verify", "--trusted-root", root, "--certificate-identity", "dev@example.com",
        "--certificate-oidc-issuer", issuer, image("test/keyless", d));
    sigil(1, "verify", "--trusted-root", root, "--certificate-identity", "eve@example.com",
        "--certificate-oidc-issuer", issuer, image("test/keyless", d));
  }

  @Test
  void keyAttestationsVerifyInCosignAndLoggedKeySignaturesNeedNoWaiver() throws Exception {
    String d = registry.pushImage("test/att:v1", "attested");
    sigil(0, "attest", "--key", key.toString(), "--type", "slsaprovenance1", "--predicate", prov.toString(),
        image("test/att", d));
    Peers.Result ok = cosign(Map.of(), "verify-attestation", "--key", pub.toString(), "--type", "slsaprovenance1",
        "--insecure-ignore-tlog=true", "--allow-insecure-registry", image("test/att", d));
    assertEquals(0, ok.exitCode(), ok::describe);
    Peers.Result otherType = cosign(Map.of(), "verify-attestation", "--key", pub.toString(), "--type", "cyclonedx",
        "--insecure-ignore-tlog=true", "--allow-insecure-registry", image("test/att", d));
    assertNotEquals(0, otherType.exitCode(), otherType::describe);

    String sb = sandbox.uri().toString();
    String d2 = registry.pushImage("test/att:v2", "logged");
    sigil(0, "sign", "--key", key.toString(), "--tlog-upload", "--sandbox", sb, image("test/att", d2));
    sigil(0, "attest", "--key", key.toString(), "--tlog-upload", "--sandbox", sb, "--type", "slsaprovenance1",
        "--predicate", prov.toString(), image("test/att", d2));
    Peers.Result logged = cosign(sandboxEnv(), "verify", "--key", pub.toString(), "--allow-insecure-registry",
        image("test/att", d2));
    assertEquals(0, logged.exitCode(), logged::describe);
    Peers.Result loggedAtt = cosign(sandboxEnv(), "verify-attestation", "--key", pub.toString(), "--type",
        "slsaprovenance1", "--allow-insecure-registry", image("test/att", d2));
    assertEquals(0, loggedAtt.exitCode(), loggedAtt::describe);
    sigil(0, "verify", "--key", pub.toString(), "--trusted-root", sandbox.trustedRootFile().toString(),
        image("test/att", d2));
  }

  @Test
  void newBundleFormatReferrersVerifyInSigilAndAttestationsInCosign() throws Exception {
    String d = registry.pushImage("test/nb:v1", "bundles");
    sigil(0, "sign", "--key", key.toString(), "--new-bundle-format", image("test/nb", d));
    sigil(0, "attest", "--key", key.toString(), "--new-bundle-format", "--type", "slsaprovenance1", "--predicate",
        prov.toString(), image("test/nb", d));
    Cli.Run v = sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/nb", d));
    assertTrue(v.out().contains("1 of 1 signatures accepted"), v.out());
    Path root = dir.resolve("empty-root.json");
    Files.writeString(root, CosignInteropTest.EMPTY_ROOT);
    // cosign 2.5 reads bundle attestations (its verify has no bundle support for signatures yet).
    Peers.Result ok = cosign(Map.of(), "verify-attestation", "--new-bundle-format", "--trusted-root", root.toString(),
        "--key", pub.toString(), "--type", "slsaprovenance1", "--insecure-ignore-tlog=true",
        "--allow-insecure-registry", image("test/nb", d));
    assertEquals(0, ok.exitCode(), ok::describe);
  }

  @Test
  void recursiveSigningCoversTheIndexAndEveryPlatformManifest() throws Exception {
    String amd = registry.pushImage("test/multi:amd64", "amd64 build");
    String arm = registry.pushImage("test/multi:arm64", "arm64 build");
    RegistryStore store = new RegistryClient(RegistryOptions.builder().build()).repository(registry.address(), "test/multi");
    List<Descriptor> children = new ArrayList<>();
    for (String[] p : new String[][] {{amd, "amd64"}, {arm, "arm64"}}) {
      Descriptor d = store.resolveTag(p[1]).orElseThrow();
      assertEquals(p[0], d.digest().toString());
      children.add(new Descriptor(d.mediaType(), d.digest(), d.size(), Map.of(), null,
          new Platform("linux", p[1], null)));
    }
    String index = store.pushManifest(ImageIndex.create(children, Map.of()), "v1").digest().toString();
    Cli.Run r = sigil(0, "sign", "--key", key.toString(), "--recursive", registry.address() + "/test/multi:v1");
    assertTrue(r.err().contains("signing tag \"v1\", which resolved to " + index), r.err());
    for (String d : List.of(index, amd, arm)) {
      Peers.Result ok = cosign(Map.of(), "verify", "--key", pub.toString(), "--insecure-ignore-tlog=true",
          "--allow-insecure-registry", image("test/multi", d));
      assertEquals(0, ok.exitCode(), () -> d + ": " + ok.describe());
      sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/multi", d));
    }
    // Without --recursive only the index is signed.
    String amd2 = registry.pushImage("test/multi2:amd64", "amd64 again");
    Descriptor c = store.resolveTag("amd64").orElseThrow();
    RegistryStore store2 = new RegistryClient(RegistryOptions.builder().build()).repository(registry.address(), "test/multi2");
    Descriptor child = store2.resolveTag("amd64").orElseThrow();
    String index2 = store2.pushManifest(ImageIndex.create(List.of(new Descriptor(child.mediaType(), child.digest(),
        child.size(), Map.of(), null, new Platform("linux", "amd64", null))), Map.of()), "v1").digest().toString();
    sigil(0, "sign", "--key", key.toString(), image("test/multi2", index2));
    sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/multi2", index2));
    sigil(1, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/multi2", amd2));
    assertEquals(MediaTypes.OCI_MANIFEST, c.mediaType());
  }

  @Test
  void layoutsAreSignedAndAttestedWithoutARegistry() throws Exception {
    Path umoci = Peers.umoci();
    Path lay = dir.resolve("lay");
    Peers.Result init = peer(umoci, Map.of(), "init", "--layout", lay.toString());
    assertEquals(0, init.exitCode(), init::describe);
    assertEquals(0, peer(umoci, Map.of(), "new", "--image", lay + ":t").exitCode());
    String ref = "oci-layout:" + lay + ":t";
    Cli.Run s = sigil(0, "sign", "--key", key.toString(), "--sign-container-identity", "registry.example/app", ref);
    assertTrue(s.err().contains("signing tag \"t\""), s.err());
    sigil(0, "attest", "--key", key.toString(), "--type", "slsaprovenance1", "--predicate", prov.toString(), ref);
    Cli.Run json = sigil(0, "sign", "--key", key.toString(), "--new-bundle-format", "--output", "json", ref);
    com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertTrue(report.path("ok").asBoolean(), json.out());
    assertEquals("BUNDLE_REFERRER", report.at("/stored/0/storage").asText());
    assertTrue(report.at("/stored/0/digest").asText().startsWith("sha256:"));
    Cli.Run v = sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), ref);
    assertTrue(v.out().contains("2 of 2 signatures accepted"), v.out());
    sigil(1, "verify", "--insecure-ignore-tlog", "--key", otherPub.toString(), ref);
    // The layout stays readable by umoci, with the signature tag listed beside the image.
    Peers.Result ls = peer(umoci, Map.of(), "ls", "--layout", lay.toString());
    assertEquals(0, ls.exitCode(), ls::describe);
    assertTrue(ls.stdout().contains(".sig") && ls.stdout().contains(".att") && ls.stdout().contains("t"),
        ls::describe);
  }

  @Test
  void refusalsHaveTheirExitCodesAndStoreNothing() throws Exception {
    String d = registry.pushImage("test/neg:v1", "negative");
    String img = image("test/neg", d);
    Path badJson = dir.resolve("bad.json");
    Files.writeString(badJson, "{\"buildDefinition\": ");
    String e1 = sigil(2, "attest", "--key", key.toString(), "--type", "slsaprovenance1", "--predicate",
        badJson.toString(), img).errorLine();
    assertTrue(e1.contains("predicate " + badJson) && e1.contains("JSON"), e1);
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1,2]");
    String e2 = sigil(2, "attest", "--key", key.toString(), "--type", "slsaprovenance1", "--predicate",
        array.toString(), img).errorLine();
    assertTrue(e2.contains("expected a JSON object"), e2);
    String e3 = sigil(2, "attest", "--key", key.toString(), "--type", "slsa", "--predicate", prov.toString(), img)
        .errorLine();
    assertTrue(e3.contains("--type") && e3.contains("\"slsa\""), e3);
    String e4 = sigil(2, "sign", "--key", key.toString(), registry.address() + "/test/neg:nope").errorLine();
    assertTrue(e4.contains("no such tag"), e4);
    Digest missing = Digest.sha256("no such image".getBytes(StandardCharsets.UTF_8));
    String e5 = sigil(2, "sign", "--key", key.toString(), image("test/neg", missing.toString())).errorLine();
    assertTrue(e5.contains(missing.toString()), e5);
    sigil(2, "sign", "--tlog-upload", img);
    sigil(2, "sign", "--key", key.toString(), "not a reference");
    sigil(2, "attest", "--key", key.toString(), img);
    // Nothing was stored for the image by any of these.
    RegistryStore store = new RegistryClient(RegistryOptions.builder().build()).repository(registry.address(), "test/neg");
    assertEquals(List.of("v1"), store.listTags());
  }

  @Test
  void registryFailuresAreExitThreeNamingTheRegistry() throws Exception {
    try (FakeRegistry fake = FakeRegistry.start()) {
      fake.requireBasic("user", "secret");
      String ref = fake.address() + "/test/app:v1";
      String e = sigil(3, "sign", "--key", key.toString(), ref).errorLine();
      assertTrue(e.contains(fake.address()) && e.contains("authentication"), e);
    }
    try (FakeRegistry hung = FakeRegistry.start()) {
      hung.hang(true);
      String ref = hung.address() + "/test/app:v1";
      long t0 = System.nanoTime();
      String e = sigil(3, "sign", "--key", key.toString(), "--registry-timeout", "1", ref).errorLine();
      assertTrue(e.contains(hung.address()), e);
      assertTrue(System.nanoTime() - t0 < 60_000_000_000L);
    }
    // A non-loopback name for the same plain-HTTP registry: HTTPS is required unless --allow-insecure-registry.
    String d = registry.pushImage("test/tls:v1", "tls");
    String mapped = "[::ffff:7f00:1]:" + registry.port() + "/test/tls@" + d;
    String e = sigil(3, "sign", "--key", key.toString(), "--registry-timeout", "5", mapped).errorLine();
    assertTrue(e.contains("TLS"), e);
    sigil(0, "sign", "--key", key.toString(), "--allow-insecure-registry", mapped);
    sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), "--allow-insecure-registry", mapped);
    // The payload names the registry as it was given: under the loopback name it is another repository.
    sigil(1, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), image("test/tls", d));
    assertFalse(e.contains(PW));
  }

  @Test
  void aRegistryWithTheReferrersApiGetsBundlesThroughIt() throws Exception {
    try (FakeRegistry fake = FakeRegistry.start()) {
      fake.withReferrersApi(true);
      String config = fake.putBlob("{}".getBytes(StandardCharsets.UTF_8));
      String layer = fake.putBlob("layer".getBytes(StandardCharsets.UTF_8));
      String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
          + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
          + layer + "\",\"size\":5}]}";
      String d = fake.putManifest("test/app", manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST, "v1");
      fake.failNext(1, 503, null);
      sigil(0, "sign", "--key", key.toString(), "--new-bundle-format", fake.address() + "/test/app@" + d);
      sigil(0, "verify", "--insecure-ignore-tlog", "--key", pub.toString(), fake.address() + "/test/app@" + d);
      assertTrue(fake.requests().stream().anyMatch(r -> r.contains("/referrers/")), fake.requests()::toString);
      assertFalse(fake.requests().stream().anyMatch(r -> r.startsWith("PUT") && r.contains("sha256-")),
          fake.requests()::toString);
    }
  }
}
