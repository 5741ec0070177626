package dev.sigil.sandbox.oidc;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity in a verified ID token.
 *
 * @param issuer the {@code iss} claim
 * @param subject the {@code sub} claim
 * @param email the {@code email} claim when present and {@code email_verified} is true
 * @param claims every claim of the token (string, number, boolean, list or map values), for CI claims such as
 *     GitHub's {@code repository} or {@code workflow_ref}; unmodifiable, with JSON {@code null} claims left out (a
 *     {@code null} value is refused)
 */
public record VerifiedIdentity(String issuer, String subject, Optional<String> email, Map<String, Object> claims) {
  public VerifiedIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(email, "email");
    claims = Map.copyOf(claims);
  }

  /**
   * The name the proof of possession signs and the certificate carries: the e-mail address when there is one, else
   * the subject (as Fulcio does).
   */
  public String principal() {
    return email.orElse(subject);
  }
}
