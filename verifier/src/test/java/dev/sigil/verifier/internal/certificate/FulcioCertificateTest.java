package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.SubjectAlternativeName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.junit.jupiter.api.Test;

class FulcioCertificateTest {
  private static final KeyPair CA = TestPki.p256();

  private static TestPki.Cert generated() {
    return TestPki.cert("CN=test").issuerName("CN=test-ca", CA).key(TestPki.p256().getPublic()).asLeaf();
  }

  @Test
  void happyPathLeafHasTheBeaconIdentityAndEveryExtension() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(Fixtures.happyLeaf());

    assertEquals(
        List.of(new SubjectAlternativeName(SubjectAlternativeName.Type.URI, Fixtures.BEACON_SAN)),
        c.subjectAlternativeNames());
    assertEquals(Optional.of(Fixtures.BEACON_SAN), c.subjectAlternativeName());
    assertEquals(Optional.of(Fixtures.GITHUB_ACTIONS_ISSUER), c.issuer());
    assertEquals(Optional.of(Fixtures.GITHUB_ACTIONS_ISSUER), c.issuerV2());
    assertEquals(Optional.of(Fixtures.GITHUB_ACTIONS_ISSUER), c.deprecatedIssuer());

    Map<String, String> ext = c.extensions();
    // 1.2..1.6 (raw) and 1.9..1.22 (DER UTF8String); issuer extensions are reported apart.
    assertEquals(19, ext.size(), ext.toString());
    assertFalse(ext.containsKey("issuer"));
    assertFalse(ext.containsKey("issuer-v1"));
    assertEquals("workflow_dispatch", ext.get("github-workflow-trigger"));
    assertEquals("c7b3dfb335f051e1c86bda4c716fac97df62ad81", ext.get("github-workflow-sha"));
    assertEquals("Extremely dangerous OIDC beacon", ext.get("github-workflow-name"));
    assertEquals("sigstore-conformance/extremely-dangerous-public-oidc-beacon", ext.get("github-workflow-repository"));
    assertEquals("refs/heads/main", ext.get("github-workflow-ref"));
    assertEquals(Fixtures.BEACON_SAN, ext.get("build-signer-uri"));
    assertEquals("c7b3dfb335f051e1c86bda4c716fac97df62ad81", ext.get("build-signer-digest"));
    assertEquals("github-hosted", ext.get("runner-environment"));
    assertEquals(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon",
        ext.get("source-repository-uri"));
    assertEquals("c7b3dfb335f051e1c86bda4c716fac97df62ad81", ext.get("source-repository-digest"));
    assertEquals("refs/heads/main", ext.get("source-repository-ref"));
    assertEquals("632596897", ext.get("source-repository-identifier"));
    assertEquals("https://github.com/sigstore-conformance", ext.get("source-repository-owner-uri"));
    assertEquals("131804563", ext.get("source-repository-owner-identifier"));
    assertEquals(Fixtures.BEACON_SAN, ext.get("build-config-uri"));
    assertEquals("c7b3dfb335f051e1c86bda4c716fac97df62ad81", ext.get("build-config-digest"));
    assertEquals("workflow_dispatch", ext.get("build-trigger"));
    assertEquals(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/actions/runs/8347481628/attempts/1",
        ext.get("run-invocation-uri"));
    assertEquals("public", ext.get("source-repository-visibility-at-signing"));
    assertEquals(Optional.of("public"), c.extension(FulcioExtension.SOURCE_REPOSITORY_VISIBILITY_AT_SIGNING));
    assertEquals(Optional.empty(), c.extension(FulcioExtension.DEPLOYMENT_ENVIRONMENT));
    assertThrows(UnsupportedOperationException.class, () -> ext.put("x", "y"));
  }

  @Test
  void rootInBundleLeafIsAnEmailIdentityFromGitHubOAuth() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(Fixtures.leaf("bundle-with-root-cert_fail.sigstore.json"));
    assertEquals(
        List.of(new SubjectAlternativeName(SubjectAlternativeName.Type.EMAIL, "a@tny.town")),
        c.subjectAlternativeNames());
    assertEquals(Optional.of("https://github.com/login/oauth"), c.issuer());
    assertTrue(c.extensions().isEmpty());
  }

  @Test
  void usernameOtherNameSan() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(Fixtures.leaf("othername.sigstore.json"));
    assertEquals(
        List.of(new SubjectAlternativeName(SubjectAlternativeName.Type.USERNAME, "foo!oidc.local")),
        c.subjectAlternativeNames());
    assertEquals(Optional.of("foo!oidc.local"), c.subjectAlternativeName());
    assertEquals(Optional.of("http://oidc.local:8080"), c.issuer());
  }

  @Test
  void issuerV2IsPreferredOverTheDeprecatedOne() throws Exception {
    X509Certificate cert =
        generated()
            .rawExt("1.3.6.1.4.1.57264.1.1", false, "https://old.example".getBytes(StandardCharsets.UTF_8))
            .ext("1.3.6.1.4.1.57264.1.8", false, new DERUTF8String("https://new.example"))
            .build();
    FulcioCertificate c = FulcioCertificate.parse(cert);
    assertEquals(Optional.of("https://new.example"), c.issuer());
    assertEquals(Optional.of("https://old.example"), c.deprecatedIssuer());
  }

  @Test
  void deprecatedIssuerIsTheFallback() throws Exception {
    X509Certificate cert =
        generated()
            .rawExt("1.3.6.1.4.1.57264.1.1", false, "https://old.example".getBytes(StandardCharsets.UTF_8))
            .build();
    assertEquals(Optional.of("https://old.example"), FulcioCertificate.parse(cert).issuer());
  }

  @Test
  void noIssuerAndNoSanParseButAreEmpty() throws Exception {
    FulcioCertificate c = FulcioCertificate.parse(generated().build());
    assertEquals(Optional.empty(), c.issuer());
    assertEquals(Optional.empty(), c.subjectAlternativeName());
    assertTrue(c.subjectAlternativeNames().isEmpty());
  }

  @Test
  void issuerV2ThatIsNotDerIsRejected() {
    X509Certificate cert =
        generated()
            .rawExt("1.3.6.1.4.1.57264.1.8", false, "https://raw.example".getBytes(StandardCharsets.UTF_8))
            .build();
    MalformedCertificateException e =
        assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
    assertTrue(e.getMessage().contains("1.3.6.1.4.1.57264.1.8"), e.getMessage());
    assertTrue(e.getMessage().contains("UTF8String"), e.getMessage());
  }

  @Test
  void derExtensionWithAnotherStringTypeIsRejected() {
    X509Certificate cert =
        generated().ext("1.3.6.1.4.1.57264.1.12", false, new DERPrintableString("https://example.com")).build();
    MalformedCertificateException e =
        assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
    assertTrue(e.getMessage().contains("source-repository-uri"), e.getMessage());
    assertTrue(e.getMessage().contains("found tag 0x13"), e.getMessage());
  }

  @Test
  void derExtensionWithTrailingBytesIsRejected() {
    byte[] value = {0x0c, 0x02, 'o', 'k', 0x00};
    X509Certificate cert = generated().rawExt("1.3.6.1.4.1.57264.1.14", false, value).build();
    MalformedCertificateException e =
        assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
    assertTrue(e.getMessage().contains("source-repository-ref"), e.getMessage());
  }

  @Test
  void derExtensionWithNonMinimalLengthIsRejected() {
    byte[] value = {0x0c, (byte) 0x81, 0x02, 'o', 'k'};
    X509Certificate cert = generated().rawExt("1.3.6.1.4.1.57264.1.14", false, value).build();
    assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
  }

  @Test
  void rawExtensionThatIsNotUtf8IsRejected() {
    X509Certificate cert =
        generated().rawExt("1.3.6.1.4.1.57264.1.2", false, new byte[] {'p', (byte) 0xff, 'h'}).build();
    MalformedCertificateException e =
        assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
    assertTrue(e.getMessage().contains("github-workflow-trigger"), e.getMessage());
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void usernameOtherNameThatIsNotUtf8StringIsRejected() {
    GeneralNames names =
        new GeneralNames(
            new GeneralName(
                GeneralName.otherName,
                new OtherName(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.7"), new DERIA5String("foo!bar"))));
    X509Certificate cert = generated().ext(Extension.subjectAlternativeName.getId(), true, names).build();
    MalformedCertificateException e =
        assertThrows(MalformedCertificateException.class, () -> FulcioCertificate.parse(cert));
    assertTrue(e.getMessage().contains("1.3.6.1.4.1.57264.1.7"), e.getMessage());
  }

  @Test
  void allSanKindsAreRead() throws Exception {
    GeneralNames names =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.rfc822Name, "a@example.com"),
              new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.com/x"),
              new GeneralName(
                  GeneralName.otherName,
                  new OtherName(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.7"), new DERUTF8String("user!idp"))),
              new GeneralName(GeneralName.dNSName, "example.com"),
              new GeneralName(GeneralName.iPAddress, "192.0.2.1")
            });
    X509Certificate cert = generated().ext(Extension.subjectAlternativeName.getId(), true, names).build();
    FulcioCertificate c = FulcioCertificate.parse(cert);
    assertEquals(
        List.of(
            new SubjectAlternativeName(SubjectAlternativeName.Type.EMAIL, "a@example.com"),
            new SubjectAlternativeName(SubjectAlternativeName.Type.URI, "https://example.com/x"),
            new SubjectAlternativeName(SubjectAlternativeName.Type.USERNAME, "user!idp"),
            new SubjectAlternativeName(SubjectAlternativeName.Type.DNS, "example.com"),
            new SubjectAlternativeName(SubjectAlternativeName.Type.IP_ADDRESS, "192.0.2.1")),
        c.subjectAlternativeNames());
    // The single-string identity prefers URI, then email, then username (as sigstore-go summarises it).
    assertEquals(Optional.of("https://example.com/x"), c.subjectAlternativeName());
  }

  @Test
  void extensionNamesFollowFulcioOidInfo() {
    assertEquals("1.3.6.1.4.1.57264.1.12", FulcioExtension.SOURCE_REPOSITORY_URI.oid());
    assertEquals(Optional.of(FulcioExtension.BUILD_TRIGGER), FulcioExtension.byOid("1.3.6.1.4.1.57264.1.20"));
    assertEquals(
        Optional.of(FulcioExtension.SOURCE_REPOSITORY_VISIBILITY_AT_SIGNING),
        FulcioExtension.byClaimName("source-repository-visibility-at-signing"));
    assertEquals("1.3.6.1.4.1.57264.1.22", FulcioExtension.SOURCE_REPOSITORY_VISIBILITY_AT_SIGNING.oid());
    assertEquals("1.3.6.1.4.1.57264.1.6", FulcioExtension.GITHUB_WORKFLOW_REF.oid());
    assertEquals(FulcioExtension.Encoding.RAW, FulcioExtension.GITHUB_WORKFLOW_REF.encoding());
    assertEquals(FulcioExtension.Encoding.DER_UTF8_STRING, FulcioExtension.ISSUER.encoding());
  }
}
