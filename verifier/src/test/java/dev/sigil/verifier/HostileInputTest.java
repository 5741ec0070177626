package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HostileInputs;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleVersion;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.entity.MessageDigest;
import dev.sigil.verifier.entity.MessageSignature;
import dev.sigil.verifier.internal.crypto.Certificates;
import dev.sigil.verifier.internal.crypto.Providers;
import dev.sigil.verifier.internal.timestamp.TestTimestampAuthority;
import dev.sigil.verifier.trust.CertificateAuthority;
import dev.sigil.verifier.trust.DistinguishedName;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.ValidityPeriod;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile inputs must be refused cheaply and as results, never as exceptions. The CPU times printed are for the
 * record (benchmarks/HostileInputCosts measures every case); the bounds asserted are generous regression guards two
 * orders of magnitude under what these inputs cost before they were capped (~10 s for 2,000 certificates).
 */
class HostileInputTest {
  private static final String SAN = VerifierTest.SAN;
  private static final String ISSUER = VerifierTest.ISSUER;
  /**
   * SECURITY.md's bound: no bundle of at most 16 MiB costs more than 0.5 s of CPU once the JVM is warm. Each call is
   * made once untimed first: a cold first call measures the interpreter and how soon a busy machine's compiler threads
   * get to run (a 16 MiB UTF-8 scan alone took 0.2-1 s interpreted here), not the input.
   */
  private static final long GUARD_MS = 500;

  static byte[] seed;
  static Bundle happy;
  static Artifact artifact;

  @BeforeAll
  static void load() throws Exception {
    seed = VerifierTest.resource("happy-path-v0.3.json");
    happy = new BundleParser().parse(seed);
    artifact = Artifact.ofContent(VerifierTest.resource("a.txt"));
  }

  private static VerificationPolicy policy() {
    return VerificationPolicy.identity(artifact, IdentityMatcher.exact(SAN, ISSUER));
  }

  /** The happy-path bundle with its certificate replaced by {@code ders}, bypassing the parser's limits. */
  private static Bundle withChain(Bundle b, List<byte[]> ders) {
    Bundle.VerificationMaterial m = b.verificationMaterial();
    return new Bundle(
        b.version(),
        b.mediaType(),
        new Bundle.VerificationMaterial(Optional.empty(), ders, m.tlogEntries(), m.rfc3161Timestamps()),
        b.messageSignature(),
        b.dsseEnvelope());
  }

  private static <T> T timed(String what, Supplier<T> call) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    call.get();
    long cpu = mx.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    T out = call.get();
    long cpuMs = (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000;
    long wallMs = (System.nanoTime() - wall) / 1_000_000;
    System.out.println("hostile input: " + what + ": " + cpuMs + " ms CPU, " + wallMs + " ms wall");
    assertTrue(cpuMs < GUARD_MS, what + " took " + cpuMs + " ms of CPU");
    return out;
  }

  private static VerificationResult.Rejected rejected(VerificationResult r) {
    return assertInstanceOf(VerificationResult.Rejected.class, r, () -> "expected a rejection, found " + r);
  }

  @Test
  void twoThousandSelfIssuedCertificatesAreRefusedBeforeAnyIsParsed() {
    Bundle hostile = withChain(happy, HostileInputs.selfIssuedNonCa(2000));
    Verifier v = Verifier.create(PublicGood.trustedRoot());
    VerificationResult.Rejected r = rejected(timed("library, 2,000 certificates", () -> v.verify(hostile, policy())));
    assertEquals(Reason.CERTIFICATE_CHAIN_SHAPE, r.reason());
    assertTrue(r.failure().found().contains("2000"), r.failure().describe());
  }

  @Test
  void sixteenMebibytesOfCertificatesAreRefusedByTheParserBeforeDecoding() {
    byte[] json = HostileInputs.certificateFlood(seed, HostileInputs.MAX_BYTES);
    assertTrue(json.length <= BundleParser.MAX_BUNDLE_BYTES && json.length > 15 << 20, "size " + json.length);
    BundleParseException e =
        timed(
            "parser, 16 MiB of certificates",
            () -> assertThrows(BundleParseException.class, () -> new BundleParser().parse(json)));
    assertTrue(
        e.getMessage().startsWith("$.verificationMaterial.x509CertificateChain.certificates: expected at most 10"),
        e.getMessage());
    byte[] two = HostileInputs.withCertificateChain(seed, HostileInputs.selfIssuedNonCa(2000));
    BundleParseException e2 = assertThrows(BundleParseException.class, () -> new BundleParser().parse(two));
    assertTrue(e2.getMessage().contains("found 2000"), e2.getMessage());
  }

  @Test
  void theParserRefusesOtherOversizedListsToo() {
    byte[] entries = HostileInputs.edit(seed, b -> {
      var list = (com.fasterxml.jackson.databind.node.ArrayNode) b.get("verificationMaterial").get("tlogEntries");
      for (int i = 0; i < 40; i++) {
        list.add(list.get(0).deepCopy());
      }
    });
    assertTrue(
        assertThrows(BundleParseException.class, () -> new BundleParser().parse(entries))
            .getMessage()
            .startsWith("$.verificationMaterial.tlogEntries: expected at most 32 elements, found 41"));
    byte[] hashes = HostileInputs.edit(seed, b -> {
      var h = (com.fasterxml.jackson.databind.node.ArrayNode)
          b.get("verificationMaterial").get("tlogEntries").get(0).get("inclusionProof").get("hashes");
      while (h.size() <= 64) {
        h.add(h.get(0).asText());
      }
    });
    assertTrue(
        assertThrows(BundleParseException.class, () -> new BundleParser().parse(hashes))
            .getMessage()
            .contains("inclusionProof.hashes: expected at most 64 elements"));
  }

  @Test
  void theParserLimitsAreTheVerifiersLimits() {
    assertEquals(VerifierOptions.MAX_TLOG_ENTRIES, BundleParser.MAX_TLOG_ENTRIES);
    assertEquals(VerifierOptions.MAX_TIMESTAMPS, BundleParser.MAX_TIMESTAMPS);
    assertEquals(Verifier.MAX_CERTIFICATES, BundleParser.MAX_CERTIFICATES);
  }

  /** The chain verifier bounds its own inputs: a caller that skips the verifier's cap gets a refusal, fast. */
  @Test
  void theChainVerifierIsBoundedForItsInputs() throws Exception {
    List<X509Certificate> certs = new ArrayList<>();
    for (byte[] der : HostileInputs.selfIssuedNonCa(2000)) {
      certs.add(Certificates.parse(der));
    }
    var refusal =
        timed(
            "rejectsRootInBundle, 2,000 parsed certificates",
            () -> dev.sigil.verifier.internal.certificate.CertificateChainVerifier.rejectsRootInBundle(certs));
    assertTrue(refusal.orElseThrow().contains("expected at most 10 certificates"), refusal.get());
    KeyPair caKeys = HostileInputs.ec();
    var chains =
        dev.sigil.verifier.internal.certificate.CertificateChainVerifier.of(
            List.of(
                new dev.sigil.verifier.internal.certificate.TrustedCertificateAuthority(
                    List.of(parse(HostileInputs.caWithPathLen("CN=ca", BigInteger.ONE, caKeys, null, null))),
                    Instant.EPOCH,
                    Optional.empty())));
    var r = timed("chain verify, 1 + 1,999 certificates", () -> chains.verify(certs.get(0), certs.subList(1, 2000), Instant.now()));
    assertEquals(Reason.CERTIFICATE_CHAIN_SHAPE, r.reason());
    assertTrue(r.detail().contains("expected at most 10 certificates"), r.detail());
    // Ten self-issued, non-CA certificates, none self-signed: the cheap checks pass and one signature at most is
    // checked per certificate (each is checked: any might be a self-signed root).
    assertTrue(
        dev.sigil.verifier.internal.certificate.CertificateChainVerifier.rejectsRootInBundle(certs.subList(0, 10)).isEmpty());
  }

  static java.util.stream.Stream<HostileInputs.Case> cases() {
    return HostileInputs.cases().stream();
  }

  /**
   * Every hostile bundle, through the parser and the verifier as a caller would: a parse error or a rejection with a
   * reason (a verified result for the few cases that are still valid bundles), never an exception.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("cases")
  void everyHostileBundleIsRefusedAsAResult(HostileInputs.Case c) {
    byte[] json = c.build().apply(seed);
    Verifier v = Verifier.create(PublicGood.trustedRoot());
    VerificationResult r =
        timed(
            "library, " + c.name() + " (" + json.length / 1024 + " KiB)",
            () -> {
              try {
                return v.verify(new BundleParser().parse(json), policy());
              } catch (BundleParseException e) {
                return null;
              }
            });
    if (c.valid()) {
      assertTrue(r != null && r.isVerified(), () -> c.name() + ": " + r);
    } else if (r != null) {
      assertInstanceOf(VerificationResult.Rejected.class, r, () -> c.name() + ": " + r);
    }
  }

  @Test
  void hugeCertificatesAndTimestampsAreRefusedBeforeTheyAreParsed() {
    Bundle big = withChain(happy, List.of(HostileInputs.leafWithExtensions(200_000, 8, true)));
    VerificationResult.Rejected r =
        rejected(timed("library, a leaf of 200,000 extensions", () -> Verifier.create(PublicGood.trustedRoot()).verify(big, policy())));
    assertEquals(Reason.CERTIFICATE_MALFORMED, r.reason());
    assertTrue(r.failure().expected().contains("at most 65536 bytes"), r.failure().describe());
    Bundle.VerificationMaterial m = happy.verificationMaterial();
    Bundle stamped =
        new Bundle(
            happy.version(),
            happy.mediaType(),
            new Bundle.VerificationMaterial(
                m.publicKeyHint(), m.certificateChain(), m.tlogEntries(), List.of(new byte[64 * 1024 + 1])),
            happy.messageSignature(),
            happy.dsseEnvelope());
    VerificationResult.Rejected t = rejected(Verifier.create(PublicGood.trustedRoot()).verify(stamped, policy()));
    assertEquals(Reason.TIMESTAMPS_MALFORMED, t.reason());
  }

  // ---- basicConstraints pathLenConstraint >= 2^31 ----

  private static final BigInteger HUGE = BigInteger.ONE.shiftLeft(31);

  /** Parsed the way a bundle's certificate is: the JDK refuses it, BouncyCastle's provider reads it. */
  private static X509Certificate parse(byte[] der) throws Exception {
    return Certificates.parse(der);
  }

  @Test
  void bouncyCastleReadsTheCertificateAndThrowsOnItsPathLength() throws Exception {
    KeyPair k = HostileInputs.ec();
    byte[] der = HostileInputs.caWithPathLen("CN=root", HUGE, k, null, null);
    X509Certificate bc =
        (X509Certificate)
            CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                .generateCertificate(new ByteArrayInputStream(der));
    assertThrows(ArithmeticException.class, bc::getBasicConstraints);
    assertThrows(
        Exception.class,
        () -> CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
    // Sigil's parser hands it to the provider that reads it.
    assertEquals(bc.getEncoded().length, parse(der).getEncoded().length);
  }

  /** A signed, timestamped keyless bundle under a private CA and TSA, so that verification reaches the chain. */
  private record Private(TrustedMaterial material, Bundle bundle) {}

  private static Private privateSigstore(
      TestTimestampAuthority tsa, List<X509Certificate> caChain, KeyPair leafKeys, List<byte[]> bundleChain)
      throws Exception {
    CertificateAuthority ca =
        new CertificateAuthority(DistinguishedName.empty(), "", caChain, ValidityPeriod.unbounded(), "");
    CertificateAuthority tsaCa =
        new CertificateAuthority(DistinguishedName.empty(), "", tsa.chain(), ValidityPeriod.unbounded(), "");
    TrustedMaterial material =
        new TrustedMaterial.Collection(List.of(ca), List.of(), List.of(), List.of(tsaCa), List.of());
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(leafKeys.getPrivate());
    s.update(artifact.content().orElseThrow());
    byte[] sig = s.sign();
    byte[] stamp = tsa.stamp(sig).build();
    Bundle b =
        new Bundle(
            BundleVersion.V0_3,
            happy.mediaType(),
            new Bundle.VerificationMaterial(Optional.empty(), bundleChain, List.of(), List.of(stamp)),
            Optional.of(
                new MessageSignature(
                    Optional.of(new MessageDigest(HashAlgorithm.SHA2_256, artifact.digest(HashAlgorithm.SHA2_256).orElseThrow())),
                    sig)),
            Optional.empty());
    return new Private(material, b);
  }

  /** The private CA logs to no CT log. */
  private static Verifier noSct(TrustedMaterial m) {
    return Verifier.create(m, VerifierOptions.builder().sctThreshold(0).build());
  }

  private static VerificationPolicy noLogPolicy() {
    return VerificationPolicy.builder()
        .artifact(artifact)
        .withoutIdentityUnsafe()
        .withoutTransparencyLogUnsafe()
        .build();
  }

  private static final Instant GEN = TestTimestampAuthority.DEFAULT_GEN_TIME;

  @Test
  void aLeafThatIsACaWithAHugePathLengthIsRejectedWithAReason() throws Exception {
    TestTimestampAuthority tsa = TestTimestampAuthority.create();
    KeyPair rootKeys = HostileInputs.ec();
    KeyPair leafKeys = HostileInputs.ec();
    X509Certificate root = parse(HostileInputs.caWithPathLen("CN=root,O=t", BigInteger.ONE, rootKeys, null, null, GEN.minusSeconds(3600)));
    byte[] leaf = HostileInputs.caWithPathLen("CN=leaf,O=t", HUGE, leafKeys, "CN=root,O=t", rootKeys, GEN.minusSeconds(3600));
    Private p = privateSigstore(tsa, List.of(root), leafKeys, List.of(leaf));
    VerificationResult.Rejected r = rejected(noSct(p.material()).verify(p.bundle(), noLogPolicy()));
    assertEquals(Reason.CERTIFICATE_UNTRUSTED, r.reason(), r.failure().describe());
    assertTrue(r.failure().found().contains("found a CA certificate"), r.failure().describe());
  }

  @Test
  void aBundleIntermediateWithAHugePathLengthIsRejectedWithAReason() throws Exception {
    TestTimestampAuthority tsa = TestTimestampAuthority.create();
    KeyPair rootKeys = HostileInputs.ec();
    KeyPair midKeys = HostileInputs.ec();
    KeyPair leafKeys = HostileInputs.ec();
    X509Certificate root = parse(HostileInputs.caWithPathLen("CN=root,O=t", BigInteger.ONE, rootKeys, null, null, GEN.minusSeconds(3600)));
    // A self-issued intermediate (subject = issuer = the root's name), so that the root-in-bundle check reads it.
    byte[] mid = HostileInputs.caWithPathLen("CN=root,O=t", HUGE, midKeys, "CN=root,O=t", rootKeys, GEN.minusSeconds(3600));
    byte[] leaf = HostileInputs.leaf("CN=leaf,O=t", leafKeys.getPublic(), "CN=root,O=t", midKeys, GEN.minusSeconds(3600));
    Private p = privateSigstore(tsa, List.of(root), leafKeys, List.of(leaf, mid));
    VerificationResult.Rejected r = rejected(noSct(p.material()).verify(p.bundle(), noLogPolicy()));
    assertEquals(Reason.CERTIFICATE_CHAIN_SHAPE, r.reason(), r.failure().describe());
    assertTrue(r.failure().found().contains("self-issued CA certificate #2"), r.failure().describe());
  }

  /**
   * A trusted CA whose pathLenConstraint exceeds an int: RFC 5280 allows any non-negative INTEGER, and a limit that
   * large limits nothing (Go's x509, behind sigstore-go, reads it as such), so the CA is usable and a leaf it issued
   * verifies; one it did not issue is rejected with a reason.
   */
  @Test
  void aTrustedRootCaWithAHugePathLengthIsUsableAndNothingEscapes() throws Exception {
    TestTimestampAuthority tsa = TestTimestampAuthority.create();
    KeyPair rootKeys = HostileInputs.ec();
    KeyPair leafKeys = HostileInputs.ec();
    X509Certificate root = parse(HostileInputs.caWithPathLen("CN=root,O=t", HUGE, rootKeys, null, null, GEN.minusSeconds(3600)));
    byte[] leaf = HostileInputs.leaf("CN=leaf,O=t", leafKeys.getPublic(), "CN=root,O=t", rootKeys, GEN.minusSeconds(3600));
    Private p = privateSigstore(tsa, List.of(root), leafKeys, List.of(leaf));
    VerificationResult r = noSct(p.material()).verify(p.bundle(), noLogPolicy());
    assertTrue(r.isVerified(), () -> r.firstFailure().map(Check::describe).orElse(""));

    KeyPair strangerKeys = HostileInputs.ec();
    byte[] stranger = HostileInputs.leaf("CN=leaf,O=t", leafKeys.getPublic(), "CN=root,O=t", strangerKeys, GEN.minusSeconds(3600));
    Private q = privateSigstore(tsa, List.of(root), leafKeys, List.of(stranger));
    VerificationResult.Rejected rej = rejected(noSct(q.material()).verify(q.bundle(), noLogPolicy()));
    assertEquals(Reason.CERTIFICATE_UNTRUSTED, rej.reason(), rej.failure().describe());
  }

  /** An RSA key with a 3071-bit public exponent costs ~100 ms per verification; such keys are refused by shape. */
  @Test
  void rsaKeysWithHugeExponentsAreRefusedBeforeAnySignatureIsChecked() {
    Bundle hostile = withChain(happy, HostileInputs.bigExponentChain(10));
    Verifier v = Verifier.create(PublicGood.trustedRoot());
    VerificationResult.Rejected r = rejected(timed("library, 10 RSA-3072 keys with 3071-bit exponents", () -> v.verify(hostile, policy())));
    assertEquals(Reason.UNSUPPORTED_KEY, r.reason(), r.failure().describe());
    assertTrue(r.failure().found().contains("3071-bit"), r.failure().describe());
  }
}
