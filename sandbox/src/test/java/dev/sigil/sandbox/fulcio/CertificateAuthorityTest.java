package dev.sigil.sandbox.fulcio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.sandbox.ctlog.CtLog;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import dev.sigil.verifier.internal.certificate.CertificateChainVerifier;
import dev.sigil.verifier.internal.certificate.FulcioCertificate;
import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.SubjectAlternativeName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  static final String ISSUER = "https://oidc.sandbox.test";
  static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

  @TempDir Path dir;
  CertificateAuthority ca;

  @BeforeEach
  void open() throws Exception {
    ca = CertificateAuthority.open(dir);
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static VerifiedIdentity email(String address) {
    return new VerifiedIdentity(ISSUER, "user-123", Optional.of(address), Map.of("email", address));
  }

  static Map<String, Object> githubClaims() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("job_workflow_ref", "octo/builder/.github/workflows/release.yml@refs/tags/v1");
    c.put("job_workflow_sha", "1111111111111111111111111111111111111111");
    c.put("runner_environment", "github-hosted");
    c.put("repository", "octo/app");
    c.put("sha", "2222222222222222222222222222222222222222");
    c.put("ref", "refs/heads/main");
    c.put("repository_id", "1001");
    c.put("repository_owner", "octo");
    c.put("repository_owner_id", 2002L);
    c.put("workflow_ref", "octo/app/.github/workflows/ci.yml@refs/heads/main");
    c.put("workflow_sha", "3333333333333333333333333333333333333333");
    c.put("event_name", "push");
    c.put("run_id", "4004");
    c.put("run_attempt", "2");
    c.put("workflow", "CI");
    c.put("repository_visibility", "public");
    return c;
  }

  @Test
  void emailIdentityVerifiesWithSigilsVerifier() throws Exception {
    Instant now = Instant.now();
    IssuedCertificate issued = ca.issue(email("alice@example.com"), ec("secp256r1").getPublic(), now);
    X509Certificate leaf = issued.leaf();
    FulcioCertificate fc = Verification.assertVerifies(ca, leaf, "alice@example.com", ISSUER);
    assertEquals(
        List.of(new SubjectAlternativeName(SubjectAlternativeName.Type.EMAIL, "alice@example.com")),
        fc.subjectAlternativeNames());
    assertEquals(Map.of(), fc.extensions());

    assertEquals(List.of(leaf, ca.intermediate(), ca.root()), issued.chain());
    assertEquals(3, issued.pemChain().size());
    assertTrue(leaf.getSubjectX500Principal().getName().isEmpty());
    assertEquals(Duration.ofMinutes(10), Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
    assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN critical");
    assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.15"), "keyUsage critical");
    assertTrue(leaf.getKeyUsage()[0]);
    assertEquals(List.of(CertificateChainVerifier.CODE_SIGNING_EKU), leaf.getExtendedKeyUsage());
    assertNull(leaf.getExtensionValue(CtLog.POISON_OID));
    assertTrue(leaf.getExtensionValue("2.5.29.14") != null && leaf.getExtensionValue("2.5.29.35") != null);
    assertEquals("SHA384withECDSA", leaf.getSigAlgName());
    assertTrue(leaf.getSerialNumber().signum() > 0);
    assertEquals(now.toEpochMilli(), issued.sct().timestamp());
    // Raw legacy issuer: the extnValue OCTET STRING holds the bytes themselves.
    byte[] legacy = ASN1OctetString.getInstance(leaf.getExtensionValue("1.3.6.1.4.1.57264.1.1")).getOctets();
    assertEquals(ISSUER, new String(legacy, StandardCharsets.UTF_8));
    byte[] v2 = ASN1OctetString.getInstance(leaf.getExtensionValue("1.3.6.1.4.1.57264.1.8")).getOctets();
    assertEquals(ISSUER, DERUTF8String.getInstance(ASN1Primitive.fromByteArray(v2)).getString());
  }

  @Test
  void serialsDiffer() throws Exception {
    KeyPair k = ec("secp256r1");
    X509Certificate a = ca.issue(email("a@example.com"), k.getPublic(), Instant.now()).leaf();
    X509Certificate b = ca.issue(email("a@example.com"), k.getPublic(), Instant.now()).leaf();
    assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
  }

  @Test
  void chainDoesNotVerifyOutsideTheLeafValidity() throws Exception {
    X509Certificate leaf = ca.issue(email("a@example.com"), ec("secp256r1").getPublic(), Instant.now()).leaf();
    var chains = CertificateChainVerifier.of(List.of(ca.trusted()));
    assertFalse(chains.verify(leaf, List.of(), leaf.getNotAfter().toInstant().plusSeconds(1)).isOk());
    assertTrue(chains.verify(leaf, List.of(), leaf.getNotAfter().toInstant()).isOk());
  }

  @Test
  void githubClaimsLandUnderFulcioOids() throws Exception {
    VerifiedIdentity id =
        new VerifiedIdentity(GITHUB_ISSUER, "repo:octo/app:ref:refs/heads/main", Optional.empty(), githubClaims());
    X509Certificate leaf = ca.issue(id, ec("secp384r1").getPublic(), Instant.now()).leaf();
    String san = "https://github.com/octo/builder/.github/workflows/release.yml@refs/tags/v1";
    FulcioCertificate fc = Verification.assertVerifies(ca, leaf, san, GITHUB_ISSUER);
    Map<FulcioExtension, String> expected = new LinkedHashMap<>();
    expected.put(FulcioExtension.GITHUB_WORKFLOW_TRIGGER, "push");
    expected.put(FulcioExtension.GITHUB_WORKFLOW_SHA, "2222222222222222222222222222222222222222");
    expected.put(FulcioExtension.GITHUB_WORKFLOW_NAME, "CI");
    expected.put(FulcioExtension.GITHUB_WORKFLOW_REPOSITORY, "octo/app");
    expected.put(FulcioExtension.GITHUB_WORKFLOW_REF, "refs/heads/main");
    expected.put(FulcioExtension.BUILD_SIGNER_URI, san);
    expected.put(FulcioExtension.BUILD_SIGNER_DIGEST, "1111111111111111111111111111111111111111");
    expected.put(FulcioExtension.RUNNER_ENVIRONMENT, "github-hosted");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_URI, "https://github.com/octo/app");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_DIGEST, "2222222222222222222222222222222222222222");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_REF, "refs/heads/main");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_IDENTIFIER, "1001");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_OWNER_URI, "https://github.com/octo");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_OWNER_IDENTIFIER, "2002");
    expected.put(FulcioExtension.BUILD_CONFIG_URI, "https://github.com/octo/app/.github/workflows/ci.yml@refs/heads/main");
    expected.put(FulcioExtension.BUILD_CONFIG_DIGEST, "3333333333333333333333333333333333333333");
    expected.put(FulcioExtension.BUILD_TRIGGER, "push");
    expected.put(FulcioExtension.RUN_INVOCATION_URI, "https://github.com/octo/app/actions/runs/4004/attempts/2");
    expected.put(FulcioExtension.SOURCE_REPOSITORY_VISIBILITY_AT_SIGNING, "public");
    IdentityMatcher.Builder m = IdentityMatcher.builder().subjectAlternativeName(san).issuer(GITHUB_ISSUER);
    expected.forEach((e, v) -> {
      assertEquals(Optional.of(v), fc.extension(e), e.describe());
      m.extension(e, v);
    });
    assertTrue(m.build().matches(fc.toSigner()));
    assertEquals(expected.size(), fc.extensions().size(), fc.extensions().toString());
    assertEquals(Optional.empty(), fc.extension(FulcioExtension.DEPLOYMENT_ENVIRONMENT));
  }

  @Test
  void onlyPresentClaimsBecomeExtensions() throws Exception {
    Map<String, Object> claims = Map.of("repository", "octo/app", "run_id", "7"); // no run_attempt
    VerifiedIdentity id = new VerifiedIdentity(GITHUB_ISSUER, "repo:octo/app:ref:refs/heads/x", Optional.empty(), claims);
    X509Certificate leaf = ca.issue(id, ec("secp256r1").getPublic(), Instant.now()).leaf();
    FulcioCertificate fc =
        Verification.assertVerifies(ca, leaf, "repo:octo/app:ref:refs/heads/x", GITHUB_ISSUER);
    assertEquals(
        Map.of("github-workflow-repository", "octo/app", "source-repository-uri", "https://github.com/octo/app"),
        fc.extensions());
    assertEquals(SubjectAlternativeName.Type.USERNAME, fc.subjectAlternativeNames().get(0).type());
  }

  @Test
  void uriSubjectBecomesUriSan() throws Exception {
    VerifiedIdentity id =
        new VerifiedIdentity(ISSUER, "spiffe://sandbox.test/ns/ci/sa/builder", Optional.empty(), Map.of());
    X509Certificate leaf = ca.issue(id, ec("secp256r1").getPublic(), Instant.now()).leaf();
    FulcioCertificate fc = Verification.assertVerifies(ca, leaf, "spiffe://sandbox.test/ns/ci/sa/builder", ISSUER);
    assertEquals(SubjectAlternativeName.Type.URI, fc.subjectAlternativeNames().get(0).type());
  }

  @Test
  void usernameSubjectBecomesOtherNameSan() throws Exception {
    VerifiedIdentity id = new VerifiedIdentity(ISSUER, "alice", Optional.empty(), Map.of());
    X509Certificate leaf = ca.issue(id, ec("secp256r1").getPublic(), Instant.now()).leaf();
    FulcioCertificate fc = Verification.assertVerifies(ca, leaf, "alice", ISSUER);
    assertEquals(
        List.of(new SubjectAlternativeName(SubjectAlternativeName.Type.USERNAME, "alice")),
        fc.subjectAlternativeNames());
    assertFalse(CertificateAuthority.isAbsoluteUri("repo:octo/app:ref:refs/heads/main"));
    assertFalse(CertificateAuthority.isAbsoluteUri("urn:example:x"));
    assertTrue(CertificateAuthority.isAbsoluteUri("https://example.com/x"));
  }

  @Test
  void acceptsEveryFulcioKeyType() throws Exception {
    KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
    for (KeyPair k : List.of(ec("secp256r1"), ec("secp384r1"), ed.generateKeyPair(), rsa(2048))) {
      X509Certificate leaf = ca.issue(email("k@example.com"), k.getPublic(), Instant.now()).leaf();
      assertArrayEquals(k.getPublic().getEncoded(), leaf.getPublicKey().getEncoded());
      Verification.assertVerifies(ca, leaf, "k@example.com", ISSUER);
    }
  }

  @Test
  void refusesOtherKeys() throws Exception {
    var e1 = assertThrows(
        UnsupportedSubjectKeyException.class,
        () -> ca.issue(email("k@example.com"), ec("secp521r1").getPublic(), Instant.now()));
    assertTrue(e1.getMessage().contains("P-256 or P-384") && e1.getMessage().contains("1.3.132.0.35"), e1.getMessage());
    var e2 = assertThrows(
        UnsupportedSubjectKeyException.class,
        () -> ca.issue(email("k@example.com"), rsa(1024).getPublic(), Instant.now()));
    assertTrue(e2.getMessage().contains("found 1024"), e2.getMessage());
    KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
    var e3 = assertThrows(
        UnsupportedSubjectKeyException.class,
        () -> ca.issue(email("k@example.com"), x.generateKeyPair().getPublic(), Instant.now()));
    assertTrue(e3.getMessage().contains("1.3.101.110"), e3.getMessage());
  }

  @Test
  void reopenKeepsRootIntermediateAndLogKey() throws Exception {
    CertificateAuthority again = CertificateAuthority.open(dir);
    assertEquals(ca.root(), again.root());
    assertEquals(ca.intermediate(), again.intermediate());
    assertEquals(ca.chain(), again.chain());
    assertEquals(ca.validFrom(), again.validFrom());
    assertArrayEquals(ca.ctLog().logId(), again.ctLog().logId());
    assertEquals(ca.ctLog().publicKey(), again.ctLog().publicKey());
    assertEquals(ca.ctLog().createdAt(), again.ctLog().createdAt());
    // A leaf from the reopened CA verifies against the first instance's trust material.
    X509Certificate leaf = again.issue(email("b@example.com"), ec("secp256r1").getPublic(), Instant.now()).leaf();
    Verification.assertVerifies(ca, leaf, "b@example.com", ISSUER);
    for (String f : List.of(CertificateAuthority.ROOT_KEY, CertificateAuthority.INTERMEDIATE_KEY)) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))));
    }
  }

  @Test
  void caCertificatesAreFulcioShaped() throws Exception {
    X509Certificate root = ca.root();
    X509Certificate inter = ca.intermediate();
    assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal());
    assertEquals(1, root.getBasicConstraints());
    assertEquals(0, inter.getBasicConstraints());
    assertTrue(root.getKeyUsage()[5] && inter.getKeyUsage()[5], "keyCertSign");
    assertEquals(List.of(CertificateChainVerifier.CODE_SIGNING_EKU), inter.getExtendedKeyUsage());
    assertTrue(Duration.between(Instant.now(), root.getNotAfter().toInstant()).toDays() > 3000);
    assertEquals(ca.validFrom(), ca.trusted().validFrom());
    assertEquals(List.of(inter, root), ca.trusted().chain());
  }

  @Test
  void incompleteOrTamperedKeySetIsRefused() throws Exception {
    Files.delete(dir.resolve(CertificateAuthority.ROOT_KEY));
    var e = assertThrows(java.io.IOException.class, () -> CertificateAuthority.open(dir));
    assertTrue(e.getMessage().contains("incomplete"), e.getMessage());

    Path other = dir.resolve("other");
    CertificateAuthority.open(other);
    Files.setPosixFilePermissions(other.resolve(CertificateAuthority.INTERMEDIATE_KEY), PosixFilePermissions.fromString("rw-r--r--"));
    var e2 = assertThrows(java.io.IOException.class, () -> CertificateAuthority.open(other));
    assertTrue(e2.getMessage().contains("0600"), e2.getMessage());

    Path third = dir.resolve("third");
    CertificateAuthority.open(third);
    Path fourth = dir.resolve("fourth");
    CertificateAuthority.open(fourth);
    Files.copy(fourth.resolve(CertificateAuthority.INTERMEDIATE_KEY), third.resolve(CertificateAuthority.INTERMEDIATE_KEY),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    var e3 = assertThrows(java.io.IOException.class, () -> CertificateAuthority.open(third));
    assertTrue(e3.getMessage().contains("does not match"), e3.getMessage());
  }

  @Test
  void fixedClockGivesStableValidity() throws Exception {
    Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
    Path d = dir.resolve("fixed");
    CertificateAuthority fixed = CertificateAuthority.open(d, Clock.fixed(t0, ZoneOffset.UTC));
    assertEquals(t0.minus(CertificateAuthority.BACKDATE), fixed.validFrom());
    assertEquals(t0.minus(Duration.ofMinutes(5)), fixed.ctLog().createdAt());
    IssuedCertificate issued = fixed.issue(email("c@example.com"), ec("secp256r1").getPublic(), t0.plusMillis(1234));
    assertEquals(t0.plusSeconds(1), issued.leaf().getNotBefore().toInstant());
    Verification.assertVerifies(fixed, issued.leaf(), "c@example.com", ISSUER);
  }
}
