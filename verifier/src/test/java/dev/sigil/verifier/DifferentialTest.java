package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.bundle.BundleParseException;
import dev.sigil.verifier.bundle.BundleParser;
import dev.sigil.verifier.bundle.HashAlgorithm;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.crypto.PublicKeys;
import dev.sigil.verifier.trust.PublicGood;
import dev.sigil.verifier.trust.PublicKeyMaterial;
import dev.sigil.verifier.trust.TrustedMaterial;
import dev.sigil.verifier.trust.TrustedRoot;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Differential test: Sigil's {@link Verifier} against sigstore-java 2.0.0's {@link KeylessVerifier} on real bundles.
 *
 * <p>Cases live under {@code src/test/resources/differential/cases/}, one directory each, in the sigstore-conformance
 * {@code bundle-verify} layout (see {@code differential/UPSTREAM-README.md}): {@code bundle.sigstore.json}, optional
 * {@code trusted_root.json} (else the public-good root), optional {@code key.pub} (else {@code identity} and
 * {@code issuer}, defaulting to the conformance beacon workflow), optional {@code artifact} (else {@code a.txt}). One
 * addition, for bundles from the sigstore-python and sigstore-go corpora whose artifact is not at hand: a
 * {@code digest} file ({@code sha256:<hex>} or {@code sha512:<hex>}) stands for the artifact. A name ending in
 * {@code _fail} must be rejected; see {@code differential/SOURCES.md} for where each case comes from and why its
 * expected outcome is what it is.
 *
 * <p>Both verifiers must agree, except for the cases in {@link #KNOWN}, each of which records both outcomes, a text
 * that the rejecting side's message must contain (so the case keeps failing for the reason given), and a one-line
 * explanation of who is right per the Sigstore client specification. A stale entry (the verifiers now agree, or
 * disagree differently) fails the test too. Likewise Sigil must get every case right except those in
 * {@link #SIGIL_WRONG} (suspected Sigil bugs, pinned so that a fix shows up). The test prints a per-case table and a
 * summary line of how many cases each verifier gets right. sigstore-java installs BouncyCastle as a JCA provider;
 * the test removes it afterwards, since Sigil never installs it.
 */
class DifferentialTest {
  private static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
          + "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  /** Which side the Sigstore client spec (and the case's upstream expectation) says is right. */
  enum Right {
    SIGIL,
    SIGSTORE_JAVA
  }

  /**
   * A known disagreement. {@code evidence} must occur in the rejecting verifier's message (Sigil: its first failed
   * check; sigstore-java: its exception chain).
   */
  record Known(boolean sigilAccepts, boolean sigstoreJavaAccepts, String evidence, Right right, String why) {
    Known {
      if (sigilAccepts == sigstoreJavaAccepts) {
        throw new IllegalArgumentException("a disagreement needs different outcomes");
      }
      if (why.isBlank() || why.contains("\n")) {
        throw new IllegalArgumentException("the explanation is one non-empty line");
      }
    }
  }

  private static final boolean ACCEPT = true;
  private static final boolean REJECT = false;

  /** The disagreements we know about and have explained, by case name. */
  static final Map<String, Known> KNOWN = new LinkedHashMap<>();

  private static void known(String name, boolean sigil, boolean sigstoreJava, String evidence, Right right, String why) {
    KNOWN.put(name, new Known(sigil, sigstoreJava, evidence, right, why));
  }

  static {
    // sigstore-java 2.0.0 gaps: Sigil follows the client spec (and the case's upstream expectation).
    known("managed-key-happy-path", ACCEPT, REJECT, "Plain public keys are not supported", Right.SIGIL,
        "sigstore-java 2.0.0 has no public-key verification: its BundleReader refuses any bundle with a publicKey");
    known("go-npm-publish-key", ACCEPT, REJECT, "Could not find an inclusion proof", Right.SIGIL,
        "sigstore-java 2.0.0 requires an inclusion proof even in v0.1 bundles, where a verified SET suffices (and it has no key path)");
    known("intoto-with-custom-trust-root", ACCEPT, REJECT, "Expecting type dsse:0.0.2, but found intoto:0.0.2", Right.SIGIL,
        "sigstore-java 2.0.0 checks DSSE bundles only against dsse log entries; Rekor intoto 0.0.2 entries are unsupported");
    known("rekor2-dsse-happy-path", ACCEPT, REJECT, "Expecting type dsse:0.0.2, but found hashedrekord:0.0.2", Right.SIGIL,
        "Rekor v2 logs DSSE as hashedrekord 0.0.2 over the PAE digest (rekor-v2 spec 6.1.4); sigstore-java 2.0.0 expects dsse 0.0.2");
    known("py-dsse-staging-rekor-v2", ACCEPT, REJECT, "Expecting type dsse:0.0.2, but found hashedrekord:0.0.2", Right.SIGIL,
        "as rekor2-dsse-happy-path, on a real staging Rekor v2 DSSE bundle that sigstore-python verifies");
    known("go-sigstore-js-2.0.0-provenance", ACCEPT, REJECT, "takes only a SHA-256 artifact digest", Right.SIGIL,
        "sigstore-java 2.0.0 takes only a SHA-256 artifact digest and matches in-toto subjects by sha256; npm names them by sha512");
    known("go-othername-san", ACCEPT, REJECT, "Could not verify certificate identities", Right.SIGIL,
        "sigstore-java 2.0.0 cannot match an otherName (username) SAN; sigstore-go's TestEntityWithOthernameSan verifies it");
    known("py-tsa-timestamp", ACCEPT, REJECT, "message imprint digest does not match", Right.SIGIL,
        "one of two RFC 3161 timestamps covers another message: sigstore-go and sigstore-python (and Sigil) skip it and"
            + " count the one that verifies; sigstore-java 2.0.0 fails the bundle");
  }

  /**
   * Cases where Sigil's outcome differs from the expected one (suspected Sigil bugs or policy differences, reported;
   * Sigil's main code is not changed by this test). Pinned so that a fix shows up here. {@code evidence} must occur
   * in Sigil's first failed check when Sigil rejects; a lenient Sigil has no message to check.
   */
  record SigilWrong(String evidence, String why) {}

  static final Map<String, SigilWrong> SIGIL_WRONG = new LinkedHashMap<>();

  static {
    // Empty: the three suspected bugs this test found (checkpoint-less inclusion proofs accepted, Rekor v1 checkpoint
    // lines matched by name, one bad timestamp failing the bundle) are fixed; add new ones here when found.
  }

  /** One verifier's verdict on one case. */
  record Outcome(boolean accepted, String detail) {
    static Outcome accept(String detail) {
      return new Outcome(true, detail);
    }

    static Outcome reject(String detail) {
      return new Outcome(false, detail);
    }

    String word() {
      return accepted ? "ACCEPT" : "REJECT";
    }
  }

  private static final String SIGIL_THREW = "Sigil threw ";

  private static Path casesDir;
  private static Path publicGoodJson;
  private static boolean bcInstalledBefore;
  private static final Map<Path, Verifier> sigilVerifiers = new HashMap<>();
  private static final Map<Path, KeylessVerifier> sigstoreJavaVerifiers = new HashMap<>();

  @BeforeAll
  static void locate() throws URISyntaxException {
    Path root = Path.of(DifferentialTest.class.getResource("/differential/public-good-trusted_root.json").toURI()).getParent();
    casesDir = root.resolve("cases");
    publicGoodJson = root.resolve("public-good-trusted_root.json");
    bcInstalledBefore = Security.getProvider("BC") != null;
  }

  /** sigstore-java's TimestampVerifier installs BouncyCastle globally; Sigil never does. Undo it for other tests. */
  @AfterAll
  static void uninstallBouncyCastle() {
    if (!bcInstalledBefore) {
      Security.removeProvider("BC");
    }
  }

  @Test
  void sigilAndSigstoreJavaAgreeExceptWhereExplained() throws IOException {
    List<Path> cases;
    try (Stream<Path> s = Files.list(casesDir)) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(cases.size() >= 60, "expected the conformance and corpus cases, found " + cases.size());

    List<Executable> checks = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    Tally all = new Tally();
    Tally conformance = new Tally();
    List<String> sigilWrong = new ArrayList<>();
    List<String> sigstoreJavaWrong = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%-46s %-6s %-6s %-6s  %s%n", "case", "expect", "sigil", "s-java", "details"));

    for (Path dir : cases) {
      String name = dir.getFileName().toString();
      seen.add(name);
      boolean expected = !name.endsWith("_fail");
      Case c = Case.load(dir);
      Outcome sigil = sigil(c, false);
      Outcome sigilDigest = sigil(c, true);
      Outcome java = sigstoreJava(c);

      all.add(expected, sigil, sigilDigest, java);
      if (!name.startsWith("py-") && !name.startsWith("go-")) {
        conformance.add(expected, sigil, sigilDigest, java);
      }
      if (sigil.accepted() != expected) {
        sigilWrong.add(name);
      }
      if (java.accepted() != expected) {
        sigstoreJavaWrong.add(name);
      }
      table.append(
          String.format(
              Locale.ROOT,
              "%-46s %-6s %-6s %-6s  sigil: %s | sigstore-java: %s%n",
              name,
              expected ? "ACCEPT" : "REJECT",
              sigil.word(),
              java.word(),
              oneLine(sigil.detail()),
              oneLine(java.detail())));

      // Sigil must not depend on whether it was handed the file or only its digest (Ed25519 message signatures
      // excepted: they sign the whole message, so a digest alone cannot be checked).
      if (!sigilDigest.detail().contains("only a digest")) {
        checks.add(
            () ->
                assertEquals(
                    sigil.accepted(),
                    sigilDigest.accepted(),
                    name + ": Sigil with the file (" + sigil.detail() + ") vs with its digest (" + sigilDigest.detail() + ")"));
      }

      // Expected failures are results, not exceptions (Verifier's contract).
      checks.add(() -> assertFalse(sigil.detail().startsWith(SIGIL_THREW), name + ": " + sigil.detail()));

      SigilWrong deviation = SIGIL_WRONG.get(name);
      checks.add(
          () -> {
            assertEquals(
                deviation != null,
                sigil.accepted() != expected,
                name + ": Sigil " + sigil.word() + " (" + sigil.detail() + "), expected " + (expected ? "ACCEPT" : "REJECT")
                    + (deviation == null ? "" : "; SIGIL_WRONG says: " + deviation.why()));
            if (deviation != null && !sigil.accepted()) {
              assertTrue(sigil.detail().contains(deviation.evidence()), name + ": " + sigil.detail());
            }
          });

      Known known = KNOWN.get(name);
      if (known == null) {
        checks.add(
            () ->
                assertEquals(
                    sigil.accepted(),
                    java.accepted(),
                    name + ": unexplained disagreement: Sigil " + sigil.word() + " (" + sigil.detail()
                        + "), sigstore-java " + java.word() + " (" + java.detail() + ")"));
      } else {
        checks.add(
            () -> {
              assertEquals(known.sigilAccepts(), sigil.accepted(), name + ": Sigil's outcome changed: " + sigil.detail());
              assertEquals(
                  known.sigstoreJavaAccepts(), java.accepted(), name + ": sigstore-java's outcome changed: " + java.detail());
              Outcome rejecting = known.sigilAccepts() ? java : sigil;
              assertTrue(
                  rejecting.detail().contains(known.evidence()),
                  name + ": expected the rejection to mention \"" + known.evidence() + "\" (" + known.why() + "), was: "
                      + rejecting.detail());
              Outcome right = known.right() == Right.SIGIL ? sigil : java;
              assertEquals(
                  expected, right.accepted(), name + ": the side recorded as right does not match the expected outcome");
            });
      }
    }
    for (String k : KNOWN.keySet()) {
      checks.add(() -> assertTrue(seen.contains(k), "KNOWN names a case that does not exist: " + k));
    }
    for (String k : SIGIL_WRONG.keySet()) {
      checks.add(() -> assertTrue(seen.contains(k), "SIGIL_WRONG names a case that does not exist: " + k));
    }

    System.out.print(table);
    KNOWN.forEach((k, v) -> System.out.println("known disagreement " + k + " (right: " + v.right() + "): " + v.why()));
    System.out.println("Sigil wrong: " + sigilWrong + "; sigstore-java wrong: " + sigstoreJavaWrong);
    System.out.println("DifferentialTest conformance: " + conformance);
    System.out.println("DifferentialTest summary: " + all + ", known disagreements " + KNOWN.size());
    assertAll(checks);
  }

  /** Runs-right counts against the expected outcomes (the {@code _fail} suffix). */
  private static final class Tally {
    int cases;
    int sigil;
    int sigilDigest;
    int sigstoreJava;
    int agree;

    void add(boolean expected, Outcome s, Outcome sd, Outcome j) {
      cases++;
      sigil += s.accepted() == expected ? 1 : 0;
      sigilDigest += sd.accepted() == expected ? 1 : 0;
      sigstoreJava += j.accepted() == expected ? 1 : 0;
      agree += s.accepted() == j.accepted() ? 1 : 0;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d cases; Sigil right %d/%d (artifact file), %d/%d (digest only); sigstore-java 2.0.0 right %d/%d; agree on %d",
          cases, sigil, cases, sigilDigest, cases, sigstoreJava, cases, agree);
    }
  }

  /** A case's inputs. */
  record Case(
      String name,
      byte[] bundle,
      Optional<byte[]> content,
      HashAlgorithm digestAlgorithm,
      byte[] digest,
      Path trustedRoot,
      Optional<String> keyPem,
      String identity,
      String issuer) {

    static Case load(Path dir) throws IOException {
      String name = dir.getFileName().toString();
      byte[] bundle = Files.readAllBytes(dir.resolve("bundle.sigstore.json"));
      Optional<byte[]> content = Optional.empty();
      HashAlgorithm alg;
      byte[] digest;
      Path digestFile = dir.resolve("digest");
      if (Files.exists(digestFile)) {
        String text = Files.readString(digestFile).trim();
        Artifact a = Artifact.parseDigestReference(text).orElseThrow(() -> new IllegalStateException(name + ": bad digest " + text));
        alg = a.algorithms().iterator().next();
        digest = a.digest(alg).orElseThrow();
      } else {
        Path artifact = dir.resolve("artifact");
        byte[] bytes = Files.readAllBytes(Files.exists(artifact) ? artifact : dir.resolveSibling("a.txt"));
        content = Optional.of(bytes);
        alg = HashAlgorithm.SHA2_256;
        digest = sha256(bytes);
      }
      Path root = dir.resolve("trusted_root.json");
      Path key = dir.resolve("key.pub");
      return new Case(
          name,
          bundle,
          content,
          alg,
          digest,
          Files.exists(root) ? root : null,
          Files.exists(key) ? Optional.of(Files.readString(key)) : Optional.empty(),
          readOr(dir.resolve("identity"), DEFAULT_IDENTITY),
          readOr(dir.resolve("issuer"), DEFAULT_ISSUER));
    }

    /** The SHA-256 digest sigstore-java needs, if this case has it. */
    Optional<byte[]> sha256Digest() {
      return digestAlgorithm == HashAlgorithm.SHA2_256 ? Optional.of(digest) : Optional.empty();
    }
  }

  /** Sigil: parse and verify, with the artifact's bytes or (digestOnly) only its digest. Never throws. */
  private static Outcome sigil(Case c, boolean digestOnly) {
    try {
      Artifact artifact =
          c.content().isPresent() && !digestOnly
              ? Artifact.ofContent(c.content().get())
              : Artifact.ofDigest(c.digestAlgorithm(), c.digest());
      Verifier verifier =
          sigilVerifiers.computeIfAbsent(
              c.trustedRoot() == null ? publicGoodJson : c.trustedRoot(),
              p -> {
                try {
                  return Verifier.create(c.trustedRoot() == null ? PublicGood.trustedRoot() : TrustedRoot.parse(Files.readAllBytes(p)));
                } catch (Exception e) {
                  throw new IllegalStateException("Sigil cannot load trusted root " + p + ": " + e.getMessage(), e);
                }
              });
      VerificationPolicy policy;
      if (c.keyPem().isPresent()) {
        // The key is trusted material too: a verifier per case, over the root the case names.
        verifier =
            Verifier.create(
                TrustedMaterial.combine(
                    c.trustedRoot() == null ? PublicGood.trustedRoot() : TrustedRoot.parse(Files.readAllBytes(c.trustedRoot())),
                    PublicKeyMaterial.of(PublicKeys.fromPem(c.keyPem().get()))));
        policy = VerificationPolicy.publicKey(artifact);
      } else {
        policy = VerificationPolicy.identity(artifact, IdentityMatcher.exact(c.identity(), c.issuer()));
      }
      dev.sigil.verifier.bundle.Bundle bundle;
      try {
        bundle = new BundleParser().parse(c.bundle());
      } catch (BundleParseException e) {
        return Outcome.reject("parse: " + e.getMessage());
      }
      VerificationResult r = verifier.verify(bundle, policy);
      return r.isVerified()
          ? Outcome.accept(r.checks().size() + " checks passed")
          : Outcome.reject(r.firstFailure().map(Check::describe).orElse("(no failed check?)"));
    } catch (RuntimeException e) {
      return Outcome.reject(SIGIL_THREW + describe(e));
    } catch (Exception e) {
      return Outcome.reject(describe(e));
    }
  }

  /**
   * sigstore-java 2.0.0: {@code Bundle.from} then {@code KeylessVerifier.verify(sha256, bundle, options)} with a
   * Fulcio certificate matcher for the case's identity. Never throws.
   */
  private static Outcome sigstoreJava(Case c) {
    dev.sigstore.bundle.Bundle bundle;
    try {
      bundle =
          dev.sigstore.bundle.Bundle.from(
              new InputStreamReader(new ByteArrayInputStream(c.bundle()), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Outcome.reject("parse: " + describe(e));
    }
    if (c.keyPem().isPresent()) {
      return Outcome.reject("no public-key verification in sigstore-java 2.0.0 (KeylessVerifier only)");
    }
    Optional<byte[]> sha256 = c.sha256Digest();
    if (sha256.isEmpty()) {
      return Outcome.reject("sigstore-java 2.0.0 takes only a SHA-256 artifact digest; this case has " + c.digestAlgorithm());
    }
    try {
      Path rootPath = c.trustedRoot() == null ? publicGoodJson : c.trustedRoot();
      KeylessVerifier verifier = sigstoreJavaVerifiers.computeIfAbsent(rootPath, DifferentialTest::buildSigstoreJava);
      VerificationOptions options =
          VerificationOptions.builder()
              .addCertificateMatchers(
                  VerificationOptions.CertificateMatcher.fulcio()
                      .subjectAlternativeName(StringMatcher.string(c.identity()))
                      .issuer(StringMatcher.string(c.issuer()))
                      .build())
              .build();
      verifier.verify(sha256.get(), bundle, options);
      return Outcome.accept("verified");
    } catch (Exception e) {
      return Outcome.reject(describe(e));
    }
  }

  private static KeylessVerifier buildSigstoreJava(Path rootJson) {
    try {
      byte[] json = Files.readAllBytes(rootJson);
      return KeylessVerifier.builder()
          .trustedRootProvider(() -> SigstoreTrustedRoot.from(new ByteArrayInputStream(json)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("sigstore-java cannot load trusted root " + rootJson + ": " + e.getMessage(), e);
    }
  }

  /** An exception and its causes, one line. */
  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString();
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ");
    return t.length() > 220 ? t.substring(0, 220) + "..." : t;
  }

  private static String readOr(Path p, String dflt) throws IOException {
    return Files.exists(p) ? Files.readString(p).trim() : dflt;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
