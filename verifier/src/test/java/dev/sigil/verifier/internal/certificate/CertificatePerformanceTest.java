package dev.sigil.verifier.internal.certificate;

import dev.sigil.verifier.FulcioExtension;
import dev.sigil.verifier.IdentityMatcher;
import dev.sigil.verifier.SubjectAlternativeName;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Rough per-call costs, printed for the record (few iterations, so JIT-cold and noisy on a busy machine); asserts
 * only that nothing is pathologically slow.
 */
class CertificatePerformanceTest {
  private static double microsPerCall(int n, Supplier<Boolean> call) {
    for (int i = 0; i < n; i++) {
      if (!call.get()) {
        throw new AssertionError("warm-up call failed");
      }
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (!call.get()) {
        throw new AssertionError("call failed");
      }
    }
    return (System.nanoTime() - start) / 1000.0 / n;
  }

  @Test
  void costs() throws Exception {
    List<TrustedCertificateAuthority> cas = Fixtures.publicGoodAuthorities();
    X509Certificate leaf = Fixtures.happyLeaf();
    Instant t = Fixtures.signingTime(leaf);
    X509Certificate intermediate = cas.get(1).chain().get(0);

    long buildStart = System.nanoTime();
    CertificateChainVerifier uncached = CertificateChainVerifier.of(cas, 0);
    double buildMicros = (System.nanoTime() - buildStart) / 1000.0;
    CertificateChainVerifier cached = CertificateChainVerifier.of(cas);
    SctVerifier sct = SctVerifier.of(Fixtures.publicGoodCtLogs());
    IdentityMatcher matcher = IdentityMatcher.exact(Fixtures.BEACON_SAN, Fixtures.GITHUB_ACTIONS_ISSUER);

    int n = 40;
    double chainUncached = microsPerCall(n, () -> uncached.verify(leaf, List.of(), t).isOk());
    double chainCached = microsPerCall(n, () -> cached.verify(leaf, List.of(), t).isOk());
    double sctMicros = microsPerCall(n, () -> sct.verify(leaf, intermediate).verified());
    double parseMicros =
        microsPerCall(
            n,
            () -> {
              try {
                return FulcioCertificate.parse(leaf).issuer().isPresent();
              } catch (MalformedCertificateException e) {
                return false;
              }
            });
    FulcioCertificate parsed = FulcioCertificate.parse(leaf);
    double matchMicros = microsPerCall(n, () -> matcher.matches(parsed.toSigner()));

    System.out.printf(
        "certificate perf (us/call): build verifier (2 CAs, chain signatures) %.0f; chain verify P-384 issuer"
            + " uncached %.1f, cached %.1f; SCT verify (P-256 log) %.1f; FulcioCertificate.parse %.1f;"
            + " identity match %.2f%n",
        buildMicros, chainUncached, chainCached, sctMicros, parseMicros, matchMicros);
    assertTrue(chainUncached < 20_000 && sctMicros < 20_000);
  }
}
