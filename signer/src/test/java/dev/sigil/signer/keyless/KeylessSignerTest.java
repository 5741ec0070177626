package dev.sigil.signer.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.signer.SigningException;
import dev.sigil.verifier.Verifier;
import dev.sigil.verifier.trust.TrustedRoot;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeylessSignerTest {
  private static final String TOKEN = TestPki.jwt("{\"iss\":\"https://i\",\"sub\":\"s\"}");

  @Test
  void aCertificateForAnotherKeyIsRefusedBeforeAnythingIsLogged() throws Exception {
    X509Certificate other = TestPki.selfSigned(TestPki.p256(), "someone else", false);
    String chain = "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":["
        + Json.MAPPER.writeValueAsString(TestPki.pem(other)) + "]}}}";
    try (FakeServer fulcio = new FakeServer(r -> FakeServer.Reply.json(201, chain));
        FakeServer rekor = new FakeServer(r -> FakeServer.Reply.json(500, "{}"))) {
      KeylessSigner signer =
          new KeylessSigner(new FulcioClient(fulcio.base()), new RekorClient(rekor.base()), Optional.empty(),
              Verifier.create(TrustedRoot.empty()), new SecureRandom());
      SigningException e =
          assertThrows(SigningException.class,
              () -> signer.sign(IdToken.parse(TOKEN), new ByteArrayInputStream(new byte[] {1})));
      assertTrue(e.getMessage().startsWith("Fulcio at " + fulcio.base() + ": expected a certificate for the ephemeral "
          + "public key that was sent, found one for another key"), e.getMessage());
      assertEquals(0, rekor.received.size());
      assertEquals("KeylessSigner[fulcio=" + fulcio.base() + ", logs=[" + rekor.base() + "]]", signer.toString());
    }
  }

  @Test
  void aCertificateWithoutFulcioIdentityIsRefusedBeforeLogging() throws Exception {
    // Fulcio answers with a certificate for whatever key it was sent (like the real one, minus the CA).
    try (FakeServer fulcio = new FakeServer(r -> {
          var pem = Json.MAPPER.readTree(r.body()).at("/publicKeyRequest/publicKey/content").textValue();
          var key = dev.sigil.verifier.internal.crypto.PublicKeys.fromPem(pem);
          var ca = TestPki.p256();
          var cert = TestPki.issuedTo(key, ca, "leaf");
          return FakeServer.Reply.json(201, "{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":["
              + Json.MAPPER.writeValueAsString(TestPki.pem(cert)) + "]}}}");
        });
        FakeServer rekor = new FakeServer(r -> FakeServer.Reply.json(500, "{\"code\":500,\"message\":\"trillian down\"}"))) {
      KeylessSigner signer =
          new KeylessSigner(new FulcioClient(fulcio.base()), new RekorClient(rekor.base()), Optional.empty(),
              Verifier.create(TrustedRoot.empty()), new SecureRandom());
      SigningException e =
          assertThrows(SigningException.class,
              () -> signer.sign(IdToken.parse(TOKEN), new ByteArrayInputStream(new byte[] {1})));
      // The self-signed test certificate has no Fulcio issuer extension: the signer refuses it before logging.
      assertTrue(e.getMessage().contains("expected a certificate with a SAN (URI, email or username) and an OIDC issuer"),
          e.getMessage());
      assertEquals(0, rekor.received.size());
    }
  }
}
