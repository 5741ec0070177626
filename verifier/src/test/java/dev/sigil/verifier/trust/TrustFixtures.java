package dev.sigil.verifier.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Trusted-root test documents and JSON surgery on them. */
final class TrustFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PUBLIC_GOOD = "/trust/public-good-trusted_root.json";

  private TrustFixtures() {}

  static byte[] bytes(String resource) {
    try (InputStream in = TrustFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public-good root after {@code edit}, serialized. */
  static byte[] publicGoodWith(Consumer<ObjectNode> edit) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(bytes(PUBLIC_GOOD));
      edit.accept(root);
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tlog(ObjectNode root, int i) {
    return (ObjectNode) root.get("tlogs").get(i);
  }

  static ObjectNode publicKey(ObjectNode root, int tlog) {
    return (ObjectNode) tlog(root, tlog).get("publicKey");
  }

  static ObjectNode ca(ObjectNode root, int i) {
    return (ObjectNode) root.get("certificateAuthorities").get(i);
  }

  /** A fixed RSA test key pair from a resource holding base64 PKCS#8 DER (generating RSA keys is slow). */
  static java.security.KeyPair rsaTestKey(String resource) {
    try (InputStream in = TrustFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      String b64 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
      byte[] der = java.util.Base64.getDecoder().decode(b64);
      java.security.KeyFactory kf =
          java.security.KeyFactory.getInstance("RSA", dev.sigil.verifier.crypto.Providers.bouncyCastle());
      java.security.interfaces.RSAPrivateCrtKey priv =
          (java.security.interfaces.RSAPrivateCrtKey) kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
      java.security.PublicKey pub =
          kf.generatePublic(new java.security.spec.RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
      return new java.security.KeyPair(pub, priv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
