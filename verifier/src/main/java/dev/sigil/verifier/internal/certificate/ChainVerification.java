package dev.sigil.verifier.internal.certificate;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The outcome of {@link CertificateChainVerifier#verify}: {@link Verified} or {@link Rejected}. */
public sealed interface ChainVerification permits ChainVerification.Verified, ChainVerification.Rejected {

  boolean verified();

  /** What was established, or why not, in one line. */
  String describe();

  /**
   * The leaf chains to a trusted CA at the signing time.
   *
   * @param authority the trusted CA the leaf chains to
   * @param path the certificates checked, leaf first, then its issuer, up to and including the CA's root; every one
   *     of them except the leaf comes from {@code authority}, never from the bundle
   * @param unusedBundleCertificates certificates the bundle supplied beyond the leaf that are not in {@code path}:
   *     they played no part in the decision (see {@link CertificateChainVerifier#rejectsRootInBundle} to refuse
   *     bundles carrying a root)
   */
  record Verified(
      TrustedCertificateAuthority authority,
      List<X509Certificate> path,
      List<X509Certificate> unusedBundleCertificates)
      implements ChainVerification {
    public Verified {
      Objects.requireNonNull(authority, "authority");
      path = List.copyOf(path);
      unusedBundleCertificates = List.copyOf(unusedBundleCertificates);
      if (path.size() < 2) {
        throw new IllegalArgumentException("path: expected a leaf and at least one CA certificate, found " + path.size());
      }
    }

    @Override
    public boolean verified() {
      return true;
    }

    /** The signing certificate. */
    public X509Certificate leaf() {
      return path.get(0);
    }

    /** The CA certificate that issued the leaf (what an embedded SCT's issuer_key_hash commits to). */
    public X509Certificate issuer() {
      return path.get(1);
    }

    @Override
    public String describe() {
      return "leaf chains to trusted CA "
          + authority.describe()
          + " via "
          + path.subList(1, path.size()).stream()
              .map(c -> "\"" + c.getSubjectX500Principal().getName() + "\"")
              .toList();
    }
  }

  /** The leaf does not chain to any trusted CA at the signing time; {@code reason} says what failed. */
  record Rejected(String reason) implements ChainVerification {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean verified() {
      return false;
    }

    @Override
    public String describe() {
      return reason;
    }
  }
}
