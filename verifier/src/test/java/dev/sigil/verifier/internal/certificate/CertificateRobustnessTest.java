package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.SubjectAlternativeName;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated certificates must come back as failures (results or MalformedCertificateException), never as a
 * RuntimeException, and never as a success.
 */
class CertificateRobustnessTest {
  @Test
  void mutatedLeavesNeverThrowOrVerify() throws Exception {
    List<TrustedCertificateAuthority> cas = Fixtures.publicGoodAuthorities();
    CertificateChainVerifier chains = CertificateChainVerifier.of(cas, 0);
    SctVerifier scts = SctVerifier.of(Fixtures.publicGoodCtLogs());
    IdentityMatcher matcher = IdentityMatcher.exact(Fixtures.BEACON_SAN, Fixtures.GITHUB_ACTIONS_ISSUER);
    X509Certificate intermediate = cas.get(1).chain().get(0);
    X509Certificate leaf = Fixtures.happyLeaf();
    Instant t = Fixtures.signingTime(leaf);
    byte[] der = Fixtures.der(leaf);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    Random random = new Random(6962);
    int parsed = 0;
    for (int i = 0; i < 150; i++) {
      byte[] mutated = der.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
      }
      X509Certificate c;
      try {
        c = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(mutated));
      } catch (Exception e) {
        continue; // the JDK refused it; nothing for us to do
      }
      parsed++;
      assertFalse(chains.verify(c, List.of(), t).isOk(), "mutation " + i + " verified");
      scts.verify(c, intermediate); // may verify if only the leaf signature was hit; must not throw
      try {
        matcher.evaluate(FulcioCertificate.parse(c).toSigner());
      } catch (MalformedCertificateException expected) {
        // a clear failure
      }
    }
    assertTrue(parsed > 30, "only " + parsed + " mutations parsed");
  }
}
