package dev.sigil.sandbox.fulcio;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sigil.sandbox.oidc.IdentityTokens;
import dev.sigil.sandbox.oidc.InvalidTokenException;
import dev.sigil.sandbox.oidc.VerifiedIdentity;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A test {@link IdentityTokens}: ES256 JWTs from one issuer and key, for one audience. */
final class JwtIdentityTokens implements IdentityTokens {
  static final String ISSUER = "https://oidc.sandbox.test";
  static final String AUDIENCE = "sigstore";

  private final ECKey key;

  JwtIdentityTokens() throws JOSEException {
    this.key = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
  }

  /** A signed token with these claims plus iss, aud, iat and exp (10 minutes from now). */
  String mint(String subject, Map<String, Object> claims) throws JOSEException {
    return mint(ISSUER, subject, claims, Instant.now().plusSeconds(600));
  }

  String mint(String issuer, String subject, Map<String, Object> claims, Instant expiry) throws JOSEException {
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(AUDIENCE)
            .issueTime(new Date())
            .expirationTime(Date.from(expiry));
    claims.forEach(b::claim);
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), b.build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Override
  public VerifiedIdentity verify(String rawToken) throws InvalidTokenException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(rawToken);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("token: expected a compact JWS (three base64url parts), found one that does not parse");
    }
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidTokenException("token alg: expected ES256, found " + jwt.getHeader().getAlgorithm());
    }
    try {
      if (!jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
        throw new InvalidTokenException("token signature: expected it to verify with the issuer's key, found it does not");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("token signature: cannot be checked (" + e.getMessage() + ")");
    }
    if (!ISSUER.equals(claims.getIssuer())) {
      throw new InvalidTokenException("token iss: expected " + ISSUER + ", found " + claims.getIssuer());
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
      throw new InvalidTokenException("token aud: expected " + AUDIENCE + ", found " + claims.getAudience());
    }
    if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isBefore(Instant.now())) {
      throw new InvalidTokenException("token exp: expected a time in the future, found " + claims.getExpirationTime());
    }
    Map<String, Object> all = new LinkedHashMap<>();
    claims.getClaims().forEach((k, v) -> {
      if (v != null) {
        all.put(k, v);
      }
    });
    Optional<String> email = Optional.empty();
    Object e = claims.getClaim("email");
    if (e instanceof String s && Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
      email = Optional.of(s);
    }
    return new VerifiedIdentity(claims.getIssuer(), claims.getSubject(), email, all);
  }
}
