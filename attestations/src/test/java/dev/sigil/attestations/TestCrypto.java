package dev.sigil.attestations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.attestations.dsse.DsseEnvelope;
import dev.sigil.attestations.dsse.DsseSigner;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * JDK signature checks for tests only: they show that the PAE this module computes is the one real signers signed.
 * (Verification proper is the verifier module's job.)
 */
public final class TestCrypto {
  private TestCrypto() {}

  public static KeyPair newP256() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  public static PublicKey p256(BigInteger x, BigInteger y) throws GeneralSecurityException {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
  }

  /** A public key from PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  public static PublicKey pemPublicKey(byte[] pem) throws GeneralSecurityException {
    String body =
        new String(pem, StandardCharsets.US_ASCII)
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  /** The leaf certificate of a Sigstore bundle (v0.1-v0.3 layouts). */
  public static X509Certificate bundleCertificate(JsonNode bundle) throws GeneralSecurityException {
    JsonNode vm = bundle.get("verificationMaterial");
    JsonNode raw =
        vm.has("certificate")
            ? vm.get("certificate").get("rawBytes")
            : vm.get("x509CertificateChain").get("certificates").get(0).get("rawBytes");
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(raw.textValue())));
  }

  /**
   * The Fulcio claims of a certificate, keyed by dotted OID: the extensions 1.3.6.1.4.1.57264.1.8 to .23, each an
   * OCTET STRING holding one DER UTF8String. (A minimal DER read for tests; the verifier has the real one.)
   */
  public static java.util.Map<String, String> fulcioClaims(X509Certificate cert) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (int arc = 8; arc <= 23; arc++) {
      String oid = "1.3.6.1.4.1.57264.1." + arc;
      byte[] ext = cert.getExtensionValue(oid);
      if (ext != null) {
        byte[] inner = derContent(ext, 0x04);
        out.put(oid, new String(derContent(inner, 0x0C), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static byte[] derContent(byte[] der, int tag) {
    if ((der[0] & 0xff) != tag) {
      throw new IllegalArgumentException("expected DER tag " + tag + ", found " + (der[0] & 0xff));
    }
    int len = der[1] & 0xff;
    int off = 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[2 + i] & 0xff);
      }
      off = 2 + n;
    }
    return java.util.Arrays.copyOfRange(der, off, off + len);
  }

  /** Whether {@code sig} (ASN.1 DER ECDSA with SHA-256) verifies over {@code message}. */
  public static boolean verifiesDer(PublicKey key, byte[] message, byte[] sig) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(key);
    s.update(message);
    return s.verify(sig);
  }

  /** Whether {@code sig} (raw r||s ECDSA with SHA-256) verifies over {@code message}. */
  public static boolean verifiesRaw(PublicKey key, byte[] message, byte[] sig) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initVerify(key);
    s.update(message);
    return s.verify(sig);
  }

  /** A DSSE signer over a JDK key pair. */
  public static DsseSigner signer(KeyPair kp, String keyid) {
    return new DsseSigner() {
      @Override
      public String keyid() {
        return keyid;
      }

      @Override
      public byte[] sign(byte[] pae) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(pae);
        return s.sign();
      }
    };
  }

  /** Verifies every signature of {@code env} with the key of the same index (test helper). */
  public static boolean allVerify(DsseEnvelope env, PublicKey... keys) throws GeneralSecurityException {
    for (int i = 0; i < keys.length; i++) {
      if (!verifiesDer(keys[i], env.pae(), env.signatures().get(i).sig())) {
        return false;
      }
    }
    return true;
  }
}
