package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedPublicKey;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.ValidityPeriod;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Verifier-level behaviour the conformance suite does not pin down: options, policies, clocks, result contents. */
class VerifierTest {
  static final String SAN =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static TrustedRoot root;
  static Bundle keyless;
  static Bundle keyBased;
  static Artifact artifact;
  static PublicKey managedKey;

  static byte[] resource(String name) throws Exception {
    try (InputStream in = VerifierTest.class.getResourceAsStream("/verifier/" + name)) {
      return in.readAllBytes();
    }
  }

  @BeforeAll
  static void load() throws Exception {
    root = PublicGood.trustedRoot();
    keyless = new BundleParser().parse(resource("happy-path-v0.3.json"));
    keyBased = new BundleParser().parse(resource("managed-key.json"));
    artifact = Artifact.ofContent(resource("a.txt"));
    managedKey = TrustedPublicKey.parsePem(new String(resource("managed-key.pub"), StandardCharsets.US_ASCII));
  }

  static VerificationPolicy identity(String san, String issuer) {
    return VerificationPolicy.identity(artifact, IdentityMatcher.exact(san, issuer));
  }

  static VerificationResult.Rejected rejected(VerificationResult r) {
    return assertInstanceOf(VerificationResult.Rejected.class, r, () -> "expected a rejection, found " + r);
  }

  static VerificationResult.Verified verified(VerificationResult r) {
    return assertInstanceOf(
        VerificationResult.Verified.class, r, () -> r.firstFailure().map(Check::describe).orElse(""));
  }

  @Test
  void resultNamesSignerTimeAndLogEntry() {
    VerificationResult.Verified r = verified(Verifier.create(root).verify(keyless, identity(SAN, ISSUER)));
    CertificateSigner signer = assertInstanceOf(CertificateSigner.class, r.signer());
    assertEquals(SAN, signer.subjectAlternativeName());
    assertEquals(ISSUER, signer.issuer().orElseThrow());
    assertEquals("workflow_dispatch", signer.claims().get("githubWorkflowTrigger"));
    assertEquals("workflow_dispatch", signer.extension(FulcioExtension.GITHUB_WORKFLOW_TRIGGER).orElseThrow());
    assertTrue(signer.certificateIssuer().contains("sigstore-intermediate"), signer.certificateIssuer());
    assertEquals(1, r.logEntries().size());
    VerifiedLogEntry entry = r.logEntries().get(0);
    assertTrue(entry.logUrl().contains("rekor"), entry.toString());
    assertTrue(entry.integratedTime().isPresent());
    assertEquals(SigningTime.Source.TRANSPARENCY_LOG, r.signingTimes().get(0).source());
    assertTrue(r.statement().isEmpty());
    assertTrue(r.checks().stream().allMatch(c -> c.outcome() == Check.Outcome.PASSED));
    assertTrue(r.checks().stream().allMatch(c -> c.reason().isEmpty()));
  }

  @Test
  void verifiesWithoutTheLeafCacheToo() {
    Verifier v = Verifier.create(root, VerifierOptions.builder().verifiedLeafCache(0).build());
    for (int i = 0; i < 3; i++) {
      verified(v.verify(keyless, identity(SAN, ISSUER)));
    }
  }

  @Test
  void integratedTimeInTheFutureIsRejected() {
    // A verifier whose clock reads a time before the entry was logged must not accept it.
    Clock past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
    VerificationResult.Rejected r =
        rejected(Verifier.create(root, VerifierOptions.builder().clock(past).build()).verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.TLOG_INTEGRATED_TIME_INVALID, r.reason());
    assertEquals(Check.Step.TRANSPARENCY_LOG_ENTRY, r.failure().step());
    assertTrue(r.failure().found().contains("not in the future"), r.failure().describe());
  }

  @Test
  void wrongIdentityAndIssuerAreRejectedWithTheirCodes() {
    VerificationResult.Rejected wrongSan = rejected(Verifier.create(root).verify(keyless, identity(SAN + "x", ISSUER)));
    assertEquals(Reason.IDENTITY_MISMATCH, wrongSan.reason());
    assertEquals(Check.Step.SUBJECT_ALTERNATIVE_NAME, wrongSan.failure().step());
    assertTrue(wrongSan.failure().expected().contains(SAN + "x") && wrongSan.failure().found().contains(SAN));
    VerificationResult.Rejected wrongIssuer =
        rejected(Verifier.create(root).verify(keyless, identity(SAN, "https://accounts.google.com")));
    assertEquals(Reason.ISSUER_MISMATCH, wrongIssuer.reason());
    assertTrue(wrongIssuer.failure().expected().contains("https://accounts.google.com"));
    assertTrue(wrongIssuer.failure().found().contains(ISSUER));
    VerificationResult.Rejected wrongClaim =
        rejected(
            Verifier.create(root)
                .verify(
                    keyless,
                    VerificationPolicy.identity(
                        artifact,
                        IdentityMatcher.builder()
                            .subjectAlternativeName(SAN)
                            .issuer(ISSUER)
                            .extension("sourceRepositoryURI", "https://github.com/evil/repo")
                            .build())));
    assertEquals(Reason.CLAIM_MISMATCH, wrongClaim.reason());
  }

  @Test
  void anyOfSeveralIdentitiesIsEnough() {
    VerificationPolicy policy =
        VerificationPolicy.builder()
            .artifact(artifact)
            .identity(IdentityMatcher.exact("someone@example.com", ISSUER))
            .identity(IdentityMatcher.exact(SAN, ISSUER))
            .build();
    verified(Verifier.create(root).verify(keyless, policy));
    VerificationPolicy none =
        VerificationPolicy.builder()
            .artifact(artifact)
            .identity(IdentityMatcher.exact("someone@example.com", ISSUER))
            .identity(IdentityMatcher.exact("other@example.com", ISSUER))
            .build();
    VerificationResult.Rejected r = rejected(Verifier.create(root).verify(keyless, none));
    assertEquals(Reason.IDENTITY_MISMATCH, r.reason());
    assertTrue(r.failure().expected().startsWith("one of 2 identities"), r.failure().expected());
  }

  @Test
  void anyIdentityIsAnUnsafeWaiverThatIsReported() {
    VerificationPolicy any = VerificationPolicy.builder().artifact(artifact).withoutIdentityUnsafe().build();
    VerificationResult.Verified r = verified(Verifier.create(root).verify(keyless, any));
    assertEquals(1, r.skipped().size());
    assertEquals(Reason.WAIVED, r.skipped().get(0).reason().orElseThrow());
    assertEquals(Check.Step.IDENTITY, r.skipped().get(0).step());
  }

  @Test
  void withoutArtifactTheSignatureIsCheckedOverTheEntitysDigest() {
    VerificationPolicy noArtifact =
        VerificationPolicy.builder().withoutArtifactUnsafe().identity(IdentityMatcher.exact(SAN, ISSUER)).build();
    VerificationResult.Verified r = verified(Verifier.create(root).verify(keyless, noArtifact));
    assertEquals(Check.Step.ARTIFACT_DIGEST, r.skipped().get(0).step());
    VerificationResult.Rejected tampered =
        rejected(
            Verifier.create(root)
                .verify(
                    keyless,
                    VerificationPolicy.identity(
                        Artifact.ofContent("other".getBytes(StandardCharsets.UTF_8)), IdentityMatcher.exact(SAN, ISSUER))));
    assertEquals(Reason.ARTIFACT_DIGEST_MISMATCH, tampered.reason());
  }

  @Test
  void emptyTrustedMaterialTrustsNoLogAndNoCa() {
    VerificationResult.Rejected r = rejected(Verifier.create(TrustedRoot.empty()).verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.TLOG_UNKNOWN_LOG, r.reason());
    assertTrue(r.failure().found().contains("unknown log"), r.failure().describe());
    // Waiving the log does not waive the CA: with no trusted CA and no verified time the bundle still fails.
    VerificationPolicy waived =
        VerificationPolicy.builder()
            .artifact(artifact)
            .identity(IdentityMatcher.exact(SAN, ISSUER))
            .withoutTransparencyLogUnsafe()
            .build();
    VerificationResult.Rejected w = rejected(Verifier.create(TrustedRoot.empty()).verify(keyless, waived));
    assertEquals(Reason.SIGNING_TIME_MISSING, w.reason());
    assertFalse(w.skipped().isEmpty());
  }

  @Test
  void logWhoseKeyCannotBeUsedIsNamedInTheRejection() throws Exception {
    // The bundle's log, but with a key Sigil refuses (RSA 1024): the log's key is prepared only when an entry names
    // the log, and the rejection says that this log's key is the problem rather than calling the log unknown.
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    PublicKey weak = g.generateKeyPair().getPublic();
    List<dev.sigil.verifier.trust.TransparencyLogInstance> logs = new java.util.ArrayList<>();
    for (var t : root.tlogs()) {
      logs.add(
          new dev.sigil.verifier.trust.TransparencyLogInstance(
              t.baseUrl(), t.hashAlgorithm(), t.keyDetails(), weak, t.validFor(), t.logId(), t.checkpointKeyId(),
              t.operator()));
    }
    TrustedRoot weakened =
        new TrustedRoot(root.mediaType(), root.certificateAuthorities(), logs, root.ctlogs(), root.timestampAuthorities());
    VerificationResult.Rejected r = rejected(Verifier.create(weakened).verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.TLOG_UNKNOWN_LOG, r.reason());
    assertTrue(r.failure().found().contains("whose key cannot be used") && r.failure().found().contains("RSA"));
  }

  @Test
  void keyBasedBundleWithLogAndTimestamp() {
    Verifier v = Verifier.create(TrustedMaterial.combine(root, PublicKeyMaterial.of(managedKey)));
    VerificationResult.Verified r = verified(v.verify(keyBased, VerificationPolicy.publicKey(artifact)));
    KeySigner signer = assertInstanceOf(KeySigner.class, r.signer());
    assertEquals(TrustedPublicKey.of(managedKey).fingerprint(), signer.fingerprint());
    assertEquals(2, r.signingTimes().size(), r.signingTimes().toString());
    VerificationResult.Rejected byIdentity = rejected(v.verify(keyBased, identity(SAN, ISSUER)));
    assertEquals(Reason.MATERIAL_MISMATCH, byIdentity.reason());
    VerificationResult.Rejected keyless2 = rejected(v.verify(keyless, VerificationPolicy.publicKey(artifact)));
    assertEquals(Reason.MATERIAL_MISMATCH, keyless2.reason());
  }

  @Test
  void keyBasedBundleNeedsTheKeyInTheTrustedMaterial() throws Exception {
    VerificationResult.Rejected none = rejected(Verifier.create(root).verify(keyBased, VerificationPolicy.publicKey(artifact)));
    assertEquals(Reason.UNTRUSTED_KEY, none.reason());
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PublicKey other = g.generateKeyPair().getPublic();
    VerificationResult.Rejected wrong =
        rejected(
            Verifier.create(TrustedMaterial.combine(root, PublicKeyMaterial.of(other)))
                .verify(keyBased, VerificationPolicy.publicKey(artifact)));
    assertEquals(Reason.SIGNATURE_INVALID, wrong.reason());
    // Several keys: the one that verifies is found and named.
    Verifier both =
        Verifier.create(
            TrustedMaterial.combine(
                root,
                new PublicKeyMaterial(List.of(TrustedPublicKey.of(other), TrustedPublicKey.of(managedKey)))));
    KeySigner signer = assertInstanceOf(KeySigner.class, verified(both.verify(keyBased, VerificationPolicy.publicKey(artifact))).signer());
    assertEquals(TrustedPublicKey.of(managedKey).fingerprint(), signer.fingerprint());
  }

  @Test
  void aTrustedKeyIsCheckedAgainstItsValidityWindowAtTheVerifiedTimes() {
    TrustedPublicKey expired =
        new TrustedPublicKey(
            Optional.empty(),
            managedKey,
            ValidityPeriod.between(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2001-01-01T00:00:00Z")));
    VerificationResult.Rejected r =
        rejected(
            Verifier.create(TrustedMaterial.combine(root, new PublicKeyMaterial(List.of(expired))))
                .verify(keyBased, VerificationPolicy.publicKey(artifact)));
    assertEquals(Reason.UNTRUSTED_KEY, r.reason());
    assertEquals(Check.Step.PUBLIC_KEY, r.failure().step());
  }

  @Test
  void requireVerifiedThrowsWithTheReason() {
    VerificationResult r = Verifier.create(root).verify(keyless, identity(SAN + "x", ISSUER));
    VerificationException e = assertThrows(VerificationException.class, r::requireVerified);
    assertEquals(Reason.IDENTITY_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("certificate SAN"), e.getMessage());
  }

  @Test
  void optionsRejectContradictions() {
    assertThrows(IllegalArgumentException.class, () -> VerifierOptions.builder().sctThreshold(-1).build());
    assertThrows(IllegalArgumentException.class, () -> VerifierOptions.builder().verifiedLeafCache(-1).build());
    assertThrows(IllegalArgumentException.class, () -> VerifierOptions.builder().observerTimestampThreshold(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> VerifierOptions.builder().transparencyLogThreshold(0).integratedTimeThreshold(1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> VerifierOptions.builder().timestampThreshold(2).observerTimestampThreshold(1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> VerifierOptions.builder().timestampThreshold(VerifierOptions.MAX_TIMESTAMPS + 1).build());
    VerifierOptions ok = VerifierOptions.builder().timestampThreshold(1).observerTimestampThreshold(2).build();
    assertEquals(ok, ok.toBuilder().build());
    assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().subjectAlternativeName(SAN).build());
  }

  @Test
  void policiesRefuseMissingOrContradictoryChoices() {
    assertThrows(IllegalStateException.class, () -> VerificationPolicy.builder().publicKey().build());
    assertThrows(IllegalStateException.class, () -> VerificationPolicy.builder().artifact(artifact).build());
    assertThrows(
        IllegalStateException.class,
        () -> VerificationPolicy.builder().artifact(artifact).withoutArtifactUnsafe().publicKey().build());
    assertThrows(
        IllegalStateException.class,
        () -> VerificationPolicy.builder().artifact(artifact).publicKey().identity(IdentityMatcher.exact(SAN, ISSUER)));
  }

  @Test
  void thresholdsAboveWhatTheEntityCarriesReject() {
    VerificationResult.Rejected twoLogs =
        rejected(
            Verifier.create(root, VerifierOptions.builder().transparencyLogThreshold(2).build())
                .verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.TLOG_THRESHOLD, twoLogs.reason());
    VerificationResult.Rejected oneTsa =
        rejected(
            Verifier.create(root, VerifierOptions.builder().timestampThreshold(1).build())
                .verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.TIMESTAMP_THRESHOLD, oneTsa.reason());
    VerificationResult.Rejected twoTimes =
        rejected(
            Verifier.create(root, VerifierOptions.builder().observerTimestampThreshold(2).build())
                .verify(keyless, identity(SAN, ISSUER)));
    assertEquals(Reason.SIGNING_TIME_MISSING, twoTimes.reason());
    verified(
        Verifier.create(root, VerifierOptions.builder().integratedTimeThreshold(1).build())
            .verify(keyless, identity(SAN, ISSUER)));
  }

  @Test
  void combinedMaterialKeepsEachLogOnceAndRefusesConflictingKeys() throws Exception {
    TrustedMaterial twice = TrustedMaterial.combine(root, root);
    assertEquals(root.tlogs().size(), twice.tlogs().size());
    assertEquals(root.certificateAuthorities().size(), twice.certificateAuthorities().size());
    verified(Verifier.create(twice).verify(keyless, identity(SAN, ISSUER)));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PublicKey other = g.generateKeyPair().getPublic();
    var t = root.tlogs().get(0);
    TrustedRoot conflicting =
        new TrustedRoot(
            root.mediaType(),
            List.of(),
            List.of(
                new dev.sigil.verifier.trust.TransparencyLogInstance(
                    t.baseUrl(), t.hashAlgorithm(), t.keyDetails(), other, t.validFor(), t.logId(), t.checkpointKeyId(),
                    t.operator())),
            List.of(),
            List.of());
    assertThrows(IllegalArgumentException.class, () -> TrustedMaterial.combine(root, conflicting));
  }

  @Test
  void verifierIsReusableAcrossThreads() throws Exception {
    Verifier v = Verifier.create(root);
    VerificationPolicy p = identity(SAN, ISSUER);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> v.verify(keyless, p).isVerified()));
      }
      for (var f : futures) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
