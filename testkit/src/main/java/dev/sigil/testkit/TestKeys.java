package dev.sigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/** Fixed test keys kept as resources, for tests that must not spend seconds generating RSA keys. */
public final class TestKeys {
  private TestKeys() {}

  /** The RSA key pair in a class-path resource holding base64 PKCS#8 DER (e.g. {@code /tlog/rsa2048-test-key.pk8.b64}). */
  public static KeyPair rsaFromResource(String resource) {
    try (InputStream in = TestKeys.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      byte[] der = Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
      // BouncyCastle reads these files' encoding; the JDK's RSA key factory refuses it ("algid parse error").
      KeyFactory kf = KeyFactory.getInstance("RSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
      RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(new PKCS8EncodedKeySpec(der));
      return new KeyPair(kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent())), priv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
