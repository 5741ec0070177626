package dev.sigil.sandbox.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Objects;
import java.util.Set;

/**
 * An OIDC issuer whose tokens {@link TrustedIssuers} accepts: its {@code iss} string and its public signing keys.
 *
 * @param issuer the exact {@code iss} value (an absolute URL, compared as a string)
 * @param keys the issuer's public keys: EC (P-256, P-384), RSA (at least 2048 bits) or OKP (Ed25519); no private or
 *     symmetric keys, at least one key
 */
public record TrustedIssuer(String issuer, JWKSet keys) {
  /** The largest JWKS file {@link #fromJwksFile} reads. */
  public static final int MAX_JWKS_FILE_BYTES = 1 << 20;

  private static final Set<KeyType> PUBLIC_KEY_TYPES = Set.of(KeyType.EC, KeyType.RSA, KeyType.OKP);

  public TrustedIssuer {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(keys, "keys");
    if (issuer.isBlank()) {
      throw new IllegalArgumentException("issuer: expected a non-blank issuer URL, found a blank string");
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys of " + Texts.quote(issuer) + ": expected at least one key, found none");
    }
    for (JWK k : keys.getKeys()) {
      if (!PUBLIC_KEY_TYPES.contains(k.getKeyType())) {
        throw new IllegalArgumentException(
            "keys of " + Texts.quote(issuer) + ": expected EC, RSA or OKP public keys, found a "
                + k.getKeyType() + " key (kid " + Texts.quote(k.getKeyID()) + ")");
      }
      if (k.isPrivate()) {
        throw new IllegalArgumentException(
            "keys of " + Texts.quote(issuer) + ": expected public keys only, found a private "
                + k.getKeyType() + " key (kid " + Texts.quote(k.getKeyID()) + ")");
      }
    }
  }

  /** The issuer {@code issuer} with the public keys of a local {@link OidcIssuer}. */
  public static TrustedIssuer of(OidcIssuer issuer) {
    return new TrustedIssuer(issuer.issuer(), issuer.publicJwks());
  }

  /**
   * The issuer {@code issuer} with the keys of a JWK set read from a local file (such as an issuer's {@code jwks_uri}
   * document saved beforehand, or an {@link OidcIssuer}'s {@code oidc-jwks.json}).
   *
   * @throws IOException if the file cannot be read, is larger than {@link #MAX_JWKS_FILE_BYTES} or is not a JWK set
   */
  public static TrustedIssuer fromJwksFile(String issuer, Path jwksFile) throws IOException {
    Objects.requireNonNull(jwksFile, "jwksFile");
    byte[] bytes;
    try (InputStream in = Files.newInputStream(jwksFile)) {
      bytes = in.readNBytes(MAX_JWKS_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_JWKS_FILE_BYTES) {
      throw new IOException(
          jwksFile + ": expected a JWK set of at most " + MAX_JWKS_FILE_BYTES + " bytes, found a larger file");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IOException(jwksFile + ": expected a JWK set (RFC 7517 §5), found " + e.getMessage(), e);
    }
    try {
      return new TrustedIssuer(issuer, set);
    } catch (IllegalArgumentException e) {
      throw new IOException(jwksFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TrustedIssuer[" + issuer + ", kids " + keys.getKeys().stream().map(JWK::getKeyID).toList() + "]";
  }
}
