package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.internal.certificate.IdentityMatcher;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Verifier-level behaviour the conformance suite does not pin down: options, clocks, result contents. */
class VerifierTest {
  static final String SAN =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static TrustedRoot root;
  static Bundle keyless;
  static Bundle keyBased;
  static Artifact artifact;

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
  }

  @Test
  void resultNamesSignerTimeAndLogEntry() {
    VerificationResult r =
        Verifier.create(root).verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
    assertTrue(r.verified(), () -> r.firstFailure().map(Check::describe).orElse(""));
    assertEquals(SAN, r.signer().orElseThrow());
    assertEquals(ISSUER, r.issuer().orElseThrow());
    assertEquals(1, r.logEntries().size());
    assertEquals(SigningTime.Source.TRANSPARENCY_LOG, r.signingTimes().get(0).source());
    assertEquals("workflow_dispatch", r.claims().get("github-workflow-trigger"));
    assertTrue(r.checks().stream().allMatch(c -> c.outcome() == Check.Outcome.PASSED));
  }

  @Test
  void verifiesWithoutTheLeafCacheToo() {
    Verifier v = Verifier.create(root, VerifierOptions.defaults().withVerifiedLeafCache(0));
    for (int i = 0; i < 3; i++) {
      VerificationResult r = v.verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
      assertTrue(r.verified(), () -> r.firstFailure().map(Check::describe).orElse(""));
    }
  }

  @Test
  void integratedTimeInTheFutureIsRejected() {
    // A verifier whose clock reads a time before the entry was logged must not accept it.
    Clock past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
    VerificationResult r =
        Verifier.create(root, VerifierOptions.defaults().withClock(past))
            .verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
    assertFalse(r.verified());
    assertTrue(r.firstFailure().orElseThrow().found().contains("not in the future"), r.firstFailure().toString());
  }

  @Test
  void wrongIdentityAndIssuerAreRejected() {
    VerificationResult wrongSan =
        Verifier.create(root)
            .verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN + "x", ISSUER)));
    Check san = wrongSan.firstFailure().orElseThrow();
    assertEquals("certificate SAN", san.name());
    assertTrue(san.expected().equals(SAN + "x") && san.found().contains(SAN), san.describe());
    VerificationResult wrongIssuer =
        Verifier.create(root)
            .verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, "https://accounts.google.com")));
    Check issuer = wrongIssuer.firstFailure().orElseThrow();
    assertTrue(issuer.expected().contains("https://accounts.google.com") && issuer.found().contains(ISSUER), issuer.describe());
  }

  @Test
  void emptyTrustedRootTrustsNoLogAndNoCa() {
    VerificationResult r =
        Verifier.create(TrustedRoot.empty())
            .verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
    assertFalse(r.verified());
    assertTrue(r.firstFailure().orElseThrow().found().contains("unknown log"), r.firstFailure().toString());
    // Waiving the log does not waive the CA: with no trusted CA and no verified time the bundle still fails.
    VerificationResult waived =
        Verifier.create(TrustedRoot.empty())
            .verify(
                keyless,
                artifact,
                VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)).withoutTransparencyLogUnsafe());
    assertFalse(waived.verified());
    assertFalse(waived.skipped().isEmpty());
  }

  @Test
  void logWhoseKeyCannotBeUsedIsNamedInTheRejection() throws Exception {
    // The bundle's log, but with a key Sigil refuses (RSA 1024): the log's key is prepared only when an entry names
    // the log, and the rejection says that this log's key is the problem rather than calling the log unknown.
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    java.security.PublicKey weak = g.generateKeyPair().getPublic();
    java.util.List<dev.sigil.verifier.trust.TransparencyLogInstance> logs = new java.util.ArrayList<>();
    for (var t : root.tlogs()) {
      logs.add(
          new dev.sigil.verifier.trust.TransparencyLogInstance(
              t.baseUrl(), t.hashAlgorithm(), t.keyDetails(), weak, t.validFor(), t.logId(), t.checkpointKeyId(),
              t.operator()));
    }
    TrustedRoot weakened =
        new TrustedRoot(root.mediaType(), root.certificateAuthorities(), logs, root.ctlogs(), root.timestampAuthorities());
    VerificationResult r =
        Verifier.create(weakened).verify(keyless, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
    assertFalse(r.verified());
    String found = r.firstFailure().orElseThrow().found();
    assertTrue(found.contains("whose key cannot be used") && found.contains("RSA"), found);
  }

  @Test
  void keyBasedBundleWithLogAndTimestamp() throws Exception {
    var key = PublicKeys.fromPem(new String(resource("managed-key.pub"), StandardCharsets.US_ASCII));
    VerificationResult r = Verifier.create(root).verify(keyBased, artifact, VerificationPolicy.publicKey(key));
    assertTrue(r.verified(), () -> r.firstFailure().map(Check::describe).orElse(""));
    assertEquals(2, r.signingTimes().size(), r.signingTimes().toString());
    VerificationResult byIdentity =
        Verifier.create(root).verify(keyBased, artifact, VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER)));
    assertEquals("verification material", byIdentity.firstFailure().orElseThrow().name());
  }

  @Test
  void optionsRejectContradictions() {
    assertThrows(IllegalArgumentException.class, () -> new VerifierOptions(0, 1, Clock.systemUTC(), 0));
    assertThrows(IllegalArgumentException.class, () -> new VerifierOptions(1, 0, Clock.systemUTC(), 0));
    assertThrows(IllegalArgumentException.class, () -> VerifierOptions.defaults().withVerifiedLeafCache(-1));
    assertThrows(IllegalArgumentException.class, () -> IdentityMatcher.builder().subjectAlternativeName(SAN).build());
  }

  @Test
  void verifierIsReusableAcrossThreads() throws Exception {
    Verifier v = Verifier.create(root);
    VerificationPolicy p = VerificationPolicy.identity(IdentityMatcher.exact(SAN, ISSUER));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> v.verify(keyless, artifact, p).verified()));
      }
      for (var f : futures) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
