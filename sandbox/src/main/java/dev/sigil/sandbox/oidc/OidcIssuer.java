package dev.sigil.sandbox.oidc;

import dev.sigil.sandbox.keys.KeyFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A local OpenID Connect identity provider, for local use and tests only: it mints ES256 ID tokens for whatever
 * subject it is asked to, with no authentication. Its issuer URL is chosen by the caller and should say so itself
 * (see {@link #localIssuerUrl(int)}: {@code http://127.0.0.1:<port>/oidc/sigil-sandbox-local-testing-only}).
 *
 * <p>The P-256 signing key lives in the data directory: {@value #KEY_FILE} (PKCS#8 {@code PRIVATE KEY} PEM, created
 * with mode 0600) and {@value #JWKS_FILE} (the public JWK set, whose {@code kid} is the key's RFC 7638 JWK SHA-256
 * thumbprint). Both are created by the first {@link #open} of a directory, each written atomically (temporary file,
 * sync, link or rename, directory sync), the key first and never over an existing one (of concurrent first opens, one
 * key wins and all use it); later opens reload the key and check the JWK set against it (a missing JWK set, left by a
 * crash between the two writes, is written again). So the key and {@code kid} are stable across restarts.
 *
 * <p>Thread-safe. {@link #toString()} never shows key material; nothing here logs tokens.
 */
public final class OidcIssuer {
  /** The {@code aud} of minted tokens unless the request names another: what Fulcio expects. */
  public static final String DEFAULT_AUDIENCE = "sigstore";
  /** The lifetime of minted tokens unless the request names another. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
  /** The longest lifetime a token may be minted with. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(1);
  /** The path of {@link #localIssuerUrl(int)}: it says what the issuer is for. */
  public static final String LOCAL_TESTING_PATH = "/oidc/sigil-sandbox-local-testing-only";

  static final String KEY_FILE = "oidc-signing-key.pem";
  static final String JWKS_FILE = "oidc-jwks.json";
  static final String DISCOVERY_SUFFIX = "/.well-known/openid-configuration";
  static final String JWKS_SUFFIX = "/jwks";
  static final String TOKEN_SUFFIX = "/token";

  /** The claims minted tokens may carry, for the discovery document (extra claims are not listed). */
  static final List<String> CLAIMS_SUPPORTED =
      List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "email", "email_verified");

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI issuerUrl;
  private final String issuer;
  private final ECPrivateKey signingKey;
  private final ECKey publicJwk;
  private final JWKSet publicJwks;
  private final Clock clock;

  private OidcIssuer(URI issuerUrl, ECPrivateKey signingKey, ECKey publicJwk, Clock clock) {
    this.issuerUrl = issuerUrl;
    this.issuer = issuerUrl.toString();
    this.signingKey = signingKey;
    this.publicJwk = publicJwk;
    this.publicJwks = new JWKSet(publicJwk);
    this.clock = clock;
  }

  /**
   * The issuer URL the sandbox uses when it serves this issuer on the loopback interface: {@code
   * http://127.0.0.1:<port>/oidc/sigil-sandbox-local-testing-only}.
   */
  public static URI localIssuerUrl(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: expected 1 to 65535, found " + port);
    }
    return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + LOCAL_TESTING_PATH);
  }

  /** Opens (creating on first use) the issuer key kept in {@code dir}, with the system clock. */
  public static OidcIssuer open(Path dir, URI issuerUrl) throws IOException {
    return open(dir, issuerUrl, Clock.systemUTC());
  }

  /**
   * Opens (creating on first use) the issuer key kept in {@code dir}.
   *
   * @param issuerUrl the {@code iss} of minted tokens: an absolute {@code http} or {@code https} URL with a host, no
   *     user info, query or fragment; a trailing {@code /} is dropped
   * @param clock the source of {@code iat}, {@code nbf} and {@code exp}
   * @throws IOException if the directory cannot be used, or holds a key that is unreadable, not P-256, not mode
   *     0600, or does not match its JWK set
   */
  public static OidcIssuer open(Path dir, URI issuerUrl, Clock clock) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    URI url = normalize(Objects.requireNonNull(issuerUrl, "issuerUrl"));
    Files.createDirectories(dir);
    Path keyFile = dir.resolve(KEY_FILE);
    if (!Files.exists(keyFile)) {
      KeyPair pair = generate();
      KeyFiles.createAtomically(keyFile, KeyFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), OWNER_ONLY);
    }
    ECPrivateKey key = readKey(keyFile);
    ECKey jwk = publicJwk(key);
    Path jwksFile = dir.resolve(JWKS_FILE);
    byte[] jwksJson = (new JWKSet(jwk).toString(true) + "\n").getBytes(StandardCharsets.UTF_8);
    if (!Files.exists(jwksFile)) {
      KeyFiles.writeAtomically(jwksFile, jwksJson, WORLD_READABLE);
    } else {
      JWKSet stored;
      try {
        stored = JWKSet.load(jwksFile.toFile());
      } catch (ParseException | IOException e) {
        throw new IOException(jwksFile + ": expected a JWK set (" + e.getMessage() + ")", e);
      }
      if (stored.getKeys().size() != 1 || !jwk.equals(stored.getKeys().get(0))) {
        throw new IOException(
            jwksFile + ": expected the one public key of " + KEY_FILE + " with kid " + jwk.getKeyID()
                + ", found " + stored.getKeys().size() + " key(s) with kid(s) "
                + stored.getKeys().stream().map(JWK::getKeyID).toList());
      }
    }
    return new OidcIssuer(url, key, jwk, clock);
  }

  // ------------------------------------------------------------------------------------------------- minting

  /**
   * Mints a compact ES256 JWT for {@code request}: header {@code alg}, {@code kid}, {@code typ: JWT}; claims {@code
   * iss}, {@code sub}, {@code aud}, {@code iat} and {@code nbf} (now, whole seconds), {@code exp} (now + lifetime),
   * a random {@code jti}, {@code email} with {@code email_verified: true} when requested, and the extra claims.
   */
  public String mint(TokenRequest request) {
    Objects.requireNonNull(request, "request");
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    request.claims().forEach(claims::claim); // first, so registered claims always win (the request forbids clashes)
    claims
        .issuer(issuer)
        .subject(request.subject())
        .audience(request.audience())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(request.lifetime())))
        .jwtID(UUID.randomUUID().toString());
    request.email().ifPresent(e -> claims.claim("email", e).claim("email_verified", true));
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(publicJwk.getKeyID()).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(new ECDSASigner(signingKey)); // a signer per token: cheap, and no shared Signature state
    } catch (JOSEException e) {
      throw new IllegalStateException("signing an ES256 token with the issuer's P-256 key failed", e);
    }
    return jwt.serialize();
  }

  // ------------------------------------------------------------------------------------------------- accessors

  /** The issuer, exactly as the {@code iss} claim carries it. */
  public String issuer() {
    return issuer;
  }

  /** The issuer URL (without a trailing {@code /}). */
  public URI issuerUrl() {
    return issuerUrl;
  }

  /** The signing key's {@code kid}: its RFC 7638 JWK SHA-256 thumbprint. */
  public String keyId() {
    return publicJwk.getKeyID();
  }

  /** The public signing key(s), for in-process verification (see {@link TrustedIssuers#of(OidcIssuer)}). */
  public JWKSet publicJwks() {
    return publicJwks;
  }

  /** {@link #publicJwks()} as JSON, as served at {@link #jwksUri()}. */
  public String jwksJson() {
    return publicJwks.toString(true);
  }

  /** {@code <issuer>/.well-known/openid-configuration}. */
  public URI discoveryUri() {
    return URI.create(issuer + DISCOVERY_SUFFIX);
  }

  /** {@code <issuer>/jwks}. */
  public URI jwksUri() {
    return URI.create(issuer + JWKS_SUFFIX);
  }

  /** {@code <issuer>/token}. */
  public URI tokenEndpoint() {
    return URI.create(issuer + TOKEN_SUFFIX);
  }

  /**
   * The OpenID Provider metadata (OpenID Connect Discovery 1.0 §3): {@code issuer}, {@code jwks_uri}, {@code
   * token_endpoint}, {@code id_token_signing_alg_values_supported: ["ES256"]}, {@code response_types_supported},
   * {@code subject_types_supported}, {@code claims_supported}, {@code grant_types_supported} and {@code
   * token_endpoint_auth_methods_supported: ["none"]}.
   */
  public String discoveryJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", jwksUri().toString());
    doc.put("token_endpoint", tokenEndpoint().toString());
    doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
    doc.put("response_types_supported", List.of("id_token"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("claims_supported", CLAIMS_SUPPORTED);
    doc.put("grant_types_supported", List.of("client_credentials"));
    doc.put("token_endpoint_auth_methods_supported", List.of("none"));
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing the discovery document failed", e);
    }
  }

  @Override
  public String toString() {
    return "OidcIssuer[" + issuer + ", ES256, kid " + publicJwk.getKeyID() + "]";
  }

  // ------------------------------------------------------------------------------------------------- key material

  static URI normalize(URI url) {
    String scheme = url.getScheme();
    if (!url.isAbsolute() || url.isOpaque() || scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(
          "issuerUrl: expected an absolute http or https URL, found " + Texts.quote(url.toString()));
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("issuerUrl: expected a host, found none in " + Texts.quote(url.toString()));
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "issuerUrl: expected no user info, query or fragment, found " + Texts.quote(url.toString()));
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + url.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("issuerUrl: " + e.getMessage(), e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("generating a P-256 key failed", e);
    }
  }

  /** The public JWK of {@code key}: its point is computed (d·G), as a PKCS#8 key need not carry it. */
  static ECKey publicJwk(ECPrivateKey key) {
    try {
      X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
      ECPoint q = new FixedPointCombMultiplier().multiply(p256.getG(), key.getS()).normalize();
      ECPublicKeySpec spec =
          new ECPublicKeySpec(
              new java.security.spec.ECPoint(
                  q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
              key.getParams());
      ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
      return new ECKey.Builder(Curve.P_256, pub)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint()
          .build();
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException("deriving the public key of the P-256 issuer key failed", e);
    }
  }

  private static ECPrivateKey readKey(Path file) throws IOException {
    KeyFiles.requireOwnerOnly(file, "a private key");
    byte[] der = KeyFiles.readPem(file, "PRIVATE KEY");
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": expected a PKCS#8 EC private key (" + e.getMessage() + ")", e);
    }
    Curve curve = key instanceof ECPrivateKey ec ? Curve.forECParameterSpec(ec.getParams()) : null;
    if (!Curve.P_256.equals(curve)) {
      throw new IOException(file + ": expected a P-256 EC private key, found " + (curve == null ? key.getAlgorithm()
          + " key" : curve.getName()));
    }
    ECPrivateKey ec = (ECPrivateKey) key;
    BigInteger order = ec.getParams().getOrder();
    if (ec.getS().signum() <= 0 || ec.getS().compareTo(order) >= 0) {
      throw new IOException(file + ": expected a P-256 private scalar in [1, n-1], found one out of range");
    }
    return ec;
  }
}
