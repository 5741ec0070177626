package dev.sigil.signer.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.attestations.PredicateTypes;
import dev.sigil.images.ImageEvidence;
import dev.sigil.images.ImageFetcher;
import dev.sigil.images.ImageVerifier;
import dev.sigil.oci.Descriptor;
import dev.sigil.oci.Digest;
import dev.sigil.oci.ImageIndex;
import dev.sigil.oci.ImageManifest;
import dev.sigil.oci.ImageReference;
import dev.sigil.oci.MediaTypes;
import dev.sigil.oci.OciException;
import dev.sigil.oci.Platform;
import dev.sigil.oci.cosign.Attachment;
import dev.sigil.oci.cosign.CosignAnnotations;
import dev.sigil.oci.cosign.CosignAttachments;
import dev.sigil.oci.cosign.SimpleSigningPayload;
import dev.sigil.oci.layout.LayoutStore;
import dev.sigil.oci.registry.RegistryClient;
import dev.sigil.oci.registry.RegistryOptions;
import dev.sigil.sandbox.Sandbox;
import dev.sigil.sandbox.oidc.TokenRequest;
import dev.sigil.signer.SigningKey;
import dev.sigil.signer.SigningSession;
import dev.sigil.signer.keyless.FulcioClient;
import dev.sigil.signer.keyless.IdToken;
import dev.sigil.signer.keyless.RekorClient;
import dev.sigil.signer.keyless.TimestampClient;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image signatures and attestations made by {@link ImageSigner} in OCI layouts (no registry), read back and verified
 * by the images module as any image would be: with a key and no log, and keyless against an in-process sandbox.
 * Registry and peer interop (cosign, skopeo) is in the CLI's tests.
 */
class ImageSignerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String EMAIL = "images@example.com";
  private static final String IDENTITY = "registry.example/team/app";
  private static final JsonNode PROVENANCE = json("{\"buildDefinition\":{\"buildType\":\"https://example.com/t\","
      + "\"externalParameters\":{\"who\":\"Zoë 🚀\"}},\"runDetails\":{\"builder\":{\"id\":\"https://example.com/b\"}}}");

  @TempDir static Path shared;
  static Sandbox sandbox;
  static TrustedRoot root;

  @TempDir Path dir;
  LayoutStore store;
  Descriptor image;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(shared.resolve("sandbox"), 0);
    root = TrustedRoot.parse(sandbox.trustedRootBytes());
  }

  @AfterAll
  static void stop() throws Exception {
    sandbox.close();
  }

  @BeforeEach
  void layout() throws Exception {
    store = LayoutStore.create(dir.resolve("lay"));
    image = push("one", "v1", new Platform("linux", "amd64", null));
  }

  static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Descriptor push(String text, String tag, Platform platform) throws OciException {
    Descriptor layer = store.pushBlob(text.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar");
    Descriptor config = store.pushBlob(("{\"architecture\":\"" + platform.architecture() + "\",\"os\":\""
        + platform.os() + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8),
        MediaTypes.OCI_CONFIG);
    ImageManifest m = ImageManifest.create(MediaTypes.OCI_MANIFEST, config, List.of(layer), Map.of(), null, null);
    return store.pushManifest(m, tag);
  }

  ImageReference ref(String suffix) {
    return ImageReference.parse("oci-layout:" + store.path() + suffix);
  }

  ImageEvidence evidence(Digest d) throws OciException {
    try (ImageFetcher f = new ImageFetcher(new RegistryClient(RegistryOptions.builder().build()))) {
      return f.fetch(ref("@" + d));
    }
  }

  static ImageVerifier.Requirement keyNoLog() {
    return ImageVerifier.Requirement.publicKey().withoutTransparencyLogUnsafe();
  }

  static Verifier keyVerifier(SigningKey k) {
    return Verifier.create(PublicKeyMaterial.of(k.publicKey()));
  }

  ImageSigner.Target target(Descriptor d) {
    return new ImageSigner.Target(d, IDENTITY);
  }

  @Test
  void aKeySignatureIsAppendedOnceVerifiesAndKeepsEarlierSignatures() throws Exception {
    SigningKey k1 = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    SigningKey k2 = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner s1 = new ImageSigner(SigningSession.withKey(k1), Clock.systemUTC());
    ImageSigner.Stored first = s1.sign(store, target(image), Map.of("build", "42"), ImageSigner.Storage.COSIGN_TAG);
    assertTrue(first.added());
    assertEquals(image.digest().tagPrefix() + ".sig", first.location());
    // ECDSA with RFC 6979 nonces: signing the same payload again makes the same layer, which is not added twice.
    assertFalse(s1.sign(store, target(image), Map.of("build", "42"), ImageSigner.Storage.COSIGN_TAG).added());
    new ImageSigner(SigningSession.withKey(k2), Clock.systemUTC())
        .sign(store, target(image), Map.of(), ImageSigner.Storage.COSIGN_TAG);

    Attachment sigs = new CosignAttachments(store).readSignatures(image.digest(), 65536);
    assertEquals(2, sigs.layers().size());
    SimpleSigningPayload p = SimpleSigningPayload.parse(sigs.layers().get(0).payload());
    assertEquals(IDENTITY, p.dockerReference());
    assertEquals(image.digest(), p.manifestDigest());
    assertEquals(Map.of("build", "42"), p.optional());
    assertEquals(Map.of(CosignAnnotations.SIGNATURE, sigs.layers().get(0).descriptor().annotations().get(CosignAnnotations.SIGNATURE)),
        sigs.layers().get(0).descriptor().annotations());

    ImageEvidence e = evidence(image.digest());
    for (SigningKey k : List.of(k1, k2)) {
      List<ImageVerifier.Outcome> out = ImageVerifier.verifySignatures(e, keyVerifier(k), keyNoLog());
      assertEquals(1, out.stream().filter(o -> o instanceof ImageVerifier.Accepted).count(), out::toString);
    }
    // Without the log waiver the unlogged signature is refused: nothing here is accepted by accident.
    List<ImageVerifier.Outcome> strict =
        ImageVerifier.verifySignatures(e, keyVerifier(k1), ImageVerifier.Requirement.publicKey());
    assertTrue(strict.stream().noneMatch(o -> o instanceof ImageVerifier.Accepted), strict::toString);
  }

  @Test
  void attestationsAndBundleReferrersVerifyForTheirImageOnly() throws Exception {
    SigningKey k = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner s = new ImageSigner(SigningSession.withKey(k), Clock.systemUTC());
    Descriptor other = push("two", "v2", new Platform("linux", "arm64", null));
    s.attest(store, target(image), PredicateTypes.SLSA_PROVENANCE_V1, PROVENANCE, ImageSigner.Storage.COSIGN_TAG);
    ImageSigner.Stored ref =
        s.sign(store, target(image), Map.of("team", "a"), ImageSigner.Storage.BUNDLE_REFERRER);
    assertTrue(ref.location().startsWith("sha256:"));
    s.attest(store, target(image), PredicateTypes.CYCLONEDX, json("{\"bomFormat\":\"CycloneDX\"}"),
        ImageSigner.Storage.BUNDLE_REFERRER);

    Attachment att = new CosignAttachments(store).readAttestations(image.digest(), 1 << 20);
    assertEquals(1, att.layers().size());
    assertEquals(MediaTypes.DSSE_ENVELOPE, att.layers().get(0).descriptor().mediaType());
    assertEquals(PredicateTypes.SLSA_PROVENANCE_V1, att.layers().get(0).descriptor().annotations().get(CosignAnnotations.PREDICATE_TYPE));
    assertEquals("", att.layers().get(0).descriptor().annotations().get(CosignAnnotations.SIGNATURE));

    ImageVerifier.ImageVerification v = ImageVerifier.verify(evidence(image.digest()), keyVerifier(k), keyNoLog());
    assertEquals(1, v.acceptedSignatures().size(), v.signatures()::toString);
    assertEquals(1, v.acceptedAttestations(PredicateTypes.SLSA_PROVENANCE_V1).size(), v.attestations()::toString);
    assertEquals(1, v.acceptedAttestations(PredicateTypes.CYCLONEDX).size(), v.attestations()::toString);
    JsonNode subject = MAPPER.readTree(v.acceptedAttestations(PredicateTypes.SLSA_PROVENANCE_V1).get(0)
        .verification().statement().orElseThrow().payload()).at("/subject/0");
    assertEquals(IDENTITY, subject.path("name").asText());
    assertEquals(image.digest().hex(), subject.at("/digest/sha256").asText());

    // The other image has nothing attached.
    ImageVerifier.ImageVerification none = ImageVerifier.verify(evidence(other.digest()), keyVerifier(k), keyNoLog());
    assertTrue(none.signatures().isEmpty() && none.attestations().isEmpty());
  }

  @Test
  void theSigningStatementIsCosign3s() throws Exception {
    var st = ImageSigner.signatureStatement(image.digest(), Map.of("k", "v"));
    JsonNode j = MAPPER.readTree(st.payload());
    assertEquals("https://in-toto.io/Statement/v1", j.path("_type").asText());
    assertEquals(ImageSigner.COSIGN_SIGN_PREDICATE, j.path("predicateType").asText());
    assertTrue(j.path("predicate").isObject() && j.path("predicate").isEmpty());
    assertFalse(j.at("/subject/0").has("name"));
    assertEquals(image.digest().hex(), j.at("/subject/0/digest/sha256").asText());
    assertEquals("v", j.at("/subject/0/annotations/k").asText());
    assertFalse(MAPPER.readTree(ImageSigner.signatureStatement(image.digest(), Map.of()).payload())
        .at("/subject/0").has("annotations"));
  }

  @Test
  void tagsResolveToDigestsAndIndexesRecurse() throws Exception {
    Descriptor arm = push("arm", null, new Platform("linux", "arm64", null));
    Descriptor amd = new Descriptor(image.mediaType(), image.digest(), image.size(), Map.of(), null,
        new Platform("linux", "amd64", null));
    ImageIndex index = ImageIndex.create(List.of(amd, new Descriptor(arm.mediaType(), arm.digest(), arm.size(),
        Map.of(), null, new Platform("linux", "arm64", null))), Map.of());
    Descriptor idx = store.pushManifest(index, "multi");

    ImageSigner.Resolved byTag = ImageSigner.resolve(store, ref(":v1"), IDENTITY, true);
    assertEquals(Optional.of("tag \"v1\""), byTag.resolvedFrom());
    assertEquals(List.of(image.digest()), byTag.targets().stream().map(ImageSigner.Target::digest).toList());

    ImageSigner.Resolved flat = ImageSigner.resolve(store, ref("@" + idx.digest()), IDENTITY, false);
    assertEquals(Optional.empty(), flat.resolvedFrom());
    assertEquals(1, flat.targets().size());
    ImageSigner.Resolved all = ImageSigner.resolve(store, ref(":multi"), IDENTITY, true);
    assertEquals(List.of(idx.digest(), image.digest(), arm.digest()),
        all.targets().stream().map(ImageSigner.Target::digest).toList());

    // An index that lists a manifest twice, and nests the first index: each digest once.
    Descriptor twice = store.pushManifest(ImageIndex.create(List.of(amd, amd, new Descriptor(idx.mediaType(),
        idx.digest(), idx.size(), Map.of(), null, null)), Map.of()), "twice");
    assertEquals(List.of(twice.digest(), image.digest(), idx.digest(), arm.digest()),
        ImageSigner.resolve(store, ref(":twice"), IDENTITY, true).targets().stream().map(ImageSigner.Target::digest)
            .toList());

    SigningKey k = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    ImageSigner s = new ImageSigner(SigningSession.withKey(k), Clock.systemUTC());
    for (ImageSigner.Target t : all.targets()) {
      s.sign(store, t, Map.of(), ImageSigner.Storage.COSIGN_TAG);
    }
    for (Digest d : List.of(idx.digest(), image.digest(), arm.digest())) {
      assertEquals(1, ImageVerifier.verifySignatures(evidence(d), keyVerifier(k), keyNoLog()).stream()
          .filter(o -> o instanceof ImageVerifier.Accepted).count(), d::toString);
    }
  }

  @Test
  void anUnknownTagOrDigestIsNotFoundAndNothingIsWritten() throws Exception {
    OciException tag = assertThrows(OciException.class, () -> ImageSigner.resolve(store, ref(":nope"), IDENTITY, false));
    assertEquals(OciException.Reason.NOT_FOUND, tag.reason());
    assertTrue(tag.getMessage().contains("\"nope\""), tag.getMessage());
    Digest missing = Digest.sha256("missing".getBytes(StandardCharsets.UTF_8));
    OciException digest =
        assertThrows(OciException.class, () -> ImageSigner.resolve(store, ref("@" + missing), IDENTITY, false));
    assertEquals(OciException.Reason.NOT_FOUND, digest.reason());
    assertEquals(List.of("v1"), store.listTags());
  }

  @Test
  void keylessSignaturesCarryCosignsAnnotationsAndVerifyByIdentity() throws Exception {
    String jwt = sandbox.oidcIssuer().mint(TokenRequest.of(EMAIL).withEmail(EMAIL));
    SigningSession session = SigningSession.startKeyless(new FulcioClient(sandbox.uri()), IdToken.parse(jwt),
        new RekorClient(sandbox.uri()), Optional.of(new TimestampClient(sandbox.tsaUrl())), root, new SecureRandom());
    ImageSigner s = new ImageSigner(session, Clock.systemUTC());
    s.sign(store, target(image), Map.of(), ImageSigner.Storage.COSIGN_TAG);
    s.attest(store, target(image), PredicateTypes.SLSA_PROVENANCE_V1, PROVENANCE, ImageSigner.Storage.COSIGN_TAG);
    s.attest(store, target(image), PredicateTypes.SLSA_PROVENANCE_V1, PROVENANCE, ImageSigner.Storage.BUNDLE_REFERRER);

    Map<String, String> sig =
        new CosignAttachments(store).readSignatures(image.digest(), 65536).layers().get(0).descriptor().annotations();
    // Manifest annotations are a JSON object: written with sorted keys, as Go writes cosign's.
    assertEquals(java.util.Set.of(CosignAnnotations.SIGNATURE, CosignAnnotations.CERTIFICATE, CosignAnnotations.CHAIN,
        CosignAnnotations.BUNDLE, CosignAnnotations.RFC3161_TIMESTAMP), sig.keySet());
    JsonNode rekor = MAPPER.readTree(sig.get(CosignAnnotations.BUNDLE));
    assertEquals(List.of("SignedEntryTimestamp", "Payload"), fieldNames(rekor));
    assertEquals(List.of("body", "integratedTime", "logIndex", "logID"), fieldNames(rekor.path("Payload")));
    assertTrue(rekor.at("/Payload/logID").asText().matches("[0-9a-f]{64}"));
    assertTrue(MAPPER.readTree(sig.get(CosignAnnotations.RFC3161_TIMESTAMP)).path("SignedRFC3161Timestamp").isTextual());
    Map<String, String> att =
        new CosignAttachments(store).readAttestations(image.digest(), 1 << 20).layers().get(0).descriptor().annotations();
    assertEquals(java.util.Set.of(CosignAnnotations.SIGNATURE, CosignAnnotations.CERTIFICATE, CosignAnnotations.CHAIN,
        CosignAnnotations.BUNDLE, CosignAnnotations.PREDICATE_TYPE), att.keySet());
    String body = new String(java.util.Base64.getDecoder().decode(
        MAPPER.readTree(att.get(CosignAnnotations.BUNDLE)).at("/Payload/body").asText()), StandardCharsets.UTF_8);
    assertEquals("dsse", MAPPER.readTree(body).path("kind").asText());

    Verifier verifier = Verifier.create(root);
    ImageVerifier.ImageVerification v = ImageVerifier.verify(evidence(image.digest()), verifier,
        ImageVerifier.Requirement.identities(List.of(IdentityMatcher.exact(EMAIL, sandbox.oidcIssuerUrl().toString()))));
    assertEquals(1, v.acceptedSignatures().size(), v.signatures()::toString);
    assertEquals(2, v.acceptedAttestations().size(), v.attestations()::toString);
    ImageVerifier.ImageVerification eve = ImageVerifier.verify(evidence(image.digest()), verifier,
        ImageVerifier.Requirement.identities(List.of(IdentityMatcher.exact("eve@example.com",
            sandbox.oidcIssuerUrl().toString()))));
    assertTrue(eve.acceptedSignatures().isEmpty() && eve.acceptedAttestations().isEmpty());
  }

  @Test
  void aSessionWhoseSelfCheckFailsStoresNothing() throws Exception {
    SigningKey k = SigningKey.generate(SigningKey.Type.ECDSA_P256, new SecureRandom());
    // A logged session checked against a root without the sandbox's log: the log entry is made, the check fails.
    SigningSession bad = SigningSession.withLoggedKey(k, new RekorClient(sandbox.uri()), Optional.empty(),
        TrustedRoot.empty());
    ImageSigner s = new ImageSigner(bad, Clock.systemUTC());
    assertThrows(dev.sigil.signer.SigningException.class,
        () -> s.sign(store, target(image), Map.of(), ImageSigner.Storage.COSIGN_TAG));
    assertThrows(dev.sigil.signer.SigningException.class,
        () -> s.attest(store, target(image), PredicateTypes.SLSA_PROVENANCE_V1, PROVENANCE,
            ImageSigner.Storage.BUNDLE_REFERRER));
    assertEquals(List.of("v1"), store.listTags());
    assertTrue(store.referrers(image.digest(), null).manifests().isEmpty());
    assertInstanceOf(TrustedMaterial.class, root);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
