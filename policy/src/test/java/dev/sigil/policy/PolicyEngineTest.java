package dev.sigil.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.images.Candidate;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.Scheme;
import dev.sigil.oci.Digest;
import dev.sigil.verifier.cosign.CosignSignature;
import dev.sigil.verifier.trust.PublicGood;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy format and engine, table-driven, over real evidence: image signatures and an attestation that cosign
 * 2.5 made against Sigil's sandbox (keyless, as {@code ci@example.com}) and with a key (see the verifier's
 * {@code make-cosign-fixtures.sh}). Each case is a policy (YAML), the image it is asked about, and the expected
 * decision, with a fragment the explanation must contain.
 */
class PolicyEngineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static ImageEvidence image1;
  static ImageEvidence image2;
  static String repo;
  static String issuerRegex = "http://127\\\\.0\\\\.0\\\\.1:[0-9]+/oidc/sigil-sandbox-local-testing-only";

  @BeforeAll
  static void load() throws Exception {
    JsonNode layers = JSON.readTree(resource("layers.json"));
    Files.write(dir.resolve("sandbox.json"), resource("trusted_root.json"));
    Files.write(dir.resolve("cosign.pub"), resource("cosign.pub"));
    JsonNode payload = JSON.readTree(Base64.getDecoder().decode(layers.get("image1.sig").get(0).get("payload").asText()));
    repo = payload.at("/critical/identity/docker-reference").asText();
    image1 = evidence(layers, "image1");
    image2 = evidence(layers, "image2");
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = PolicyEngineTest.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    }
  }

  static ImageEvidence evidence(JsonNode layers, String image) throws Exception {
    List<Candidate> sigs = new ArrayList<>();
    for (JsonNode l : layers.get(image + ".sig")) {
      byte[] p = Base64.getDecoder().decode(l.get("payload").asText());
      sigs.add(new Candidate(Scheme.COSIGN_SIGNATURE_TAG, "fixture", CosignSignature.ofSignatureLayer(p, annotations(l)),
          Optional.of(p), Optional.empty()));
    }
    List<Candidate> atts = new ArrayList<>();
    for (JsonNode l : layers.get(image + ".att")) {
      byte[] p = Base64.getDecoder().decode(l.get("payload").asText());
      atts.add(new Candidate(Scheme.COSIGN_ATTESTATION_TAG, "fixture", CosignSignature.ofAttestationLayer(p, annotations(l)),
          Optional.empty(), Optional.of(l.at("/annotations/predicateType").asText())));
    }
    Digest d = Digest.parse(layers.get(image).asText());
    return new ImageEvidence(repo + "@" + d, Optional.of(repo), d, Optional.empty(), sigs, atts, List.of());
  }

  static Map<String, String> annotations(JsonNode l) {
    Map<String, String> a = new HashMap<>();
    l.get("annotations").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
    return a;
  }

  // ---------------------------------------------------------------------------------------------- policy snippets

  static String policy(String name, String spec) {
    return "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: " + name + "}\nspec:\n" + spec;
  }

  static String images() {
    return "  images: [{glob: \"" + repo.substring(0, repo.indexOf('/')) + "/**\"}]\n";
  }

  static final String KEY_NO_LOG =
      "  - name: release-key\n    key: {file: cosign.pub}\n    insecureIgnoreTlog: true\n";
  static final String KEY_LOGGED_SANDBOX =
      "  - name: logged-key\n    key: {file: cosign.pub}\n    trustedRoot: {file: sandbox.json}\n";
  static final String KEY_LOGGED_DEFAULT = "  - name: logged-key\n    key: {file: cosign.pub}\n";

  static String keyless(String name, String identity) {
    return "  - name: " + name + "\n    keyless:\n      trustedRoot: {file: sandbox.json}\n      identities: [" + identity
        + "]\n";
  }

  static String ci() {
    return "{subject: ci@example.com, issuerRegExp: \"" + issuerRegex + "\"}";
  }

  static String attestation(String extra) {
    return "    attestations:\n    - name: prov\n      predicateType: slsaprovenance1\n" + extra;
  }

  static String condition(String expression) {
    return "      conditions:\n      - {name: c, expression: '" + expression + "', message: \"custom message\"}\n";
  }

  /** One case: a set of documents, the image, and the expected outcome. */
  record Case(String name, String yaml, boolean image1, boolean allowed, String explains) {}

  static List<Case> cases() {
    String img = images();
    List<Case> c = new ArrayList<>();
    c.add(new Case("key without log waived: allowed", policy("p", img + "  authorities:\n" + KEY_NO_LOG), true, true, "allowed by p"));
    c.add(new Case("key, log required, not logged: denied", policy("p", img + "  authorities:\n" + KEY_LOGGED_SANDBOX),
        true, false, "TLOG_THRESHOLD"));
    c.add(new Case("key logged in the sandbox log: allowed", policy("p", img + "  authorities:\n" + KEY_LOGGED_SANDBOX),
        false, true, "allowed"));
    c.add(new Case("key logged, default root does not know the log: denied",
        policy("p", img + "  authorities:\n" + KEY_LOGGED_DEFAULT), false, false, "TLOG_UNKNOWN_LOG"));
    c.add(new Case("keyless exact identity: allowed", policy("p", img + "  authorities:\n" + keyless("ci", ci())), true, true, "allowed"));
    c.add(new Case("keyless wrong subject: denied, naming what was found",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subject: eve@example.com, issuerRegExp: \"" + issuerRegex + "\"}")),
        true, false, "by ci@example.com via http://127.0.0.1"));
    c.add(new Case("keyless subject regex: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subjectRegExp: \".*@example\\\\.com\", issuerRegExp: \"" + issuerRegex + "\"}")),
        true, true, "allowed"));
    c.add(new Case("keyless regex must match in full: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subjectRegExp: \"ci@\", issuerRegExp: \"" + issuerRegex + "\"}")),
        true, false, "no signature from an identity matching /ci@/"));
    c.add(new Case("keyless wrong issuer: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subject: ci@example.com, issuer: \"https://accounts.google.com\"}")),
        true, false, "denied by policy p"));
    c.add(new Case("keyless either of two identities: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subject: eve@example.com, issuer: \"https://x.example\"}, " + ci())),
        true, true, "allowed"));
    c.add(new Case("keyless with a Fulcio claim the certificate lacks: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + "      claims: {sourceRepositoryURI: \"https://github.com/acme/api\"}\n"),
        true, false, "denied"));
    c.add(new Case("keyless against the public-good root: denied",
        policy("p", img + "  authorities:\n  - name: ci\n    keyless:\n      identities: [" + ci() + "]\n"),
        true, false, "refused: TIMESTAMP_THRESHOLD"));
    c.add(new Case("any-of: a failing authority beside a passing one: allowed",
        policy("p", img + "  authorities:\n" + keyless("eve", "{subject: eve@example.com, issuer: \"https://x.example\"}") + KEY_NO_LOG),
        true, true, "allowed"));
    c.add(new Case("threshold 2, key and keyless both signed: allowed",
        policy("p", img + "  threshold: 2\n  authorities:\n" + KEY_NO_LOG + keyless("ci", ci())), true, true, "allowed"));
    c.add(new Case("threshold 2, only one authority satisfied: denied",
        policy("p", img + "  threshold: 2\n  authorities:\n" + KEY_NO_LOG + keyless("eve", "{subject: eve@example.com, issuer: \"https://x.example\"}")),
        true, false, "1 of the 2 required"));
    c.add(new Case("static pass: allowed", policy("p", img + "  authorities:\n  - name: s\n    static: {action: pass}\n"), false, true, "allowed"));
    c.add(new Case("static fail: denied", policy("p", img + "  authorities:\n  - name: s\n    static: {action: fail}\n"), true, false, "static fail"));
    c.add(new Case("static fail beside a satisfied key: allowed",
        policy("p", img + "  authorities:\n  - name: s\n    static: {action: fail}\n" + KEY_NO_LOG), true, true, "allowed"));
    c.add(new Case("warn mode, unsatisfied: allowed with a warning",
        policy("p", img + "  mode: warn\n  authorities:\n" + keyless("eve", "{subject: eve@example.com, issuer: \"https://x.example\"}")),
        true, true, "warn:"));
    c.add(new Case("no policy matches, default deny: denied",
        policy("p", "  images: [{glob: \"registry.example.com/**\"}]\n  authorities:\n" + KEY_NO_LOG), true, false, "no policy matches"));
    c.add(new Case("no policy matches, noMatch allow: allowed",
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\nnoMatch: allow\n---\n"
            + policy("p", "  images: [{glob: \"registry.example.com/**\"}]\n  authorities:\n" + KEY_NO_LOG), true, true, "noMatch: allow"));
    c.add(new Case("no policy matches, noMatch warn: allowed",
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\nnoMatch: warn\n---\n"
            + policy("p", "  images: [{glob: \"registry.example.com/**\"}]\n  authorities:\n" + KEY_NO_LOG), true, true, "noMatch: warn"));
    c.add(new Case("excluded image: no match, denied",
        policy("p", img + "  exclude: [{glob: \"" + repo + "\"}]\n  authorities:\n" + KEY_NO_LOG), true, false, "no policy matches"));
    c.add(new Case("single-star glob does not cross segments: no match",
        policy("p", "  images: [{glob: \"" + repo.substring(0, repo.indexOf('/')) + "/*\"}]\n  authorities:\n" + KEY_NO_LOG),
        true, false, "no policy matches"));
    c.add(new Case("two matching policies, one fails: denied by it",
        policy("ok", img + "  authorities:\n" + KEY_NO_LOG) + "---\n"
            + policy("strict", img + "  authorities:\n" + keyless("eve", "{subject: eve@example.com, issuer: \"https://x.example\"}")),
        true, false, "denied by policy strict"));
    c.add(new Case("attestation with a true condition: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("predicate.runDetails.builder.id == \"https://ci.example.com/builder\""))),
        true, true, "allowed by p"));
    c.add(new Case("attestation with a false condition: denied with its message",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("predicate.runDetails.builder.id.startsWith(\"https://github.com/\")"))),
        true, false, "custom message"));
    c.add(new Case("attestation with an erroring condition: denied with the error",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("predicate.nothing.here == 1"))),
        true, false, "failed with an error"));
    c.add(new Case("attestation over the signer and image: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition(
            "signer.subject == \"ci@example.com\" && image.digest.startsWith(\"sha256:\") && subjects.size() == 1"))),
        true, true, "allowed"));
    c.add(new Case("attestation with a comprehension: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition(
            "statement.subject.all(s, s.digest.sha256 != \"\")"))),
        true, true, "allowed"));
    c.add(new Case("attestation of a type the image lacks: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", ci())
            + "    attestations:\n    - name: sbom\n      predicateType: spdxjson\n"),
        true, false, "no https://spdx.dev/Document attestation"));
    c.add(new Case("attestation missing on an image without one: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation("")), false, false, "no https://slsa.dev/provenance/v1 attestation"));
    c.add(new Case("SLSA shorthand, matching builder: allowed",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation("      slsa: {builderId: \"https://ci.example.com/builder\"}\n")),
        true, true, "allowed"));
    c.add(new Case("SLSA shorthand, other builder: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation("      slsa: {builderId: \"https://github.com/actions/runner\"}\n")),
        true, false, "SLSA"));
    c.add(new Case("SLSA shorthand, source repository absent from the provenance: denied",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation("      slsa: {sourceRepository: \"github.com/acme/api\"}\n")),
        true, false, "SLSA"));
    c.add(new Case("attestation signed by another authority does not count: denied",
        policy("p", img + "  authorities:\n" + KEY_NO_LOG + attestation("")), true, false, "no https://slsa.dev/provenance/v1 attestation"));
    c.add(new Case("key attestation without log: allowed",
        policy("p", img + "  authorities:\n" + KEY_NO_LOG + attestation("")), false, true, "allowed by p"));
    c.add(new Case("named private root from PolicySettings: allowed",
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\ntrustedRoots: [{name: sandbox, file: sandbox.json}]\n---\n"
            + policy("p", img + "  authorities:\n  - name: ci\n    keyless:\n      trustedRoot: {name: sandbox}\n      identities: [" + ci() + "]\n"),
        true, true, "allowed"));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> decisions() {
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      Path f = dir.resolve(c.name().replaceAll("[^a-z0-9]+", "-") + ".yaml");
                      Files.writeString(f, c.yaml());
                      PolicySet set = new PolicyLoader().load(List.of(f));
                      Decision d = PolicyEngine.compile(set, PublicGood.trustedRoot()).decide(c.image1() ? image1 : image2);
                      assertEquals(c.allowed(), d.allowed(), d::explanation);
                      String text = d.explanation() + " " + d.warnings();
                      assertTrue(text.contains(c.explains()), () -> "expected \"" + c.explains() + "\" in: " + text);
                    }));
  }

  /** Load-time refusals: each names the file, the field and what was wrong. */
  record Bad(String name, String yaml, String mentions) {}

  static List<Bad> bad() {
    String img = images();
    List<Bad> b = new ArrayList<>();
    b.add(new Bad("not YAML", "apiVersion: policy.sigil.dev/v1alpha1\nkind: ImagePolicy\n  : [\n", "syntax error"));
    b.add(new Bad("unknown field", policy("p", img + "  authoritiez:\n" + KEY_NO_LOG), "authoritiez"));
    b.add(new Bad("unknown kind", "apiVersion: policy.sigil.dev/v1alpha1\nkind: ClusterImagePolicy\n", "ClusterImagePolicy"));
    b.add(new Bad("wrong apiVersion", policy("p", img + "  authorities:\n" + KEY_NO_LOG).replace("v1alpha1", "v9"), "apiVersion"));
    b.add(new Bad("no images", policy("p", "  authorities:\n" + KEY_NO_LOG), "spec.images"));
    b.add(new Bad("glob with a tag", policy("p", "  images: [{glob: \"ghcr.io/acme/app:v1\"}]\n  authorities:\n" + KEY_NO_LOG), "without a tag"));
    b.add(new Bad("no authorities", policy("p", img + "  authorities: []\n"), "spec.authorities"));
    b.add(new Bad("key and keyless in one authority",
        policy("p", img + "  authorities:\n  - name: x\n    key: {file: cosign.pub}\n    keyless: {identities: [" + ci() + "]}\n"),
        "exactly one of key, keyless and static"));
    b.add(new Bad("key file missing", policy("p", img + "  authorities:\n  - name: x\n    key: {file: missing.pub}\n"), "key.file"));
    b.add(new Bad("key not PEM", policy("p", img + "  authorities:\n  - name: x\n    key: {data: \"not a key\"}\n"), "key"));
    b.add(new Bad("identity without issuer", policy("p", img + "  authorities:\n" + keyless("ci", "{subject: ci@example.com}")), "issuer"));
    b.add(new Bad("regex that does not compile",
        policy("p", img + "  authorities:\n" + keyless("ci", "{subjectRegExp: \"(unclosed\", issuer: \"https://x\"}")), "regex"));
    b.add(new Bad("unknown claim",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + "      claims: {repository: x}\n"), "Fulcio claim"));
    b.add(new Bad("CEL that does not parse",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("predicate.x === oops("))), "CEL"));
    b.add(new Bad("CEL of a non-boolean type",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("\"a string\""))), "boolean"));
    b.add(new Bad("CEL with an unknown variable",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + attestation(condition("nosuch == 1"))), "CEL"));
    b.add(new Bad("unknown predicate type",
        policy("p", img + "  authorities:\n" + keyless("ci", ci()) + "    attestations:\n    - {name: a, predicateType: nonsense}\n"),
        "predicateType"));
    b.add(new Bad("threshold above the authorities", policy("p", img + "  threshold: 3\n  authorities:\n" + KEY_NO_LOG), "threshold"));
    b.add(new Bad("bad mode", policy("p", img + "  mode: audit\n  authorities:\n" + KEY_NO_LOG), "spec.mode"));
    b.add(new Bad("static with a bad action", policy("p", img + "  authorities:\n  - name: s\n    static: {action: maybe}\n"), "static.action"));
    b.add(new Bad("duplicate policy names",
        policy("p", img + "  authorities:\n" + KEY_NO_LOG) + "---\n" + policy("p", img + "  authorities:\n" + KEY_NO_LOG), "twice"));
    b.add(new Bad("unknown named root",
        policy("p", img + "  authorities:\n  - name: ci\n    keyless:\n      trustedRoot: {name: nope}\n      identities: [" + ci() + "]\n"),
        "trustedRoot.name"));
    b.add(new Bad("bad noMatch", "apiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\nnoMatch: maybe\n", "noMatch"));
    b.add(new Bad("two settings documents",
        "apiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\n---\napiVersion: policy.sigil.dev/v1alpha1\nkind: PolicySettings\n",
        "second"));
    return b;
  }

  @TestFactory
  Stream<DynamicTest> refusals() {
    return bad().stream()
        .map(
            b ->
                DynamicTest.dynamicTest(
                    b.name(),
                    () -> {
                      Path f = dir.resolve("bad-" + b.name().replaceAll("[^a-z0-9]+", "-") + ".yaml");
                      Files.writeString(f, b.yaml());
                      PolicyException e =
                          assertThrows(PolicyException.class, () -> new PolicyLoader().load(List.of(f)));
                      String m = String.join("\n", e.problems());
                      assertTrue(m.contains(f.toString()), () -> "expected the file named in: " + m);
                      assertTrue(m.contains(b.mentions()), () -> "expected \"" + b.mentions() + "\" in: " + m);
                    }));
  }

  @Test
  void problemsPointAtLineAndColumn() throws Exception {
    Path f = dir.resolve("lines.yaml");
    Files.writeString(f, policy("p", images() + "  authorities:\n" + KEY_NO_LOG + "    bogus: 1\n"));
    PolicyException e = assertThrows(PolicyException.class, () -> new PolicyLoader().load(List.of(f)));
    assertTrue(e.getMessage().contains(f + ":10:5:"), e.getMessage());
  }

  @Test
  void aSetIsHashedByContent() throws Exception {
    Path f = dir.resolve("h.yaml");
    Files.writeString(f, policy("p", images() + "  authorities:\n" + KEY_NO_LOG));
    assertEquals(new PolicyLoader().load(List.of(f)).hash(), new PolicyLoader().load(List.of(f)).hash());
    String before = new PolicyLoader().load(List.of(f)).hash();
    Files.writeString(f, policy("q", images() + "  authorities:\n" + KEY_NO_LOG));
    assertFalse(before.equals(new PolicyLoader().load(List.of(f)).hash()));
  }

  @Test
  void aSetIsHashedWithTheFilesItNames() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("rotating"));
    Files.copy(dir.resolve("cosign.pub"), keys.resolve("k.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path f = keys.resolve("k.yaml");
    Files.writeString(f, policy("p", images() + "  authorities:\n" + KEY_NO_LOG.replace("cosign.pub", "k.pub")));
    PolicySet first = new PolicyLoader().load(List.of(f));
    assertEquals(List.of(keys.resolve("k.pub").toAbsolutePath()), first.references());
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    Files.writeString(keys.resolve("k.pub"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    assertFalse(first.hash().equals(new PolicyLoader().load(List.of(f)).hash()), "a rotated key changes the hash");
  }

  @Test
  void globsNormaliseAsDockerDoes() {
    assertTrue(ImageGlob.compile("nginx").matches("docker.io/library/nginx"));
    assertTrue(ImageGlob.compile("index.docker.io/library/*").matches("docker.io/library/nginx"));
    assertTrue(ImageGlob.compile("acme/*").matches("docker.io/acme/api"));
    assertTrue(ImageGlob.compile("registry.example.com/**").matches("registry.example.com/a/b/c"));
    assertFalse(ImageGlob.compile("registry.example.com/*").matches("registry.example.com/a/b"));
    assertTrue(ImageGlob.compile("**").matches("anything.example/x"));
    assertThrows(IllegalArgumentException.class, () -> ImageGlob.compile("ghcr.io/acme/app@sha256:abc"));
    assertThrows(IllegalArgumentException.class, () -> ImageGlob.compile("ghcr.io/acme/app with space"));
  }

  @Test
  void celIsBounded() {
    Cel cel = new Cel();
    Cel.Program loop = cel.compile("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c,"
        + " [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a + b + c + d + e > 0)))))");
    Cel.Result r = loop.evaluate(Map.of("predicate", Map.of(), "predicateType", "", "statement", Map.of(),
        "subjects", List.of(), "signer", Map.of(), "image", Map.of()));
    assertTrue(r.isError(), r.toString());
    assertThrows(IllegalArgumentException.class, () -> cel.compile("x".repeat(Cel.MAX_EXPRESSION_CHARS + 1)));
  }
}
