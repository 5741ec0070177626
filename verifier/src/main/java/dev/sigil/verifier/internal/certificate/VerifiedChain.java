package dev.sigil.verifier.internal.certificate;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CertificateChainVerifier#verify} establishes when it succeeds (its result is an
 * {@link dev.sigil.verifier.internal.Outcome} of this): the leaf chains to a trusted CA at the signing time.
 *
 * @param authority the trusted CA the leaf chains to
 * @param path the certificates checked, leaf first, then its issuer, up to and including the CA's root; every one of
 *     them except the leaf comes from {@code authority}, never from the bundle
 * @param unusedBundleCertificates certificates the bundle supplied beyond the leaf that are not in {@code path}: they
 *     played no part in the decision (see {@link CertificateChainVerifier#rejectsRootInBundle} to refuse bundles
 *     carrying a root)
 */
public record VerifiedChain(
    TrustedCertificateAuthority authority, List<X509Certificate> path, List<X509Certificate> unusedBundleCertificates) {
  public VerifiedChain {
    Objects.requireNonNull(authority, "authority");
    path = List.copyOf(path);
    unusedBundleCertificates = List.copyOf(unusedBundleCertificates);
    if (path.size() < 2) {
      throw new IllegalArgumentException("path: expected a leaf and at least one CA certificate, found " + path.size());
    }
  }

  /** The signing certificate. */
  public X509Certificate leaf() {
    return path.get(0);
  }

  /** The CA certificate that issued the leaf (what an embedded SCT's issuer_key_hash commits to). */
  public X509Certificate issuer() {
    return path.get(1);
  }

  /** What was established, in one line. */
  public String describe() {
    List<String> names = new ArrayList<>();
    for (X509Certificate c : path.subList(1, path.size())) {
      names.add("\"" + c.getSubjectX500Principal().getName() + "\"");
    }
    return "leaf chains to trusted CA " + authority.describe() + " via " + names;
  }
}
