package dev.sigil.sandbox.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedIssuersTest {
  static final Instant T0 = OidcIssuerTest.T0;
  static final String ISS = OidcIssuerTest.URL.toString();

  @TempDir Path dir;
  OidcIssuer issuer;

  @BeforeEach
  void open() throws IOException {
    issuer = OidcIssuer.open(dir, OidcIssuerTest.URL, Clock.fixed(T0, ZoneOffset.UTC));
  }

  TrustedIssuers at(Instant now) {
    return new TrustedIssuers(List.of(TrustedIssuer.of(issuer)), "sigstore", Clock.fixed(now, ZoneOffset.UTC));
  }

  InvalidTokenException refused(TrustedIssuers v, String token, String expectedStart) {
    InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> v.verify(token));
    assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
    if (token != null && token.length() > 20) {
      for (String part : token.split("\\.")) {
        if (part.length() > 16) {
          assertFalse(e.getMessage().contains(part.substring(0, 16)), "the message shows the token: " + e.getMessage());
        }
      }
    }
    return e;
  }

  /** A compact JWS over arbitrary header and payload JSON, signed by {@code sign} (real crypto). */
  static String compact(Map<String, Object> header, Map<String, Object> payload, SignFn sign) throws Exception {
    String input = b64(JSONObjectUtils.toJSONString(header)) + "." + b64(JSONObjectUtils.toJSONString(payload));
    return input + "." + Base64URL.encode(sign.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  interface SignFn {
    byte[] sign(byte[] input) throws Exception;
  }

  static SignFn nimbus(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg) {
    return in -> signer.sign(new JWSHeader(alg), in).decode();
  }

  static String b64(String s) {
    return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The claims the local issuer would mint at T0 for "alice", to be changed by a test. */
  static Map<String, Object> claims(UnaryOperator<Map<String, Object>> change) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", ISS);
    c.put("sub", "alice");
    c.put("aud", "sigstore");
    c.put("iat", T0.getEpochSecond());
    c.put("nbf", T0.getEpochSecond());
    c.put("exp", T0.getEpochSecond() + 600);
    return change.apply(c);
  }

  static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", alg);
    if (kid != null) {
      h.put("kid", kid);
    }
    h.put("typ", "JWT");
    return h;
  }

  // ------------------------------------------------------------------------------------------------- accepted

  @Test
  void roundTripWithClaimsAndEmail() throws Exception {
    String token =
        issuer.mint(
            TokenRequest.of("https://github.com/octo/hello/.github/workflows/release.yml@refs/heads/main")
                .withEmail("alice@example.com")
                .withClaims(Map.of(
                    "repository", "octo/hello", "ref", "refs/heads/main", "sha", "0123abcd",
                    "event_name", "push", "runner_environment", "github-hosted")));
    VerifiedIdentity id = at(T0.plusSeconds(30)).verify(token);
    assertEquals(ISS, id.issuer());
    assertEquals("https://github.com/octo/hello/.github/workflows/release.yml@refs/heads/main", id.subject());
    assertEquals(Optional.of("alice@example.com"), id.email());
    assertEquals("alice@example.com", id.principal());
    assertEquals("octo/hello", id.claims().get("repository"));
    assertEquals("push", id.claims().get("event_name"));
    assertEquals(T0.getEpochSecond() + 600, ((Number) id.claims().get("exp")).longValue(), "exp as a number");
    assertEquals(Boolean.TRUE, id.claims().get("email_verified"));
    assertThrows(UnsupportedOperationException.class, () -> id.claims().put("x", "y"));
  }

  @Test
  void withoutEmailThePrincipalIsTheSubject() throws Exception {
    VerifiedIdentity id = at(T0).verify(issuer.mint(TokenRequest.of("bob")));
    assertEquals(Optional.empty(), id.email());
    assertEquals("bob", id.principal());
  }

  @Test
  void clockSkewOfSixtySecondsIsTolerated() throws Exception {
    String token = issuer.mint(TokenRequest.of("alice"));
    at(T0.plusSeconds(600 + 59)).verify(token); // just after exp
    at(T0.minusSeconds(60)).verify(token); // iat/nbf just ahead of this clock
  }

  @Test
  void jsonNullClaimsAreDroppedAndAudienceMayBeAList() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    TrustedIssuers v = trusting(new JWKSet(key.toPublicJWK()));
    Map<String, Object> c = claims(m -> {
      m.put("aud", List.of("other", "sigstore"));
      m.put("nothing", null);
      m.put("nested", new LinkedHashMap<>(Map.of("a", 1L)));
      return m;
    });
    VerifiedIdentity id = v.verify(compact(header("ES256", "k1"), c, nimbus(new ECDSASigner(key), JWSAlgorithm.ES256)));
    assertFalse(id.claims().containsKey("nothing"));
    assertEquals(Map.of("a", 1L), id.claims().get("nested"));
  }

  TrustedIssuers trusting(JWKSet keys) {
    return new TrustedIssuers(List.of(new TrustedIssuer(ISS, keys)), "sigstore", Clock.fixed(T0, ZoneOffset.UTC));
  }

  @Test
  void otherAlgorithms() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
    Ed25519PrivateKeyParameters ed = new Ed25519PrivateKeyParameters(new SecureRandom());
    OctetKeyPair edJwk =
        new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(ed.generatePublicKey().getEncoded()))
            .keyID("ed")
            .build();
    TrustedIssuers v = trusting(new JWKSet(List.of(p384.toPublicJWK(), rsa.toPublicJWK(), edJwk)));
    SignFn edSign = in -> {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, ed);
      s.update(in, 0, in.length);
      return s.generateSignature();
    };
    Map<String, Object> c = claims(m -> m);
    assertEquals("alice",
        v.verify(compact(header("ES384", "p384"), c, nimbus(new ECDSASigner(p384), JWSAlgorithm.ES384))).subject());
    assertEquals("alice",
        v.verify(compact(header("RS256", "rsa"), c, nimbus(new RSASSASigner(rsa), JWSAlgorithm.RS256))).subject());
    assertEquals("alice", v.verify(compact(header("EdDSA", "ed"), c, edSign)).subject());
    assertEquals("alice", v.verify(compact(header("EdDSA", null), c, edSign)).subject(), "no kid: any EdDSA key");
    assertEquals("alice", v.verify(compact(header("Ed25519", "ed"), c, edSign)).subject(), "RFC 9864's name");
    // An EdDSA signature by another Ed25519 key fails.
    Ed25519PrivateKeyParameters other = new Ed25519PrivateKeyParameters(new SecureRandom());
    SignFn otherSign = in -> {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, other);
      s.update(in, 0, in.length);
      return s.generateSignature();
    };
    refused(v, compact(header("EdDSA", "ed"), c, otherSign), "signature: expected a valid EdDSA signature");
    // RS384 is not accepted, even with a matching key.
    refused(v, compact(header("RS384", "rsa"), c, nimbus(new RSASSASigner(rsa), JWSAlgorithm.RS384)),
        "header alg: expected one of [ES256, ES384, RS256, EdDSA, Ed25519], found \"RS384\"");
    // ES256 with no P-256 key configured.
    refused(v, compact(header("ES256", null), c, in -> new byte[64]),
        "header alg: expected an algorithm issuer \"" + ISS + "\" has keys for ([ES384, RS256, EdDSA]), found ES256");
  }

  // ------------------------------------------------------------------------------------------------- times

  @Test
  void expired() throws Exception {
    String token = issuer.mint(TokenRequest.of("alice"));
    InvalidTokenException e = refused(at(T0.plusSeconds(600 + 61)), token, "exp: expected after ");
    assertTrue(e.getMessage().contains("found " + T0.plusSeconds(600) + ": the token has expired"), e.getMessage());
  }

  @Test
  void notYetValid() throws Exception {
    String token = issuer.mint(TokenRequest.of("alice"));
    InvalidTokenException e = refused(at(T0.minusSeconds(61)), token, "nbf: expected at or before ");
    assertTrue(e.getMessage().contains("the token is not yet valid"), e.getMessage());
  }

  @Test
  void issuedInTheFuture() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    String token = compact(header("ES256", "k"), claims(m -> {
      m.remove("nbf");
      m.put("iat", T0.getEpochSecond() + 120);
      return m;
    }), nimbus(new ECDSASigner(key), JWSAlgorithm.ES256));
    refused(trusting(new JWKSet(key.toPublicJWK())), token, "iat: expected at or before ");
  }

  @Test
  void missingExpOrSubOrMalformedTimes() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    TrustedIssuers v = trusting(new JWKSet(key.toPublicJWK()));
    SignFn s = nimbus(new ECDSASigner(key), JWSAlgorithm.ES256);
    refused(v, compact(header("ES256", "k"), claims(m -> { m.remove("exp"); return m; }), s),
        "exp: expected an expiry time, found none");
    refused(v, compact(header("ES256", "k"), claims(m -> { m.remove("sub"); return m; }), s),
        "sub: expected a non-blank subject, found none");
    refused(v, compact(header("ES256", "k"), claims(m -> { m.put("sub", ""); return m; }), s),
        "sub: expected a non-blank subject");
    refused(v, compact(header("ES256", "k"), claims(m -> { m.put("exp", "tomorrow"); return m; }), s),
        "payload: expected a JWT claims set (RFC 7519)");
    refused(v, compact(header("ES256", "k"), claims(m -> { m.put("iss", 42L); return m; }), s),
        "payload: expected a JWT claims set (RFC 7519)");
  }

  // ------------------------------------------------------------------------------------------------- audience, issuer

  @Test
  void wrongAudience() throws Exception {
    String token = issuer.mint(TokenRequest.of("alice").withAudience("not-sigstore"));
    refused(at(T0), token, "aud: expected to contain \"sigstore\", found [\"not-sigstore\"]");
    // The same token is fine for a verifier expecting that audience.
    new TrustedIssuers(List.of(TrustedIssuer.of(issuer)), "not-sigstore", Clock.fixed(T0, ZoneOffset.UTC))
        .verify(token);
  }

  @Test
  void missingAudience() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    String token = compact(header("ES256", "k"), claims(m -> { m.remove("aud"); return m; }),
        nimbus(new ECDSASigner(key), JWSAlgorithm.ES256));
    refused(trusting(new JWKSet(key.toPublicJWK())), token, "aud: expected to contain \"sigstore\", found none");
  }

  @Test
  void unknownIssuer() throws Exception {
    OidcIssuer stranger = OidcIssuer.open(dir.resolve("stranger"),
        java.net.URI.create("https://stranger.example/oidc"), Clock.fixed(T0, ZoneOffset.UTC));
    String token = stranger.mint(TokenRequest.of("mallory"));
    refused(at(T0), token,
        "iss: unknown issuer: expected one of [" + ISS + "], found \"https://stranger.example/oidc\"");
  }

  @Test
  void severalIssuers() throws Exception {
    OidcIssuer second = OidcIssuer.open(dir.resolve("second"),
        java.net.URI.create("https://second.example/oidc"), Clock.fixed(T0, ZoneOffset.UTC));
    TrustedIssuers v = new TrustedIssuers(
        List.of(TrustedIssuer.of(issuer), TrustedIssuer.of(second)), "sigstore", Clock.fixed(T0, ZoneOffset.UTC));
    assertEquals(List.of(ISS, "https://second.example/oidc"), v.issuers());
    assertEquals("https://second.example/oidc", v.verify(second.mint(TokenRequest.of("x"))).issuer());
    assertEquals(ISS, v.verify(issuer.mint(TokenRequest.of("x"))).issuer());
    // The second issuer's key does not vouch for a token claiming the first issuer, even with the second's kid.
    String pem = Files.readString(dir.resolve("second").resolve(OidcIssuer.KEY_FILE));
    byte[] der = java.util.Base64.getMimeDecoder().decode(
        pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
    java.security.PrivateKey secondKey = java.security.KeyFactory.getInstance("EC")
        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    SignFn bySecond = nimbus(new ECDSASigner(secondKey, Curve.P_256), JWSAlgorithm.ES256);
    assertEquals("x", v.verify(compact(header("ES256", second.keyId()),
        claims(m -> { m.put("iss", "https://second.example/oidc"); m.put("sub", "x"); return m; }), bySecond))
        .subject(), "the extracted key is the second issuer's");
    refused(v, compact(header("ES256", second.keyId()), claims(m -> m), bySecond),
        "header kid: expected one of [" + issuer.keyId() + "]");
    refused(v, compact(header("ES256", null), claims(m -> m), bySecond),
        "signature: expected a valid ES256 signature by the key of issuer \"" + ISS + "\"");
  }

  // ------------------------------------------------------------------------------------------------- signatures

  @Test
  void anotherKeyWithTheSameKid() throws Exception {
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(issuer.keyId()).generate();
    String token = compact(header("ES256", issuer.keyId()), claims(m -> m),
        nimbus(new ECDSASigner(impostor), JWSAlgorithm.ES256));
    refused(at(T0), token, "signature: expected a valid ES256 signature by the key of issuer \"" + ISS + "\" (kid ["
        + issuer.keyId() + "]), found one that does not verify");
  }

  @Test
  void flippedSignatureByte() throws Exception {
    String token = issuer.mint(TokenRequest.of("alice"));
    String[] p = token.split("\\.");
    byte[] sig = new Base64URL(p[2]).decode();
    for (int i : new int[] {0, 31, 32, 63}) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x01;
      refused(at(T0), p[0] + "." + p[1] + "." + Base64URL.encode(bad), "signature: expected a valid ES256 signature");
    }
    // A changed payload under the original signature.
    String payload = b64(JSONObjectUtils.toJSONString(claims(m -> { m.put("sub", "mallory"); return m; })));
    refused(at(T0), p[0] + "." + payload + "." + p[2], "signature: expected a valid ES256 signature");
    // A DER-encoded or truncated signature.
    refused(at(T0), p[0] + "." + p[1] + "." + Base64URL.encode(java.util.Arrays.copyOf(sig, 63)),
        "signature: expected a valid ES256 signature");
  }

  @Test
  void unknownKid() throws Exception {
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("rotated-away").generate();
    String token = compact(header("ES256", "rotated-away"), claims(m -> m),
        nimbus(new ECDSASigner(other), JWSAlgorithm.ES256));
    refused(at(T0), token, "header kid: expected one of [" + issuer.keyId() + "] (the ES256 keys of issuer \"" + ISS
        + "\"), found \"rotated-away\"");
  }

  @Test
  void algNone() throws Exception {
    String unsigned = b64("{\"alg\":\"none\"}") + "." + b64(JSONObjectUtils.toJSONString(claims(m -> m))) + ".";
    refused(at(T0), unsigned, "signature: expected a non-empty base64url segment, found an empty one (unsigned");
    String withJunk = unsigned + "AAAA";
    refused(at(T0), withJunk, "header alg: expected one of [ES256, ES384, RS256, EdDSA, Ed25519], found \"none\"");
    refused(at(T0), b64("{\"alg\":\"NONE\",\"kid\":\"" + issuer.keyId() + "\"}") + "."
            + b64(JSONObjectUtils.toJSONString(claims(m -> m))) + ".AAAA",
        "header alg: expected one of");
    refused(at(T0), b64("{\"typ\":\"JWT\"}") + "." + b64("{}") + ".AAAA", "header alg: expected one of [ES256, "
        + "ES384, RS256, EdDSA, Ed25519], found none");
  }

  @Test
  void hmacTokens() throws Exception {
    // HS256 keyed with the issuer's public key (the classic confusion attack) and with a random secret.
    byte[] publicKeyBytes = issuer.jwksJson().getBytes(StandardCharsets.UTF_8);
    for (byte[] secret : List.of(publicKeyBytes, new OctetSequenceKey.Builder(new byte[32]).build().toByteArray())) {
      String token = compact(header("HS256", issuer.keyId()), claims(m -> m),
          nimbus(new MACSigner(secret), JWSAlgorithm.HS256));
      refused(at(T0), token, "header alg: expected one of [ES256, ES384, RS256, EdDSA, Ed25519], found \"HS256\" "
          + "(HMAC tokens are never accepted)");
    }
  }

  @Test
  void critHeaderIsRefused() throws Exception {
    Map<String, Object> h = header("ES256", issuer.keyId());
    h.put("crit", List.of("exp"));
    h.put("exp", 1L);
    refused(at(T0), compact(h, claims(m -> m), in -> new byte[64]), "header crit: expected absent");
  }

  // ------------------------------------------------------------------------------------------------- malformed

  @Test
  void malformedStrings() throws Exception {
    TrustedIssuers v = at(T0);
    String good = issuer.mint(TokenRequest.of("alice"));
    String[] p = good.split("\\.");
    refused(v, null, "token: expected a compact JWS, found none");
    refused(v, "", "token: expected a compact JWS, found an empty string");
    refused(v, p[0] + "." + p[1], "token: expected a compact JWS of three base64url segments separated by '.', "
        + "found 2 segment(s)");
    refused(v, good + ".x", "token: expected a compact JWS of three base64url segments separated by '.', "
        + "found 4 segment(s)");
    refused(v, "no dots at all", "token: expected a compact JWS of three base64url segments");
    refused(v, "..", "header: expected a non-empty base64url segment, found an empty one");
    refused(v, "!!!." + p[1] + "." + p[2], "header: expected base64url without padding (RFC 7515 §2), found a "
        + "character outside that alphabet at offset 0");
    refused(v, p[0] + "." + p[1] + "=." + p[2], "payload: expected base64url without padding");
    refused(v, p[0] + "." + p[1] + "." + p[2] + " ", "signature: expected base64url without padding");
    refused(v, "A." + p[1] + "." + p[2], "header: expected base64url of a valid length (not 1 modulo 4), found 1 characters");
    refused(v, b64("not json") + "." + p[1] + "." + p[2], "header: expected a base64url-encoded JSON object");
    refused(v, b64("[1,2]") + "." + p[1] + "." + p[2], "header: expected a base64url-encoded JSON object");
    refused(v, p[0] + "." + b64("garbage") + "." + p[2], "payload: expected a base64url-encoded JSON object");
    refused(v, p[0] + "." + b64("{\"iss\":\"a\",\"iss\":\"b\"}") + "." + p[2],
        "payload: expected a base64url-encoded JSON object");
    refused(v, "A".repeat(TrustedIssuers.MAX_TOKEN_CHARS + 1), "token: expected at most 65536 characters");
  }

  // ------------------------------------------------------------------------------------------------- email

  @Test
  void emailMustBeVerified() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    TrustedIssuers v = trusting(new JWKSet(key.toPublicJWK()));
    SignFn s = nimbus(new ECDSASigner(key), JWSAlgorithm.ES256);
    refused(v, compact(header("ES256", "k"), claims(m -> {
      m.put("email", "alice@example.com");
      m.put("email_verified", false);
      return m;
    }), s), "email_verified: expected true for the email claim \"alice@example.com\", found false");
    refused(v, compact(header("ES256", "k"), claims(m -> {
      m.put("email", "alice@example.com");
      return m;
    }), s), "email_verified: expected true for the email claim \"alice@example.com\", found none");
    refused(v, compact(header("ES256", "k"), claims(m -> {
      m.put("email", "alice@example.com");
      m.put("email_verified", "true");
      return m;
    }), s), "email_verified: expected true for the email claim \"alice@example.com\", found \"true\"");
    refused(v, compact(header("ES256", "k"), claims(m -> {
      m.put("email", List.of("a@b.c"));
      m.put("email_verified", true);
      return m;
    }), s), "email: expected a string, found an array");
  }

  // ------------------------------------------------------------------------------------------------- configuration

  @Test
  void configurationIsChecked() throws Exception {
    ECKey priv = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TrustedIssuer(ISS, new JWKSet(priv)));
    assertTrue(e.getMessage().contains("expected public keys only, found a private EC key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new TrustedIssuer(ISS, new JWKSet(new OctetSequenceKey.Builder(new byte[32]).keyID("h").build())));
    assertTrue(e.getMessage().contains("expected EC, RSA or OKP public keys, found a oct key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TrustedIssuer(ISS, new JWKSet()));
    assertTrue(e.getMessage().contains("expected at least one key, found none"), e.getMessage());
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
    e = assertThrows(IllegalArgumentException.class, () -> trusting(new JWKSet(small.toPublicJWK())));
    assertTrue(e.getMessage().contains("RSA key of 1024 bits (expected at least 2048)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TrustedIssuers(
        List.of(TrustedIssuer.of(issuer), TrustedIssuer.of(issuer)), "sigstore", Clock.systemUTC()));
    assertTrue(e.getMessage().contains("expected each issuer once"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrustedIssuers.of(List.of()));
    // A key marked for encryption is never used for signatures.
    ECKey enc = new ECKeyGenerator(Curve.P_256).keyID("enc").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
        .generate();
    e = assertThrows(IllegalArgumentException.class, () -> trusting(new JWKSet(enc.toPublicJWK())));
    assertTrue(e.getMessage().contains("use enc"), e.getMessage());
  }

  @Test
  void keysFromAJwksFile() throws Exception {
    TrustedIssuer fromFile = TrustedIssuer.fromJwksFile(ISS, dir.resolve(OidcIssuer.JWKS_FILE));
    TrustedIssuers v = new TrustedIssuers(List.of(fromFile), "sigstore", Clock.fixed(T0, ZoneOffset.UTC));
    assertEquals("alice", v.verify(issuer.mint(TokenRequest.of("alice"))).subject());

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"keys\": 1}");
    IOException e = assertThrows(IOException.class, () -> TrustedIssuer.fromJwksFile(ISS, bad));
    assertTrue(e.getMessage().startsWith(bad + ": expected a JWK set"), e.getMessage());
    Files.write(bad, new byte[TrustedIssuer.MAX_JWKS_FILE_BYTES + 1]);
    e = assertThrows(IOException.class, () -> TrustedIssuer.fromJwksFile(ISS, bad));
    assertTrue(e.getMessage().contains("found a larger file"), e.getMessage());
  }

  @Test
  void ofOidcIssuerUsesDefaults() throws Exception {
    TrustedIssuers v = TrustedIssuers.of(issuer);
    assertEquals("sigstore", v.audience());
    assertEquals(List.of(ISS), v.issuers());
    // System clock: a token minted at T0 (in the past) has expired.
    refused(v, issuer.mint(TokenRequest.of("alice")), "exp: expected after");
    OidcIssuer now = OidcIssuer.open(dir, OidcIssuerTest.URL);
    assertEquals("alice", v.verify(now.mint(TokenRequest.of("alice").withLifetime(Duration.ofSeconds(30))))
        .subject());
  }

}
