package dev.sigil.signer.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.signer.SigningException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * An OIDC identity token (a JWT) to exchange for a Fulcio certificate, with the claims the signer needs.
 *
 * <p><b>The token is not verified here.</b> Its payload is decoded (base64url, then JSON) without checking the
 * signature, the audience or the expiry: only Fulcio, which trusts the issuer's keys, can and does verify it. The
 * claims read here serve to build the proof of possession ({@link #identity()}) and to describe the signer; they are
 * not evidence of anything.
 *
 * <p>{@link #toString()} never prints the token, and no exception message built from this class contains it.
 */
public final class IdToken {
  private final String jwt;
  private final String issuer;
  private final String subject;
  private final Optional<String> email;
  private final Optional<Instant> expiry;

  private IdToken(String jwt, String issuer, String subject, Optional<String> email, Optional<Instant> expiry) {
    this.jwt = jwt;
    this.issuer = issuer;
    this.subject = subject;
    this.email = email;
    this.expiry = expiry;
  }

  /**
   * Decodes a compact JWT's payload (without verifying it, see the class comment).
   *
   * @throws SigningException if it is not three base64url parts with a JSON payload carrying {@code iss} and
   *     {@code sub}; the message never contains the token
   */
  public static IdToken parse(String jwt) throws SigningException {
    Objects.requireNonNull(jwt, "jwt");
    String t = jwt.strip();
    String[] parts = t.split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty()) {
      throw new SigningException(
          "identity token: expected a JWT (three base64url parts separated by dots), found "
              + (t.isEmpty() ? "an empty string" : parts.length + " part(s) of " + t.length() + " characters"));
    }
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new SigningException("identity token: expected a base64url payload, found undecodable text");
    }
    JsonNode claims;
    try {
      claims = Json.parseObject(payload);
    } catch (Json.ShapeException e) {
      throw new SigningException("identity token payload: " + e.getMessage());
    }
    String iss;
    String sub;
    try {
      iss = Json.string(claims, "iss", "identity token claim ");
      sub = Json.string(claims, "sub", "identity token claim ");
    } catch (Json.ShapeException e) {
      throw new SigningException(e.getMessage());
    }
    Optional<String> email =
        claims.path("email").isTextual() && !claims.path("email").textValue().isEmpty()
            ? Optional.of(claims.path("email").textValue())
            : Optional.empty();
    Optional<Instant> exp =
        claims.path("exp").isIntegralNumber()
            ? Optional.of(Instant.ofEpochSecond(claims.path("exp").longValue()))
            : Optional.empty();
    return new IdToken(t, iss, sub, email, exp);
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  /** The compact JWT, for sending to Fulcio only. Never log it. */
  public String jwt() {
    return jwt;
  }

  /** The {@code iss} claim (unverified). */
  public String issuer() {
    return issuer;
  }

  /** The {@code sub} claim (unverified). */
  public String subject() {
    return subject;
  }

  /** The {@code email} claim (unverified), if present. */
  public Optional<String> email() {
    return email;
  }

  /** The {@code exp} claim, if present. */
  public Optional<Instant> expiry() {
    return expiry;
  }

  /**
   * What Fulcio expects the proof of possession to sign: the {@code email} claim if present, else {@code sub}.
   */
  public String identity() {
    return email.orElse(subject);
  }

  @Override
  public String toString() {
    return "IdToken[iss=" + issuer + ", identity=" + identity() + ", token hidden]";
  }
}
