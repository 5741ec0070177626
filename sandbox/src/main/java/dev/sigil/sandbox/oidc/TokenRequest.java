package dev.sigil.sandbox.oidc;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an {@link OidcIssuer} is asked to put in an ID token. Validated on construction; {@link #of(String)} gives the
 * defaults (audience {@value OidcIssuer#DEFAULT_AUDIENCE}, a 10-minute lifetime, no e-mail, no extra claims) and the
 * {@code with...} methods return changed copies.
 *
 * @param subject the {@code sub} claim: required, not blank, at most {@value #MAX_SUBJECT_LENGTH} characters, no
 *     control characters
 * @param email the {@code email} claim (minted with {@code email_verified: true}); a syntactically plausible address
 *     ({@code local@domain.tld}, at most 254 characters)
 * @param audience the {@code aud} claim: not blank, at most {@value #MAX_AUDIENCE_LENGTH} characters
 * @param lifetime {@code exp - iat}: whole seconds, at least 1 s and at most {@link OidcIssuer#MAX_LIFETIME}
 * @param claims extra string claims, such as GitHub Actions' {@code repository}, {@code ref}, {@code sha}, {@code
 *     workflow_ref} or {@code job_workflow_ref}; at most {@value #MAX_CLAIMS}, names of at most {@value
 *     #MAX_CLAIM_NAME_LENGTH} characters from {@code [A-Za-z0-9_.:-]}, values of at most {@value
 *     #MAX_CLAIM_VALUE_LENGTH} characters; never one of the {@link #RESERVED_CLAIMS}
 */
public record TokenRequest(
    String subject, Optional<String> email, String audience, Duration lifetime, Map<String, String> claims) {
  public static final int MAX_SUBJECT_LENGTH = 1024;
  public static final int MAX_AUDIENCE_LENGTH = 255;
  public static final int MAX_EMAIL_LENGTH = 254;
  public static final int MAX_CLAIMS = 64;
  public static final int MAX_CLAIM_NAME_LENGTH = 64;
  public static final int MAX_CLAIM_VALUE_LENGTH = 2048;

  /**
   * Claims the issuer sets itself, which extra claims cannot set or override: the registered JWT claims (RFC 7519
   * §4.1), the OpenID Connect ID token claims, and the e-mail claims.
   */
  public static final Set<String> RESERVED_CLAIMS =
      Set.of(
          "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "email", "email_verified", "azp", "nonce", "auth_time",
          "acr", "amr", "at_hash", "c_hash", "sid", "cnf");

  public TokenRequest {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(claims, "claims");
    checkText("subject", subject, MAX_SUBJECT_LENGTH);
    checkText("audience", audience, MAX_AUDIENCE_LENGTH);
    email.ifPresent(TokenRequest::checkEmail);
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.getNano() != 0
        || lifetime.compareTo(OidcIssuer.MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "lifetime: expected whole seconds between 1 and " + OidcIssuer.MAX_LIFETIME.toSeconds() + ", found "
              + lifetime);
    }
    if (claims.size() > MAX_CLAIMS) {
      throw new IllegalArgumentException(
          "claims: expected at most " + MAX_CLAIMS + " extra claims, found " + claims.size());
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : claims.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "claim name");
      String value = Objects.requireNonNull(e.getValue(), () -> "value of claim " + name);
      checkClaimName(name);
      if (value.length() > MAX_CLAIM_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "claim " + name + ": expected at most " + MAX_CLAIM_VALUE_LENGTH + " characters, found "
                + value.length());
      }
      if (hasControl(value)) {
        throw new IllegalArgumentException("claim " + name + ": expected no control characters, found some");
      }
      sorted.put(name, value);
    }
    claims = Collections.unmodifiableMap(sorted);
  }

  /** A request for {@code subject} with the defaults: audience {@code sigstore}, 10 minutes, no e-mail, no claims. */
  public static TokenRequest of(String subject) {
    return new TokenRequest(
        subject, Optional.empty(), OidcIssuer.DEFAULT_AUDIENCE, OidcIssuer.DEFAULT_LIFETIME, Map.of());
  }

  public TokenRequest withEmail(String email) {
    return new TokenRequest(subject, Optional.of(email), audience, lifetime, claims);
  }

  public TokenRequest withAudience(String audience) {
    return new TokenRequest(subject, email, audience, lifetime, claims);
  }

  public TokenRequest withLifetime(Duration lifetime) {
    return new TokenRequest(subject, email, audience, lifetime, claims);
  }

  /** A copy with {@code claims} as the extra claims (replacing any before). */
  public TokenRequest withClaims(Map<String, String> claims) {
    return new TokenRequest(subject, email, audience, lifetime, claims);
  }

  /** A copy with one more extra claim (replacing one of the same name). */
  public TokenRequest withClaim(String name, String value) {
    TreeMap<String, String> c = new TreeMap<>(claims);
    c.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new TokenRequest(subject, email, audience, lifetime, c);
  }

  private static void checkText(String field, String value, int max) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + ": expected a non-blank string, found a blank one");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(
          field + ": expected at most " + max + " characters, found " + value.length());
    }
    if (hasControl(value)) {
      throw new IllegalArgumentException(field + ": expected no control characters, found some");
    }
  }

  private static void checkClaimName(String name) {
    if (name.isEmpty() || name.length() > MAX_CLAIM_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "claim name: expected 1 to " + MAX_CLAIM_NAME_LENGTH + " characters, found " + name.length());
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == ':' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            "claim name " + Texts.quote(name) + ": expected only [A-Za-z0-9_.:-], found " + Texts.quote(
                String.valueOf(c)));
      }
    }
    if (RESERVED_CLAIMS.contains(name)) {
      throw new IllegalArgumentException(
          "claim " + name + ": expected an extra claim, found one the issuer sets itself (reserved: "
              + String.join(", ", new TreeSet<>(RESERVED_CLAIMS)) + ")");
    }
  }

  /** Plausible, not RFC 5321-complete: one {@code @}, a non-empty local part, a dotted domain of LDH labels. */
  private static void checkEmail(String email) {
    if (email.length() > MAX_EMAIL_LENGTH) {
      throw new IllegalArgumentException(
          "email: expected at most " + MAX_EMAIL_LENGTH + " characters, found " + email.length());
    }
    int at = email.indexOf('@');
    if (at <= 0 || at != email.lastIndexOf('@') || at > 64) {
      throw new IllegalArgumentException(
          "email: expected local@domain with one @ and a 1-64 character local part, found " + Texts.quote(email));
    }
    String local = email.substring(0, at);
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c <= ' ' || c >= 0x7f || "()<>[]\\,;:\"".indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "email: expected a local part of printable ASCII without spaces or specials, found "
                + Texts.quote(email));
      }
    }
    String domain = email.substring(at + 1);
    String[] labels = domain.split("\\.", -1);
    boolean ok = labels.length >= 2;
    for (String l : labels) {
      ok &= !l.isEmpty() && l.length() <= 63 && !l.startsWith("-") && !l.endsWith("-")
          && l.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '-');
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "email: expected a dotted domain of letters, digits and hyphens after the @, found " + Texts.quote(email));
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
