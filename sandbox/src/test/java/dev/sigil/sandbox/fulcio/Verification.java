package dev.sigil.sandbox.fulcio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.certificate.CertificateChainVerifier;
import dev.sigil.verifier.internal.Outcome;
import dev.sigil.verifier.internal.certificate.VerifiedChain;
import dev.sigil.verifier.internal.certificate.FulcioCertificate;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.internal.certificate.SctVerification;
import dev.sigil.verifier.internal.certificate.SctVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Checks issued certificates with Sigil's own verifier classes. */
final class Verification {
  private Verification() {}

  /** Chain at a time inside the leaf's validity, SCT, and the exact SAN and issuer; returns the parsed view. */
  static FulcioCertificate assertVerifies(CertificateAuthority ca, X509Certificate leaf, String san, String issuer)
      throws Exception {
    CertificateChainVerifier chains = CertificateChainVerifier.of(List.of(ca.trusted()));
    assertEquals(List.of(), chains.unusableAuthorities());
    Instant t = leaf.getNotBefore().toInstant().plusSeconds(30);
    Outcome<VerifiedChain> cv = chains.verify(leaf, List.of(), t);
    assertTrue(cv.isOk(), () -> cv.detail());
    VerifiedChain verified = cv.value();
    assertEquals(ca.intermediate(), verified.issuer());
    SctVerifier scts = SctVerifier.of(List.of(ca.ctLog().trusted()));
    assertEquals(List.of(), scts.unusableLogs());
    SctVerification sv = scts.verify(verified);
    assertTrue(sv.verified(), sv.summary());
    assertEquals(List.of(ca.ctLog().logIdBase64()), sv.verifiedLogIds());
    FulcioCertificate fc = FulcioCertificate.parse(leaf);
    IdentityMatcher m = IdentityMatcher.exact(san, issuer);
    assertTrue(m.matches(fc.toSigner()), () -> m.evaluate(fc.toSigner()).toString());
    assertEquals(issuer, fc.deprecatedIssuer().orElseThrow());
    assertEquals(issuer, fc.issuerV2().orElseThrow());
    return fc;
  }
}
