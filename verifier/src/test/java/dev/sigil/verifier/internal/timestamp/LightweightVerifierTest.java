package dev.sigil.verifier.internal.timestamp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.verifier.internal.crypto.Providers;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PreparedAuthority#lightweightVerifier}, which checks TSA chain and CMS signatures without the BouncyCastle
 * JCA provider: for each key type a TSA may use, a certificate signed by the key verifies, and one signed by another
 * key of the same type does not. The certificates are made with the JCA provider, an independent signer.
 */
class LightweightVerifierTest {
  @ParameterizedTest
  @CsvSource({
    "EC, secp256r1, SHA256withECDSA",
    "EC, secp384r1, SHA384withECDSA",
    "RSA, 2048, SHA256withRSA",
    "RSA, 3072, SHA512withRSA",
    "Ed25519, -, Ed25519"
  })
  void verifiesWhatTheKeySignedAndNothingElse(String type, String param, String sigAlg) throws Exception {
    KeyPair issuer = keys(type, param);
    KeyPair other = keys(type, param);
    X509CertificateHolder issuerCert = cert("CN=issuer", issuer, issuer, sigAlg);
    X509CertificateHolder child = cert("CN=child", keys(type, param), issuer, sigAlg);
    X509CertificateHolder forged = cert("CN=child", keys(type, param), other, sigAlg);
    assertTrue(child.isSignatureValid(PreparedAuthority.lightweightVerifier(issuerCert)), sigAlg);
    assertFalse(forged.isSignatureValid(PreparedAuthority.lightweightVerifier(issuerCert)), sigAlg);
  }

  @org.junit.jupiter.api.Test
  void refusesKeyTypesItDoesNotVerify() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
    g.initialize(2048);
    KeyPair dsa = g.generateKeyPair();
    X509CertificateHolder cert = cert("CN=dsa", dsa, dsa, "SHA256withDSA");
    assertThrows(OperatorCreationException.class, () -> PreparedAuthority.lightweightVerifier(cert));
  }

  private static KeyPair keys(String type, String param) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(type);
    switch (type) {
      case "EC" -> g.initialize(new ECGenParameterSpec(param));
      case "RSA" -> g.initialize(Integer.parseInt(param));
      default -> {}
    }
    return g.generateKeyPair();
  }

  private static X509CertificateHolder cert(String subject, KeyPair subjectKeys, KeyPair signer, String sigAlg)
      throws Exception {
    Date now = new Date();
    return new JcaX509v3CertificateBuilder(
            new X500Name("CN=issuer"),
            BigInteger.valueOf(System.nanoTime()),
            new Date(now.getTime() - 60_000),
            new Date(now.getTime() + 3_600_000),
            new X500Name(subject),
            subjectKeys.getPublic())
        .build(new JcaContentSignerBuilder(sigAlg).setProvider(Providers.bouncyCastle()).build(signer.getPrivate()));
  }
}
