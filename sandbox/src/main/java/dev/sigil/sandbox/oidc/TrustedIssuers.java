package dev.sigil.sandbox.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies OIDC ID tokens against a fixed set of {@link TrustedIssuer}s, in memory: the keys are given up front and
 * nothing is fetched. A token is accepted only if, in this order:
 *
 * <ol>
 *   <li>it is a compact JWS: three non-empty base64url segments, a JSON header and a JSON claims set, at most
 *       {@value #MAX_TOKEN_CHARS} characters, no {@code crit} header;
 *   <li>its {@code alg} is one of {@link #ALGORITHMS} (never {@code none} nor an HMAC);
 *   <li>its {@code iss} is one of the trusted issuers;
 *   <li>its signature verifies with one of that issuer's keys for that algorithm (the one with the header's {@code
 *       kid} when it names one; a key's own {@code alg}, when set, must match; {@code use: enc} keys are never used);
 *   <li>its {@code aud} contains the expected audience;
 *   <li>its {@code exp} is present and later than now minus {@link #CLOCK_SKEW}, and its {@code nbf} and {@code iat},
 *       when present, are no later than now plus {@link #CLOCK_SKEW};
 *   <li>its {@code sub} is a non-blank string;
 *   <li>an {@code email} claim, when present, is a string with {@code email_verified: true} (as Fulcio requires for
 *       e-mail identities).
 * </ol>
 *
 * Failures are {@link InvalidTokenException}s saying what was checked, expected and found; they never contain the
 * token or its signature. Thread-safe; the constructor does no I/O.
 */
public final class TrustedIssuers implements IdentityTokens {
  /** The audience expected unless another is given: what Fulcio uses. */
  public static final String DEFAULT_AUDIENCE = "sigstore";
  /** How far {@code exp}, {@code nbf} and {@code iat} may be off from this verifier's clock. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  /** The longest token accepted, in characters. */
  public static final int MAX_TOKEN_CHARS = 64 * 1024;
  /** The accepted signature algorithms ({@code Ed25519} is RFC 9864's name for EdDSA over Ed25519). */
  public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "EdDSA", "Ed25519");

  private static final int MIN_RSA_BITS = 2048;
  private static final String[] SEGMENT_NAMES = {"header", "payload", "signature"};

  private final Map<String, List<Candidate>> keysByIssuer;
  private final String audience;
  private final Clock clock;

  /** A usable key: its {@code kid} (may be null), the algorithm it verifies, and how. */
  private record Candidate(String kid, String alg, Check check) {}

  @FunctionalInterface
  private interface Check {
    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException;
  }

  /**
   * @param issuers the trusted issuers, at least one, each {@code iss} at most once
   * @param audience the {@code aud} a token must contain
   * @param clock the source of "now" for {@code exp}, {@code nbf} and {@code iat}
   * @throws IllegalArgumentException if an issuer is listed twice or has no key usable with {@link #ALGORITHMS}
   */
  public TrustedIssuers(List<TrustedIssuer> issuers, String audience, Clock clock) {
    Objects.requireNonNull(issuers, "issuers");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (audience.isBlank()) {
      throw new IllegalArgumentException("audience: expected a non-blank string, found a blank one");
    }
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("issuers: expected at least one trusted issuer, found none");
    }
    Map<String, List<Candidate>> byIssuer = new LinkedHashMap<>();
    for (TrustedIssuer ti : issuers) {
      Objects.requireNonNull(ti, "issuer");
      List<Candidate> usable = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      for (JWK k : ti.keys().getKeys()) {
        Candidate c = candidate(k, skipped);
        if (c != null) {
          usable.add(c);
        }
      }
      if (usable.isEmpty()) {
        throw new IllegalArgumentException(
            "keys of " + Texts.quote(ti.issuer()) + ": expected at least one signature key usable with "
                + ALGORITHMS + ", found none (" + String.join("; ", skipped) + ")");
      }
      if (byIssuer.put(ti.issuer(), List.copyOf(usable)) != null) {
        throw new IllegalArgumentException(
            "issuers: expected each issuer once, found " + Texts.quote(ti.issuer()) + " twice");
      }
    }
    this.keysByIssuer = Collections.unmodifiableMap(byIssuer);
  }

  /** Trusts {@code issuers}, expects audience {@value #DEFAULT_AUDIENCE}, with the system clock. */
  public static TrustedIssuers of(List<TrustedIssuer> issuers) {
    return new TrustedIssuers(issuers, DEFAULT_AUDIENCE, Clock.systemUTC());
  }

  /** Trusts the local {@code issuer}'s public keys, expects audience {@value #DEFAULT_AUDIENCE}, system clock. */
  public static TrustedIssuers of(OidcIssuer issuer) {
    return of(List.of(TrustedIssuer.of(issuer)));
  }

  /** The trusted {@code iss} values, in the order given. */
  public List<String> issuers() {
    return List.copyOf(keysByIssuer.keySet());
  }

  /** The audience a token must contain. */
  public String audience() {
    return audience;
  }

  @Override
  public VerifiedIdentity verify(String rawToken) throws InvalidTokenException {
    // 1. Well-formed compact JWS.
    Base64URL[] parts = split(rawToken);
    Map<String, Object> headerJson = json("header", parts[0]);
    // 2. Algorithm, before anything else of the header is interpreted.
    Object algValue = headerJson.get("alg");
    if (!(algValue instanceof String alg) || !ALGORITHMS.contains(alg)) {
      throw new InvalidTokenException(
          "header alg: expected one of " + ALGORITHMS + ", found " + describe(algValue)
              + (isHmac(algValue) ? " (HMAC tokens are never accepted)" : ""));
    }
    if (headerJson.containsKey("crit")) {
      throw new InvalidTokenException(
          "header crit: expected absent (no critical extensions are understood), found " + describe(
              headerJson.get("crit")));
    }
    JWSHeader header;
    try {
      header = JWSHeader.parse(headerJson, parts[0]);
    } catch (ParseException e) {
      throw new InvalidTokenException("header: expected a JWS header (RFC 7515 §4), found " + e.getMessage(), e);
    }
    Map<String, Object> payload = json("payload", parts[1]);
    JWTClaimsSet claims;
    try {
      claims = JWTClaimsSet.parse(payload);
    } catch (ParseException e) {
      throw new InvalidTokenException("payload: expected a JWT claims set (RFC 7519), found " + e.getMessage(), e);
    }

    // 3. Issuer.
    String iss = claims.getIssuer();
    List<Candidate> keys = iss == null ? null : keysByIssuer.get(iss);
    if (keys == null) {
      throw new InvalidTokenException(
          "iss: unknown issuer: expected one of " + keysByIssuer.keySet() + ", found " + Texts.quote(iss));
    }

    // 4. Signature.
    verifySignature(iss, keys, header, alg, parts);

    // 5. Audience.
    List<String> aud = claims.getAudience();
    if (!aud.contains(audience)) {
      throw new InvalidTokenException(
          "aud: expected to contain " + Texts.quote(audience) + ", found "
              + (aud.isEmpty() ? "none" : aud.stream().map(Texts::quote).toList()));
    }

    // 6. Times.
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new InvalidTokenException("exp: expected an expiry time, found none");
    }
    if (!now.minus(CLOCK_SKEW).isBefore(exp.toInstant())) {
      throw new InvalidTokenException(
          "exp: expected after " + now.minus(CLOCK_SKEW) + " (now " + now + " minus " + CLOCK_SKEW.toSeconds()
              + " s clock skew), found " + exp.toInstant() + ": the token has expired");
    }
    checkNotFuture("nbf", claims.getNotBeforeTime(), now, "the token is not yet valid");
    checkNotFuture("iat", claims.getIssueTime(), now, "the token was issued in the future");

    // 7. Subject.
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) {
      throw new InvalidTokenException("sub: expected a non-blank subject, found " + (sub == null ? "none" : "\"\""));
    }

    // 8. E-mail.
    java.util.Optional<String> email = java.util.Optional.empty();
    if (payload.containsKey("email") && payload.get("email") != null) {
      if (!(payload.get("email") instanceof String e)) {
        throw new InvalidTokenException("email: expected a string, found " + describe(payload.get("email")));
      }
      Object verified = payload.get("email_verified");
      if (!Boolean.TRUE.equals(verified)) {
        throw new InvalidTokenException(
            "email_verified: expected true for the email claim " + Texts.quote(e) + ", found "
                + describe(verified));
      }
      email = java.util.Optional.of(e);
    }
    return new VerifiedIdentity(iss, sub, email, immutableCopy(payload));
  }

  @Override
  public String toString() {
    return "TrustedIssuers[" + keysByIssuer.keySet() + ", audience " + audience + "]";
  }

  // ------------------------------------------------------------------------------------------------- parsing

  private static Base64URL[] split(String raw) throws InvalidTokenException {
    if (raw == null) {
      throw new InvalidTokenException("token: expected a compact JWS, found none");
    }
    if (raw.isEmpty()) {
      throw new InvalidTokenException("token: expected a compact JWS, found an empty string");
    }
    if (raw.length() > MAX_TOKEN_CHARS) {
      throw new InvalidTokenException(
          "token: expected at most " + MAX_TOKEN_CHARS + " characters, found " + raw.length());
    }
    String[] segs = raw.split("\\.", -1);
    if (segs.length != 3) {
      throw new InvalidTokenException(
          "token: expected a compact JWS of three base64url segments separated by '.', found " + segs.length
              + " segment(s)");
    }
    Base64URL[] out = new Base64URL[3];
    for (int i = 0; i < 3; i++) {
      String s = segs[i];
      if (s.isEmpty()) {
        throw new InvalidTokenException(
            SEGMENT_NAMES[i] + ": expected a non-empty base64url segment, found an empty one"
                + (i == 2 ? " (unsigned tokens are never accepted)" : ""));
      }
      for (int j = 0; j < s.length(); j++) {
        char c = s.charAt(j);
        boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_';
        if (!ok) {
          throw new InvalidTokenException(
              SEGMENT_NAMES[i] + ": expected base64url without padding (RFC 7515 §2), found a character outside "
                  + "that alphabet at offset " + j);
        }
      }
      if (s.length() % 4 == 1) {
        throw new InvalidTokenException(
            SEGMENT_NAMES[i] + ": expected base64url of a valid length (not 1 modulo 4), found " + s.length()
                + " characters");
      }
      out[i] = new Base64URL(s);
    }
    return out;
  }

  private static Map<String, Object> json(String name, Base64URL segment) throws InvalidTokenException {
    String text = new String(segment.decode(), StandardCharsets.UTF_8);
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidTokenException(
          name + ": expected a base64url-encoded JSON object, found something else (" + abbreviate(e.getMessage())
              + ")");
    }
  }

  // ------------------------------------------------------------------------------------------------- signature

  private static void verifySignature(
      String iss, List<Candidate> keys, JWSHeader header, String alg, Base64URL[] parts)
      throws InvalidTokenException {
    String kid = header.getKeyID();
    List<Candidate> forAlg = keys.stream().filter(c -> c.alg().equals(canonicalAlg(alg))).toList();
    List<Candidate> tried = kid == null ? forAlg : forAlg.stream().filter(c -> kid.equals(c.kid())).toList();
    if (forAlg.isEmpty()) {
      throw new InvalidTokenException(
          "header alg: expected an algorithm issuer " + Texts.quote(iss) + " has keys for ("
              + keys.stream().map(Candidate::alg).distinct().toList() + "), found " + alg);
    }
    if (tried.isEmpty()) {
      throw new InvalidTokenException(
          "header kid: expected one of " + forAlg.stream().map(Candidate::kid).toList() + " (the " + alg
              + " keys of issuer " + Texts.quote(iss) + "), found " + Texts.quote(kid));
    }
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    for (Candidate c : tried) {
      try {
        if (c.check().verify(header, signingInput, parts[2])) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // A malformed signature for this key: try the next one.
      }
    }
    throw new InvalidTokenException(
        "signature: expected a valid " + alg + " signature by " + (tried.size() == 1 ? "the key" : "one of the keys")
            + " of issuer " + Texts.quote(iss) + " (kid " + tried.stream().map(Candidate::kid).toList()
            + "), found one that does not verify");
  }

  private static String canonicalAlg(String alg) {
    return alg.equals("Ed25519") ? "EdDSA" : alg;
  }

  /** The verifier for {@code k}, or null (with the reason in {@code skipped}) if no accepted algorithm uses it. */
  private static Candidate candidate(JWK k, List<String> skipped) {
    String kid = k.getKeyID();
    String what = "kid " + Texts.quote(kid);
    if (KeyUse.ENCRYPTION.equals(k.getKeyUse())) {
      skipped.add(what + ": use enc");
      return null;
    }
    String keyAlg = k.getAlgorithm() == null ? null : canonicalAlg(k.getAlgorithm().getName());
    try {
      String alg;
      Check check;
      if (k instanceof ECKey ec) {
        if (Curve.P_256.equals(ec.getCurve())) {
          alg = "ES256";
        } else if (Curve.P_384.equals(ec.getCurve())) {
          alg = "ES384";
        } else {
          skipped.add(what + ": curve " + ec.getCurve() + " (expected P-256 or P-384)");
          return null;
        }
        ECDSAVerifier v = new ECDSAVerifier(ec.toECPublicKey());
        check = v::verify;
      } else if (k instanceof RSAKey rsa) {
        int bits = rsa.size();
        if (bits < MIN_RSA_BITS) {
          skipped.add(what + ": RSA key of " + bits + " bits (expected at least " + MIN_RSA_BITS + ")");
          return null;
        }
        alg = "RS256";
        RSASSAVerifier v = new RSASSAVerifier(rsa.toRSAPublicKey());
        check = v::verify;
      } else if (k instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        alg = "EdDSA";
        byte[] x = okp.getDecodedX();
        if (x.length != Ed25519PublicKeyParameters.KEY_SIZE) {
          skipped.add(what + ": Ed25519 key of " + x.length + " bytes (expected 32)");
          return null;
        }
        Ed25519PublicKeyParameters pub = new Ed25519PublicKeyParameters(x, 0);
        check = (h, input, sig) -> {
          byte[] s = sig.decode();
          if (s.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
          }
          Ed25519Signer v = new Ed25519Signer(); // not thread-safe: one per call
          v.init(false, pub);
          v.update(input, 0, input.length);
          return v.verifySignature(s);
        };
      } else {
        skipped.add(what + ": key type " + k.getKeyType()
            + (k instanceof OctetKeyPair okp ? " curve " + okp.getCurve() : ""));
        return null;
      }
      if (keyAlg != null && !keyAlg.equals(alg)) {
        skipped.add(what + ": its alg " + keyAlg + " does not match its key type (" + alg + ")");
        return null;
      }
      return new Candidate(kid, alg, check);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(what + ": the key cannot be used (" + e.getMessage() + ")", e);
    }
  }

  // ------------------------------------------------------------------------------------------------- claims

  private static void checkNotFuture(String name, Date value, Instant now, String meaning)
      throws InvalidTokenException {
    if (value != null && value.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new InvalidTokenException(
          name + ": expected at or before " + now.plus(CLOCK_SKEW) + " (now " + now + " plus "
              + CLOCK_SKEW.toSeconds() + " s clock skew), found " + value.toInstant() + ": " + meaning);
    }
  }

  private static boolean isHmac(Object alg) {
    return alg instanceof String s && JWSAlgorithm.Family.HMAC_SHA.contains(JWSAlgorithm.parse(s));
  }

  /** A short description of a JSON value from the token, never more than {@link Texts#MAX_SHOWN} characters of it. */
  private static String describe(Object v) {
    if (v == null) {
      return "none";
    }
    if (v instanceof String s) {
      return Texts.quote(s);
    }
    if (v instanceof Boolean || v instanceof Number) {
      return v.toString();
    }
    return v instanceof List<?> ? "an array" : v instanceof Map<?, ?> ? "an object" : v.getClass().getSimpleName();
  }

  private static String abbreviate(String message) {
    if (message == null) {
      return "no detail";
    }
    return message.length() > 120 ? message.substring(0, 120) + "..." : message;
  }

  /** Deep, unmodifiable copy of parsed JSON; JSON nulls in objects are dropped ({@link Map#copyOf} refuses them). */
  private static Map<String, Object> immutableCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v != null) {
        out.put(k, immutableValue(v));
      }
    });
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static Object immutableValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return immutableCopy((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(e -> out.add(e == null ? null : immutableValue(e)));
      return Collections.unmodifiableList(out);
    }
    return v;
  }
}
