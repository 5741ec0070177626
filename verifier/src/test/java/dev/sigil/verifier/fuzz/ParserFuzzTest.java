/*
 * Fuzz targets for the two parsers that read untrusted input (bundles, trusted roots) and for the verifier behind
 * them, with Jazzer (com.code-intelligence:jazzer-junit).
 *
 * Modes:
 *  - Regression (the default, no JAZZER_FUZZ): each @FuzzTest runs as a JUnit parameterized test on the empty input
 *    and on every file of its seed corpus, src/test/resources/dev/sigil/verifier/fuzz/ParserFuzzTestInputs/<method>/
 *    (real bundles and trusted roots).
 *  - Fuzzing: `mvn test` also runs the surefire execution "fuzz-bundle-parse" (verifier/pom.xml), which sets
 *    JAZZER_FUZZ=1 and fuzzes bundleParse for its maxDuration (25 s). Jazzer fuzzes one @FuzzTest per JVM, hence a
 *    separate execution. Skip it with -Dsigil.fuzz.skip=true. The generated corpus and any crash-* reproducers go
 *    to verifier/target/jazzer/, never into the seed directories.
 *
 * Longer campaigns: run the Jazzer driver from the command line on a test class path; libFuzzer flags given there
 * override the annotation's maxDuration. From the repository root:
 *
 *   mvn -B -q -pl verifier -am test-compile
 *   mvn -B -q -pl verifier dependency:build-classpath -Dmdep.outputFile=target/test.cp
 *   cd verifier && mkdir -p target/jazzer/corpus-bundleParse
 *   java -cp "target/test-classes:target/classes:$(cat target/test.cp)" com.code_intelligence.jazzer.Jazzer \
 *     --target_class=dev.sigil.verifier.fuzz.ParserFuzzTest --target_method=bundleParse \
 *     target/jazzer/corpus-bundleParse src/test/resources/dev/sigil/verifier/fuzz/ParserFuzzTestInputs/bundleParse \
 *     -artifact_prefix=target/jazzer/ -max_total_time=3600
 *
 * (--target_method=trustedRootParse with the trustedRootParse seed directory for the other target.) A finding is
 * written as target/jazzer/crash-<sha1>; replay it with the same command and the crash file instead of the
 * directories. Before adding a reproducer to the seed directory (which makes it a regression test), fix the bug: a
 * seed that still fails breaks `mvn test`.
 */
package dev.sigil.verifier.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sigil.verifier.Artifact;
import dev.sigil.verifier.CertificateSigner;
import dev.sigil.verifier.Check;
import dev.sigil.verifier.VerificationPolicy;
import dev.sigil.verifier.VerificationResult;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.bundle.Bundle;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.BundleWriter;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigil.verifier.trust.TrustedRootException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * The parsers must turn every input into either a value or their documented checked exception ({@link
 * BundleParseException}, {@link TrustedRootException}), and the verifier must turn every parsed bundle into a {@link
 * VerificationResult}: any other exception or error escaping is a finding. Results are checked for their documented
 * invariants only (a verified result has no failed check and names the policy's signer; a rejected one names its
 * failure).
 */
class ParserFuzzTest {
  private static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  private static final BundleParser PARSER = new BundleParser();
  private static final BundleWriter WRITER = new BundleWriter();
  private static final Verifier PUBLIC_GOOD = Verifier.create(PublicGood.trustedRoot());
  /** The sigstore-conformance artifact that the public-good seed bundles sign (shared with MutationTest). */
  private static final Artifact ARTIFACT = Artifact.ofContent(resource("/mutation/a.txt"));
  private static final VerificationPolicy POLICY =
      VerificationPolicy.identity(ARTIFACT, IdentityMatcher.exact(IDENTITY, ISSUER));
  /** A real public-good bundle, verified under each fuzzed trusted root. */
  private static final Bundle PUBLIC_GOOD_BUNDLE = parseSeed("bundleParse/happy-path-v0.3.json");

  /**
   * Parses the input as a bundle; a bundle that parses is written back (it must round-trip to a fixed point) and
   * verified against the public-good root with an identity policy.
   */
  @FuzzTest(maxDuration = "25s")
  @DictionaryEntries({
    "\"mediaType\"", "\"application/vnd.dev.sigstore.bundle.v0.3+json\"",
    "\"application/vnd.dev.sigstore.bundle+json;version=0.2\"", "\"verificationMaterial\"", "\"certificate\"",
    "\"x509CertificateChain\"", "\"certificates\"", "\"publicKey\"", "\"hint\"", "\"rawBytes\"", "\"tlogEntries\"",
    "\"logIndex\"", "\"logId\"", "\"keyId\"", "\"kindVersion\"", "\"kind\"", "\"version\"", "\"integratedTime\"",
    "\"inclusionPromise\"", "\"signedEntryTimestamp\"", "\"inclusionProof\"", "\"rootHash\"", "\"treeSize\"",
    "\"hashes\"", "\"checkpoint\"", "\"envelope\"", "\"canonicalizedBody\"", "\"timestampVerificationData\"",
    "\"rfc3161Timestamps\"", "\"signedTimestamp\"", "\"messageSignature\"", "\"messageDigest\"", "\"algorithm\"",
    "\"digest\"", "\"signature\"", "\"dsseEnvelope\"", "\"payload\"", "\"payloadType\"", "\"signatures\"",
    "\"sig\"", "\"keyid\"", "\"SHA2_256\"", "\"hashedrekord\"", "\"dsse\"", "\"intoto\"", "\"0.0.1\"", "\"0.0.2\"",
    "\"application/vnd.in-toto+json\"", "\"9223372036854775807\"", "\"-1\"", "null"
  })
  void bundleParse(byte[] input) {
    Bundle bundle;
    try {
      bundle = PARSER.parse(input);
    } catch (BundleParseException e) {
      assertNotNull(e.getMessage());
      return;
    }
    byte[] written = WRITER.write(bundle);
    Bundle reread;
    try {
      reread = PARSER.parse(written);
    } catch (BundleParseException e) {
      throw new AssertionError("BundleWriter output does not parse: " + e.getMessage(), e);
    }
    assertArrayEquals(written, WRITER.write(reread), "write(parse(write(b))) must equal write(b)");

    checkResult(PUBLIC_GOOD.verify(bundle, POLICY));
  }

  /**
   * Parses the input as a trusted root; a root that parses must yield a verifier, which must return a result for a
   * real public-good bundle.
   */
  @FuzzTest(maxDuration = "25s")
  @DictionaryEntries({
    "\"mediaType\"", "\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"",
    "\"application/vnd.dev.sigstore.trustedroot.v0.2+json\"", "\"tlogs\"", "\"ctlogs\"",
    "\"certificateAuthorities\"", "\"timestampAuthorities\"", "\"baseUrl\"", "\"hashAlgorithm\"", "\"publicKey\"",
    "\"rawBytes\"", "\"keyDetails\"", "\"validFor\"", "\"start\"", "\"end\"", "\"logId\"", "\"keyId\"",
    "\"subject\"", "\"organization\"", "\"commonName\"", "\"uri\"", "\"certChain\"", "\"certificates\"",
    "\"operator\"", "\"SHA2_256\"", "\"PKIX_ECDSA_P256_SHA_256\"", "\"PKIX_ED25519\"", "\"PKIX_RSA_PKCS1V15_2048_SHA256\"",
    "\"2021-01-12T11:53:27Z\"", "\"9999-12-31T23:59:59Z\"", "null"
  })
  void trustedRootParse(byte[] input) {
    TrustedRoot root;
    try {
      root = TrustedRoot.parse(input);
    } catch (TrustedRootException e) {
      assertNotNull(e.getMessage());
      return;
    }
    Verifier verifier = Verifier.create(root);
    checkResult(verifier.verify(PUBLIC_GOOD_BUNDLE, POLICY));
  }

  // Findings, reported and not yet fixed in main code. Each reproducer is a seed with a few bytes changed; it is kept
  // out of the seed directories (where it would fail every build) until the bug is fixed. Then drop @Disabled, or
  // add the reproducer to the seed directory.

  /**
   * trustedRootParse: a trusted-root CA certificate whose key does not decode. The CA certificate has a TBS signature
   * algorithm OID that the JDK's parser refuses, so {@code Certificates.parse} falls back to BouncyCastle, which
   * parses the certificate but decodes its EC public key (here not on the curve) only on demand. {@code
   * TrustedRoot.parse} accepts the root; the first {@code Verifier.verify} builds {@code CertificateChecks}, and
   * {@code CertificateChainVerifier.prepare} calls {@code X509Certificate.getPublicKey()}, which throws {@code
   * IllegalStateException: failed to recover public key: malformed public key}.
   */
  @Test
  void findingTrustedRootCaWithUndecodableKey() {
    trustedRootParse(
        patch(
            resource("ParserFuzzTestInputs/trustedRootParse/conformance-trust-root-tlog-validity-end-inclusive.json"),
            // certificateAuthorities[0].certChain.certificates[0].rawBytes: the TBS signature algorithm OID
            // ("...hkjOPQQDAz..." -> "...hkzOPQQDAz...") and the subject public key's EC point.
            1493, 'j', 'z',
            1810, '2', '1'));
  }

  /**
   * trustedRootParse: a CT log ID that is not 32 bytes. {@code TrustedRoot.parse} accepts any non-empty {@code
   * ctlogs[].logId.keyId}; the first {@code Verifier.verify} builds {@code CertificateChecks}, whose {@code
   * TrustedCtLog} constructor throws {@code IllegalArgumentException: CT log ID: expected 32 bytes (SHA-256), found
   * 33}. (The reader should refuse it, RFC 6962 log IDs being SHA-256, or the CT log be set aside.)
   */
  @Test
  void findingTrustedRootCtLogIdNot32Bytes() {
    trustedRootParse(
        patch(
            resource("ParserFuzzTestInputs/trustedRootParse/public-good.json"),
            // ctlogs[0].logId.keyId "...IgY2b3I=" (32 bytes) -> "...IgY2b3IA" (33 bytes)
            4425, '=', 'A'));
  }

  /**
   * bundleParse: a self-issued certificate in the bundle whose key does not decode. One byte changes the curve OID
   * of the chain's self-signed root (1.3.132.0.34 -> 1.3.260.0.34); the JDK refuses the certificate, BouncyCastle
   * parses it, and {@code CertificateChainVerifier.rejectsRootInBundle} calls {@code getPublicKey()} on it (to see
   * whether it is self-signed), which throws {@code IllegalStateException} out of {@code Verifier.verify}. (The leaf
   * certificate's key is already guarded in {@code Verifier.verify}.)
   */
  @Test
  void findingBundleRootCertificateWithUndecodableKey() {
    bundleParse(
        patch(
            resource("ParserFuzzTestInputs/bundleParse/bundle-with-root-cert_fail.json"),
            // verificationMaterial.x509CertificateChain.certificates[1].rawBytes, in the SPKI curve OID
            1412, 'B', 'C'));
  }

  /** Returns a copy of {@code seed} with bytes replaced: (offset, expected old byte, new byte) triples. */
  private static byte[] patch(byte[] seed, int... edits) {
    byte[] out = seed.clone();
    for (int i = 0; i < edits.length; i += 3) {
      assertEquals((byte) edits[i + 1], out[edits[i]], "the seed changed; re-derive the reproducer");
      out[edits[i]] = (byte) edits[i + 2];
    }
    return out;
  }

  /** The documented invariants of a result; a verified one must name the policy's signer. */
  private static void checkResult(VerificationResult r) {
    assertNotNull(r);
    boolean anyFailed = r.checks().stream().anyMatch(c -> c.outcome() == Check.Outcome.FAILED);
    assertEquals(!anyFailed, r.isVerified(), "verified iff no check failed");
    assertFalse(r.checks().isEmpty(), "a result lists its checks");
    if (r instanceof VerificationResult.Verified v) {
      CertificateSigner signer = (CertificateSigner) v.signer();
      assertEquals(IDENTITY, signer.subjectAlternativeName(), "a verified bundle names the policy's signer");
      assertEquals(ISSUER, signer.issuer().orElseThrow(), "a verified bundle names the policy's issuer");
      assertFalse(v.signingTimes().isEmpty(), "a verified certificate bundle has a verified signing time");
    } else {
      assertTrue(r.firstFailure().isPresent(), "a rejected result names its failure");
      Check f = r.firstFailure().get();
      assertFalse(f.describe().isEmpty());
    }
  }

  private static Bundle parseSeed(String path) {
    try {
      return PARSER.parse(resource("ParserFuzzTestInputs/" + path));
    } catch (BundleParseException e) {
      throw new IllegalStateException("seed " + path + " does not parse: " + e.getMessage(), e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ParserFuzzTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
