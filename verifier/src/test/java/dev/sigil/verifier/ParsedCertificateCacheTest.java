package dev.sigil.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.crypto.CryptoBackend;
import dev.sigil.verifier.internal.json.JsonNode;
import dev.sigil.verifier.trust.PublicGood;
import java.io.InputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache of parsed bundle certificates keeps only leaves a trusted CA signed, and nothing when turned off. */
class ParsedCertificateCacheTest {
  private static byte[] leafDer() throws Exception {
    try (InputStream in = ParsedCertificateCacheTest.class.getResourceAsStream("/certificate/happy-path-v0.3.sigstore.json")) {
      JsonNode b = JsonNode.parse(in.readAllBytes());
      return Base64.getDecoder().decode(b.get("verificationMaterial").get("certificate").get("rawBytes").textValue());
    }
  }

  @Test
  void keepsOnlyLeavesThatChainToATrustedCa() throws Exception {
    CertificateChecks checks = new CertificateChecks(PublicGood.trustedRoot(), 1, 1024, CryptoBackend.jca());
    byte[] leaf = leafDer();
    X509Certificate first = checks.parseCached(List.of(leaf)).value().get(0);
    assertEquals(0, checks.cachedLeaves(), "parsed but not yet verified: not kept");
    assertTrue(checks.verifyChain(first, List.of(), first.getNotBefore().toInstant().plusSeconds(60)).isOk());
    assertEquals(1, checks.cachedLeaves());
    assertSame(first, checks.parseCached(List.of(leaf.clone())).value().get(0), "the same bytes give the kept object");

    // a certificate no trusted CA signed is parsed every time and never kept
    KeyPair kp = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate selfSigned = selfSigned(kp);
    X509Certificate parsed = checks.parseCached(List.of(selfSigned.getEncoded())).value().get(0);
    assertTrue(!checks.verifyChain(parsed, List.of(), parsed.getNotBefore().toInstant().plusSeconds(1)).isOk());
    assertEquals(1, checks.cachedLeaves());
  }

  @Test
  void keepsNothingWhenTheLeafCacheIsOff() throws Exception {
    CertificateChecks checks = new CertificateChecks(PublicGood.trustedRoot(), 1, 0, CryptoBackend.jca());
    X509Certificate leaf = checks.parseCached(List.of(leafDer())).value().get(0);
    assertTrue(checks.verifyChain(leaf, List.of(), leaf.getNotBefore().toInstant().plusSeconds(60)).isOk());
    assertEquals(0, checks.cachedLeaves());
  }

  private static X509Certificate selfSigned(KeyPair kp) throws Exception {
    org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=nobody");
    java.util.Date now = new java.util.Date();
    org.bouncycastle.cert.X509CertificateHolder h =
        new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                name, java.math.BigInteger.ONE, now, new java.util.Date(now.getTime() + 3_600_000L), name, kp.getPublic())
            .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    return dev.sigil.verifier.internal.crypto.Certificates.parse(h.getEncoded());
  }
}
