package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Mutation testing of the whole verifier on real sigstore-conformance bundles: every passing case must verify, and
 * every bundle derived from it by changing exactly one thing (a signature bit, a certificate byte, a proof hash, a
 * checkpoint line, a log index, a timestamp byte, ...) must be rejected, either as a {@link BundleParseException} or
 * as a {@link VerificationResult} that is not verified. No unchecked exception may escape. Mutations are made on the
 * JSON tree (Jackson), so every mutant is well-formed JSON and differs from the original in one value only.
 *
 * <p>Each mutant is its own dynamic test named {@code <case> / <mutant>}. A summary (mutants per case and which check
 * rejected them) is printed after the run.
 *
 * <p>Two kinds of mutant are not required to be rejected, each listed by exact name with its reason:
 *
 * <ul>
 *   <li>{@link #BENIGN}: the mutation changes nothing that the Sigstore, RFC 3161, CMS or signed-note specs give a
 *       meaning to (for example a cosignature line by a witness the trusted root does not know). These still run,
 *       and are reported as skipped when they are accepted.
 *   <li>{@link #KNOWN_GAPS}: the mutant should be rejected and is not: a missing check in the verifier, reported and
 *       awaiting a fix in main code. These are the per-mutant equivalent of {@code @Disabled}: they run, and are
 *       reported as skipped with the reason while the gap remains; once fixed they pass like any other mutant.
 * </ul>
 *
 * <p>Test data: {@code src/test/resources/mutation/} (see the README there).
 */
class MutationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BundleParser PARSER = new BundleParser();

  /** {@code -Dmutation.verbose=true} prints every mutant with the check that rejected it (surefire: argLine). */
  private static final boolean VERBOSE = Boolean.getBoolean("mutation.verbose");

  /** The passing conformance cases mutated here. */
  private static final List<String> CASES =
      List.of(
          "happy-path-v0.3",
          "happy-path-v0.2",
          "happy-path-intoto-in-dsse-v3",
          "rekor2-happy-path",
          "rekor2-dsse-happy-path",
          "managed-key-happy-path",
          "intoto-with-custom-trust-root");

  /** sigstore-conformance's defaults when a case has no identity / issuer file (see UPSTREAM-README.md). */
  private static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";

  private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  /**
   * Mutants that may be accepted because the changed bytes carry no meaning any spec asks a verifier to check. Key:
   * the exact mutant name ({@code <case> / <mutant>}); value: the justification.
   */
  private static final Map<String, String> BENIGN = new TreeMap<>();

  /** Mutants that should be rejected but are not: missing checks, reported for a fix in main code. */
  private static final Map<String, String> KNOWN_GAPS = new TreeMap<>();

  /** Mutants that make an unchecked exception escape the verifier: bugs, reported for a fix in main code. */
  private static final Map<String, String> KNOWN_CRASHES = new TreeMap<>();

  static {
    String witness =
        "the line is a witness cosignature by a key the trusted root does not list; c2sp.org/signed-note says"
            + " verifiers ignore signatures by unknown keys, Sigil (like sigstore-go) has no witness policy, and the"
            + " log's own signature line, which is checked, is untouched";
    for (int line = 2; line <= 4; line++) {
      for (String m : List.of("flip a base64 char", "dropped", "key hint changed", "key name changed")) {
        BENIGN.put(
            "rekor2-dsse-happy-path / tlog[0] checkpoint signature line " + line + " " + m,
            witness);
      }
    }
    // Rekor v1 checkpoints: the log's signature line is found by its key ID alone, SHA-256 of the log's PKIX key,
    // which does not bind the name (rekor pkg/util/signed_note.go; sigstore-go and sigstore-python match the same
    // way; Sigil since "Rekor v1 checkpoint lines are the log's by key ID alone"). The name on a signature line is not
    // covered by the signature, which still verifies with the log's key over the unchanged note text (origin
    // included). Rekor v2 (C2SP) key IDs do bind the name, and there the same mutant is rejected.
    for (String c : List.of("happy-path-v0.3", "happy-path-v0.2", "happy-path-intoto-in-dsse-v3",
        "managed-key-happy-path", "intoto-with-custom-trust-root")) {
      BENIGN.put(c + " / tlog[0] checkpoint signature line 1 key name changed",
          "Rekor v1 signature lines are the log's by key ID alone; the unsigned name on the line is not bound to the"
              + " key (rekor, sigstore-go and sigstore-python ignore it too); the signature over the unchanged text"
              + " still verifies with the log's key");
    }
    List<String> tsaCases =
        List.of("rekor2-happy-path", "rekor2-dsse-happy-path", "managed-key-happy-path", "intoto-with-custom-trust-root");
    for (String c : tsaCases) {
      String ts = c + " / timestamp[0] DER ";
      // TimeStampResp.status.status (path 0.0.0).
      BENIGN.put(ts + "0.0.0 INTEGER: flip bit 0 of byte 1/1",
          "PKIStatus granted (0) -> grantedWithMods (1): RFC 3161 §2.4.2 makes both a granted response that carries"
              + " the token; the status lies outside the signed token, and sigstore-go (digitorus/timestamp) accepts"
              + " both as well");
      // SignedData.version (path 0.1.1.0.0) and SignerInfo.version (0.1.1.0.4.0.0).
      String version =
          "a CMS syntax version number outside the signature (3 -> 2 for SignedData, 1 -> 0 for SignerInfo): RFC 5652"
              + " §5.1/§5.3 tell the sender how to set it and give the receiver no rule; no field's meaning depends"
              + " on it (the signer identifier is read by its tag), and BouncyCastle and sigstore-go"
              + " (digitorus/pkcs7) both ignore it";
      BENIGN.put(ts + "0.1.1.0.0 INTEGER: flip bit 0 of byte 1/1", version);
      BENIGN.put(ts + "0.1.1.0.4.0.0 INTEGER: flip bit 0 of byte 1/1", version);
      // SignedData.digestAlgorithms[0] (path 0.1.1.0.1.0.0).
      String digestAlgorithms =
          "SignedData.digestAlgorithms, an unsigned, informational list \"to facilitate one-pass signature"
              + " verification\" (RFC 5652 §5.1); the digest actually used is the SignerInfo's digestAlgorithm, which"
              + " is checked (its mutants are rejected)";
      BENIGN.put(ts + "0.1.1.0.1.0.0 OID: flip bit 0 of byte 9/9", digestAlgorithms);
      BENIGN.put(ts + "0.1.1.0.1.0.0 OID: flip bit 6 of byte 5/9", digestAlgorithms);
      // Fixed: TimestampVerifier now requires id-signedData; these mutants must be rejected (no entry here).
    }
    // rekor2-happy-path's token embeds the TSA certificate (SignedData.certificates, path 0.1.1.0.3.0). Sigil never
    // trusts embedded certificates; it only requires one that matches the signer identifier to be byte-identical to
    // the trusted leaf (flips elsewhere in it, which keep the match, are rejected by that rule).
    String embeddedNoMatch =
        "the embedded certificate's issuer or serial is changed, so it no longer names the signer; CMS"
            + " SignedData.certificates is an unsigned bag that may hold unrelated certificates (RFC 5652 §5.1), and"
            + " the signer is verified with the trusted root's leaf, which the ESSCertIDv2 binds. Note: sigstore-go"
            + " (timestamp-authority verifyLeafCert) would reject, as it requires the first non-CA embedded certificate"
            + " to equal the trusted leaf";
    String emb = "rekor2-happy-path / timestamp[0] DER 0.1.1.0.3.0.0.";
    for (String f : List.of(
        "1 INTEGER: flip bit 0 of byte 20/20",
        "1 INTEGER: flip bit 6 of byte 11/20",
        "3.0.0.0 OID: flip bit 0 of byte 3/3",
        "3.0.0.0 OID: flip bit 6 of byte 2/3",
        "3.0.0.1 PrintableString: flip bit 0 of byte 12/12",
        "3.0.0.1 PrintableString: flip bit 6 of byte 7/12",
        "3.1.0.0 OID: flip bit 0 of byte 3/3",
        "3.1.0.0 OID: flip bit 6 of byte 2/3",
        "3.1.0.1 PrintableString: flip bit 0 of byte 23/23",
        "3.1.0.1 PrintableString: flip bit 6 of byte 12/23")) {
      BENIGN.put(emb + f, embeddedNoMatch);
    }
    BENIGN.put("rekor2-happy-path / timestamp[0] raw offset 315: flip bit 2",
        "the byte is in the embedded TSA certificate's issuer name (organizationName \"sigstore.dev\"): " + embeddedNoMatch);
    // Fixed: TimestampVerifier now rejects tokens whose certificates do not parse (no entry here).

    // Fixed: an integrated time beyond year 9999 is a failed check ("integrated time: expected a Unix time between
    // 1 and ..."), no longer a DateTimeException.
  }

  private static final Map<String, Stats> STATS = new ConcurrentHashMap<>();

  /** Counts for the summary. */
  private static final class Stats {
    final AtomicInteger mutants = new AtomicInteger();
    final AtomicInteger parseRejected = new AtomicInteger();
    final Map<String, AtomicInteger> byCheck = new ConcurrentHashMap<>();
    final List<String> benign = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> gaps = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  /** One conformance case, ready to verify. */
  private record Case(String name, ObjectNode bundle, Verifier verifier, Artifact artifact, VerificationPolicy policy) {}

  /** One mutant: a name and an edit applied to a deep copy of the bundle's JSON tree. */
  private record Mutant(String name, Consumer<ObjectNode> edit) {}

  /** The outcome of verifying one document. */
  private record Outcome(boolean accepted, String rejectedBy, String detail) {}

  @TestFactory
  Stream<DynamicNode> everyMutantIsRejected() {
    return CASES.stream().map(MutationTest::casePlan);
  }

  private static DynamicContainer casePlan(String name) {
    Case c = load(name);
    List<Mutant> mutants = mutants(c.bundle());
    Stats stats = STATS.computeIfAbsent(name, k -> new Stats());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Mutant m : mutants) {
      if (!seen.add(m.name())) {
        throw new IllegalStateException("duplicate mutant name " + name + " / " + m.name());
      }
    }
    // Verifying is CPU-bound (ECDSA in BouncyCastle) and the Verifier is thread-safe: run the mutants on every core
    // up front, then report each one as its own test.
    byte[] original = bytes(c.bundle());
    List<Run> runs;
    ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    try {
      runs = pool.submit(() -> mutants.parallelStream().map(m -> run(c, m, original)).toList()).join();
    } finally {
      pool.shutdown();
    }
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            name + " / unmutated bundle verifies",
            () -> {
              VerificationResult r = c.verifier().verify(PARSER.parse(original), c.policy());
              assertTrue(r.isVerified(), () -> name + ": the unmutated case must verify, found " + r.firstFailure());
            }));
    tests.add(
        DynamicTest.dynamicTest(
            name + " / every listed exception names a mutant",
            () -> {
              List<String> stale = new ArrayList<>();
              for (Map<String, String> listed : List.of(BENIGN, KNOWN_GAPS, KNOWN_CRASHES)) {
                for (String key : listed.keySet()) {
                  if (key.startsWith(name + " / ") && !seen.contains(key.substring(name.length() + 3))) {
                    stale.add(key);
                  }
                }
              }
              assertTrue(stale.isEmpty(), () -> "exceptions naming no mutant (renamed or removed?): " + stale);
            }));
    for (Run r : runs) {
      tests.add(DynamicTest.dynamicTest(name + " / " + r.mutant().name(), () -> judge(name + " / " + r.mutant().name(), r, stats)));
    }
    return DynamicContainer.dynamicContainer(name + " (" + mutants.size() + " mutants)", tests);
  }

  /** What happened to one mutant: unchanged document, an outcome, or an unchecked exception. */
  private record Run(Mutant mutant, boolean unchanged, Outcome outcome, Throwable escaped) {}

  private static Run run(Case c, Mutant m, byte[] original) {
    ObjectNode copy = c.bundle().deepCopy();
    m.edit().accept(copy);
    byte[] doc = bytes(copy);
    if (java.util.Arrays.equals(doc, original)) {
      return new Run(m, true, null, null);
    }
    try {
      return new Run(m, false, verify(c, doc), null);
    } catch (RuntimeException | Error e) {
      return new Run(m, false, null, e);
    }
  }

  private static void judge(String full, Run r, Stats stats) {
    stats.mutants.incrementAndGet();
    assertFalse(r.unchanged(), () -> full + ": the mutation changed nothing");
    if (r.escaped() != null) {
      if (KNOWN_CRASHES.containsKey(full)) {
        stats.gaps.add(full + " (crash)");
        Assumptions.abort("DISABLED (known bug, reported): " + KNOWN_CRASHES.get(full) + "; escaped: " + r.escaped());
      }
      stats.failed.add(full);
      throw new AssertionError(
          full + ": an unchecked exception escaped (expected a result or BundleParseException): " + r.escaped(),
          r.escaped());
    }
    Outcome o = r.outcome();
    if (VERBOSE) {
      System.out.println(full + " -> " + o.detail());
    }
    if (!o.accepted()) {
      if (o.rejectedBy().equals("bundle parser")) {
        stats.parseRejected.incrementAndGet();
      }
      stats.byCheck.computeIfAbsent(o.rejectedBy(), k -> new AtomicInteger()).incrementAndGet();
      return;
    }
    if (BENIGN.containsKey(full)) {
      stats.benign.add(full);
      Assumptions.abort("benign mutation, accepted by design: " + BENIGN.get(full));
    }
    if (KNOWN_GAPS.containsKey(full)) {
      stats.gaps.add(full);
      Assumptions.abort("DISABLED (known gap, reported): " + KNOWN_GAPS.get(full));
    }
    stats.failed.add(full);
    fail(full + ": the mutant was accepted; it must be rejected");
  }

  private static Outcome verify(Case c, byte[] doc) {
    dev.sigil.verifier.bundle.Bundle b;
    try {
      b = PARSER.parse(doc);
    } catch (BundleParseException e) {
      return new Outcome(false, "bundle parser", e.getMessage());
    }
    VerificationResult r = c.verifier().verify(b, c.policy());
    if (r.isVerified()) {
      return new Outcome(true, "", "verified");
    }
    Check failed = r.firstFailure().orElseThrow();
    // Check names carry entry indexes ("transparency log entry 123", "timestamp 1"); group without them.
    return new Outcome(false, failed.name().replaceAll(" -?\\d+$", ""), failed.describe());
  }

  @AfterAll
  static void printSummary() {
    StringBuilder sb = new StringBuilder("\nMutationTest summary\n");
    int total = 0;
    for (String name : CASES) {
      Stats s = STATS.get(name);
      if (s == null) {
        continue;
      }
      total += s.mutants.get();
      sb.append(String.format(
          "  %-32s %4d mutants: %4d rejected by the parser, %4d by the verifier, %d benign accepted, %d known gaps,"
              + " %d FAILED%n",
          name, s.mutants.get(), s.parseRejected.get(),
          s.byCheck.entrySet().stream().filter(e -> !e.getKey().equals("bundle parser"))
              .mapToInt(e -> e.getValue().get()).sum(),
          s.benign.size(), s.gaps.size(), s.failed.size()));
      sb.append("      first failed check: ").append(new TreeMap<>(s.byCheck)).append('\n');
      for (String g : s.gaps) {
        sb.append("      known gap: ").append(g).append('\n');
      }
      for (String f : s.failed) {
        sb.append("      FAILED: ").append(f).append('\n');
      }
    }
    sb.append("  total: ").append(total).append(" mutants\n");
    System.out.print(sb);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Loading

  private static Case load(String name) {
    String dir = "/mutation/" + name + "/";
    ObjectNode bundle;
    try {
      bundle = (ObjectNode) JSON.readTree(resource(dir + "bundle.sigstore.json").orElseThrow());
      byte[] rootJson =
          resource(dir + "trusted_root.json").orElseGet(() -> resource("/mutation/public-good-trusted_root.json").orElseThrow());
      TrustedRoot root = TrustedRoot.parse(rootJson);
      Artifact artifact =
          Artifact.ofContent(resource(dir + "artifact").orElseGet(() -> resource("/mutation/a.txt").orElseThrow()));
      Optional<byte[]> key = resource(dir + "key.pub");
      VerificationPolicy policy;
      TrustedMaterial trusted = root;
      if (key.isPresent()) {
        trusted =
            TrustedMaterial.combine(
                root, PublicKeyMaterial.of(PublicKeys.fromPem(new String(key.get(), StandardCharsets.US_ASCII))));
        policy = VerificationPolicy.publicKey(artifact);
      } else {
        String identity = resource(dir + "identity").map(b -> new String(b, StandardCharsets.UTF_8).strip())
            .orElse(DEFAULT_IDENTITY);
        String issuer = resource(dir + "issuer").map(b -> new String(b, StandardCharsets.UTF_8).strip())
            .orElse(DEFAULT_ISSUER);
        policy = VerificationPolicy.identity(artifact, IdentityMatcher.exact(identity, issuer));
      }
      return new Case(name, bundle, Verifier.create(trusted), artifact, policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(name + ": cannot load the case: " + e, e);
    }
  }

  private static Optional<byte[]> resource(String path) {
    try (InputStream in = MutationTest.class.getResourceAsStream(path)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The mutants

  private static List<Mutant> mutants(ObjectNode bundle) {
    List<Mutant> out = new ArrayList<>();
    JsonNode vm = bundle.path("verificationMaterial");

    // Media type: versions nobody defined.
    for (String mt : List.of(
        "application/vnd.dev.sigstore.bundle.v0.4+json",
        "application/vnd.dev.sigstore.bundle+json;version=0.4",
        "application/vnd.dev.sigstore.bundle.v1.0+json")) {
      out.add(new Mutant("mediaType " + mt, b -> b.put("mediaType", mt)));
    }

    // The message signature and its digest.
    if (bundle.has("messageSignature")) {
      signatureFlips(out, "messageSignature.signature", "/messageSignature/signature", bundle);
      if (bundle.path("messageSignature").has("messageDigest")) {
        out.add(bytesMutant("messageSignature.messageDigest.digest: flip bit 0 of byte 0",
            "/messageSignature/messageDigest/digest", d -> flip(d, 0, 0)));
        out.add(bytesMutant("messageSignature.messageDigest.digest: flip bit 7 of the last byte",
            "/messageSignature/messageDigest/digest", d -> flip(d, d.length - 1, 7)));
        out.add(textMutant("messageSignature.messageDigest.algorithm SHA2_384",
            "/messageSignature/messageDigest/algorithm", s -> "SHA2_384"));
      }
    }

    // The DSSE envelope.
    if (bundle.has("dsseEnvelope")) {
      JsonNode sigs = bundle.path("dsseEnvelope").path("signatures");
      for (int i = 0; i < sigs.size(); i++) {
        signatureFlips(out, "dsseEnvelope.signatures[" + i + "].sig", "/dsseEnvelope/signatures/" + i + "/sig", bundle);
      }
      out.add(bytesMutant("dsseEnvelope.payload: flip bit 0 of the middle byte", "/dsseEnvelope/payload",
          d -> flip(d, d.length / 2, 0)));
      out.add(bytesMutant("dsseEnvelope.payload: flip bit 1 of the last byte", "/dsseEnvelope/payload",
          d -> flip(d, d.length - 1, 1)));
      out.add(textMutant("dsseEnvelope.payloadType one char changed", "/dsseEnvelope/payloadType",
          s -> s.substring(0, s.length() - 1) + (char) (s.charAt(s.length() - 1) ^ 1)));
      out.add(textMutant("dsseEnvelope.payloadType application/json", "/dsseEnvelope/payloadType",
          s -> "application/json"));
    }

    // Certificates.
    if (vm.has("certificate")) {
      certificateMutants(out, "certificate", "/verificationMaterial/certificate/rawBytes", bundle);
    }
    JsonNode chain = vm.path("x509CertificateChain").path("certificates");
    for (int i = 0; i < chain.size(); i++) {
      certificateMutants(out, "x509CertificateChain[" + i + "]",
          "/verificationMaterial/x509CertificateChain/certificates/" + i + "/rawBytes", bundle);
    }

    // Transparency-log entries.
    JsonNode entries = vm.path("tlogEntries");
    for (int i = 0; i < entries.size(); i++) {
      tlogMutants(out, i, entries.get(i));
    }

    // RFC 3161 timestamps.
    JsonNode ts = vm.path("timestampVerificationData").path("rfc3161Timestamps");
    for (int i = 0; i < ts.size(); i++) {
      String ptr = "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/" + i + "/signedTimestamp";
      byte[] der = Base64.getDecoder().decode(bundle.at(ptr).textValue());
      for (DerFlip f : DerFlip.leafFlips(der)) {
        out.add(bytesMutant("timestamp[" + i + "] DER " + f.name(), ptr, f::apply));
      }
      // A few raw offsets too, whatever lies there (tags and lengths included).
      for (int k = 0; k < 8; k++) {
        int off = (int) ((long) der.length * k / 8);
        out.add(bytesMutant("timestamp[" + i + "] raw offset " + off + ": flip bit 2", ptr, d -> flip(d, off, 2)));
      }
    }
    return out;
  }

  private static void signatureFlips(List<Mutant> out, String what, String ptr, ObjectNode bundle) {
    int len = Base64.getDecoder().decode(bundle.at(ptr).textValue()).length;
    for (int off : new int[] {0, len / 2, len - 1}) {
      out.add(bytesMutant(what + ": flip bit 0 of byte " + off, ptr, d -> flip(d, off, 0)));
    }
  }

  private static void certificateMutants(List<Mutant> out, String what, String ptr, ObjectNode bundle) {
    byte[] der = Base64.getDecoder().decode(bundle.at(ptr).textValue());
    for (DerFlip f : DerFlip.leafFlips(der)) {
      // Paths 0.0 = tbsCertificate, 0.1 = signatureAlgorithm, 0.2 = signatureValue (r and s inside it).
      out.add(bytesMutant(what + " DER " + f.name(), ptr, f::apply));
    }
  }

  private static void tlogMutants(List<Mutant> out, int i, JsonNode e) {
    String p = "/verificationMaterial/tlogEntries/" + i;
    String n = "tlog[" + i + "] ";
    long logIndex = Long.parseLong(e.path("logIndex").asText());
    out.add(int64Mutant(n + "logIndex +1", p + "/logIndex", v -> v + 1));
    out.add(int64Mutant(n + "logIndex -1", p + "/logIndex", v -> v - 1));
    out.add(int64Mutant(n + "logIndex negated", p + "/logIndex", v -> -v));
    out.add(int64Mutant(n + "logIndex Long.MIN_VALUE", p + "/logIndex", v -> Long.MIN_VALUE));
    if (e.has("integratedTime")) {
      out.add(int64Mutant(n + "integratedTime +1 s", p + "/integratedTime", v -> v + 1));
      out.add(int64Mutant(n + "integratedTime -1 s", p + "/integratedTime", v -> v - 1));
      out.add(int64Mutant(n + "integratedTime far future (2100-01-01)", p + "/integratedTime", v -> 4102444800L));
      out.add(int64Mutant(n + "integratedTime Long.MAX_VALUE", p + "/integratedTime", v -> Long.MAX_VALUE));
      out.add(int64Mutant(n + "integratedTime 0", p + "/integratedTime", v -> 0));
    }
    if (e.has("inclusionPromise")) {
      String set = p + "/inclusionPromise/signedEntryTimestamp";
      out.add(bytesMutant(n + "SET: flip bit 0 of the middle byte", set, d -> flip(d, d.length / 2, 0)));
      out.add(bytesMutant(n + "SET: flip bit 0 of the last byte", set, d -> flip(d, d.length - 1, 0)));
    }
    out.add(bytesMutant(n + "logId.keyId: flip bit 0 of byte 0", p + "/logId/keyId", d -> flip(d, 0, 0)));
    out.add(bytesMutant(n + "logId.keyId: flip bit 7 of the last byte", p + "/logId/keyId",
        d -> flip(d, d.length - 1, 7)));
    String kind = e.path("kindVersion").path("kind").asText();
    String version = e.path("kindVersion").path("version").asText();
    for (String k : List.of("hashedrekord", "dsse", "intoto")) {
      if (!k.equals(kind)) {
        out.add(textMutant(n + "kindVersion.kind " + k, p + "/kindVersion/kind", s -> k));
      }
    }
    for (String v : List.of("0.0.1", "0.0.2", "0.0.3")) {
      if (!v.equals(version)) {
        out.add(textMutant(n + "kindVersion.version " + v, p + "/kindVersion/version", s -> v));
      }
    }
    bodyMutants(out, n, p + "/canonicalizedBody", e.path("canonicalizedBody").asText(), kind + " " + version);

    JsonNode proof = e.path("inclusionProof");
    if (!proof.isMissingNode()) {
      String pp = p + "/inclusionProof";
      int hashes = proof.path("hashes").size();
      for (int h = 0; h < hashes; h++) {
        int hh = h;
        out.add(bytesMutant(n + "proof hashes[" + h + "]: flip bit 0 of byte 31", pp + "/hashes/" + h,
            d -> flip(d, d.length - 1, 0)));
        out.add(new Mutant(n + "proof hashes[" + h + "] removed", b -> ((ArrayNode) b.at(pp + "/hashes")).remove(hh)));
        if (h + 1 < hashes) {
          out.add(new Mutant(n + "proof hashes[" + h + "] and [" + (h + 1) + "] swapped", b -> {
            ArrayNode a = (ArrayNode) b.at(pp + "/hashes");
            JsonNode x = a.get(hh);
            a.set(hh, a.get(hh + 1));
            a.set(hh + 1, x);
          }));
        }
      }
      String extra = Base64.getEncoder().encodeToString(new byte[32]);
      out.add(new Mutant(n + "proof hash added at the end", b -> ((ArrayNode) b.at(pp + "/hashes")).add(extra)));
      out.add(new Mutant(n + "proof hash added at the start", b -> ((ArrayNode) b.at(pp + "/hashes")).insert(0, extra)));
      if (hashes > 0) {
        out.add(new Mutant(n + "proof hashes[0] duplicated", b -> {
          ArrayNode a = (ArrayNode) b.at(pp + "/hashes");
          a.insert(0, a.get(0).deepCopy());
        }));
      }
      out.add(int64Mutant(n + "proof logIndex +1", pp + "/logIndex", v -> v + 1));
      out.add(int64Mutant(n + "proof logIndex -1", pp + "/logIndex", v -> v - 1));
      out.add(int64Mutant(n + "proof treeSize +1", pp + "/treeSize", v -> v + 1));
      out.add(int64Mutant(n + "proof treeSize -1", pp + "/treeSize", v -> v - 1));
      out.add(int64Mutant(n + "proof treeSize doubled", pp + "/treeSize", v -> v * 2));
      out.add(bytesMutant(n + "proof rootHash: flip bit 0 of byte 0", pp + "/rootHash", d -> flip(d, 0, 0)));
      out.add(bytesMutant(n + "proof rootHash: flip bit 0 of byte 31", pp + "/rootHash", d -> flip(d, 31, 0)));
      if (proof.has("checkpoint")) {
        checkpointMutants(out, n, pp + "/checkpoint/envelope", proof.path("checkpoint").path("envelope").asText());
      }
    }
  }

  /** Mutants of the signed note: each text line, and each signature line (the log's and any witness's). */
  private static void checkpointMutants(List<Mutant> out, String n, String ptr, String note) {
    int split = note.lastIndexOf("\n\n");
    List<String> text = List.of(note.substring(0, split).split("\n", -1));
    List<String> sigs = List.of(note.substring(split + 2, note.length() - 1).split("\n", -1));
    String c = n + "checkpoint ";
    // Text lines: origin, size, root hash, then extension lines.
    out.add(noteMutant(c + "origin one char changed", ptr, text, sigs, 0, l -> changeChar(l, l.length() - 1)));
    out.add(noteMutant(c + "origin with a suffix", ptr, text, sigs, 0, l -> l + "x"));
    out.add(noteMutant(c + "size +1", ptr, text, sigs, 1, l -> Long.toString(Long.parseLong(l) + 1)));
    out.add(noteMutant(c + "size -1", ptr, text, sigs, 1, l -> Long.toString(Long.parseLong(l) - 1)));
    out.add(noteMutant(c + "root hash: flip a base64 char", ptr, text, sigs, 2, l -> flipBase64Char(l, l.length() / 2)));
    for (int x = 3; x < text.size(); x++) {
      out.add(noteMutant(c + "extension line " + (x + 1) + " one char changed", ptr, text, sigs, x,
          l -> changeChar(l, l.length() - 1)));
    }
    // Signature lines: "— <name> <base64(key ID || signature)>".
    for (int s = 0; s < sigs.size(); s++) {
      int ss = s;
      String label = c + "signature line " + (s + 1) + " ";
      out.add(sigLineMutant(label + "flip a base64 char", ptr, text, sigs, s, l -> {
        int b64 = l.lastIndexOf(' ') + 1;
        return flipBase64Char(l, b64 + (l.length() - b64) / 2);
      }));
      out.add(new Mutant(label + "dropped", b -> {
        List<String> rest = new ArrayList<>(sigs);
        rest.remove(ss);
        setText(b, ptr, note(text, rest));
      }));
      out.add(sigLineMutant(label + "key hint changed", ptr, text, sigs, s, l -> {
        int b64 = l.lastIndexOf(' ') + 1;
        byte[] blob = Base64.getDecoder().decode(l.substring(b64));
        blob[0] ^= 1;
        return l.substring(0, b64) + Base64.getEncoder().encodeToString(blob);
      }));
      out.add(sigLineMutant(label + "key name changed", ptr, text, sigs, s, l -> {
        int space = l.lastIndexOf(' ');
        return l.substring(0, space) + "x" + l.substring(space);
      }));
    }
  }

  private static Mutant noteMutant(
      String name, String ptr, List<String> text, List<String> sigs, int line, UnaryOperator<String> f) {
    return new Mutant(name, b -> {
      List<String> t = new ArrayList<>(text);
      t.set(line, f.apply(t.get(line)));
      setText(b, ptr, note(t, sigs));
    });
  }

  private static Mutant sigLineMutant(
      String name, String ptr, List<String> text, List<String> sigs, int line, UnaryOperator<String> f) {
    return new Mutant(name, b -> {
      List<String> s = new ArrayList<>(sigs);
      s.set(line, f.apply(s.get(line)));
      setText(b, ptr, note(text, s));
    });
  }

  private static String note(List<String> text, List<String> sigs) {
    return String.join("\n", text) + "\n\n" + String.join("\n", sigs) + "\n";
  }

  /**
   * Mutants of the canonicalized body: one character inside the logged digest, the logged signature and the logged
   * key or certificate, changed in the body's own bytes (so the rest of the body stays byte-identical).
   */
  private static void bodyMutants(List<Mutant> out, String n, String ptr, String bodyB64, String kindVersion) {
    String body = new String(Base64.getDecoder().decode(bodyB64), StandardCharsets.UTF_8);
    JsonNode spec;
    try {
      spec = JSON.readTree(body).path("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, JsonNode> fields = new TreeMap<>();
    switch (kindVersion) {
      case "hashedrekord 0.0.1" -> {
        fields.put("digest", spec.at("/data/hash/value"));
        fields.put("signature", spec.at("/signature/content"));
        fields.put("key", spec.at("/signature/publicKey/content"));
      }
      case "dsse 0.0.1" -> {
        fields.put("digest", spec.at("/payloadHash/value"));
        fields.put("envelope digest", spec.at("/envelopeHash/value"));
        fields.put("signature", spec.at("/signatures/0/signature"));
        fields.put("key", spec.at("/signatures/0/verifier"));
      }
      case "intoto 0.0.2" -> {
        fields.put("digest", spec.at("/content/payloadHash/value"));
        fields.put("envelope digest", spec.at("/content/hash/value"));
        fields.put("signature", spec.at("/content/envelope/signatures/0/sig"));
        fields.put("key", spec.at("/content/envelope/signatures/0/publicKey"));
      }
      case "hashedrekord 0.0.2" -> {
        fields.put("digest", spec.at("/hashedRekordV002/data/digest"));
        fields.put("signature", spec.at("/hashedRekordV002/signature/content"));
        fields.put("key", spec.at("/hashedRekordV002/signature/verifier/x509Certificate/rawBytes"));
      }
      case "dsse 0.0.2" -> {
        fields.put("digest", spec.at("/dsseV002/payloadHash/digest"));
        fields.put("signature", spec.at("/dsseV002/signatures/0/content"));
        fields.put("key", spec.at("/dsseV002/signatures/0/verifier/x509Certificate/rawBytes"));
      }
      default -> throw new IllegalStateException("no body mutants for " + kindVersion);
    }
    for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
      JsonNode v = f.getValue();
      if (!v.isTextual() || v.textValue().length() < 8) {
        throw new IllegalStateException(kindVersion + " body has no " + f.getKey() + " where expected");
      }
      String value = v.textValue();
      int at = body.indexOf('"' + value + '"');
      if (at < 0 || body.indexOf('"' + value + '"', at + 1) >= 0) {
        throw new IllegalStateException(kindVersion + " body: the " + f.getKey() + " value is not found exactly once");
      }
      boolean hex = value.matches("[0-9a-fA-F]+");
      for (int pos : new int[] {1, value.length() / 2}) {
        int abs = at + 1 + pos;
        String mutated = hex ? changeHexChar(body, abs) : flipBase64Char(body, abs);
        String b64 = Base64.getEncoder().encodeToString(mutated.getBytes(StandardCharsets.UTF_8));
        out.add(new Mutant(n + "canonicalizedBody " + f.getKey() + ": char " + pos + " changed", b -> setText(b, ptr, b64)));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Edit helpers

  private static Mutant bytesMutant(String name, String ptr, UnaryOperator<byte[]> f) {
    return new Mutant(name, b -> {
      byte[] d = Base64.getDecoder().decode(b.at(ptr).textValue());
      setText(b, ptr, Base64.getEncoder().encodeToString(f.apply(d)));
    });
  }

  private static Mutant textMutant(String name, String ptr, UnaryOperator<String> f) {
    return new Mutant(name, b -> setText(b, ptr, f.apply(b.at(ptr).textValue())));
  }

  /** Changes an int64 field, keeping its JSON form (protobuf JSON writes int64 as a string). */
  private static Mutant int64Mutant(String name, String ptr, java.util.function.LongUnaryOperator f) {
    return new Mutant(name, b -> {
      JsonNode old = b.at(ptr);
      long v = f.applyAsLong(Long.parseLong(old.asText()));
      set(b, ptr, old.isTextual() ? TextNode.valueOf(Long.toString(v)) : LongNode.valueOf(v));
    });
  }

  private static void setText(ObjectNode root, String ptr, String value) {
    set(root, ptr, TextNode.valueOf(value));
  }

  private static void set(ObjectNode root, String ptr, JsonNode value) {
    JsonPointer p = JsonPointer.compile(ptr);
    JsonNode parent = root.at(p.head());
    String last = p.last().getMatchingProperty();
    if (parent instanceof ObjectNode o) {
      if (!o.has(last)) {
        throw new IllegalStateException("no field at " + ptr);
      }
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(p.last().getMatchingIndex(), value);
    } else {
      throw new IllegalStateException("no container at " + ptr);
    }
  }

  private static byte[] flip(byte[] d, int offset, int bit) {
    byte[] c = d.clone();
    c[offset] ^= (byte) (1 << bit);
    return c;
  }

  private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /**
   * Replaces the base64 character at {@code i} by the one whose 6-bit value differs in the top bit. Used away from
   * the end of the text only, so the change always lands in data bits, never in padding bits.
   */
  private static String flipBase64Char(String s, int i) {
    int v = B64.indexOf(s.charAt(i));
    if (v < 0) {
      throw new IllegalStateException("not a base64 character at " + i + ": " + s.charAt(i));
    }
    return s.substring(0, i) + B64.charAt(v ^ 0x20) + s.substring(i + 1);
  }

  private static String changeHexChar(String s, int i) {
    char ch = s.charAt(i);
    char repl = ch == '0' ? '1' : '0';
    return s.substring(0, i) + repl + s.substring(i + 1);
  }

  private static String changeChar(String s, int i) {
    char ch = s.charAt(i);
    char repl = Character.isDigit(ch) ? (ch == '9' ? '8' : (char) (ch + 1)) : (ch == 'a' ? 'b' : 'a');
    return s.substring(0, i) + repl + s.substring(i + 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // DER

  /**
   * One bit flip in the content of one primitive DER value, found by walking the structure (and any DER encapsulated
   * in OCTET STRINGs and BIT STRINGs, such as certificate extensions, ECDSA signatures and the eContent TSTInfo). The
   * name gives the path of child indexes from the outermost value ({@code 0}) and the ASN.1 type.
   */
  private record DerFlip(String name, int offset, int bit) {
    byte[] apply(byte[] d) {
      return flip(d, offset, bit);
    }

    static List<DerFlip> leafFlips(byte[] der) {
      List<DerFlip> out = new ArrayList<>();
      if (walk(der, 0, der.length, "", out, 0) == null) {
        throw new IllegalStateException("not DER");
      }
      return out;
    }

    /** Walks the values in [off, end); returns null if they are not exactly a sequence of DER values. */
    private static List<DerFlip> walk(byte[] d, int off, int end, String path, List<DerFlip> out, int depth) {
      List<DerFlip> local = new ArrayList<>();
      int index = 0;
      while (off < end) {
        int tag = d[off] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
          return null; // high tag numbers do not occur in these structures
        }
        if (off + 1 >= end) {
          return null;
        }
        int len = d[off + 1] & 0xff;
        int hdr = 2;
        if (len >= 0x80) {
          int n = len & 0x7f;
          if (n == 0 || n > 3 || off + 2 + n > end) {
            return null;
          }
          len = 0;
          for (int k = 0; k < n; k++) {
            len = (len << 8) | (d[off + 2 + k] & 0xff);
          }
          hdr += n;
        }
        int content = off + hdr;
        if (content + len > end) {
          return null;
        }
        String here = (path.isEmpty() ? "" : path + ".") + index;
        boolean constructed = (tag & 0x20) != 0;
        if (constructed) {
          if (walk(d, content, content + len, here, local, depth + 1) == null) {
            return null;
          }
        } else {
          List<DerFlip> inner = null;
          if (depth < 12 && tag == 0x04 && len >= 2) {
            inner = walk(d, content, content + len, here, new ArrayList<>(), depth + 1);
          } else if (depth < 12 && tag == 0x03 && len >= 3 && d[content] == 0) {
            inner = walk(d, content + 1, content + len, here, new ArrayList<>(), depth + 1);
          }
          if (inner != null && !inner.isEmpty()) {
            local.addAll(inner);
          } else if (len > 0) {
            int last = content + len - 1;
            local.add(new DerFlip(here + " " + typeName(tag) + ": flip bit 0 of byte " + len + "/" + len, last, 0));
            if (len > 2) {
              int mid = content + len / 2;
              local.add(new DerFlip(
                  here + " " + typeName(tag) + ": flip bit 6 of byte " + (len / 2 + 1) + "/" + len, mid, 6));
            }
          }
        }
        off = content + len;
        index++;
      }
      out.addAll(local);
      return local;
    }

    private static String typeName(int tag) {
      return switch (tag) {
        case 0x01 -> "BOOLEAN";
        case 0x02 -> "INTEGER";
        case 0x03 -> "BIT STRING";
        case 0x04 -> "OCTET STRING";
        case 0x05 -> "NULL";
        case 0x06 -> "OID";
        case 0x0a -> "ENUMERATED";
        case 0x0c -> "UTF8String";
        case 0x13 -> "PrintableString";
        case 0x16 -> "IA5String";
        case 0x17 -> "UTCTime";
        case 0x18 -> "GeneralizedTime";
        default -> String.format("tag 0x%02x", tag);
      };
    }
  }
}
