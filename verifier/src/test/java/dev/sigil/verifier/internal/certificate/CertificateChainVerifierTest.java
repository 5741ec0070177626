package dev.sigil.verifier.internal.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.Outcome;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class CertificateChainVerifierTest {
  private static final List<TrustedCertificateAuthority> PUBLIC_GOOD = Fixtures.publicGoodAuthorities();
  private static final CertificateChainVerifier VERIFIER = CertificateChainVerifier.of(PUBLIC_GOOD);

  private static Outcome.Failed<VerifiedChain> rejected(Outcome<VerifiedChain> v) {
    assertFalse(v.isOk(), () -> v.value().describe());
    return (Outcome.Failed<VerifiedChain>) v;
  }

  private static VerifiedChain verified(Outcome<VerifiedChain> v) {
    assertTrue(v.isOk(), () -> v.detail());
    return v.value();
  }

  @Test
  void publicGoodCasAreAllUsable() {
    assertEquals(2, PUBLIC_GOOD.size());
    assertEquals(List.of(), VERIFIER.unusableAuthorities());
  }

  @Test
  void happyPathLeafChainsToTheFulcioIntermediate() {
    X509Certificate leaf = Fixtures.happyLeaf();
    VerifiedChain v = verified(VERIFIER.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    assertSame(PUBLIC_GOOD.get(1), v.authority());
    assertEquals(3, v.path().size());
    assertSame(leaf, v.leaf());
    assertEquals("CN=sigstore-intermediate,O=sigstore.dev", v.issuer().getSubjectX500Principal().getName());
    assertEquals(List.of(), v.unusedBundleCertificates());
  }

  @Test
  void certificatesParsedByBouncyCastleWorkToo() throws Exception {
    java.security.cert.CertificateFactory bc =
        java.security.cert.CertificateFactory.getInstance("X.509", dev.sigil.verifier.internal.crypto.Providers.bouncyCastle());
    java.util.function.Function<X509Certificate, X509Certificate> reparse =
        c -> {
          try {
            return (X509Certificate) bc.generateCertificate(new java.io.ByteArrayInputStream(Fixtures.der(c)));
          } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
          }
        };
    List<TrustedCertificateAuthority> cas =
        PUBLIC_GOOD.stream()
            .map(ca -> new TrustedCertificateAuthority(ca.chain().stream().map(reparse).toList(), ca.validFrom(), ca.validUntil()))
            .toList();
    CertificateChainVerifier v = CertificateChainVerifier.of(cas);
    assertEquals(List.of(), v.unusableAuthorities());
    X509Certificate leaf = reparse.apply(Fixtures.happyLeaf());
    VerifiedChain ok = verified(v.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    assertTrue(SctVerifier.of(Fixtures.publicGoodCtLogs()).verify(ok).verified());
    assertEquals(Optional.of(Fixtures.GITHUB_ACTIONS_ISSUER), FulcioCertificate.parse(leaf).issuer());
  }

  @Test
  void happyPathV02ChainForm() {
    List<X509Certificate> certs = Fixtures.bundleCertificates("happy-path-v0.2.sigstore.json");
    X509Certificate leaf = certs.get(0);
    verified(VERIFIER.verify(leaf, certs.subList(1, certs.size()), Fixtures.signingTime(leaf)));
  }

  @Test
  void rsaRootOnlyCaWithUsernameLeaf() {
    CertificateChainVerifier scaffolding =
        CertificateChainVerifier.of(Fixtures.authorities("scaffolding-trusted_root.json"));
    assertEquals(List.of(), scaffolding.unusableAuthorities());
    X509Certificate leaf = Fixtures.leaf("othername.sigstore.json");
    VerifiedChain v = verified(scaffolding.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    assertEquals(2, v.path().size());
  }

  @Test
  void validityBoundsAreInclusive() {
    X509Certificate leaf = Fixtures.happyLeaf();
    verified(VERIFIER.verify(leaf, List.of(), leaf.getNotBefore().toInstant()));
    verified(VERIFIER.verify(leaf, List.of(), leaf.getNotAfter().toInstant()));
  }

  @Test
  void signingTimeAfterNotAfter() {
    X509Certificate leaf = Fixtures.happyLeaf();
    Instant t = leaf.getNotAfter().toInstant().plusSeconds(1);
    Outcome.Failed<VerifiedChain> r = rejected(VERIFIER.verify(leaf, List.of(), t));
    assertTrue(r.detail().startsWith("leaf certificate validity"), r.detail());
    assertTrue(r.detail().contains("after notAfter"), r.detail());
    assertTrue(r.detail().contains(t.toString()), r.detail());
  }

  @Test
  void signingTimeBeforeNotBefore() {
    X509Certificate leaf = Fixtures.happyLeaf();
    Outcome.Failed<VerifiedChain> r =
        rejected(VERIFIER.verify(leaf, List.of(), leaf.getNotBefore().toInstant().minusSeconds(1)));
    assertTrue(r.detail().contains("before notBefore"), r.detail());
  }

  @Test
  void signingTimeOutsideTheCaWindow() {
    X509Certificate leaf = Fixtures.happyLeaf();
    Instant t = Fixtures.signingTime(leaf);
    TrustedCertificateAuthority fulcio = PUBLIC_GOOD.get(1);
    TrustedCertificateAuthority ended =
        new TrustedCertificateAuthority(fulcio.chain(), fulcio.validFrom(), Optional.of(t.minusSeconds(1)));
    Outcome.Failed<VerifiedChain> r = rejected(CertificateChainVerifier.of(List.of(ended)).verify(leaf, List.of(), t));
    assertTrue(r.detail().contains("trusted window"), r.detail());

    // The window is closed: its end instant is still inside.
    TrustedCertificateAuthority endsNow = new TrustedCertificateAuthority(fulcio.chain(), fulcio.validFrom(), Optional.of(t));
    verified(CertificateChainVerifier.of(List.of(endsNow)).verify(leaf, List.of(), t));

    TrustedCertificateAuthority notYet = new TrustedCertificateAuthority(fulcio.chain(), t.plusSeconds(1), Optional.empty());
    rejected(CertificateChainVerifier.of(List.of(notYet)).verify(leaf, List.of(), t));
  }

  @Test
  void wrongCaByName() {
    // Only the 2021 root-only CA: nothing in it is named "sigstore-intermediate".
    CertificateChainVerifier old = CertificateChainVerifier.of(List.of(PUBLIC_GOOD.get(0)));
    X509Certificate leaf = Fixtures.happyLeaf();
    Outcome.Failed<VerifiedChain> r = rejected(old.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    assertTrue(r.detail().contains("CN=sigstore-intermediate,O=sigstore.dev"), r.detail());
    assertTrue(r.detail().contains("found it in none"), r.detail());
  }

  @Test
  void wrongCaWithTheSameNameButAnotherKey() {
    KeyPair rootKeys = TestPki.p384();
    X509Certificate root =
        TestPki.cert("O=sigstore.dev,CN=sigstore")
            .selfSigned(rootKeys)
            .asCa()
            .validity(Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"))
            .build();
    KeyPair intermediateKeys = TestPki.p384();
    X509Certificate impostor =
        TestPki.cert("O=sigstore.dev,CN=sigstore-intermediate")
            .issuedBy(root, rootKeys)
            .key(intermediateKeys.getPublic())
            .asCa()
            .validity(Instant.parse("2021-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"))
            .build();
    CertificateChainVerifier v =
        CertificateChainVerifier.of(
            List.of(TrustedCertificateAuthority.openEnded(List.of(impostor, root), Instant.parse("2021-01-01T00:00:00Z"))));
    assertEquals(List.of(), v.unusableAuthorities());
    X509Certificate leaf = Fixtures.happyLeaf();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    assertTrue(r.detail().contains("leaf signature"), r.detail());
  }

  @Test
  void tamperedLeafSignature() {
    X509Certificate leaf = Fixtures.happyLeaf();
    byte[] der = Fixtures.der(leaf);
    // The last byte is inside the ECDSA signature's s value.
    X509Certificate tampered = Fixtures.cert(Fixtures.flip(der, der.length - 1));
    Outcome.Failed<VerifiedChain> r = rejected(VERIFIER.verify(tampered, List.of(), Fixtures.signingTime(leaf)));
    assertTrue(r.detail().contains("leaf signature"), r.detail());
    assertTrue(r.detail().contains("does not verify"), r.detail());
  }

  @Test
  void tamperedLeafContent() {
    X509Certificate leaf = Fixtures.happyLeaf();
    byte[] der = Fixtures.der(leaf);
    int at = Fixtures.indexOf(der, "refs/heads/main".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    der[at] = 'R';
    Outcome.Failed<VerifiedChain> r =
        rejected(VERIFIER.verify(Fixtures.cert(der), List.of(), Fixtures.signingTime(leaf)));
    assertTrue(r.detail().contains("leaf signature"), r.detail());
  }

  @Test
  void cachedSignatureNeverSkipsTimeChecks() {
    CertificateChainVerifier v = CertificateChainVerifier.of(PUBLIC_GOOD);
    X509Certificate leaf = Fixtures.happyLeaf();
    verified(v.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    verified(v.verify(leaf, List.of(), Fixtures.signingTime(leaf)));
    rejected(v.verify(leaf, List.of(), leaf.getNotAfter().toInstant().plusSeconds(1)));
    // A different (tampered) encoding is a different cache key and is checked afresh.
    byte[] der = Fixtures.der(leaf);
    rejected(v.verify(Fixtures.cert(Fixtures.flip(der, der.length - 1)), List.of(), Fixtures.signingTime(leaf)));
  }

  @Test
  void cacheCanBeDisabledAndVerifierIsThreadSafe() {
    CertificateChainVerifier uncached = CertificateChainVerifier.of(PUBLIC_GOOD, 0);
    CertificateChainVerifier cached = CertificateChainVerifier.of(PUBLIC_GOOD, 2);
    X509Certificate a = Fixtures.happyLeaf();
    X509Certificate b = Fixtures.leaf("happy-path-v0.2.sigstore.json");
    X509Certificate c = Fixtures.leaf("bundle-with-root-cert_fail.sigstore.json");
    long failures =
        IntStream.range(0, 96)
            .parallel()
            .mapToObj(i -> List.of(a, b, c).get(i % 3))
            .flatMap(
                leaf ->
                    java.util.stream.Stream.of(
                        uncached.verify(leaf, List.of(), Fixtures.signingTime(leaf)),
                        cached.verify(leaf, List.of(), Fixtures.signingTime(leaf))))
            .filter(r -> !r.isOk())
            .count();
    assertEquals(0, failures);
  }

  @Test
  void bundleWithRootCertificate() {
    List<X509Certificate> certs = Fixtures.bundleCertificates("bundle-with-root-cert_fail.sigstore.json");
    assertEquals(3, certs.size());
    X509Certificate leaf = certs.get(0);

    // The two extra certificates are the *staging* Fulcio CA (root and intermediate), byte for byte, while the leaf
    // was issued by the production intermediate.
    List<X509Certificate> staging = Fixtures.authorities("staging-trusted_root.json").get(0).chain();
    assertArrayEquals(Fixtures.der(staging.get(1)), Fixtures.der(certs.get(1)));
    assertArrayEquals(Fixtures.der(staging.get(0)), Fixtures.der(certs.get(2)));

    // Chain building ignores the bundle's certificates: the leaf still chains to the production CA, and the unused
    // extras are reported.
    VerifiedChain v =
        verified(VERIFIER.verify(leaf, certs.subList(1, certs.size()), Fixtures.signingTime(leaf)));
    assertSame(PUBLIC_GOOD.get(1), v.authority());
    assertEquals(2, v.unusedBundleCertificates().size());

    // At the log's integrated time, which is exactly the leaf's notBefore (validity bounds are inclusive).
    Instant integrated =
        Instant.ofEpochSecond(
            Fixtures.json("bundle-with-root-cert_fail.sigstore.json")
                .get("verificationMaterial").get("tlogEntries").get(0).get("integratedTime").asLong());
    assertEquals(leaf.getNotBefore().toInstant(), integrated);
    verified(VERIFIER.verify(leaf, certs.subList(1, certs.size()), integrated));

    // A caller that refuses roots in bundles can say so.
    Optional<String> refusal = CertificateChainVerifier.rejectsRootInBundle(certs);
    assertTrue(refusal.isPresent());
    assertTrue(refusal.get().contains("self-signed CA certificate #2"), refusal.get());
    assertTrue(refusal.get().contains("CN=sigstore,O=sigstore.dev"), refusal.get());

    assertEquals(Optional.empty(), CertificateChainVerifier.rejectsRootInBundle(List.of(leaf, certs.get(2))));
    assertEquals(
        Optional.empty(),
        CertificateChainVerifier.rejectsRootInBundle(Fixtures.bundleCertificates("happy-path-v0.2.sigstore.json")));
  }

  @Test
  void bundleIntermediatesInTheTrustedChainAreUsedNotReported() {
    X509Certificate leaf = Fixtures.happyLeaf();
    X509Certificate intermediate = PUBLIC_GOOD.get(1).chain().get(0);
    VerifiedChain v =
        verified(VERIFIER.verify(leaf, List.of(leaf, intermediate), Fixtures.signingTime(leaf)));
    assertEquals(List.of(), v.unusedBundleCertificates());
  }

  // ---- generated hierarchies ----

  @Test
  void generatedHierarchyWithEachKeyType() {
    // (RSA roots are covered by the scaffolding CA above; RSA key generation is slow, so only one here.)
    KeyPair rootKeys = TestPki.p384();
    for (KeyPair intermediateKeys : List.of(TestPki.p256(), TestPki.p384(), TestPki.ed25519(), TestPki.rsa2048())) {
      TestPki.Hierarchy h = TestPki.Hierarchy.create(rootKeys, intermediateKeys);
      CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
      assertEquals(List.of(), v.unusableAuthorities(), intermediateKeys.getPublic().getAlgorithm());
      X509Certificate leaf = h.leaf().build();
      verified(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60)));
    }
  }

  @Test
  void issuerNameEqualOnlyCanonicallyStillChains() {
    // The leaf names its issuer in other letter case: different DER, equal under X.500's canonical comparison (as
    // before the exact-bytes fast path). A wrong key under that name is still refused.
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    X509Certificate leaf =
        TestPki.cert("CN=leaf")
            .issuerName("O=SIGIL-TEST,CN=Intermediate", h.intermediateKeys())
            .key(TestPki.p256().getPublic())
            .asLeaf()
            .build();
    assertFalse(
        java.util.Arrays.equals(
            leaf.getIssuerX500Principal().getEncoded(), h.intermediate().getSubjectX500Principal().getEncoded()));
    assertTrue(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60)) instanceof Outcome.Ok);
    X509Certificate forged =
        TestPki.cert("CN=leaf")
            .issuerName("O=SIGIL-TEST,CN=Intermediate", TestPki.p384())
            .key(TestPki.p256().getPublic())
            .asLeaf()
            .build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(forged, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(r.detail().contains("leaf signature"), r.detail());
  }

  @Test
  void issuerThatIsNotACaMakesTheAuthorityUnusable() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    KeyPair keys = TestPki.p256();
    X509Certificate notCa =
        TestPki.cert("O=sigil-test,CN=not-a-ca")
            .issuedBy(h.root(), h.rootKeys())
            .key(keys.getPublic())
            .ca(false)
            .keyUsage(KeyUsage.keyCertSign)
            .validity(TestPki.T0.minusSeconds(3600), TestPki.T0.plusSeconds(3600))
            .build();
    CertificateChainVerifier v =
        CertificateChainVerifier.of(List.of(TrustedCertificateAuthority.openEnded(List.of(notCa, h.root()), Instant.MIN)));
    assertEquals(1, v.unusableAuthorities().size());
    assertTrue(v.unusableAuthorities().get(0).contains("expected a CA"), v.unusableAuthorities().get(0));
    X509Certificate leaf = TestPki.cert("CN=leaf").issuedBy(notCa, keys).key(TestPki.p256().getPublic()).asLeaf().build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60)));
    // The leaf names the unusable CA's certificate as its issuer, so the rejection says why that CA cannot be used.
    assertTrue(r.detail().contains("trusted CA #1"), r.detail());
    assertTrue(r.detail().contains("\"CN=not-a-ca,O=sigil-test\": expected a CA (basicConstraints cA true)"), r.detail());
    // A leaf from an issuer no CA names gets the list of CAs set aside.
    X509Certificate stranger =
        TestPki.cert("CN=leaf").issuedBy(h.intermediate(), h.intermediateKeys()).key(TestPki.p256().getPublic()).asLeaf().build();
    Outcome.Failed<VerifiedChain> none = rejected(v.verify(stranger, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(none.detail().contains("found it in none of the 0 usable trusted CA chain(s) (set aside: trusted CA #1"), none.detail());

    // Without basicConstraints at all, too.
    X509Certificate noBc =
        TestPki.cert("O=sigil-test,CN=no-bc")
            .issuedBy(h.root(), h.rootKeys())
            .key(keys.getPublic())
            .validity(TestPki.T0.minusSeconds(3600), TestPki.T0.plusSeconds(3600))
            .build();
    assertEquals(
        1,
        CertificateChainVerifier.of(List.of(TrustedCertificateAuthority.openEnded(List.of(noBc, h.root()), Instant.MIN)))
            .unusableAuthorities()
            .size());
  }

  @Test
  void brokenCaChainIsSetAside() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    TestPki.Hierarchy other = TestPki.Hierarchy.create();
    // other's intermediate is not signed by h's root, though the names match.
    CertificateChainVerifier v =
        CertificateChainVerifier.of(
            List.of(TrustedCertificateAuthority.openEnded(List.of(other.intermediate(), h.root()), Instant.MIN)));
    assertEquals(1, v.unusableAuthorities().size());
    assertTrue(v.unusableAuthorities().get(0).contains("signature"), v.unusableAuthorities().get(0));
  }

  @Test
  void leafWithoutCodeSigning() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    X509Certificate serverAuth = h.leaf().eku(KeyPurposeId.id_kp_serverAuth).build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(serverAuth, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(r.detail().contains("codeSigning (1.3.6.1.5.5.7.3.3)"), r.detail());
    assertTrue(r.detail().contains("1.3.6.1.5.5.7.3.1"), r.detail());

    X509Certificate noEku = h.leaf().eku((KeyPurposeId[]) null).build();
    assertTrue(rejected(v.verify(noEku, List.of(), TestPki.T0.plusSeconds(60))).detail().contains("no extension"));
  }

  @Test
  void leafWithoutDigitalSignature() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    X509Certificate leaf = h.leaf().keyUsage(KeyUsage.keyEncipherment).build();
    assertTrue(rejected(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60))).detail().contains("digitalSignature"));
    X509Certificate noKu = h.leaf().keyUsage(null).build();
    assertTrue(rejected(v.verify(noKu, List.of(), TestPki.T0.plusSeconds(60))).detail().contains("no key usage"));
  }

  @Test
  void leafThatIsACa() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    X509Certificate leaf = h.leaf().ca(true).build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(r.detail().contains("basicConstraints"), r.detail());
    // cA explicitly false is fine.
    verified(v.verify(h.leaf().ca(false).build(), List.of(), TestPki.T0.plusSeconds(60)));
  }

  @Test
  void unprocessedCriticalExtensionInLeaf() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    X509Certificate leaf = h.leaf().ext("1.3.6.1.4.1.11129.2.4.3", true, org.bouncycastle.asn1.DERNull.INSTANCE).build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(leaf, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(r.detail().contains("1.3.6.1.4.1.11129.2.4.3"), r.detail());
    // Non-critical unknown extensions (all Fulcio's) are fine.
    verified(
        v.verify(
            h.leaf().ext("1.3.6.1.4.1.57264.1.8", false, new DERUTF8String("https://x")).build(),
            List.of(),
            TestPki.T0.plusSeconds(60)));
  }

  @Test
  void pathLengthConstraintIsEnforced() {
    KeyPair rootKeys = TestPki.p256();
    X509Certificate root =
        TestPki.cert("CN=pathlen-root").selfSigned(rootKeys).asCa().pathLen(0)
            .validity(TestPki.T0.minusSeconds(86400), TestPki.T0.plusSeconds(86400)).build();
    KeyPair midKeys = TestPki.p256();
    X509Certificate mid =
        TestPki.cert("CN=pathlen-intermediate").issuedBy(root, rootKeys).key(midKeys.getPublic()).asCa()
            .validity(TestPki.T0.minusSeconds(86400), TestPki.T0.plusSeconds(86400)).build();
    CertificateChainVerifier v =
        CertificateChainVerifier.of(List.of(TrustedCertificateAuthority.openEnded(List.of(mid, root), Instant.MIN)));
    assertEquals(List.of(), v.unusableAuthorities());
    X509Certificate viaMid = TestPki.cert("CN=leaf").issuedBy(mid, midKeys).key(TestPki.p256().getPublic()).asLeaf().build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(viaMid, List.of(), TestPki.T0.plusSeconds(60)));
    assertTrue(r.detail().contains("pathLenConstraint"), r.detail());
    // The root may still issue leaves directly.
    X509Certificate direct = TestPki.cert("CN=leaf").issuedBy(root, rootKeys).key(TestPki.p256().getPublic()).asLeaf().build();
    assertEquals(2, verified(v.verify(direct, List.of(), TestPki.T0.plusSeconds(60))).path().size());
  }

  @Test
  void expiredIntermediateAtSigningTime() {
    TestPki.Hierarchy h = TestPki.Hierarchy.create();
    CertificateChainVerifier v = CertificateChainVerifier.of(List.of(h.authority()));
    Instant late = h.intermediate().getNotAfter().toInstant().plusSeconds(1);
    X509Certificate leaf = h.leaf().validity(late.minusSeconds(60), late.plusSeconds(60)).build();
    Outcome.Failed<VerifiedChain> r = rejected(v.verify(leaf, List.of(), late));
    assertTrue(r.detail().contains("CA certificate \"CN=intermediate,O=sigil-test\" validity"), r.detail());
  }

  @Test
  void selfIssuedBundleCertificateThatIsNotACaButSelfSigned() {
    KeyPair keys = TestPki.p256();
    X509Certificate selfSigned = TestPki.cert("CN=self").selfSigned(keys).asLeaf().build();
    assertTrue(CertificateChainVerifier.rejectsRootInBundle(List.of(selfSigned)).isPresent());
    assertFalse(CertificateChainVerifier.rejectsRootInBundle(List.of()).isPresent());
  }

  /**
   * sameNameByEncoding answers as X500Principal.equals whenever it answers, and leaves canonically equal names with
   * different encodings to it.
   */
  @Test
  void namesComparedByEncodingAgreeWithX500PrincipalEquality() throws Exception {
    java.util.List<javax.security.auth.x500.X500Principal> names =
        java.util.List.of(
            new javax.security.auth.x500.X500Principal(""),
            new javax.security.auth.x500.X500Principal(new byte[] {0x30, 0x00}),
            new javax.security.auth.x500.X500Principal("CN=sigstore-intermediate, O=sigstore.dev"),
            new javax.security.auth.x500.X500Principal("cn=SIGSTORE-intermediate,  o=sigstore.dev"),
            new javax.security.auth.x500.X500Principal("CN=sigstore, O=sigstore.dev"),
            new javax.security.auth.x500.X500Principal("O=sigstore.dev, CN=sigstore"),
            // the same name as a UTF8String instead of a PrintableString: equal canonically, not by bytes
            new javax.security.auth.x500.X500Principal(
                new org.bouncycastle.asn1.x500.X500Name(
                        new org.bouncycastle.asn1.x500.RDN[] {
                          new org.bouncycastle.asn1.x500.RDN(
                              org.bouncycastle.asn1.x500.style.BCStyle.CN, new DERUTF8String("sigstore"))
                        })
                    .getEncoded()),
            new javax.security.auth.x500.X500Principal("CN=sigstore"));
    int canonicalOnly = 0;
    for (var a : names) {
      for (var b : names) {
        Boolean byEncoding = CertificateChainVerifier.sameNameByEncoding(a.getEncoded(), b.getEncoded());
        if (byEncoding != null) {
          assertEquals(a.equals(b), byEncoding, a + " vs " + b);
        } else if (a.equals(b)) {
          canonicalOnly++;
        }
      }
    }
    assertTrue(canonicalOnly >= 2, "expected pairs equal only canonically, found " + canonicalOnly);
  }
}
