package dev.sigil.oci.registry;

import java.util.Objects;

/**
 * Credentials for one registry. {@code toString()} never shows secrets; nothing in this module logs them.
 */
public sealed interface Credentials permits Credentials.Basic, Credentials.IdentityToken {

  /** A username and password (or a personal access token used as a password). */
  record Basic(String username, String password) implements Credentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=<redacted>]";
    }
  }

  /**
   * An OAuth2 refresh token ({@code identitytoken} in docker's config, or a credential helper's {@code <token>} user),
   * exchanged at the registry's token endpoint.
   */
  record IdentityToken(String token) implements Credentials {
    public IdentityToken {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "IdentityToken[<redacted>]";
    }
  }

  static Credentials basic(String username, String password) {
    return new Basic(username, password);
  }
}
