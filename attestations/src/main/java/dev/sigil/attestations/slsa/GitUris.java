package dev.sigil.attestations.slsa;

/**
 * Git source URIs as slsa-verifier reads them ({@code verifiers/utils/git.go}): {@code
 * git+https://github.com/org/repo@refs/heads/main} is the repository {@code git+https://github.com/org/repo} at the
 * ref {@code refs/heads/main}.
 */
final class GitUris {
  private GitUris() {}

  /**
   * slsa-verifier's {@code NormalizeGitURI}: {@code github.com/org/repo} becomes {@code
   * git+https://github.com/org/repo}, {@code https://...} becomes {@code git+https://...}, a {@code git+} URI is kept.
   */
  static String normalize(String s) {
    if (s.startsWith("git+")) {
      return s;
    }
    return s.contains("://") ? "git+" + s : "git+https://" + s;
  }

  /**
   * {@code [repository, ref]}; ref is null when there is no {@code @}. Unlike slsa-verifier, which splits at the first
   * {@code @} anywhere, the split is at the first {@code @} in the path, so user information before the host ({@code
   * https://user@host/...}) is not taken for a ref.
   */
  static String[] split(String uri) {
    int scheme = uri.indexOf("://");
    int pathStart = scheme < 0 ? 0 : uri.indexOf('/', scheme + 3);
    if (pathStart < 0) {
      pathStart = uri.length();
    }
    int at = uri.indexOf('@', pathStart);
    return at < 0 ? new String[] {uri, null} : new String[] {uri.substring(0, at), uri.substring(at + 1)};
  }
}
