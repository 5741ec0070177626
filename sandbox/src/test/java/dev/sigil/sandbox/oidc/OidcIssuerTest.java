package dev.sigil.sandbox.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcIssuerTest {
  static final URI URL = URI.create("http://127.0.0.1:8080/oidc/sigil-sandbox-local-testing-only");
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Test
  void keyPersistsAcrossReopen() throws Exception {
    OidcIssuer a = OidcIssuer.open(dir, URL);
    OidcIssuer b = OidcIssuer.open(dir, URL);
    assertEquals(a.keyId(), b.keyId());
    assertEquals(a.jwksJson(), b.jwksJson());
    assertEquals(a.publicJwks().getKeys().get(0).computeThumbprint().toString(), a.keyId());
    // A token minted before the "restart" verifies against the reopened issuer's keys.
    String token = a.mint(TokenRequest.of("alice"));
    assertEquals("alice", TrustedIssuers.of(b).verify(token).subject());
    // Another directory: another key.
    OidcIssuer other = OidcIssuer.open(dir.resolve("other"), URL);
    assertNotEquals(a.keyId(), other.keyId());
  }

  @Test
  void concurrentFirstOpensAgreeOnOneKey() throws Exception {
    Path fresh = dir.resolve("fresh");
    int n = 6;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<String>> kids = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        kids.add(pool.submit(() -> {
          start.await();
          return OidcIssuer.open(fresh, URL).keyId();
        }));
      }
      start.countDown();
      java.util.Set<String> distinct = new java.util.HashSet<>();
      for (var f : kids) {
        distinct.add(f.get());
      }
      assertEquals(1, distinct.size(), distinct.toString());
      assertEquals(distinct.iterator().next(), OidcIssuer.open(fresh, URL).keyId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void privateKeyIsMode0600AndJwksIsPublic() throws Exception {
    assumeTrue(posix(), "POSIX file modes");
    OidcIssuer.open(dir, URL);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve(OidcIssuer.KEY_FILE))));
    assertTrue(Files.readString(dir.resolve(OidcIssuer.KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    JWKSet stored = JWKSet.load(dir.resolve(OidcIssuer.JWKS_FILE).toFile());
    assertFalse(stored.getKeys().get(0).isPrivate());
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(OidcIssuer.JWKS_FILE, OidcIssuer.KEY_FILE),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left behind");
    }
  }

  @Test
  void refusesAKeyReadableByOthers() throws Exception {
    assumeTrue(posix(), "POSIX file modes");
    OidcIssuer.open(dir, URL);
    Files.setPosixFilePermissions(dir.resolve(OidcIssuer.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> OidcIssuer.open(dir, URL));
    assertTrue(e.getMessage().contains("expected mode 0600"), e.getMessage());
    assertTrue(e.getMessage().contains("rw-r--r--"), e.getMessage());
  }

  @Test
  void rewritesAMissingJwksAndRefusesAMismatchedOne() throws Exception {
    OidcIssuer a = OidcIssuer.open(dir, URL);
    Files.delete(dir.resolve(OidcIssuer.JWKS_FILE));
    assertEquals(a.keyId(), OidcIssuer.open(dir, URL).keyId());
    assertTrue(Files.exists(dir.resolve(OidcIssuer.JWKS_FILE)));

    Path other = dir.resolve("other");
    OidcIssuer.open(other, URL);
    Files.copy(other.resolve(OidcIssuer.JWKS_FILE), dir.resolve(OidcIssuer.JWKS_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IOException e = assertThrows(IOException.class, () -> OidcIssuer.open(dir, URL));
    assertTrue(e.getMessage().contains("expected the one public key of " + OidcIssuer.KEY_FILE), e.getMessage());
    assertTrue(e.getMessage().contains(a.keyId()), e.getMessage());
  }

  @Test
  void refusesAGarbledKeyFile() throws Exception {
    Files.writeString(dir.resolve(OidcIssuer.KEY_FILE), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    if (posix()) {
      Files.setPosixFilePermissions(dir.resolve(OidcIssuer.KEY_FILE), PosixFilePermissions.fromString("rw-------"));
    }
    IOException e = assertThrows(IOException.class, () -> OidcIssuer.open(dir, URL));
    assertTrue(e.getMessage().contains("expected a PKCS#8 EC private key"), e.getMessage());
  }

  @Test
  void mintsTheRequestedClaims() throws Exception {
    OidcIssuer issuer = OidcIssuer.open(dir, URL, Clock.fixed(T0.plusMillis(789), ZoneOffset.UTC));
    String token =
        issuer.mint(
            TokenRequest.of("repo:octo/hello:ref:refs/heads/main")
                .withEmail("ci@example.com")
                .withLifetime(Duration.ofMinutes(5))
                .withClaim("repository", "octo/hello")
                .withClaim("workflow_ref", "octo/hello/.github/workflows/release.yml@refs/heads/main"));
    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
    assertEquals(issuer.keyId(), jwt.getHeader().getKeyID());
    assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertEquals(URL.toString(), c.getIssuer());
    assertEquals("repo:octo/hello:ref:refs/heads/main", c.getSubject());
    assertEquals(List.of("sigstore"), c.getAudience());
    assertEquals(T0, c.getIssueTime().toInstant());
    assertEquals(T0, c.getNotBeforeTime().toInstant());
    assertEquals(T0.plusSeconds(300), c.getExpirationTime().toInstant());
    assertEquals(36, c.getJWTID().length());
    assertEquals("ci@example.com", c.getStringClaim("email"));
    assertEquals(Boolean.TRUE, c.getBooleanClaim("email_verified"));
    assertEquals("octo/hello", c.getStringClaim("repository"));
    // Serialized as NumericDate seconds and a single-string aud.
    JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertEquals(T0.getEpochSecond(), payload.get("iat").asLong());
    assertTrue(payload.get("aud").isTextual());
    assertNotEquals(c.getJWTID(), SignedJWT.parse(issuer.mint(TokenRequest.of("x"))).getJWTClaimsSet().getJWTID());
  }

  @Test
  void defaultsAndAccessors() throws Exception {
    OidcIssuer issuer = OidcIssuer.open(dir, URI.create("http://127.0.0.1:8080/oidc/x/"));
    assertEquals("http://127.0.0.1:8080/oidc/x", issuer.issuer(), "trailing slash dropped");
    assertEquals(URI.create("http://127.0.0.1:8080/oidc/x/jwks"), issuer.jwksUri());
    assertEquals(URI.create("http://127.0.0.1:8080/oidc/x/token"), issuer.tokenEndpoint());
    assertEquals(
        URI.create("http://127.0.0.1:8080/oidc/x/.well-known/openid-configuration"), issuer.discoveryUri());
    TokenRequest r = TokenRequest.of("bob");
    assertEquals("sigstore", r.audience());
    assertEquals(Duration.ofMinutes(10), r.lifetime());
    assertEquals(Optional.empty(), r.email());
    assertEquals(
        URI.create("http://127.0.0.1:4711/oidc/sigil-sandbox-local-testing-only"), OidcIssuer.localIssuerUrl(4711));
  }

  @Test
  void discoveryDocument() throws Exception {
    OidcIssuer issuer = OidcIssuer.open(dir, URL);
    JsonNode d = new ObjectMapper().readTree(issuer.discoveryJson());
    assertEquals(URL.toString(), d.get("issuer").asText());
    assertEquals(URL + "/jwks", d.get("jwks_uri").asText());
    assertEquals(URL + "/token", d.get("token_endpoint").asText());
    assertEquals("[\"ES256\"]", d.get("id_token_signing_alg_values_supported").toString());
    assertTrue(d.get("response_types_supported").isArray());
    assertTrue(d.get("subject_types_supported").isArray());
    assertTrue(d.get("claims_supported").toString().contains("\"email_verified\""));
  }

  @Test
  void jwksHoldsOnlyThePublicKey() throws Exception {
    OidcIssuer issuer = OidcIssuer.open(dir, URL);
    JWKSet set = JWKSet.parse(issuer.jwksJson());
    assertEquals(1, set.getKeys().size());
    ECKey k = (ECKey) set.getKeys().get(0);
    assertFalse(k.isPrivate());
    assertEquals(issuer.keyId(), k.getKeyID());
    assertEquals("sig", k.getKeyUse().identifier());
    assertEquals(JWSAlgorithm.ES256, k.getAlgorithm());
    assertFalse(issuer.jwksJson().contains("\"d\""));
  }

  @Test
  void toStringShowsNoKeyMaterial() throws Exception {
    OidcIssuer issuer = OidcIssuer.open(dir, URL);
    String pem = Files.readString(dir.resolve(OidcIssuer.KEY_FILE));
    String body = pem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    String s = issuer.toString();
    assertTrue(s.contains(URL.toString()) && s.contains(issuer.keyId()), s);
    for (int i = 0; i + 12 <= body.length(); i += 12) {
      assertFalse(s.contains(body.substring(i, i + 12)), "toString leaks the PEM");
    }
    assertFalse(s.contains("PRIVATE"), s);
  }

  @Test
  void refusesBadIssuerUrls() {
    for (String bad : List.of("ftp://x/y", "/relative", "http://127.0.0.1/x?q=1", "http://127.0.0.1/x#f",
        "http://user@127.0.0.1/x", "mailto:a@b.c")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> OidcIssuer.open(dir, URI.create(bad)), bad);
      assertTrue(e.getMessage().startsWith("issuerUrl: expected"), e.getMessage());
    }
  }

  @Test
  void tokenRequestValidation() {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("blank subject", "subject: expected a non-blank string, found a blank one"),
        Map.entry("long subject", "subject: expected at most 1024 characters, found 1025"),
        Map.entry("control subject", "subject: expected no control characters"),
        Map.entry("no at", "email: expected local@domain"),
        Map.entry("two ats", "email: expected local@domain"),
        Map.entry("no dot", "email: expected a dotted domain"),
        Map.entry("space", "email: expected a local part of printable ASCII"),
        Map.entry("reserved", "claim iss: expected an extra claim, found one the issuer sets itself"),
        Map.entry("reserved email", "claim email_verified: expected an extra claim"),
        Map.entry("bad name", "claim name \"a b\": expected only [A-Za-z0-9_.:-]"),
        Map.entry("too long", "lifetime: expected whole seconds between 1 and 3600, found PT1H1S"),
        Map.entry("zero", "lifetime: expected whole seconds between 1 and 3600, found PT0S"),
        Map.entry("fraction", "lifetime: expected whole seconds between 1 and 3600, found PT1.5S"),
        Map.entry("blank audience", "audience: expected a non-blank string"));
    Map<String, Runnable> cases = Map.ofEntries(
        Map.entry("blank subject", () -> TokenRequest.of("  ")),
        Map.entry("long subject", () -> TokenRequest.of("s".repeat(1025))),
        Map.entry("control subject", () -> TokenRequest.of("a\nb")),
        Map.entry("no at", () -> TokenRequest.of("a").withEmail("alice.example.com")),
        Map.entry("two ats", () -> TokenRequest.of("a").withEmail("a@b@example.com")),
        Map.entry("no dot", () -> TokenRequest.of("a").withEmail("alice@localhost")),
        Map.entry("space", () -> TokenRequest.of("a").withEmail("al ice@example.com")),
        Map.entry("reserved", () -> TokenRequest.of("a").withClaim("iss", "https://evil")),
        Map.entry("reserved email", () -> TokenRequest.of("a").withClaim("email_verified", "true")),
        Map.entry("bad name", () -> TokenRequest.of("a").withClaim("a b", "x")),
        Map.entry("too long", () -> TokenRequest.of("a").withLifetime(Duration.ofSeconds(3601))),
        Map.entry("zero", () -> TokenRequest.of("a").withLifetime(Duration.ZERO)),
        Map.entry("fraction", () -> TokenRequest.of("a").withLifetime(Duration.ofMillis(1500))),
        Map.entry("blank audience", () -> TokenRequest.of("a").withAudience("")));
    cases.forEach((name, r) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run, name);
      assertTrue(e.getMessage().startsWith(expected.get(name)), name + ": " + e.getMessage());
    });
    assertThrows(NullPointerException.class, () -> TokenRequest.of(null));
    // The longest lifetime and a plausible address are fine.
    TokenRequest ok = TokenRequest.of("a").withLifetime(Duration.ofHours(1)).withEmail("first.last+tag@sub.example.org");
    assertEquals(Duration.ofHours(1), ok.lifetime());
  }
}
