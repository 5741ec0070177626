package dev.sigil.oci.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.Referrers;
import dev.sigil.oci.registry.CredentialSource;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.oci.registry.RegistryStore;
import dev.sigil.testkit.Peers;
import dev.sigil.testkit.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cosign 2.5 and Sigil on the same registry: what cosign writes is read correctly, and what Sigil appends next to it
 * (signed here with a plain JDK ECDSA P-256 key) is accepted by {@code cosign verify} and
 * {@code cosign verify-attestation}, while cosign's own signatures still verify.
 */
class CosignInteropTest {
  @TempDir static Path tmp;
  static TestRegistry registry;
  static RegistryStore store;
  static KeyPair ours;
  static Path ourPub;
  static final Map<String, String> ENV = Map.of("COSIGN_PASSWORD", "pw", "COSIGN_YES", "true");

  @BeforeAll
  static void start() throws Exception {
    Peers.cosign();
    registry = TestRegistry.start(tmp.resolve("reg"));
    store = new RegistryClient(RegistryOptions.builder().credentials(CredentialSource.anonymous()).build())
        .repository(registry.address(), "test/app");
    Peers.Result gen = cosign(List.of("generate-key-pair", "--output-key-prefix", "ck"));
    assertEquals(0, gen.exitCode(), gen.describe());
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ours = g.generateKeyPair();
    ourPub = tmp.resolve("ours.pub");
    Files.writeString(ourPub, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ours.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  static Peers.Result cosign(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.cosign().toString());
    cmd.addAll(args);
    return Peers.run(cmd, ENV, tmp, 120);
  }

  static String sign(byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ours.getPrivate());
    s.update(data);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  @Test
  void readsCosignSignaturesAndAppendsOneCosignVerifies() throws Exception {
    Digest image = Digest.parse(registry.pushImage("test/app:sig", "sig"));
    String ref = registry.address() + "/test/app@" + image;
    Peers.Result signed = cosign(List.of("sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry",
        "-a", "team=x", ref));
    assertEquals(0, signed.exitCode(), signed.describe());

    CosignAttachments att = new CosignAttachments(store);
    Attachment before = att.readSignatures(image, SimpleSigningPayload.MAX_PAYLOAD_BYTES);
    assertEquals(1, before.layers().size());
    AttachedLayer theirs = before.layers().get(0);
    assertEquals(MediaTypes.COSIGN_SIMPLE_SIGNING, theirs.mediaType());
    SimpleSigningPayload p = SimpleSigningPayload.parse(theirs.payload());
    assertEquals(registry.address() + "/test/app", p.dockerReference());
    assertEquals(image, p.manifestDigest());
    assertEquals(Map.of("team", "x"), p.optional());
    assertArrayEquals(theirs.payload(),
        new SimpleSigningPayload(registry.address() + "/test/app", image, Map.of("team", "x")).toJson(),
        "Sigil writes the payload byte for byte as cosign does");
    assertTrue(theirs.signature().isPresent());

    Peers.Result tri = cosign(List.of("triangulate", "--allow-insecure-registry", ref));
    assertEquals(registry.address() + "/test/app:" + CosignTags.signatureTag(image), tri.stdout().trim());

    byte[] payload = SimpleSigningPayload.of(registry.address() + "/test/app", image).toJson();
    CosignAttachments.AppendResult r = att.appendSignature(image, NewLayer.signature(payload, sign(payload)));
    assertTrue(r.appended());
    Attachment after = att.readSignatures(image, SimpleSigningPayload.MAX_PAYLOAD_BYTES);
    assertEquals(2, after.layers().size());
    assertEquals(theirs.descriptor(), after.layers().get(0).descriptor(), "cosign's layer is kept as it was");

    Peers.Result verifyOurs = cosign(List.of("verify", "--key", ourPub.toString(), "--insecure-ignore-tlog=true",
        "--allow-insecure-registry", ref));
    assertEquals(0, verifyOurs.exitCode(), verifyOurs.describe());
    Peers.Result verifyTheirs = cosign(List.of("verify", "--key", "ck.pub", "--insecure-ignore-tlog=true",
        "--allow-insecure-registry", ref));
    assertEquals(0, verifyTheirs.exitCode(), verifyTheirs.describe());

    // skopeo reads the appended manifest as pushed
    Peers.Result raw = Peers.run(List.of(Peers.skopeo().toString(), "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.address() + "/test/app:" + CosignTags.signatureTag(image)), Map.of(), tmp, 60);
    assertEquals(0, raw.exitCode(), raw.describe());
    assertArrayEquals(after.manifest().orElseThrow().bytes(), raw.stdout().getBytes(StandardCharsets.UTF_8));
  }

  private Path registriesD() throws Exception {
    Path rd = Files.createDirectories(tmp.resolve("rd"));
    Files.writeString(rd.resolve("default.yaml"),
        "docker:\n  " + registry.address() + ":\n    use-sigstore-attachments: true\n");
    return rd;
  }

  @Test
  void skopeoSignaturesAreReadAndSkopeoAcceptsOneSigilAppends() throws Exception {
    String skopeo = Peers.skopeo().toString();
    Path rd = registriesD();
    Files.writeString(tmp.resolve("pass.txt"), "pw");
    String src = registry.pushImage("test/app:src", "skopeo");
    Peers.Result signed = Peers.run(List.of(skopeo, "--insecure-policy", "--registries.d", rd.toString(), "copy", "-q",
        "--src-tls-verify=false", "--dest-tls-verify=false", "--sign-by-sigstore-private-key", "ck.key",
        "--sign-passphrase-file", "pass.txt", "docker://" + registry.address() + "/test/app:src",
        "docker://" + registry.address() + "/test/app:skopeo"), Map.of(), tmp, 120);
    assertEquals(0, signed.exitCode(), signed.describe());
    Digest image = Digest.parse(src);
    CosignAttachments att = new CosignAttachments(store);
    AttachedLayer theirs = att.readSignatures(image, SimpleSigningPayload.MAX_PAYLOAD_BYTES).layers().get(0);
    SimpleSigningPayload p = SimpleSigningPayload.parse(theirs.payload());
    assertEquals(registry.address() + "/test/app:skopeo", p.dockerReference(), "containers/image names the tag");
    assertEquals(image, p.manifestDigest());
    assertTrue(p.optional().containsKey("creator"), p.optional().toString());

    byte[] payload = SimpleSigningPayload.of(registry.address() + "/test/app", image).toJson();
    att.appendSignature(image, NewLayer.signature(payload, sign(payload)));
    Path policy = tmp.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\""
        + registry.address() + "/test\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + ourPub
        + "\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]},\"dir\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}");
    Peers.Result accepted = Peers.run(List.of(skopeo, "--policy", policy.toString(), "--registries.d", rd.toString(),
        "copy", "-q", "--src-tls-verify=false", "docker://" + registry.address() + "/test/app@" + image,
        "dir:" + tmp.resolve("out-accepted")), Map.of(), tmp, 120);
    assertEquals(0, accepted.exitCode(), "skopeo must accept the signature Sigil appended: " + accepted.describe());
    String unsigned = registry.pushImage("test/app:unsigned", "unsigned");
    Peers.Result refused = Peers.run(List.of(skopeo, "--policy", policy.toString(), "--registries.d", rd.toString(),
        "copy", "-q", "--src-tls-verify=false", "docker://" + registry.address() + "/test/app@" + unsigned,
        "dir:" + tmp.resolve("out-refused")), Map.of(), tmp, 120);
    assertTrue(refused.exitCode() != 0, "skopeo must refuse an unsigned image: " + refused.describe());
  }

  @Test
  void cosignVerifiesAnAttestationSigilAppends() throws Exception {
    Digest image = Digest.parse(registry.pushImage("test/app:att", "att"));
    String ref = registry.address() + "/test/app@" + image;
    Path pred = tmp.resolve("prov.json");
    Files.writeString(pred, "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\",\"externalParameters\":{}},"
        + "\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}");
    Peers.Result attested = cosign(List.of("attest", "--key", "ck.key", "--tlog-upload=false",
        "--allow-insecure-registry", "--type", "slsaprovenance1", "--predicate", pred.toString(), ref));
    assertEquals(0, attested.exitCode(), attested.describe());
    CosignAttachments att = new CosignAttachments(store);
    Attachment theirs = att.readAttestations(image, 1 << 20);
    assertEquals(1, theirs.layers().size());
    assertEquals("https://slsa.dev/provenance/v1", theirs.layers().get(0).predicateType().orElseThrow());
    assertEquals(MediaTypes.DSSE_ENVELOPE, theirs.layers().get(0).mediaType());

    String statement = "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
        + "\"subject\":[{\"name\":\"" + registry.address() + "/test/app\",\"digest\":{\"sha256\":\"" + image.hex() + "\"}}],"
        + "\"predicate\":{\"buildDefinition\":{\"buildType\":\"https://example.com/sigil\",\"externalParameters\":{}},"
        + "\"runDetails\":{\"builder\":{\"id\":\"https://example.com/sigil\"}}}}";
    byte[] body = statement.getBytes(StandardCharsets.UTF_8);
    String type = "application/vnd.in-toto+json";
    byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + body.length + " " + statement).getBytes(StandardCharsets.UTF_8);
    String envelope = "{\"payloadType\":\"" + type + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(body)
        + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"" + sign(pae) + "\"}]}";
    att.appendAttestation(image, NewLayer.attestation(envelope.getBytes(StandardCharsets.UTF_8),
        "https://slsa.dev/provenance/v1", null, null, null));
    assertEquals(2, att.readAttestations(image, 1 << 20).layers().size());
    Peers.Result verify = cosign(List.of("verify-attestation", "--key", ourPub.toString(), "--type", "slsaprovenance1",
        "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref));
    assertEquals(0, verify.exitCode(), verify.describe());
    Peers.Result verifyTheirs = cosign(List.of("verify-attestation", "--key", "ck.pub", "--type", "slsaprovenance1",
        "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref));
    assertEquals(0, verifyTheirs.exitCode(), verifyTheirs.describe());
  }

  @Test
  void readsCosignBundleReferrersAndTheTree() throws Exception {
    Digest image = Digest.parse(registry.pushImage("test/app:bundle", "bundle"));
    String ref = registry.address() + "/test/app@" + image;
    Path pred = tmp.resolve("prov2.json");
    Files.writeString(pred, "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\"},\"runDetails\":{}}");
    Peers.Result attested = cosign(List.of("attest", "--key", "ck.key", "--tlog-upload=false", "--new-bundle-format",
        "--allow-insecure-registry", "--type", "slsaprovenance1", "--predicate", pred.toString(), ref));
    assertEquals(0, attested.exitCode(), attested.describe());
    BundleReferrers.Found found = new BundleReferrers(store).find(image, 1 << 20);
    assertEquals(Referrers.Source.FALLBACK_TAG, found.source());
    assertEquals(1, found.bundles().size(), found.toString());
    BundleReferrers.AttachedBundle b = found.bundles().get(0);
    assertEquals("https://slsa.dev/provenance/v1", b.predicateType());
    assertTrue(new String(b.bundle(), StandardCharsets.UTF_8).contains("application/vnd.dev.sigstore.bundle.v0.3+json"));
    assertEquals("dsse-envelope", b.manifest().annotations().get(CosignAnnotations.BUNDLE_CONTENT));

    // Sigil's own bundle referrer goes next to cosign's in the same fallback index
    Descriptor subject = store.resolveTag("bundle").orElseThrow();
    new BundleReferrers(store).attach(subject, b.bundle(), BundleReferrers.CONTENT_DSSE,
        "https://slsa.dev/provenance/v1", java.time.Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals(2, new BundleReferrers(store).find(image, 1 << 20).bundles().size());

    cosign(List.of("sign", "--key", "ck.key", "--tlog-upload=false", "--allow-insecure-registry", ref));
    AttachmentTree.Tree tree = AttachmentTree.of(store, image);
    assertEquals(List.of(AttachmentTree.Scheme.SIGNATURE_TAG, AttachmentTree.Scheme.REFERRER,
        AttachmentTree.Scheme.REFERRER), tree.entries().stream().map(AttachmentTree.Entry::scheme).toList());
    assertEquals(MediaTypes.SIGSTORE_BUNDLE_V03, tree.entries().get(1).artifactType());
    ImageManifest idxEntry = (ImageManifest) store.fetchManifest(tree.entries().get(2).manifest().digest());
    assertEquals(image, idxEntry.subject().digest());
  }
}
